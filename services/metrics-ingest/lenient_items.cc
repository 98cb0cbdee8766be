#include "services/metrics-ingest/lenient_items.h"

#include "absl/strings/str_cat.h"
#include "services/common/core/utf8_text.h"

namespace tiendo::ingest {
namespace {

// Copies `bytes` into `out` if they are UTF-8; otherwise records the rejection for `field`.
bool TakeText(const std::string& bytes, absl::string_view field, const std::string& item,
              std::string* out, std::optional<core::SubmissionRejection>& rejection) {
  if (core::IsValidUtf8(bytes)) {
    *out = bytes;
    return true;
  }
  if (!rejection.has_value()) {
    rejection = core::SubmissionRejection{
        v1::REJECTION_REASON_INVALID_UTF8, std::string(field),
        absl::StrCat(item, ": ", field, " is not valid UTF-8 (", core::ShowText(bytes),
                     "); strings must be UTF-8, e.g. Vietnamese text encoded as UTF-8")};
  }
  return false;
}

}  // namespace

std::string EchoedSubmissionId(const v1::LenientSubmission& item) {
  return core::IsValidUtf8(item.submission_id()) ? item.submission_id() : std::string();
}

std::variant<v1::Submission, core::SubmissionRejection> DecodeItem(
    const v1::LenientSubmission& item) {
  const std::string name = core::IsValidUtf8(item.submission_id())
                               ? absl::StrCat("submission ", core::ShowText(item.submission_id()))
                               : std::string("submission with a non-UTF-8 id");
  std::optional<core::SubmissionRejection> rejection;
  v1::Submission submission;
  TakeText(item.submission_id(), "submission_id", name, submission.mutable_submission_id(),
           rejection);
  TakeText(item.reporting_unit_id(), "reporting_unit_id", name,
           submission.mutable_reporting_unit_id(), rejection);
  TakeText(item.indicator_id(), "indicator_id", name, submission.mutable_indicator_id(),
           rejection);
  TakeText(item.period(), "period", name, submission.mutable_period(), rejection);
  for (const v1::LenientStringPair& pair : item.disaggregation()) {
    std::string key;
    std::string value;
    if (TakeText(pair.key(), "disaggregation", name, &key, rejection) &&
        TakeText(pair.value(), absl::StrCat("disaggregation[\"", key, "\"]"), name, &value,
                 rejection)) {
      (*submission.mutable_disaggregation())[key] = value;
    }
  }
  if (item.has_ratio()) {
    *submission.mutable_ratio() = item.ratio();
  } else if (item.figure_case() == v1::LenientSubmission::kValue) {
    submission.set_value(item.value());
  }
  if (item.has_submitted_at()) *submission.mutable_submitted_at() = item.submitted_at();
  TakeText(item.source_system(), "source_system", name, submission.mutable_source_system(),
           rejection);
  TakeText(item.comment(), "comment", name, submission.mutable_comment(), rejection);
  submission.set_kind(item.kind());
  if (rejection.has_value()) return *rejection;
  return submission;
}

}  // namespace tiendo::ingest
