// DayCounter: how many intervals of days contain a given day, for intervals
// that are added and removed one at a time. Counts entities that match a
// filter "as of" a date: each entity contributes the interval of days on
// which it matches. O(log days) per change and per query (a Fenwick tree of
// interval starts and one of interval ends over the days 1900..2199).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/time/civil_time.h"

namespace tiendo::core {

// Days [start, end): `end` unset means still open.
struct DayInterval {
  absl::CivilDay start;
  std::optional<absl::CivilDay> end;

  bool empty() const { return end.has_value() && *end <= start; }
  friend bool operator==(const DayInterval&, const DayInterval&) = default;
};

class DayCounter {
 public:
  DayCounter();

  void Add(const DayInterval& interval) { Change(interval, +1); }
  void Remove(const DayInterval& interval) { Change(interval, -1); }

  // Intervals containing `day`.
  int64_t CountAt(absl::CivilDay day) const;

  // The earliest start among the intervals, if any.
  std::optional<absl::CivilDay> EarliestStart() const;

 private:
  void Change(const DayInterval& interval, int delta);
  static void AddAt(std::vector<int64_t>& tree, int64_t index, int64_t delta);
  static int64_t PrefixSum(const std::vector<int64_t>& tree, int64_t index);

  std::vector<int64_t> starts_;  // Fenwick trees indexed by day offset + 1
  std::vector<int64_t> ends_;
  int64_t intervals_ = 0;
};

}  // namespace tiendo::core
