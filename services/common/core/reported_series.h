// ReportedSeries: one reported indicator's aggregates, period by period, and
// the series of data points they make — one point per day on which periods
// end, taken from the longest such period that has data (2025-Q3 stands for
// 2025-09-30 rather than 2025-09). Updated incrementally per cell change.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/types/span.h"
#include "services/common/core/cell.h"
#include "services/common/core/period.h"
#include "services/common/core/period_aggregate.h"
#include "services/common/core/progress_assessment.h"
#include "tiendo/registry/v1/indicator.pb.h"

namespace tiendo::core {

class ReportedSeries {
 public:
  ReportedSeries(registry::v1::Aggregation rule, double scale) : rule_(rule), scale_(scale) {}

  // Applies one cell's change in `period`.
  void Update(Period period, const std::optional<Reading>& before,
              const std::optional<Reading>& after);
  // Adds the readings of cells new to `period`, as Update(period, nullopt,
  // reading) does for each, but refreshing the period's point once: how a
  // snapshot's cells are restored without a point refresh per cell.
  void Add(Period period, absl::Span<const Reading> readings);

  // The aggregate figure of `period`, if any cell contributes.
  std::optional<AggregateFigure> FigureOf(Period period) const;

  // Fixed when the series is made (see ProgressTracker::UpsertIndicator).
  registry::v1::Aggregation rule() const { return rule_; }
  double scale() const { return scale_; }

  // Data points ordered by day.
  const std::vector<SeriesPoint>& points() const { return points_; }
  // The period behind each point (parallel to points()).
  const std::vector<Period>& point_periods() const { return point_periods_; }

 private:
  void RefreshPoint(Period updated);

  registry::v1::Aggregation rule_;
  double scale_;
  absl::btree_map<uint32_t, PeriodAggregate> aggregates_;  // by packed period
  std::vector<SeriesPoint> points_;
  std::vector<Period> point_periods_;
};

}  // namespace tiendo::core
