#include "services/common/core/reported_series.h"

#include <algorithm>

#include "services/common/status/check.h"

namespace tiendo::core {

void ReportedSeries::Update(Period period, const std::optional<Reading>& before,
                            const std::optional<Reading>& after) {
  auto [it, inserted] = periods_.try_emplace(period.Pack(), rule_, scale_);
  it->second.aggregate.Update(before, after);
  if (!it->second.point_stale) {
    it->second.point_stale = true;
    stale_.push_back(period);
  }
}

void ReportedSeries::Refresh() {
  for (const Period period : stale_) {
    RefreshPoint(period);
    periods_.find(period.Pack())->second.point_stale = false;
  }
  stale_.clear();
}

std::optional<AggregateFigure> ReportedSeries::FigureOf(Period period) const {
  auto it = periods_.find(period.Pack());
  if (it == periods_.end()) return std::nullopt;
  return it->second.aggregate.Figure();
}

const std::vector<SeriesPoint>& ReportedSeries::points() const {
  TIENDO_CHECK(stale_.empty(), "a series' points read before its updates were refreshed");
  return points_;
}

const std::vector<Period>& ReportedSeries::point_periods() const {
  TIENDO_CHECK(stale_.empty(), "a series' points read before its updates were refreshed");
  return point_periods_;
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
