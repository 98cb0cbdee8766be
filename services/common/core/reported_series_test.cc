// Unit tests of ReportedSeries' deferred points: an update moves its period's aggregate at
// once and its day's point at Refresh; reading the points in between is refused.

#include "services/common/core/reported_series.h"

#include "gtest/gtest.h"

namespace tiendo::core {
namespace {

Reading Figure(int64_t value, int64_t sequence) { return Reading{value, 0, sequence}; }

TEST(ReportedSeriesTest, AnUpdateMovesTheAggregateAtOnceAndThePointAtRefresh) {
  ReportedSeries series(registry::v1::AGGREGATION_SUM, 1);
  const Period month = *Period::Parse("2024-09");
  const Period quarter = *Period::Parse("2024-Q3");
  series.Update(month, std::nullopt, Figure(3'000'000, 1));
  series.Update(quarter, std::nullopt, Figure(8'000'000, 2));
  series.Update(quarter, Figure(8'000'000, 2), Figure(9'000'000, 3));
  EXPECT_TRUE(series.stale());
  EXPECT_DOUBLE_EQ(series.FigureOf(quarter)->value, 9);
  series.Refresh();
  EXPECT_FALSE(series.stale());
  ASSERT_EQ(series.points().size(), 1u);  // the quarter stands for 2024-09-30
  EXPECT_EQ(series.points()[0].day, absl::CivilDay(2024, 9, 30));
  EXPECT_DOUBLE_EQ(series.points()[0].value, 9);
  EXPECT_EQ(series.point_periods()[0].ToString(), "2024-Q3");

  series.Update(quarter, Figure(9'000'000, 3), std::nullopt);  // the quarter retracted
  series.Refresh();
  ASSERT_EQ(series.points().size(), 1u);  // the month stands for the day again
  EXPECT_DOUBLE_EQ(series.points()[0].value, 3);
  EXPECT_EQ(series.point_periods()[0].ToString(), "2024-09");
}

TEST(ReportedSeriesDeathTest, PointsReadBeforeRefreshAreAProgrammingError) {
  ReportedSeries series(registry::v1::AGGREGATION_SUM, 1);
  series.Update(*Period::Parse("2024"), std::nullopt, Figure(1'000'000, 1));
  EXPECT_DEATH((void)series.points(), "read before its updates were refreshed");
  EXPECT_DEATH((void)series.point_periods(), "read before its updates were refreshed");
}

}  // namespace
}  // namespace tiendo::core
