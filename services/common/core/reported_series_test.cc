// Unit tests of ReportedSeries: an update moves its period's aggregate at once and its day's
// point at Refresh (reading the points in between is refused), and an owner's shorter periods
// roll up into the longer ones the indicator allows, by its time aggregation.

#include "services/common/core/reported_series.h"

#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"

namespace tiendo::core {
namespace {

constexpr int64_t kUnit = 1'000'000;
constexpr SeriesOwner kUnitA{1, 0};
constexpr SeriesOwner kUnitB{2, 0};

Reading Figure(int64_t value, int64_t sequence) { return Reading{value * kUnit, 0, sequence}; }
Reading Ratio(int64_t numerator, int64_t denominator, int64_t sequence) {
  return Reading{numerator * kUnit, denominator * kUnit, sequence};
}

SeriesRules Rules(registry::v1::Aggregation across, registry::v1::TimeAggregation over_time,
                  std::initializer_list<Granularity> rolled_up, double scale = 1) {
  SeriesRules rules;
  rules.across = across;
  rules.over_time = over_time;
  rules.scale = scale;
  for (const Granularity granularity : rolled_up) {
    rules.rolled_up |= static_cast<uint8_t>(1u << static_cast<int>(granularity));
  }
  return rules;
}

// The cells a series is fed from: each change goes to the cells, then to the series.
class Cells {
 public:
  explicit Cells(ReportedSeries& series) : series_(series) {}

  // Sets the cell and updates the series, leaving its points to Refresh.
  void Change(SeriesOwner owner, const char* period, std::optional<Reading> reading) {
    const Period at = *Period::Parse(period);
    std::optional<Reading>& cell = cells_[KeyOf(owner, at)];
    const std::optional<Reading> before = cell;
    cell = reading;
    series_.Update(owner, at, before, reading, Lookup());
  }
  // Change, then Refresh.
  void Set(SeriesOwner owner, const char* period, std::optional<Reading> reading) {
    Change(owner, period, reading);
    series_.Refresh();
  }

  // Feeds `series`, made afresh, every reading held: the last owner's first, and each
  // owner's shorter and later periods before the longer and earlier ones, their roll-ups
  // after them all (ReportedSeries::DeferCarryUps).
  void Rebuild(ReportedSeries& series) const {
    series.DeferCarryUps();
    for (auto it = cells_.rbegin(); it != cells_.rend(); ++it) {
      if (!it->second.has_value()) continue;
      const auto& [unit, disaggregation, period] = it->first;
      series.Update({unit, disaggregation}, Period::Unpack(period), std::nullopt, *it->second,
                    Lookup());
    }
    lookups_.clear();
    series.CarryUpDeferred(Lookup());
    series.Refresh();
  }

  // How often each period's cell was looked up in the last Rebuild's CarryUpDeferred.
  const std::map<std::string, int>& lookups() const { return lookups_; }

 private:
  using Key = std::tuple<uint32_t, uint32_t, uint32_t>;
  static Key KeyOf(SeriesOwner owner, Period period) {
    return {owner.reporting_unit, owner.disaggregation, period.Pack()};
  }
  std::optional<Reading> Find(SeriesOwner owner, Period period) const {
    ++lookups_[period.ToString()];
    const auto found = cells_.find(KeyOf(owner, period));
    return found == cells_.end() ? std::nullopt : found->second;
  }
  std::function<std::optional<Reading>(SeriesOwner, Period)> Lookup() const {
    return [this](SeriesOwner owner, Period period) { return Find(owner, period); };
  }

