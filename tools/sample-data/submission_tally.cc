#include "tools/sample-data/submission_tally.h"

#include <map>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/sample-data/report_periods.h"

namespace tiendo::sample {

SubmissionTally TallySubmissions(const std::vector<SubmissionRow>& rows) {
  std::map<std::string, absl::CivilDay> period_ends;
  for (const ReportPeriod& period : ReportPeriods()) period_ends[period.code] = period.last;

  SubmissionTally tally;
  std::set<std::string> seen_ids;
  std::set<std::string> seen_cells;
  for (const SubmissionRow& row : rows) {
    ++tally.rows;
    if (absl::StartsWith(row.comment, kInvalidMark)) {
      ++tally.invalid;
      continue;
    }
    if (!seen_ids.insert(row.submission_id).second) {
      ++tally.duplicates;
      continue;
    }
    const std::string cell = absl::StrCat(row.reporting_unit_id, "|", row.indicator_id, "|",
                                          row.period, "|", row.district);
    const bool cell_seen = !seen_cells.insert(cell).second;
    if (row.kind == kRetraction) {
      ++tally.retractions;
    } else if (cell_seen) {
      ++tally.corrections;
    } else if (const auto end = period_ends.find(row.period);
               end != period_ends.end() &&
               absl::CivilDay(row.submitted_at) - end->second > kLateAfterDays) {
      ++tally.late;
    }
  }
  return tally;
}

}  // namespace tiendo::sample
