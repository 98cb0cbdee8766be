// ReportedSeries: one reported indicator's aggregates, period by period, and
// the series of data points they make — one point per day on which periods
// end, taken from the longest such period of a length the indicator allows
// that has data (2025-Q3 stands for 2025-09-30 rather than 2025-09; a cell of
// a length no longer allowed only when none has). Updated incrementally per
// cell change.
//
// A period's aggregate combines across owners (SeriesOwner: one reporting
// unit's cells for one disaggregation), by the indicator's aggregation, what
// each owner gives the period: its cell's reading for the period or, if it has
// none and the indicator allows the period's granularity, what its readings of
// shorter periods within it roll up to by the indicator's time aggregation
// (SUM and RATIO_OF_SUMS add them up; LATEST_PERIOD takes the latest of them
// with data). So 2025-Q3 counts a unit that reports months beside one that
// reports quarters, and an owner that sent both the quarter and its months
// counts once, by the quarter.
//
// An update changes the aggregates at once and the points at the next
// Refresh: a batch of cell changes (a poll of the submission log, a
// snapshot's cells) refreshes the point of each period it touched once, not
// once per change.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "services/common/core/cell.h"
#include "services/common/core/period.h"
#include "services/common/core/period_aggregate.h"
#include "services/common/core/progress_assessment.h"
#include "tiendo/registry/v1/indicator.pb.h"

namespace tiendo::core {

// The cells of one reporting unit for one disaggregation of an indicator: one
// reporter's breakdown, whose shorter periods roll up into longer ones.
struct SeriesOwner {
  uint32_t reporting_unit = 0;
  uint32_t disaggregation = 0;
};

// How a reported indicator's cells make its figures: from its definition.
struct SeriesRules {
  static SeriesRules For(const registry::v1::Indicator& indicator);

  // Whether periods of `granularity` take the roll-ups of shorter ones.
  bool RollsUpInto(Granularity granularity) const {
    return (rolled_up & (1u << static_cast<int>(granularity))) != 0;
  }

  registry::v1::Aggregation across = registry::v1::AGGREGATION_UNSPECIFIED;  // owners
  registry::v1::TimeAggregation over_time = registry::v1::TIME_AGGREGATION_LATEST_PERIOD;
  double scale = 1;  // multiplies ratios: 100 for percent indicators
  // A bit per Granularity: those the indicator allows take roll-ups.
  uint8_t rolled_up = 0;

  friend bool operator==(const SeriesRules&, const SeriesRules&) = default;
};

// The reading `owner`'s cell holds for `period`, if any, as the cells stand
// with the update applied.
using CellReadings = absl::FunctionRef<std::optional<Reading>(SeriesOwner owner, Period period)>;

class ReportedSeries {
 public:
  explicit ReportedSeries(const SeriesRules& rules);

  // Applies the change of `owner`'s cell in `period` from `before` to
  // `after` to the aggregates of that period and of the longer ones it rolls
  // up into; their points wait for Refresh. `readings` are the cells after
  // the change (debug builds check that they hold `after`). While deferring
  // (DeferCarryUps), the readings fed so far: the roll-ups that need the
  // others wait for CarryUpDeferred.
  void Update(SeriesOwner owner, Period period, const std::optional<Reading>& before,
              const std::optional<Reading>& after, CellReadings readings);
  // For a series fed stored cells (a snapshot's, or its own rebuilt): from
  // now until CarryUpDeferred, Update leaves the roll-ups above each cell to
  // CarryUpDeferred, which works each longer period out once rather than once
  // per cell in it.
  void DeferCarryUps() { deferring_ = true; }
  // Carries the changes fed since DeferCarryUps into the longer periods.
  void CarryUpDeferred(CellReadings readings);
  // Brings the points of the periods updated since the last Refresh up to
  // date.
  void Refresh();
  // Whether an Update awaits Refresh.
  bool stale() const { return !stale_.empty(); }

  // The aggregate figure of `period`, if any owner contributes.
  std::optional<AggregateFigure> FigureOf(Period period) const;

  // Fixed when the series is made (see ProgressTracker::UpsertIndicator).
  const SeriesRules& rules() const { return rules_; }

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
  using RollUpKey = std::pair<uint64_t, uint32_t>;  // owner, packed period

  static RollUpKey KeyOf(SeriesOwner owner, Period period);
  static SeriesOwner OwnerOf(const RollUpKey& key);
  // Whether roll-ups into `period` are kept: it is longer than a month and no
  // longer than the longest granularity rolled up into.
  bool KeepsRollUps(Period period) const;
  // What `owner`'s cells give `period` when it has no reading of its own.
  std::optional<Contribution> PartsOf(SeriesOwner owner, Period period) const;
  // What `owner`'s readings of the parts of `whole` roll up to, as they stand.
  std::optional<Contribution> RollUpParts(SeriesOwner owner, Period whole,
                                          CellReadings readings) const;
  // The next longer period `part` rolls up into, if any.
  std::optional<Period> WholeAbove(Period part) const;
  // The owner's cover of a part of `whole` (its reading, else its parts)
  // changed: works out again what its parts roll up to. Returns whether the
  // owner's cover of `whole` changed in turn (not when it has a reading of
  // its own there: that stands).
  bool CarryUpInto(SeriesOwner owner, Period whole, CellReadings readings);
  // Moves `period`'s aggregate from `before` to `after` and marks its point.
  void ChangeAggregate(Period period, const std::optional<Contribution>& before,
                       const std::optional<Contribution>& after);
  void RefreshPoint(Period updated);

  SeriesRules rules_;
  // The longest granularity rolled up into from a shorter one, if any.
  std::optional<Granularity> top_;
  absl::btree_map<uint32_t, PeriodState> periods_;  // by packed period
  // What each owner's shorter periods roll up to in the longer periods it has no reading
  // of (only where they hold data).
  absl::flat_hash_map<RollUpKey, Contribution> roll_ups_;
  bool deferring_ = false;
  // While deferring: the owners' longer periods a part of which changed.
  std::vector<RollUpKey> deferred_;
  std::vector<Period> stale_;  // updated since the last Refresh, each once
  std::vector<SeriesPoint> points_;
  std::vector<Period> point_periods_;
};

}  // namespace tiendo::core
