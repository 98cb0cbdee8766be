#include "services/common/core/period_aggregate.h"

#include "gtest/gtest.h"

namespace tiendo::core {
namespace {

using registry::v1::AGGREGATION_LATEST;
using registry::v1::AGGREGATION_RATIO_OF_SUMS;
using registry::v1::AGGREGATION_SUM;

constexpr int64_t kUnit = 1'000'000;

TEST(PeriodAggregateTest, SumAddsValuesAndFollowsCorrectionsAndRetractions) {
  PeriodAggregate sum(AGGREGATION_SUM, 1);
  EXPECT_FALSE(sum.Figure().has_value());
  sum.Update(std::nullopt, Reading{12 * kUnit, 0, 1});
  sum.Update(std::nullopt, Reading{30 * kUnit, 0, 2});
  EXPECT_DOUBLE_EQ(sum.Figure()->value, 42);
  EXPECT_EQ(sum.Figure()->cells, 2);
  sum.Update(Reading{12 * kUnit, 0, 1}, Reading{2 * kUnit, 0, 3});  // correction
  EXPECT_DOUBLE_EQ(sum.Figure()->value, 32);
  sum.Update(Reading{30 * kUnit, 0, 2}, std::nullopt);  // retraction
  EXPECT_DOUBLE_EQ(sum.Figure()->value, 2);
  sum.Update(Reading{2 * kUnit, 0, 3}, std::nullopt);
  EXPECT_FALSE(sum.Figure().has_value());
}

TEST(PeriodAggregateTest, RatioOfSumsIsScaledForPercentages) {
  PeriodAggregate ratio(AGGREGATION_RATIO_OF_SUMS, 100);
  ratio.Update(std::nullopt, Reading{90 * kUnit, 100 * kUnit, 1});
  ratio.Update(std::nullopt, Reading{60 * kUnit, 100 * kUnit, 2});
  ASSERT_TRUE(ratio.Figure().has_value());
  EXPECT_DOUBLE_EQ(ratio.Figure()->value, 75);  // 150 / 200, not the mean of 90% and 60%
  EXPECT_DOUBLE_EQ(*ratio.Figure()->numerator, 150);
  EXPECT_DOUBLE_EQ(*ratio.Figure()->denominator, 200);
}

TEST(PeriodAggregateTest, AWholePercentageIsExact) {
  PeriodAggregate ratio(AGGREGATION_RATIO_OF_SUMS, 100);
  ratio.Update(std::nullopt, Reading{29 * kUnit, 100 * kUnit, 1});
  EXPECT_EQ(ratio.Figure()->value, 29);  // not 28.999999999999996 (29 / 100 × 100)
}

TEST(PeriodAggregateTest, RatioWithZeroDenominatorsHasNoFigure) {
  PeriodAggregate ratio(AGGREGATION_RATIO_OF_SUMS, 100);
  ratio.Update(std::nullopt, Reading{0, 0, 1});
  EXPECT_FALSE(ratio.Figure().has_value());
}

TEST(PeriodAggregateTest, LatestTakesTheMostRecentReadingAndFallsBackWhenItIsWithdrawn) {
  PeriodAggregate latest(AGGREGATION_LATEST, 1);
  latest.Update(std::nullopt, Reading{5 * kUnit, 0, 10});
  latest.Update(std::nullopt, Reading{7 * kUnit, 0, 20});
  EXPECT_DOUBLE_EQ(latest.Figure()->value, 7);
  latest.Update(Reading{7 * kUnit, 0, 20}, std::nullopt);
  EXPECT_DOUBLE_EQ(latest.Figure()->value, 5);
  latest.Update(Reading{5 * kUnit, 0, 10}, Reading{6 * kUnit, 0, 30});
  EXPECT_DOUBLE_EQ(latest.Figure()->value, 6);
}

TEST(PeriodAggregateTest, LatestAtOneSequenceDoesNotDependOnTheOrderCellsArrived) {
  // Two cells at the same log position: a restored tracker adds its cells in
  // another order than the log did, and must show the same figure.
  PeriodAggregate first_then_second(AGGREGATION_LATEST, 1);
  PeriodAggregate second_then_first(AGGREGATION_LATEST, 1);
  const Reading one{5 * kUnit, 0, 10};
  const Reading two{7 * kUnit, 0, 10};
  first_then_second.Update(std::nullopt, one);
  first_then_second.Update(std::nullopt, two);
  second_then_first.Update(std::nullopt, two);
  second_then_first.Update(std::nullopt, one);
  EXPECT_EQ(first_then_second.Figure()->value, second_then_first.Figure()->value);
  first_then_second.Update(two, std::nullopt);
  EXPECT_DOUBLE_EQ(first_then_second.Figure()->value, 5);
}

TEST(PeriodAggregateTest, SumsAreExactWhateverTheOrder) {
  // 0.1 + 0.2 + 0.3 in binary floating point depends on the order; in
  // micro-units it does not.
  PeriodAggregate forward(AGGREGATION_SUM, 1);
  PeriodAggregate backward(AGGREGATION_SUM, 1);
  const int64_t parts[] = {100'000, 200'000, 300'000};
  for (int i = 0; i < 3; ++i) forward.Update(std::nullopt, Reading{parts[i], 0, i});
  for (int i = 2; i >= 0; --i) backward.Update(std::nullopt, Reading{parts[i], 0, i});
  EXPECT_EQ(forward.Figure()->value, backward.Figure()->value);
  EXPECT_DOUBLE_EQ(forward.Figure()->value, 0.6);
}

}  // namespace
}  // namespace tiendo::core
