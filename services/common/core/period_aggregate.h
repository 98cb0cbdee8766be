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

// What one owner's cells (a reporting unit's, for one disaggregation) give a
// period: the reading of its cell for that period, or what its cells of
// shorter periods within it roll up to (ReportedSeries).
struct Contribution {
  Contribution() = default;
  // A cell's own reading: a contribution of one cell.
  Contribution(const Reading& reading)  // NOLINT(google-explicit-constructor)
      : value(reading.value), denominator(reading.denominator), sequence(reading.sequence) {}

  absl::int128 value = 0;        // the value, or the numerator, in micro-units
  absl::int128 denominator = 0;  // 0 for plain values
  int64_t sequence = 0;          // the latest contributing reading's
  int32_t cells = 1;             // the cells behind it

  friend bool operator==(const Contribution&, const Contribution&) = default;
};

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

  // Moves the aggregate from `before` to `after` for one owner (either may be
  // absent: a new cell, a retraction). O(1) for SUM and RATIO_OF_SUMS,
  // O(log owners) for LATEST.
  void Update(const std::optional<Contribution>& before,
              const std::optional<Contribution>& after);

  // The figure, or nullopt when no cell contributes (or, for a ratio, the
  // denominators sum to zero).
  std::optional<AggregateFigure> Figure() const;

 private:
  registry::v1::Aggregation rule_;
  double scale_;
  int32_t cells_ = 0;
  absl::int128 values_ = 0;
  absl::int128 denominators_ = 0;
  // Orders contributions for LATEST: by sequence, and those at the same
  // sequence (which one log never has for two readings) by value,
  // denominator and cells, so the figure never depends on the order in which
  // cells arrived.
  struct ByPosition {
    bool operator()(const Contribution& a, const Contribution& b) const;
  };
  // For LATEST: the owners' contributions.
  std::unique_ptr<std::multiset<Contribution, ByPosition>> by_sequence_;
};

}  // namespace tiendo::core
