// A ratio in its indicator's unit: numerator / denominator × scale (100 for a percent
// indicator, 1 otherwise), with the scale applied before dividing, so that a whole-number
// ratio comes out exact and compares equal to a whole-number bound or milestone:
// 29 × 100 / 100 is 29, while 29 / 100 × 100 is 28.999999999999996.
#pragma once

namespace tiendo::core {

inline double ScaledRatio(double numerator, double denominator, double scale) {
  return numerator * scale / denominator;
}

}  // namespace tiendo::core
