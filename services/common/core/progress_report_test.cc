#include "services/common/core/progress_report.h"

#include "gtest/gtest.h"

namespace tiendo::core {
namespace {

TEST(ProgressReportTest, NamesTheInputsBehindTheProgress) {
  ProgressTracker tracker;
  registry::v1::Indicator indicator;
  indicator.set_id("procedure_results_digitised");
  indicator.set_unit(registry::v1::INDICATOR_UNIT_PERCENT);
  indicator.set_version(4);
  indicator.mutable_reported()->set_aggregation(registry::v1::AGGREGATION_RATIO_OF_SUMS);
  ASSERT_TRUE(tracker.UpsertIndicator(indicator).ok());
  registry::v1::Target target;
  target.set_id("t7");
  target.set_plan_id("brvt-63-kh-ubnd");
  target.set_code("T7");
  target.set_indicator_id(indicator.id());
  target.set_comparator(registry::v1::COMPARATOR_AT_LEAST);
  target.set_version(2);
  target.add_milestones()->set_value(100);
  target.mutable_milestones(0)->set_deadline("2024-12-31");
  ASSERT_TRUE(tracker.UpsertTarget(target).ok());

  int64_t sequence = 0;
  for (const auto& [id, unit, period, numerator] :
       std::vector<std::tuple<std::string, std::string, std::string, double>>{
           {"a", "pc-747", "2023-Q4", 50}, {"b", "pc-748", "2023-Q4", 30},
           {"c", "pc-747", "2024-Q2", 80}}) {
    ingest::v1::Submission s;
    s.set_submission_id(id);
    s.set_indicator_id(indicator.id());
    s.set_period(period);
    s.mutable_ratio()->set_numerator(numerator);
    s.mutable_ratio()->set_denominator(100);
    auto decoded = tracker.Decode(s, unit, ++sequence);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    tracker.Apply(*decoded);
  }

  const evaluator::v1::Progress progress =
      DescribeProgress(tracker, *tracker.FindTarget("t7"), absl::CivilDay(2024, 7, 1));
  EXPECT_EQ(progress.target_id(), "t7");
  EXPECT_EQ(progress.plan_id(), "brvt-63-kh-ubnd");
  EXPECT_EQ(progress.as_of(), "2024-07-01");
  EXPECT_EQ(progress.unit(), registry::v1::INDICATOR_UNIT_PERCENT);
  EXPECT_EQ(progress.indicator_version(), 4);
  EXPECT_EQ(progress.target_version(), 2);
  ASSERT_EQ(progress.data_points_size(), 2);
  EXPECT_EQ(progress.data_points(0).period(), "2023-Q4");
  EXPECT_EQ(progress.data_points(0).date(), "2023-12-31");
  EXPECT_DOUBLE_EQ(progress.data_points(0).value(), 40);  // 80 / 200
  EXPECT_EQ(progress.data_points(0).cell_count(), 2);
  EXPECT_DOUBLE_EQ(progress.data_points(0).ratio().numerator(), 80);
  EXPECT_DOUBLE_EQ(progress.data_points(0).ratio().denominator(), 200);
  EXPECT_EQ(progress.current_period(), "2024-Q2");
  EXPECT_DOUBLE_EQ(progress.current_value(), 80);
  EXPECT_EQ(progress.baseline().source(), "first data point");
  EXPECT_EQ(progress.baseline().date(), "2023-12-31");
  ASSERT_EQ(progress.milestones_size(), 1);
  EXPECT_EQ(progress.milestones(0).pace_method(), evaluator::v1::PACE_METHOD_LINEAR);
  EXPECT_TRUE(progress.milestones(0).has_pace_ratio());
  EXPECT_EQ(progress.status(), progress.milestones(0).status());
}

}  // namespace
}  // namespace tiendo::core
