// Counts of the kinds of rows in submissions.csv (corrections, duplicates,
// late reports, retractions, invalid rows), recognised from the rows as an
// importer would see them.
#pragma once

#include <vector>

#include "tools/sample-data/submission_rows.h"

namespace tiendo::sample {

struct SubmissionTally {
  int rows = 0;
  // Rows whose submission id was sent before (exact resends).
  int duplicates = 0;
  // Reports for a cell that already had a different submission: corrections,
  // and reports after a retraction.
  int corrections = 0;
  int retractions = 0;
  // Submitted more than 45 days after the period ended.
  int late = 0;
  // Comment starts with "INVALID:".
  int invalid = 0;
};

// Rows in the order they were sent.
SubmissionTally TallySubmissions(const std::vector<SubmissionRow>& rows);

// Days after the period ended beyond which a report counts as late.
inline constexpr int kLateAfterDays = 45;

}  // namespace tiendo::sample
