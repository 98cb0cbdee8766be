// Figures in exact fixed-point form: micro-units (value × 10^6) in 64 bits,
// sums in 128 bits. Aggregates are running sums that must not depend on the
// order in which cells arrive (two replicas, or a replay, must agree to the
// last digit), which binary floating point cannot promise.
#pragma once

#include <cstdint>

#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"

namespace tiendo::core {

inline constexpr int64_t kMicrosPerUnit = 1'000'000;

// Largest magnitude a single figure may have: ±9 × 10^12 (so that its micros
// fit in 64 bits with room to spare).
inline constexpr double kMaxFigure = 9e12;

// `value` rounded to the nearest micro-unit; INVALID_ARGUMENT for NaN,
// infinities and magnitudes above kMaxFigure.
absl::StatusOr<int64_t> ToMicros(double value);

inline double FromMicros(absl::int128 micros) {
  return static_cast<double>(micros) / static_cast<double>(kMicrosPerUnit);
}

}  // namespace tiendo::core
