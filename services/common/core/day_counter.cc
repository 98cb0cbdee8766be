#include "services/common/core/day_counter.h"

#include <algorithm>

namespace tiendo::core {
namespace {

const absl::CivilDay kFirstDay(1900, 1, 1);
const absl::CivilDay kLastDay(2199, 12, 31);

// Offset of `day` in the trees, clamped to the covered range.
int64_t Offset(absl::CivilDay day) {
  return std::clamp<int64_t>(day - kFirstDay, 0, kLastDay - kFirstDay);
}

}  // namespace

DayCounter::DayCounter()
    : starts_(static_cast<size_t>(kLastDay - kFirstDay + 2), 0),
      ends_(static_cast<size_t>(kLastDay - kFirstDay + 2), 0) {}

void DayCounter::AddAt(std::vector<int64_t>& tree, int64_t index, int64_t delta) {
  for (++index; index < static_cast<int64_t>(tree.size()); index += index & -index) {
    tree[static_cast<size_t>(index)] += delta;
  }
}

int64_t DayCounter::PrefixSum(const std::vector<int64_t>& tree, int64_t index) {
  int64_t sum = 0;
  for (++index; index > 0; index -= index & -index) sum += tree[static_cast<size_t>(index)];
  return sum;
}

void DayCounter::Change(const DayInterval& interval, int delta) {
  if (interval.empty()) return;
  AddAt(starts_, Offset(interval.start), delta);
  if (interval.end.has_value()) AddAt(ends_, Offset(*interval.end), delta);
  intervals_ += delta;
}

int64_t DayCounter::CountAt(absl::CivilDay day) const {
  if (day < kFirstDay) return 0;
  const int64_t offset = Offset(day);
  return PrefixSum(starts_, offset) - PrefixSum(ends_, offset);
}

std::optional<absl::CivilDay> DayCounter::EarliestStart() const {
  if (intervals_ == 0) return std::nullopt;
  // The smallest offset whose prefix sum of starts is positive.
  int64_t position = 0;
  int64_t step = 1;
  while (step * 2 < static_cast<int64_t>(starts_.size())) step *= 2;
  for (; step > 0; step /= 2) {
    if (position + step < static_cast<int64_t>(starts_.size()) &&
        starts_[static_cast<size_t>(position + step)] <= 0) {
      // Fenwick descent: all counts are non-negative, so a zero block is empty.
      position += step;
    }
  }
  return kFirstDay + position;
}

}  // namespace tiendo::core
