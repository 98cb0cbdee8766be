#include "tools/sample-data/report_periods.h"

#include "absl/strings/str_format.h"

namespace tiendo::sample {
namespace {

absl::CivilDay MonthStart(int month_index) {
  return absl::CivilDay(kFirstReportYear + month_index / 12, 1 + month_index % 12, 1);
}

absl::CivilDay MonthEnd(int month_index) { return MonthStart(month_index + 1) - 1; }

}  // namespace

std::vector<ReportPeriod> ReportPeriods() {
  std::vector<ReportPeriod> periods;
  for (int m = 0; m < kReportMonths; ++m) {
    const absl::CivilDay first = MonthStart(m);
    periods.push_back({absl::StrFormat("%04d-%02d", first.year(), first.month()), first,
                       MonthEnd(m), m, m});
  }
  for (int m = 0; m + 2 < kReportMonths; m += 3) {
    const absl::CivilDay first = MonthStart(m);
    periods.push_back({absl::StrFormat("%04d-Q%d", first.year(), m % 12 / 3 + 1), first,
                       MonthEnd(m + 2), m, m + 2});
  }
  return periods;
}

}  // namespace tiendo::sample
