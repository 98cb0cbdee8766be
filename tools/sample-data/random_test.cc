#include "tools/sample-data/random.h"

#include <algorithm>
#include <numeric>
#include <set>

#include "gtest/gtest.h"

namespace tiendo::sample {
namespace {

TEST(RandomTest, SameSeedSameChoices) {
  Random a(63);
  Random b(63);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.Below(1000003), b.Below(1000003));
}

// The engine is std::mt19937_64, whose output the standard fixes: its
// 10000th output from the default seed is 9981545732273789042. Below() of a
// power of two keeps the low bits of the raw output, so the choices are the
// standard's sequence too, on every platform.
TEST(RandomTest, ChoicesFollowTheStandardEngine) {
  Random random(std::mt19937_64::default_seed);
  uint64_t last = 0;
  for (int i = 0; i < 10000; ++i) last = random.Below(uint64_t{1} << 32);
  EXPECT_EQ(last, uint64_t{9981545732273789042u} % (uint64_t{1} << 32));
}

TEST(RandomTest, BoundsAreInclusiveAndReached) {
  Random random(1);
  std::set<int64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    const int64_t x = random.Between(-3, 3);
    ASSERT_GE(x, -3);
    ASSERT_LE(x, 3);
    seen.insert(x);
  }
  EXPECT_EQ(seen.size(), 7u);
}

TEST(RandomTest, WeightedNeverPicksAZeroWeight) {
  Random random(2);
  for (int i = 0; i < 2000; ++i) ASSERT_NE(random.Weighted({5, 0, 1}), 1u);
}

TEST(RandomTest, PerMilleExtremes) {
  Random random(3);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_FALSE(random.PerMille(0));
    ASSERT_TRUE(random.PerMille(1000));
  }
}

TEST(RandomTest, ShuffleIsAPermutation) {
  Random random(4);
  std::vector<int> items(50);
  std::iota(items.begin(), items.end(), 0);
  std::vector<int> shuffled = items;
  random.Shuffle(shuffled);
  EXPECT_NE(shuffled, items);
  std::sort(shuffled.begin(), shuffled.end());
  EXPECT_EQ(shuffled, items);
}

}  // namespace
}  // namespace tiendo::sample
