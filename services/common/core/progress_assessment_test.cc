#include "services/common/core/progress_assessment.h"

#include <cmath>

#include "gtest/gtest.h"

namespace tiendo::core {
namespace {

using evaluator::v1::PACE_METHOD_COMPOUND_GROWTH;
using evaluator::v1::PACE_METHOD_LINEAR;
using evaluator::v1::PROGRESS_STATUS_ACHIEVED;
using evaluator::v1::PROGRESS_STATUS_AT_RISK;
using evaluator::v1::PROGRESS_STATUS_INSUFFICIENT_DATA;
using evaluator::v1::PROGRESS_STATUS_MISSED;
using evaluator::v1::PROGRESS_STATUS_OFF_TRACK;
using evaluator::v1::PROGRESS_STATUS_ON_TRACK;
using evaluator::v1::ProgressStatus;
using registry::v1::COMPARATOR_AT_LEAST;
using registry::v1::COMPARATOR_AT_MOST;
using registry::v1::COMPARATOR_MORE_THAN;

absl::CivilDay Day(int y, int m, int d) { return absl::CivilDay(y, m, d); }

// At least `target` by the end of `year`, from an explicit baseline.
Goal CountGoal(double baseline, int baseline_year, double target, int year) {
  Goal goal;
  goal.comparator = COMPARATOR_AT_LEAST;
  goal.baseline = SeriesPoint{Day(baseline_year, 12, 31), baseline};
  goal.milestones = {{target, Day(year, 12, 31)}};
  return goal;
}

TEST(ProgressAssessmentTest, WorkedExampleOfTheSdgMethodIsAtRisk) {
  // Baseline 200 in 2021, 240 in 2023, target 300 by 2025: the observed
  // growth (9.5%/year) is 0.89 of the required growth (10.7%/year).
  const Goal goal = CountGoal(200, 2021, 300, 2025);
  const std::vector<SeriesPoint> series = {{Day(2023, 12, 31), 240}};
  const Assessment assessment = Assess(goal, series, Day(2024, 1, 15));
  ASSERT_EQ(assessment.milestones.size(), 1u);
  const MilestoneAssessment& m = assessment.milestones[0];
  EXPECT_EQ(m.pace_method, PACE_METHOD_COMPOUND_GROWTH);
  EXPECT_NEAR(*m.observed_pace, 0.0954, 0.0001);
  EXPECT_NEAR(*m.required_pace, 0.1067, 0.0001);
  EXPECT_NEAR(*m.pace_ratio, 0.89, 0.005);
  EXPECT_EQ(m.status, PROGRESS_STATUS_AT_RISK);
  EXPECT_EQ(assessment.status, PROGRESS_STATUS_AT_RISK);
  EXPECT_NEAR(*m.percent_of_way, 40.0, 1e-9);
  EXPECT_NEAR(*m.projected_value, 288, 0.1);  // 200 × 1.2^2
  EXPECT_FALSE(m.final);
}

struct StatusCase {
  const char* name;
  Goal goal;
  std::vector<SeriesPoint> series;
  absl::CivilDay as_of;
  ProgressStatus expected;
};

class StatusTableTest : public ::testing::TestWithParam<StatusCase> {};

TEST_P(StatusTableTest, GivesTheExpectedStatus) {
  const StatusCase& c = GetParam();
  EXPECT_EQ(Assess(c.goal, c.series, c.as_of).status, c.expected) << c.name;
}

Goal CappedPercentGoal() {
  // 100% of procedures online by the end of 2024, from 40% at the end of 2022.
  Goal goal;
  goal.comparator = COMPARATOR_AT_LEAST;
  goal.linear_pace = true;
  goal.cap = 100;
  goal.baseline = SeriesPoint{Day(2022, 12, 31), 40};
  goal.milestones = {{100, Day(2024, 12, 31)}};
  return goal;
}

Goal ZeroBaselineGoal() {
  Goal goal = CountGoal(0, 2023, 50, 2025);
  return goal;
}

Goal AtMostGoal() {
  // Lower is better: at most 10 by 2025 from 40 in 2021.
  Goal goal = CountGoal(40, 2021, 10, 2025);
  goal.comparator = COMPARATOR_AT_MOST;
  return goal;
}

INSTANTIATE_TEST_SUITE_P(
    EveryStatus, StatusTableTest,
    ::testing::Values(
        StatusCase{"achieved before the deadline", CountGoal(200, 2021, 300, 2025),
                   {{Day(2024, 12, 31), 310}}, Day(2025, 2, 1), PROGRESS_STATUS_ACHIEVED},
        StatusCase{"on track: growing faster than required", CountGoal(200, 2021, 300, 2025),
                   {{Day(2023, 12, 31), 260}}, Day(2024, 1, 1), PROGRESS_STATUS_ON_TRACK},
        StatusCase{"at risk: growing, too slowly", CountGoal(200, 2021, 300, 2025),
                   {{Day(2023, 12, 31), 220}}, Day(2024, 1, 1), PROGRESS_STATUS_AT_RISK},
        StatusCase{"off track: shrinking", CountGoal(200, 2021, 300, 2025),
                   {{Day(2023, 12, 31), 180}}, Day(2024, 1, 1), PROGRESS_STATUS_OFF_TRACK},
        StatusCase{"insufficient: no data", CountGoal(200, 2021, 300, 2025), {},
                   Day(2024, 1, 1), PROGRESS_STATUS_INSUFFICIENT_DATA},
        StatusCase{"insufficient: one point and no baseline",
                   [] {
                     Goal g = CountGoal(200, 2021, 300, 2025);
                     g.baseline.reset();
                     return g;
                   }(),
                   {{Day(2023, 12, 31), 250}}, Day(2024, 1, 1),
                   PROGRESS_STATUS_INSUFFICIENT_DATA},
        StatusCase{"missed: deadline passed below the target", CountGoal(200, 2021, 300, 2024),
                   {{Day(2024, 12, 31), 290}}, Day(2025, 3, 1), PROGRESS_STATUS_MISSED},
        StatusCase{"capped 100% on track linearly", CappedPercentGoal(),
                   {{Day(2023, 12, 31), 72}}, Day(2024, 1, 10), PROGRESS_STATUS_ON_TRACK},
        StatusCase{"capped 100% at risk linearly", CappedPercentGoal(),
                   {{Day(2023, 12, 31), 55}}, Day(2024, 1, 10), PROGRESS_STATUS_AT_RISK},
        StatusCase{"zero baseline uses the linear method", ZeroBaselineGoal(),
                   {{Day(2024, 12, 31), 26}}, Day(2025, 1, 10), PROGRESS_STATUS_ON_TRACK},
        StatusCase{"lower is better: falling fast enough", AtMostGoal(),
                   {{Day(2023, 12, 31), 19}}, Day(2024, 1, 1), PROGRESS_STATUS_ON_TRACK},
        StatusCase{"lower is better: rising", AtMostGoal(), {{Day(2023, 12, 31), 45}},
                   Day(2024, 1, 1), PROGRESS_STATUS_OFF_TRACK}));

TEST(ProgressAssessmentTest, CappedPercentUsesLinearPaceAndCapsTheProjection) {
  const std::vector<SeriesPoint> series = {{Day(2023, 12, 31), 80}};
  const Assessment a = Assess(CappedPercentGoal(), series, Day(2024, 1, 10));
  const MilestoneAssessment& m = a.milestones[0];
  EXPECT_EQ(m.pace_method, PACE_METHOD_LINEAR);
  EXPECT_NEAR(*m.pace_ratio, (40.0 / 60.0) / 0.5, 1e-9);  // two thirds of the way in half the time
  EXPECT_EQ(*m.projected_value, 100);  // 40 + 40/year × 2 years = 120, capped
}

TEST(ProgressAssessmentTest, GrowthTooSteepForACompoundRateIsJudgedLinearly) {
  // Eight times the baseline a day later: (400 / 50)^365 is beyond a double.
  const Goal goal = CountGoal(50, 2020, 1000, 2024);
  const std::vector<SeriesPoint> series = {{Day(2021, 1, 1), 400}};
  const Assessment a = Assess(goal, series, Day(2021, 1, 1));
  const MilestoneAssessment& m = a.milestones[0];
  EXPECT_EQ(m.pace_method, PACE_METHOD_LINEAR);
  ASSERT_TRUE(m.pace_ratio.has_value());
  EXPECT_TRUE(std::isfinite(*m.pace_ratio));
  EXPECT_TRUE(std::isfinite(*m.observed_pace));
  EXPECT_TRUE(std::isfinite(*m.projected_value));
  EXPECT_EQ(a.status, PROGRESS_STATUS_ON_TRACK);
}

TEST(ProgressAssessmentTest, AMissedDeadlineStaysMissedWhateverComesLater) {
  // The 2024 milestone of a 100% target, seen from 2026: 96% at the end of
  // 2024; 100% reached in 2025 does not rewrite the verdict.
  Goal goal = CappedPercentGoal();
  const std::vector<SeriesPoint> series = {
      {Day(2023, 12, 31), 80}, {Day(2024, 12, 31), 96}, {Day(2025, 12, 31), 100}};
  const Assessment a = Assess(goal, series, Day(2026, 6, 1));
  ASSERT_EQ(a.milestones.size(), 1u);
  EXPECT_EQ(a.status, PROGRESS_STATUS_MISSED);
  EXPECT_TRUE(a.milestones[0].final);
  EXPECT_EQ(*a.milestones[0].value_at_deadline, 96);
  EXPECT_EQ(a.current->value, 100);
}

TEST(ProgressAssessmentTest, TheMilestoneInForceIsTheFirstNotYetDue) {
  // 300 by 2025 and 400 by 2030: after 2025 the 2030 milestone governs, and
  // the 2025 one keeps its final verdict.
  Goal goal = CountGoal(200, 2021, 300, 2025);
  goal.milestones.push_back({400, Day(2030, 12, 31)});
  const std::vector<SeriesPoint> series = {{Day(2025, 12, 31), 310}, {Day(2026, 12, 31), 330}};
  const Assessment a = Assess(goal, series, Day(2027, 1, 5));
  EXPECT_EQ(a.milestone_in_force, 1);
  EXPECT_EQ(a.milestones[0].status, PROGRESS_STATUS_ACHIEVED);
  EXPECT_TRUE(a.milestones[0].final);
  // From 200 in 2021 to 330 in 2026 is 10.5%/year; 400 by 2030 needs 8%/year.
  EXPECT_EQ(a.milestones[1].status, PROGRESS_STATUS_ON_TRACK);
  EXPECT_EQ(a.status, PROGRESS_STATUS_ON_TRACK);
}

TEST(ProgressAssessmentTest, MoreThanIsStrict) {
  Goal goal = CountGoal(30, 2022, 50, 2025);
  goal.comparator = COMPARATOR_MORE_THAN;
  const std::vector<SeriesPoint> at = {{Day(2024, 12, 31), 50}};
  EXPECT_NE(Assess(goal, at, Day(2025, 1, 1)).status, PROGRESS_STATUS_ACHIEVED);
  const std::vector<SeriesPoint> above = {{Day(2024, 12, 31), 50.5}};
  EXPECT_EQ(Assess(goal, above, Day(2025, 1, 1)).status, PROGRESS_STATUS_ACHIEVED);
}

TEST(ProgressAssessmentTest, PointsAfterTheAsOfDateAreIgnored) {
  const Goal goal = CountGoal(200, 2021, 300, 2025);
  const std::vector<SeriesPoint> series = {{Day(2023, 12, 31), 240}, {Day(2024, 12, 31), 320}};
  const Assessment a = Assess(goal, series, Day(2024, 6, 30));
  EXPECT_EQ(a.points_used, 1);
  EXPECT_EQ(a.current->value, 240);
  EXPECT_EQ(a.status, PROGRESS_STATUS_AT_RISK);
}

TEST(ProgressAssessmentTest, ADeadlinePassingFlipsTheStatusWithoutNewData) {
  const Goal goal = CountGoal(200, 2021, 300, 2025);
  const std::vector<SeriesPoint> series = {{Day(2025, 9, 30), 290}};
  EXPECT_EQ(Assess(goal, series, Day(2025, 12, 31)).status, PROGRESS_STATUS_ON_TRACK);
  EXPECT_EQ(Assess(goal, series, Day(2026, 1, 1)).status, PROGRESS_STATUS_MISSED);
}

}  // namespace
}  // namespace tiendo::core
