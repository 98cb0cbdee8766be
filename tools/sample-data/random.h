// Deterministic pseudo-random choices for the sample-data generator.
//
// The standard fixes std::mt19937_64's output sequence, but not the algorithms
// behind std::uniform_int_distribution, std::shuffle and friends, so the same
// seed could give different data with another standard library. Every choice
// here is made from the engine's raw 64-bit outputs with integer arithmetic
// only (no floating point, whose library functions also differ between
// platforms), which keeps the generated files byte-identical everywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace tiendo::sample {

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}

  // Uniform in [0, n); n > 0.
  uint64_t Below(uint64_t n);

  // Uniform in [lo, hi]; lo <= hi.
  int64_t Between(int64_t lo, int64_t hi);

  // True with probability per_mille / 1000.
  bool PerMille(int per_mille) { return static_cast<int64_t>(Below(1000)) < per_mille; }

  // An index into `weights` chosen with probability proportional to its
  // weight; the weights are non-negative and not all zero.
  size_t Weighted(const std::vector<int>& weights);

  // A uniformly chosen element of a non-empty indexable container.
  template <typename Container>
  const auto& Pick(const Container& items) {
    return items[static_cast<size_t>(Below(items.size()))];
  }

  // Fisher–Yates, with this class's own bounded integers.
  template <typename T>
  void Shuffle(std::vector<T>& items) {
    for (size_t i = items.size(); i > 1; --i) {
      std::swap(items[i - 1], items[static_cast<size_t>(Below(i))]);
    }
  }

  // An independent stream seeded from this one. Each part of the data draws
  // from its own fork, so that changing how one file is generated does not
  // reshuffle the others.
  Random Fork() { return Random(engine_()); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace tiendo::sample
