// What the generated registry rows add up to at the end of each year: the
// values the seed plan's derived indicators should show for the synthetic
// data (written into the README so that a reader can check a dashboard
// against them, and tested so that the data stays plausible).
#pragma once

#include <vector>

#include "absl/time/civil_time.h"
#include "tools/sample-data/enterprise_rows.h"
#include "tools/sample-data/public_service_rows.h"

namespace tiendo::sample {

struct YearEndFigures {
  absl::CivilDay day;
  // Registered by `day` and not dissolved by then (active or suspended).
  int digital_technology = 0;
  int dx_solutions = 0;  // of those, with the dx_solutions capability
  // SMEs active on `day`, and those of them using a digital platform.
  int active_smes = 0;
  int active_smes_adopting = 0;
  // Procedures in force on `day`: eligible for full-process online
  // provision, and of those provided so; provided full-process online, and
  // of those integrated on the national portal.
  int eligible_procedures = 0;
  int eligible_online = 0;
  int online_procedures = 0;
  int online_integrated = 0;
};

// Figures at 31 December of 2019 … 2025, and at the last day of the data.
std::vector<YearEndFigures> FiguresByYear(const std::vector<EnterpriseRow>& enterprises,
                                          const std::vector<PublicServiceRow>& services);

// numerator / denominator as a percentage with one decimal, e.g. "48.7%";
// "–" for a zero denominator.
std::string Percent(int numerator, int denominator);

}  // namespace tiendo::sample
