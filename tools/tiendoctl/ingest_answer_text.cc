#include "tools/tiendoctl/ingest_answer_text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace tiendo::ctl {
namespace {
constexpr absl::string_view kReasonPrefix = "REJECTION_REASON_";
}  // namespace

std::string RejectionReasonWord(int reason) {
  const google::protobuf::EnumValueDescriptor* value =
      ingest::v1::RejectionReason_descriptor()->FindValueByNumber(reason);
  if (value == nullptr || reason == ingest::v1::REJECTION_REASON_UNSPECIFIED) {
    return "unspecified";
  }
  absl::string_view name = value->name();
  if (absl::StartsWith(name, kReasonPrefix)) name.remove_prefix(kReasonPrefix.size());
  return absl::AsciiStrToLower(name);
}

std::string RecordPositionText(const common::v1::RecordPosition& position) {
  return absl::StrCat(position.topic(), " [p", position.partition(), " @ ", position.offset(),
                      "]");
}

std::string SubmissionResultLine(const ingest::v1::SubmissionResult& result) {
  const std::string& id = result.submission_id();
  switch (result.outcome()) {
    case ingest::v1::SUBMISSION_OUTCOME_ACCEPTED:
      return result.has_position()
                 ? absl::StrCat("ACCEPTED ", id, " → ", RecordPositionText(result.position()))
                 : absl::StrCat("ACCEPTED ", id, " (dry run)");
    case ingest::v1::SUBMISSION_OUTCOME_DUPLICATE: {
      std::string line = absl::StrCat("DUPLICATE ", id);
      if (result.has_position()) {
        absl::StrAppend(&line, " → ", RecordPositionText(result.position()));
      }
      if (!result.message().empty()) absl::StrAppend(&line, ": ", result.message());
      return line;
    }
    case ingest::v1::SUBMISSION_OUTCOME_REJECTED: {
      std::string line =
          absl::StrCat("REJECTED ", id, " ", RejectionReasonWord(result.reason()));
      if (!result.message().empty()) absl::StrAppend(&line, ": ", result.message());
      if (!result.field().empty()) absl::StrAppend(&line, " (field ", result.field(), ")");
      return line;
    }
    default:
      return absl::StrCat("UNANSWERED ", id, " (outcome ", static_cast<int>(result.outcome()),
                          ")");
  }
}

}  // namespace tiendo::ctl
