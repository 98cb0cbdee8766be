// The periods synthetic submissions report on: every month and every quarter
// from 2023 to September 2026, with their codes (`2024-03`, `2024-Q1`) and
// first and last days.
#pragma once

#include <string>
#include <vector>

#include "absl/time/civil_time.h"

namespace tiendo::sample {

struct ReportPeriod {
  std::string code;
  absl::CivilDay first;
  absl::CivilDay last;
  // Months since January 2023 of the first and last month of the period.
  int first_month;
  int last_month;
};

inline constexpr int kFirstReportYear = 2023;
// Months from January 2023 to September 2026.
inline constexpr int kReportMonths = 45;

// Months first, then quarters, each in time order.
std::vector<ReportPeriod> ReportPeriods();

}  // namespace tiendo::sample
