#include "tools/tiendoctl/submission_report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/tiendoctl/ingest_answer_text.h"

namespace tiendo::ctl {
namespace {
// Line numbers listed for a group of unsent rows before "…".
constexpr size_t kListedLines = 5;
}  // namespace

void SubmissionReport::AddAnswer(int line, const ingest::v1::SubmissionResult& result) {
  switch (result.outcome()) {
    case ingest::v1::SUBMISSION_OUTCOME_ACCEPTED:
      ++accepted_;
      return;
    case ingest::v1::SUBMISSION_OUTCOME_DUPLICATE:
      ++duplicate_;
      return;
    default:
      ++rejected_;
      lines_.push_back({line, SubmissionResultLine(result)});
  }
}

void SubmissionReport::AddUnparsed(const UnparsedRow& row) {
  ++not_sent_;
  lines_.push_back({row.line, absl::StrCat("NOT SENT ", row.submission_id,
                                           row.submission_id.empty() ? "" : " ",
                                           "(does not parse): ", row.reason)});
}

void SubmissionReport::AddUnsent(const std::string& why, const std::vector<int>& lines) {
  not_sent_ += static_cast<int64_t>(lines.size());
  std::vector<int> listed(lines.begin(),
                          lines.begin() + static_cast<std::ptrdiff_t>(
                                              std::min(lines.size(), kListedLines)));
  unsent_groups_.push_back(absl::StrCat(file_, ": ", lines.size(), " rows ", why, " (lines ",
                                        absl::StrJoin(listed, ", "),
                                        lines.size() > kListedLines ? ", …" : "", ")"));
}

void SubmissionReport::PrintRows(std::ostream& out) const {
  std::vector<Line> sorted = lines_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Line& a, const Line& b) { return a.line < b.line; });
  for (const Line& line : sorted) out << file_ << ":" << line.line << ": " << line.text << "\n";
  for (const std::string& group : unsent_groups_) out << group << "\n";
}

std::string SubmissionReport::Summary() const {
  std::string summary = absl::StrCat(items(), " items: ", accepted_, " accepted, ", duplicate_,
                                     " duplicate");
  if (duplicates_after_resend_ > 0) {
    absl::StrAppend(&summary, " (", duplicates_after_resend_,
                    " of them written before a failed attempt and resent)");
  }
  absl::StrAppend(&summary, ", ", rejected_, " rejected");
  if (not_sent_ > 0) absl::StrAppend(&summary, ", ", not_sent_, " not sent");
  if (dry_run_) absl::StrAppend(&summary, " (dry run: nothing was written)");
  return summary;
}

}  // namespace tiendo::ctl
