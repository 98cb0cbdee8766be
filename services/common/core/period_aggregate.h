// PeriodAggregate: one reported indicator's figure for one period, combined
// across reporting units and disaggregations by the indicator's declared
// rule, and kept up to date one cell change at a time (never a rescan).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>

#include "absl/numeric/int128.h"
#include "services/common/core/cell.h"
#include "tiendo/registry/v1/indicator.pb.h"

namespace tiendo::core {

// The combined figure: a value, or a numerator and denominator whose ratio
// is the value.
struct AggregateFigure {
  double value = 0;
  std::optional<double> numerator;
  std::optional<double> denominator;
  int32_t cells = 0;  // cells that contributed
};

class PeriodAggregate {
 public:
  // `scale` multiplies ratios (100 for percent indicators, 1 otherwise).
  PeriodAggregate(registry::v1::Aggregation rule, double scale);

  // Moves the aggregate from `before` to `after` for one cell (either may be
  // absent: a new cell, a retraction). O(1) for SUM and RATIO_OF_SUMS,
  // O(log cells) for LATEST.
  void Update(const std::optional<Reading>& before, const std::optional<Reading>& after);

  // The figure, or nullopt when no cell contributes (or, for a ratio, the
  // denominators sum to zero).
  std::optional<AggregateFigure> Figure() const;

  int32_t cells() const { return cells_; }

 private:
  registry::v1::Aggregation rule_;
  double scale_;
  int32_t cells_ = 0;
  absl::int128 values_ = 0;
  absl::int128 denominators_ = 0;
  // Orders readings for LATEST: by sequence, and readings at the same
  // sequence (which one log never has) by value and denominator, so the
  // figure never depends on the order in which cells arrived.
  struct ByPosition {
    bool operator()(const Reading& a, const Reading& b) const;
  };
  // For LATEST: the readings of the contributing cells.
  std::unique_ptr<std::multiset<Reading, ByPosition>> by_sequence_;
};

}  // namespace tiendo::core
