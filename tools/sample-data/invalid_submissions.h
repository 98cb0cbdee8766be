// The deliberately invalid rows of submissions.csv: one per rule that
// metrics-ingest must enforce, each with a comment that starts "INVALID:" and
// says which rule it breaks. Importers and tests use them to check that bad
// input is rejected with a reason and changes nothing.
#pragma once

#include <vector>

#include "tools/sample-data/random.h"
#include "tools/sample-data/service_figures.h"
#include "tools/sample-data/submission_ids.h"
#include "tools/sample-data/submission_rows.h"

namespace tiendo::sample {

// Numerator above denominator; an unknown indicator; period 2025-Q5; district
// 752 after its merger; a negative count; a derived indicator; a unit
// reporting an indicator it may not report. Each is in a cell no valid row
// uses, so that accepting it by mistake would show as an extra cell.
std::vector<SubmissionRow> InvalidSubmissions(Random& random, const ServiceFigures& figures,
                                              SubmissionIds& ids);

}  // namespace tiendo::sample
