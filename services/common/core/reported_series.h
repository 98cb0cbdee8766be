// ReportedSeries: one reported indicator's aggregates, period by period, and
// the series of data points they make — one point per day on which periods
// end, taken from the longest such period that has data (2025-Q3 stands for
// 2025-09-30 rather than 2025-09). Updated incrementally per cell change.
//
// An update changes its period's aggregate at once and its day's point at the
// next Refresh: a batch of cell changes (a poll of the submission log, a
// snapshot's cells) refreshes the point of each period it touched once, not
// once per change.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/container/btree_map.h"
#include "services/common/core/cell.h"
#include "services/common/core/period.h"
#include "services/common/core/period_aggregate.h"
#include "services/common/core/progress_assessment.h"
#include "tiendo/registry/v1/indicator.pb.h"

namespace tiendo::core {

class ReportedSeries {
 public:
  ReportedSeries(registry::v1::Aggregation rule, double scale) : rule_(rule), scale_(scale) {}

  // Applies one cell's change in `period` to its aggregate; its point waits
  // for Refresh.
  void Update(Period period, const std::optional<Reading>& before,
              const std::optional<Reading>& after);
  // Brings the points of the periods updated since the last Refresh up to
  // date.
  void Refresh();
  // Whether an Update awaits Refresh.
  bool stale() const { return !stale_.empty(); }

  // The aggregate figure of `period`, if any cell contributes.
  std::optional<AggregateFigure> FigureOf(Period period) const;

  // Fixed when the series is made (see ProgressTracker::UpsertIndicator).
  registry::v1::Aggregation rule() const { return rule_; }
  double scale() const { return scale_; }

  // Data points ordered by day. Reading them between an Update and the next
  // Refresh is a programming error.
  const std::vector<SeriesPoint>& points() const;
  // The period behind each point (parallel to points()), likewise.
  const std::vector<Period>& point_periods() const;

 private:
  struct PeriodState {
    PeriodState(registry::v1::Aggregation rule, double scale) : aggregate(rule, scale) {}
    PeriodAggregate aggregate;
    bool point_stale = false;  // listed in stale_
  };

  void RefreshPoint(Period updated);

  registry::v1::Aggregation rule_;
  double scale_;
  absl::btree_map<uint32_t, PeriodState> periods_;  // by packed period
  std::vector<Period> stale_;  // updated since the last Refresh, each once
  std::vector<SeriesPoint> points_;
  std::vector<Period> point_periods_;
};

}  // namespace tiendo::core