  ReportedSeries& series_;
  std::map<Key, std::optional<Reading>> cells_;
  mutable std::map<std::string, int> lookups_;
};

double ValueOf(const ReportedSeries& series, const char* period) {
  const std::optional<AggregateFigure> figure = series.FigureOf(*Period::Parse(period));
  return figure.has_value() ? figure->value : -1;
}

TEST(ReportedSeriesTest, AnUpdateMovesTheAggregateAtOnceAndThePointAtRefresh) {
  ReportedSeries series(Rules(registry::v1::AGGREGATION_SUM,
                              registry::v1::TIME_AGGREGATION_LATEST_PERIOD, {}));
  Cells cells(series);
  cells.Change(kUnitA, "2024-09", Figure(3, 1));
  cells.Change(kUnitA, "2024-Q3", Figure(8, 2));
  cells.Change(kUnitA, "2024-Q3", Figure(9, 3));
  EXPECT_TRUE(series.stale());
  EXPECT_DOUBLE_EQ(ValueOf(series, "2024-Q3"), 9);
  series.Refresh();
  EXPECT_FALSE(series.stale());
  ASSERT_EQ(series.points().size(), 1u);  // the quarter stands for 2024-09-30
  EXPECT_EQ(series.points()[0].day, absl::CivilDay(2024, 9, 30));
  EXPECT_DOUBLE_EQ(series.points()[0].value, 9);
  EXPECT_EQ(series.point_periods()[0].ToString(), "2024-Q3");

  cells.Set(kUnitA, "2024-Q3", std::nullopt);  // the quarter retracted
  ASSERT_EQ(series.points().size(), 1u);  // the month stands for the day again
  EXPECT_DOUBLE_EQ(series.points()[0].value, 3);
  EXPECT_EQ(series.point_periods()[0].ToString(), "2024-09");
}

TEST(ReportedSeriesTest, AQuarterCountsAUnitReportingMonthsBesideOneReportingTheQuarter) {
  // Procedure results digitised: unit A reports monthly, unit B quarterly.
  ReportedSeries series(Rules(registry::v1::AGGREGATION_RATIO_OF_SUMS,
                              registry::v1::TIME_AGGREGATION_RATIO_OF_SUMS,
                              {Granularity::kQuarter, Granularity::kMonth}, 100));
  Cells cells(series);
  cells.Set(kUnitB, "2026-Q3", Ratio(50, 50, 1));
  EXPECT_DOUBLE_EQ(ValueOf(series, "2026-Q3"), 100);
  cells.Set(kUnitA, "2026-07", Ratio(10, 40, 2));
  cells.Set(kUnitA, "2026-08", Ratio(10, 40, 3));
  cells.Set(kUnitA, "2026-09", Ratio(10, 40, 4));
  // (50 + 30) / (50 + 120), not unit B's 100% alone.
  EXPECT_DOUBLE_EQ(ValueOf(series, "2026-Q3"), 80.0 / 170.0 * 100);
  EXPECT_EQ(series.FigureOf(*Period::Parse("2026-Q3"))->cells, 4);
  EXPECT_DOUBLE_EQ(ValueOf(series, "2026-09"), 25);  // the month alone: unit A's
  ASSERT_EQ(series.points().size(), 3u);  // 07-31, 08-31, and 09-30 for the quarter
  EXPECT_EQ(series.point_periods()[2].ToString(), "2026-Q3");
  EXPECT_DOUBLE_EQ(series.points()[2].value, 80.0 / 170.0 * 100);

  // A correction of a month moves the quarter; a retraction takes the month out of it.
  cells.Set(kUnitA, "2026-08", Ratio(40, 40, 5));
  EXPECT_DOUBLE_EQ(ValueOf(series, "2026-Q3"), 110.0 / 170.0 * 100);
  cells.Set(kUnitA, "2026-08", std::nullopt);
  EXPECT_DOUBLE_EQ(ValueOf(series, "2026-Q3"), 70.0 / 130.0 * 100);
  EXPECT_EQ(series.FigureOf(*Period::Parse("2026-Q3"))->cells, 3);
}

TEST(ReportedSeriesTest, AnOwnerThatSentTheQuarterAndItsMonthsCountsOnceByTheQuarter) {
  ReportedSeries series(Rules(registry::v1::AGGREGATION_SUM, registry::v1::TIME_AGGREGATION_SUM,
                              {Granularity::kQuarter, Granularity::kMonth}));
  Cells cells(series);
  cells.Set(kUnitA, "2025-01", Figure(4, 1));
  cells.Set(kUnitA, "2025-02", Figure(5, 2));
  EXPECT_DOUBLE_EQ(ValueOf(series, "2025-Q1"), 9);
  cells.Set(kUnitA, "2025-Q1", Figure(14, 3));  // the quarter's own figure stands
  EXPECT_DOUBLE_EQ(ValueOf(series, "2025-Q1"), 14);
  cells.Set(kUnitA, "2025-03", Figure(6, 4));  // a month under the quarter changes nothing
  EXPECT_DOUBLE_EQ(ValueOf(series, "2025-Q1"), 14);
  EXPECT_EQ(series.FigureOf(*Period::Parse("2025-Q1"))->cells, 1);
  cells.Set(kUnitA, "2025-Q1", std::nullopt);  // retracted: the months count again
  EXPECT_DOUBLE_EQ(ValueOf(series, "2025-Q1"), 15);
  EXPECT_EQ(series.FigureOf(*Period::Parse("2025-Q1"))->cells, 3);
}

TEST(ReportedSeriesTest, AStockTakesTheLatestPartWithData) {
  ReportedSeries series(Rules(registry::v1::AGGREGATION_SUM,
                              registry::v1::TIME_AGGREGATION_LATEST_PERIOD,
                              {Granularity::kYear, Granularity::kMonth}));
  Cells cells(series);
  cells.Set(kUnitA, "2025-03", Figure(10, 1));
  cells.Set(kUnitA, "2025-11", Figure(12, 2));
  cells.Set(kUnitA, "2025-05", Figure(11, 3));  // sent later, but of an earlier month
  cells.Set(kUnitB, "2025-Q4", Figure(7, 4));  // quarters not allowed: rolls up all the same
  // Through the quarters and halves, which are not allowed: no figures of their own.
  EXPECT_DOUBLE_EQ(ValueOf(series, "2025"), 12 + 7);
  EXPECT_DOUBLE_EQ(ValueOf(series, "2025-Q1"), -1);
  EXPECT_DOUBLE_EQ(ValueOf(series, "2025-H2"), -1);
  EXPECT_DOUBLE_EQ(ValueOf(series, "2025-Q4"), 7);  // its own cell's figure, as before
  cells.Set(kUnitA, "2025-11", std::nullopt);
  EXPECT_DOUBLE_EQ(ValueOf(series, "2025"), 11 + 7);
}

TEST(ReportedSeriesTest, NothingRollsUpIntoAGranularityTheIndicatorDoesNotAllow) {
  ReportedSeries series(Rules(registry::v1::AGGREGATION_SUM, registry::v1::TIME_AGGREGATION_SUM,
                              {Granularity::kMonth}));
  Cells cells(series);
  cells.Set(kUnitA, "2025-01", Figure(4, 1));
  cells.Set(kUnitA, "2025-03", Figure(5, 2));
  EXPECT_DOUBLE_EQ(ValueOf(series, "2025-Q1"), -1);
  ASSERT_EQ(series.points().size(), 2u);
  EXPECT_EQ(series.point_periods()[1].ToString(), "2025-03");
}

TEST(ReportedSeriesTest, ACellOfALengthNoLongerAllowedStandsForItsDayOnlyWithoutOthers) {
  ReportedSeries series(Rules(registry::v1::AGGREGATION_SUM, registry::v1::TIME_AGGREGATION_SUM,
                              {Granularity::kQuarter, Granularity::kMonth}));
  Cells cells(series);
  cells.Set(kUnitB, "2025", Figure(7, 1));  // accepted while years were allowed
  ASSERT_EQ(series.points().size(), 1u);
  EXPECT_EQ(series.point_periods()[0].ToString(), "2025");
  cells.Set(kUnitA, "2025-12", Figure(10, 2));
  ASSERT_EQ(series.points().size(), 1u);
  EXPECT_EQ(series.point_periods()[0].ToString(), "2025-Q4");  // all units' December
  EXPECT_DOUBLE_EQ(series.points()[0].value, 10);
}

TEST(ReportedSeriesTest, ASeriesRebuiltFromTheCellsInAnyOrderEqualsTheOneKeptUpToDate) {
  const SeriesRules rules =
      Rules(registry::v1::AGGREGATION_RATIO_OF_SUMS, registry::v1::TIME_AGGREGATION_RATIO_OF_SUMS,
            {Granularity::kYear, Granularity::kQuarter, Granularity::kMonth}, 100);
  ReportedSeries kept(rules);
  Cells cells(kept);
  cells.Set(kUnitA, "2025-01", Ratio(1, 4, 1));
  cells.Set(kUnitA, "2025-Q1", Ratio(3, 10, 2));
  cells.Set(kUnitA, "2025-05", Ratio(2, 5, 3));
  cells.Set(kUnitA, "2025", Ratio(9, 30, 4));
  cells.Set(kUnitB, "2025-02", Ratio(1, 2, 5));
  cells.Set(kUnitB, "2025-H2", Ratio(6, 8, 6));
  cells.Set(kUnitA, "2025", std::nullopt);
  // 2025: A's Q1 (3/10) and May (2/5), B's February (1/2) and H2 (6/8).
  EXPECT_DOUBLE_EQ(ValueOf(kept, "2025"), 12.0 / 25.0 * 100);
  ReportedSeries rebuilt(rules);
  cells.Rebuild(rebuilt);
  for (const char* period : {"2025", "2025-H1", "2025-H2", "2025-Q1", "2025-Q2", "2025-01",
                             "2025-02", "2025-05"}) {
    EXPECT_EQ(ValueOf(rebuilt, period), ValueOf(kept, period)) << period;
  }
  ASSERT_EQ(rebuilt.points().size(), kept.points().size());
  for (size_t i = 0; i < kept.points().size(); ++i) {
    EXPECT_EQ(rebuilt.points()[i].day, kept.points()[i].day);
    EXPECT_EQ(rebuilt.points()[i].value, kept.points()[i].value);
    EXPECT_EQ(rebuilt.point_periods()[i], kept.point_periods()[i]);
  }
}

TEST(ReportedSeriesTest, ARebuildWorksEachLongerPeriodOutOnceAfterItsParts) {
  const SeriesRules rules =
      Rules(registry::v1::AGGREGATION_SUM, registry::v1::TIME_AGGREGATION_SUM,
            {Granularity::kYear, Granularity::kHalf, Granularity::kQuarter, Granularity::kMonth});
  ReportedSeries kept(rules);
  Cells cells(kept);
  for (int month = 1; month <= 12; ++month) {
    cells.Set(kUnitA, absl::StrFormat("2024-%02d", month).c_str(), Figure(month, month));
  }
  ReportedSeries rebuilt(rules);
  cells.Rebuild(rebuilt);
  EXPECT_DOUBLE_EQ(ValueOf(rebuilt, "2024"), 78);
  // Each longer period: its own cell looked up once when worked out (none: its parts roll
  // up), and once more as a part of the next longer one; each month once, as a part.
  std::map<std::string, int> expected = {{"2024", 1}};
  for (const char* half : {"2024-H1", "2024-H2"}) expected[half] = 2;
  for (const char* quarter : {"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"}) {
    expected[quarter] = 2;
  }
  for (int month = 1; month <= 12; ++month) expected[absl::StrFormat("2024-%02d", month)] = 1;
  EXPECT_EQ(cells.lookups(), expected);
}

TEST(ReportedSeriesDeathTest, PointsReadBeforeRefreshAreAProgrammingError) {
  ReportedSeries series(Rules(registry::v1::AGGREGATION_SUM,
                              registry::v1::TIME_AGGREGATION_LATEST_PERIOD, {}));
  Cells(series).Change(kUnitA, "2024", Figure(1, 1));
  EXPECT_DEATH((void)series.points(), "read before its updates were refreshed");
  EXPECT_DEATH((void)series.point_periods(), "read before its updates were refreshed");
}

#ifndef NDEBUG
TEST(ReportedSeriesDeathTest, AnUpdateTheCellsDoNotHoldIsAProgrammingError) {
  ReportedSeries series(Rules(registry::v1::AGGREGATION_SUM,
                              registry::v1::TIME_AGGREGATION_SUM, {Granularity::kQuarter}));
  // The cells still hold nothing: the roll-ups worked out from them would be wrong.
  EXPECT_DEATH(series.Update(kUnitA, *Period::Parse("2024-09"), std::nullopt, Figure(3, 1),
                             [](SeriesOwner, Period) { return std::optional<Reading>(); }),
               "a series updated with a change its cells do not hold");
}
#endif

TEST(SeriesRulesTest, TakeTheIndicatorsAggregationsScaleAndAllowedGranularities) {
  registry::v1::Indicator indicator;
  indicator.set_unit(registry::v1::INDICATOR_UNIT_PERCENT);
  indicator.mutable_reported()->set_aggregation(registry::v1::AGGREGATION_RATIO_OF_SUMS);
  indicator.mutable_reported()->add_allowed_granularities(common::v1::PERIOD_GRANULARITY_MONTH);
  indicator.mutable_reported()->add_allowed_granularities(
      common::v1::PERIOD_GRANULARITY_QUARTER);
  const SeriesRules rules = SeriesRules::For(indicator);
  EXPECT_EQ(rules.across, registry::v1::AGGREGATION_RATIO_OF_SUMS);
  EXPECT_EQ(rules.over_time, registry::v1::TIME_AGGREGATION_LATEST_PERIOD);  // unset
  EXPECT_EQ(rules.scale, 100);
  EXPECT_TRUE(rules.RollsUpInto(Granularity::kQuarter));
  EXPECT_TRUE(rules.RollsUpInto(Granularity::kMonth));
  EXPECT_FALSE(rules.RollsUpInto(Granularity::kYear));
}

}  // namespace
}  // namespace tiendo::core
