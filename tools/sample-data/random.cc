#include "tools/sample-data/random.h"

#include <numeric>

#include "services/common/status/check.h"

namespace tiendo::sample {

uint64_t Random::Below(uint64_t n) {
  TIENDO_CHECK(n > 0, "Random::Below needs a positive bound");
  // Rejects the lowest (2^64 mod n) outputs so that every residue is equally
  // likely.
  const uint64_t threshold = (0 - n) % n;
  for (;;) {
    const uint64_t x = engine_();
    if (x >= threshold) return x % n;
  }
}

int64_t Random::Between(int64_t lo, int64_t hi) {
  TIENDO_CHECK(lo <= hi, "Random::Between needs lo <= hi");
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
  if (span == 0) return static_cast<int64_t>(engine_());  // the whole 64-bit range
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + Below(span));
}

size_t Random::Weighted(const std::vector<int>& weights) {
  const int64_t total = std::accumulate(weights.begin(), weights.end(), int64_t{0});
  TIENDO_CHECK(total > 0, "Random::Weighted needs a positive total weight");
  int64_t x = static_cast<int64_t>(Below(static_cast<uint64_t>(total)));
  for (size_t i = 0; i < weights.size(); ++i) {
    if (x < weights[i]) return i;
    x -= weights[i];
  }
  return weights.size() - 1;  // unreachable: x < total
}

}  // namespace tiendo::sample
