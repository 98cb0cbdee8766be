// The README.md written next to the generated files: what they are, that
// every figure is synthetic, how they were generated, their row counts and
// the figures the derived indicators should show for them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tools/sample-data/figures_by_year.h"
#include "tools/sample-data/submission_rows.h"
#include "tools/sample-data/submission_tally.h"

namespace tiendo::sample {

struct ReadmeFacts {
  uint64_t seed = 0;
  int enterprises = 0;
  int branches = 0;
  int digital_technology = 0;
  int dx_solutions = 0;
  int dissolved = 0;
  int suspended = 0;
  int public_services = 0;
  int district_level_services = 0;
  SubmissionTally submissions;
  std::vector<SubmissionRow> invalid_submissions;
  std::vector<YearEndFigures> figures;
};

std::string SampleReadme(const ReadmeFacts& facts);

}  // namespace tiendo::sample
