#include "services/common/core/reported_series.h"

#include <algorithm>

namespace tiendo::core {

void ReportedSeries::Update(Period period, const std::optional<Reading>& before,
                            const std::optional<Reading>& after) {
  auto [it, inserted] = aggregates_.try_emplace(period.Pack(), rule_, scale_);
  it->second.Update(before, after);
  RefreshPoint(period);
}

void ReportedSeries::Add(Period period, absl::Span<const Reading> readings) {
  auto [it, inserted] = aggregates_.try_emplace(period.Pack(), rule_, scale_);
  for (const Reading& reading : readings) it->second.Update(std::nullopt, reading);
  RefreshPoint(period);
}

std::optional<AggregateFigure> ReportedSeries::FigureOf(Period period) const {
  auto it = aggregates_.find(period.Pack());
  if (it == aggregates_.end()) return std::nullopt;
  return it->second.Figure();
}

void ReportedSeries::RefreshPoint(Period updated) {
  // Every period ends on a month's last day; the periods ending on the same day as the
  // updated one are that month and the quarter, half and year that end with it. The longest
  // with data stands for the day.
  const absl::CivilDay day = updated.LastDay();
  std::optional<AggregateFigure> figure;
  Period source = updated;
  for (Granularity g : {Granularity::kYear, Granularity::kHalf, Granularity::kQuarter,
                        Granularity::kMonth}) {
    const std::optional<Period> candidate = updated.EndingTogether(g);
    if (!candidate.has_value()) continue;
    figure = FigureOf(*candidate);
    if (figure.has_value()) {
      source = *candidate;
      break;
    }
  }
  auto it = std::lower_bound(points_.begin(), points_.end(), day,
                             [](const SeriesPoint& p, absl::CivilDay d) { return p.day < d; });
  const size_t index = static_cast<size_t>(it - points_.begin());
  const bool present = it != points_.end() && it->day == day;
  if (figure.has_value()) {
    if (present) {
      it->value = figure->value;
      point_periods_[index] = source;
    } else {
      points_.insert(it, SeriesPoint{day, figure->value});
      point_periods_.insert(point_periods_.begin() + static_cast<ptrdiff_t>(index), source);
    }
  } else if (present) {
    points_.erase(it);
    point_periods_.erase(point_periods_.begin() + static_cast<ptrdiff_t>(index));
  }
}

}  // namespace tiendo::core
