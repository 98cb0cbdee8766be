#include "tools/sample-data/service_figures.h"

#include <algorithm>
#include <array>
#include <utility>

#include "services/common/status/check.h"
#include "tools/sample-data/districts.h"
#include "tools/sample-data/report_periods.h"

namespace tiendo::sample {
namespace {

// The province-wide gap to 100% in basis points at a few months (counted from
// January 2023), interpolated linearly in between.
using GapCurve = std::array<std::pair<int, int>, 6>;
constexpr GapCurve kAuthenticatedGap = {{{0, 3800}, {11, 2600}, {23, 1000}, {29, 500},
                                         {35, 250}, {44, 100}}};
constexpr GapCurve kDigitisedGap = {{{0, 5200}, {11, 3400}, {23, 1300}, {29, 700},
                                     {35, 400}, {44, 150}}};

// Monthly growth of the denominators, per mille per month.
constexpr int kUsersGrowth = 18;
constexpr int kResultsGrowth = 8;

int Gap(const GapCurve& curve, int month) {
  for (size_t i = 1; i < curve.size(); ++i) {
    const auto [m0, g0] = curve[i - 1];
    const auto [m1, g1] = curve[i];
    if (month <= m1) return g0 + (g1 - g0) * (month - m0) / (m1 - m0);
  }
  return curve.back().second;
}

// A month's denominator and numerator for one area.
Ratio MonthFigure(Random& random, int base, int growth, const GapCurve& curve,
                  int share_offset_bp, int month) {
  int64_t denominator = int64_t{base} * (1000 + growth * month) / 1000;
  // Fewer applications around Tết (January/February).
  if (month % 12 == 1) denominator = denominator * 85 / 100;
  denominator = denominator * (1000 + random.Between(-60, 60)) / 1000;
  denominator = std::max<int64_t>(denominator, 1);
  // Areas ahead of the province close the gap faster.
  int64_t gap = int64_t{Gap(curve, month)} * (1000 - 6 * share_offset_bp / 5) / 1000;
  gap += random.Between(-(gap / 10 + 20), gap / 10 + 20);
  gap = std::clamp<int64_t>(gap, 0, 9000);
  return {denominator * (10000 - gap) / 10000, denominator};
}

}  // namespace

ServiceFigures ServiceFigures::Generate(Random& random) {
  ServiceFigures figures;
  for (const District* area : HomeAreas()) {
    for (int month = 0; month < kReportMonths; ++month) {
      figures.monthly_[{std::string(kUsersAuthenticated), std::string(area->code), month}] =
          MonthFigure(random, area->monthly_online_users, kUsersGrowth, kAuthenticatedGap,
                      area->share_offset_bp, month);
      figures.monthly_[{std::string(kResultsDigitised), std::string(area->code), month}] =
          MonthFigure(random, area->monthly_procedure_results, kResultsGrowth, kDigitisedGap,
                      area->share_offset_bp, month);
    }
  }
  return figures;
}

Ratio ServiceFigures::For(absl::string_view indicator, absl::string_view district,
                          int first_month, int last_month) const {
  Ratio sum;
  for (const District* area : AreasCoveredBy(district)) {
    for (int month = first_month; month <= last_month; ++month) {
      const auto it = monthly_.find({std::string(indicator), std::string(area->code), month});
      TIENDO_CHECK(it != monthly_.end(), "no figure for that indicator, area and month");
      sum.numerator += it->second.numerator;
      sum.denominator += it->second.denominator;
    }
  }
  return sum;
}

}  // namespace tiendo::sample
