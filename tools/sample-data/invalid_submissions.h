// The deliberately invalid rows of submissions.csv: one per rule that
// metrics-ingest must enforce, each with a comment that starts "INVALID:",
// says which rule it breaks and ends with the reason ingest refuses it with
// ("…; refused as not_authorised"). Importers and tests use them to check
// that bad input is rejected with that reason and changes nothing.
#pragma once

#include <vector>

#include "tools/sample-data/random.h"
#include "tools/sample-data/service_figures.h"
#include "tools/sample-data/submission_ids.h"
#include "tools/sample-data/submission_rows.h"

namespace tiendo::sample {

// Numerator above denominator (numerator_exceeds_denominator); an unknown
// indicator (unknown_indicator); period 2025-Q5 (invalid_period); district 752
// after its merger (administrative_unit_not_valid_in_period); a negative count
// (value_out_of_range); a derived indicator (derived_indicator); a unit
// reporting an indicator it may not report (not_authorised). Apart from the
// rule it breaks, each row is valid. Each is in a cell no valid row
// uses, so that accepting it by mistake would show as an extra cell.
std::vector<SubmissionRow> InvalidSubmissions(Random& random, const ServiceFigures& figures,
                                              SubmissionIds& ids);

}  // namespace tiendo::sample
