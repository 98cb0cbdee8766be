#include "services/metrics-ingest/lenient_items.h"

#include "absl/strings/str_cat.h"
#include "services/common/core/utf8_text.h"

namespace tiendo::ingest {
namespace {

// Records that `field` of `item` holds `bytes`, which are not UTF-8 — unless an earlier field
// was refused already. Only refusals build messages: most items have none.
void RefuseText(const v1::LenientSubmission& item, std::string field, const std::string& bytes,
                std::optional<core::SubmissionRejection>& rejection) {
  if (rejection.has_value()) return;
  const std::string name = core::IsValidUtf8(item.submission_id())
                               ? absl::StrCat("submission ", core::ShowText(item.submission_id()))
                               : std::string("submission with a non-UTF-8 id");
  const std::string message =
      absl::StrCat(name, ": ", field, " is not valid UTF-8 (", core::ShowText(bytes),
                   "); strings must be UTF-8, e.g. Vietnamese text encoded as UTF-8");
  rejection =
      core::SubmissionRejection{v1::REJECTION_REASON_INVALID_UTF8, std::move(field), message};
}

// Copies `bytes` into `out` if they are UTF-8; otherwise refuses `field` (RefuseText).
bool TakeText(const std::string& bytes, absl::string_view field, const v1::LenientSubmission& item,
              std::string* out, std::optional<core::SubmissionRejection>& rejection) {
  if (core::IsValidUtf8(bytes)) {
    *out = bytes;
    return true;
  }
  RefuseText(item, std::string(field), bytes, rejection);
  return false;
}

}  // namespace

absl::string_view EchoedSubmissionId(const v1::LenientSubmission& item) {
  return core::IsValidUtf8(item.submission_id()) ? absl::string_view(item.submission_id())
                                                 : absl::string_view();
}

std::optional<core::SubmissionRejection> DecodeItem(const v1::LenientSubmission& item,
                                                    v1::Submission& submission) {
  std::optional<core::SubmissionRejection> rejection;
  TakeText(item.submission_id(), "submission_id", item, submission.mutable_submission_id(),
           rejection);
  TakeText(item.reporting_unit_id(), "reporting_unit_id", item,
           submission.mutable_reporting_unit_id(), rejection);
  TakeText(item.indicator_id(), "indicator_id", item, submission.mutable_indicator_id(), rejection);
  TakeText(item.period(), "period", item, submission.mutable_period(), rejection);
  for (const v1::LenientStringPair& pair : item.disaggregation()) {
    std::string key;
    if (!TakeText(pair.key(), "disaggregation", item, &key, rejection)) continue;
    if (!core::IsValidUtf8(pair.value())) {
      RefuseText(item, absl::StrCat("disaggregation[\"", key, "\"]"), pair.value(), rejection);
      continue;
    }
    (*submission.mutable_disaggregation())[std::move(key)] = pair.value();
  }
  if (item.has_ratio()) {
    *submission.mutable_ratio() = item.ratio();
  } else if (item.figure_case() == v1::LenientSubmission::kValue) {
    submission.set_value(item.value());
  }
  if (item.has_submitted_at()) *submission.mutable_submitted_at() = item.submitted_at();
  TakeText(item.source_system(), "source_system", item, submission.mutable_source_system(),
           rejection);
  TakeText(item.comment(), "comment", item, submission.mutable_comment(), rejection);
  submission.set_kind(item.kind());
  return rejection;
}

}  // namespace tiendo::ingest
