#include "services/common/core/progress_tracker.h"

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/core/fingerprint.h"
#include "services/common/core/period.h"
#include "services/common/core/progress_report.h"
#include "services/common/core/progress_tracker_testing.h"

namespace tiendo::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using testing_support::ApplyAll;
using testing_support::Dump;
using testing_support::Event;
using testing_support::FreshTracker;
using testing_support::IndicatorOf;
using testing_support::RandomLog;
using testing_support::Reported;
using testing_support::Submission;
using testing_support::TargetOn;

class ProgressTrackerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tracker_
                    .UpsertIndicator(Reported("results_digitised",
                                              registry::v1::AGGREGATION_RATIO_OF_SUMS,
                                              registry::v1::INDICATOR_UNIT_PERCENT))
                    .ok());
    ASSERT_TRUE(tracker_
                    .UpsertIndicator(Reported("trained_staff", registry::v1::AGGREGATION_SUM,
                                              registry::v1::INDICATOR_UNIT_COUNT))
                    .ok());
    ASSERT_TRUE(tracker_.UpsertTarget(TargetOn("t7", "results_digitised", 100, "2024-12-31")).ok());
  }

  ProgressTracker::Applied Apply(const ingest::v1::Submission& submission,
                                 const std::string& unit = "dept-st") {
    auto decoded = tracker_.Decode(submission, unit, ++sequence_);
    EXPECT_TRUE(decoded.ok()) << decoded.status();
    return tracker_.Apply(*decoded);
  }

  ProgressTracker tracker_;
  int64_t sequence_ = 0;
};

TEST_F(ProgressTrackerTest, AnAcceptedSubmissionMovesItsTargetsProgress) {
  ingest::v1::Submission s = Submission("a", "results_digitised", "2023-Q4", 0);
  s.mutable_ratio()->set_numerator(40);
  s.mutable_ratio()->set_denominator(100);
  ProgressTracker::Applied applied = Apply(s);
  EXPECT_EQ(applied.change.outcome, ApplyOutcome::kApplied);
  ASSERT_EQ(applied.affected_targets.size(), 1u);
  const uint32_t t7 = *tracker_.FindTarget("t7");
  EXPECT_EQ(applied.affected_targets[0], t7);

  ingest::v1::Submission later = Submission("b", "results_digitised", "2024-Q2", 0);
  later.mutable_ratio()->set_numerator(70);
  later.mutable_ratio()->set_denominator(100);
  Apply(later);
  const Assessment a = tracker_.Assess(t7, absl::CivilDay(2024, 7, 15));
  ASSERT_TRUE(a.current.has_value());
  EXPECT_DOUBLE_EQ(a.current->value, 70);
  EXPECT_EQ(a.points_used, 2);
  // 30 of the 60 points to go in half a year of one: on track.
  EXPECT_EQ(a.status, evaluator::v1::PROGRESS_STATUS_ON_TRACK);
}

TEST_F(ProgressTrackerTest, AWholePercentageMeetsAMilestoneOfExactlyThatValue) {
  // 29 / 100 × 100 is 28.999999999999996 in binary floating point: short of 29.
  ASSERT_TRUE(tracker_.UpsertTarget(TargetOn("t29", "results_digitised", 29, "2024-12-31")).ok());
  ingest::v1::Submission s = Submission("a", "results_digitised", "2024-Q4", 0);
  s.mutable_ratio()->set_numerator(29);
  s.mutable_ratio()->set_denominator(100);
  Apply(s);
  const Assessment a = tracker_.Assess(*tracker_.FindTarget("t29"), absl::CivilDay(2025, 1, 15));
  ASSERT_TRUE(a.current.has_value());
  EXPECT_EQ(a.current->value, 29);
  EXPECT_EQ(a.status, evaluator::v1::PROGRESS_STATUS_ACHIEVED);
}

TEST_F(ProgressTrackerTest, ACorrectionMovesProgressBackAndARetractionRemovesTheContribution) {
  Apply(Submission("a", "trained_staff", "2024-Q1", 10, "747"));
  Apply(Submission("b", "trained_staff", "2024-Q1", 5, "748"));
  const Period q1 = *Period::Parse("2024-Q1");
  EXPECT_DOUBLE_EQ(tracker_.Series("trained_staff")->FigureOf(q1)->value, 15);
  Apply(Submission("c", "trained_staff", "2024-Q1", 4, "747"));  // correction of 747
  EXPECT_DOUBLE_EQ(tracker_.Series("trained_staff")->FigureOf(q1)->value, 9);
  ingest::v1::Submission retract = Submission("d", "trained_staff", "2024-Q1", 0, "748");
  retract.set_kind(ingest::v1::SUBMISSION_KIND_RETRACTION);
  retract.clear_value();
  Apply(retract);
  EXPECT_DOUBLE_EQ(tracker_.Series("trained_staff")->FigureOf(q1)->value, 4);
}

TEST_F(ProgressTrackerTest, TheLongestPeriodEndingOnADayStandsForIt) {
  Apply(Submission("m", "trained_staff", "2024-09", 3));
  const ReportedSeries* series = tracker_.Series("trained_staff");
  ASSERT_EQ(series->points().size(), 1u);
  EXPECT_EQ(series->points()[0].value, 3);
  Apply(Submission("q", "trained_staff", "2024-Q3", 8));
  ASSERT_EQ(series->points().size(), 1u);
  EXPECT_EQ(series->points()[0].day, absl::CivilDay(2024, 9, 30));
  EXPECT_EQ(series->points()[0].value, 8);
  EXPECT_EQ(series->point_periods()[0].ToString(), "2024-Q3");
}

TEST_F(ProgressTrackerTest, AllowingMonthsAndQuartersRollsTheMonthsHeldUpIntoTheQuarter) {
  Apply(Submission("m1", "trained_staff", "2024-07", 3, "747"));
  Apply(Submission("m2", "trained_staff", "2024-08", 4, "747"));
  Apply(Submission("q", "trained_staff", "2024-Q3", 5, "748"));
  const Period q3 = *Period::Parse("2024-Q3");
  EXPECT_DOUBLE_EQ(tracker_.Series("trained_staff")->FigureOf(q3)->value, 5);
  registry::v1::Indicator indicator = *tracker_.FindIndicator("trained_staff");
  indicator.set_version(indicator.version() + 1);
  indicator.mutable_reported()->set_time_aggregation(registry::v1::TIME_AGGREGATION_SUM);
  indicator.mutable_reported()->add_allowed_granularities(common::v1::PERIOD_GRANULARITY_QUARTER);
  indicator.mutable_reported()->add_allowed_granularities(common::v1::PERIOD_GRANULARITY_MONTH);
  ASSERT_TRUE(tracker_.UpsertIndicator(indicator).ok());
  EXPECT_DOUBLE_EQ(tracker_.Series("trained_staff")->FigureOf(q3)->value, 12);
  Apply(Submission("m3", "trained_staff", "2024-09", 6, "747"));
  EXPECT_DOUBLE_EQ(tracker_.Series("trained_staff")->FigureOf(q3)->value, 18);
}

TEST_F(ProgressTrackerTest, DecodeRefusesUnknownIndicatorsAndBadPeriods) {
  auto unknown = tracker_.Decode(Submission("x", "nope", "2024", 1), "u", 1);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(unknown.status().message(), HasSubstr("indicator nope"));
  auto bad = tracker_.Decode(Submission("y", "trained_staff", "2024-Q5", 1), "u", 1);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("submission y"));
}

TEST_F(ProgressTrackerTest, OlderVersionsNeverOverwriteNewerOnes) {
  EXPECT_EQ(*tracker_.UpsertTarget(TargetOn("t7", "results_digitised", 90, "2024-12-31", 3)),
            UpsertOutcome::kUpdated);
  EXPECT_EQ(*tracker_.UpsertTarget(TargetOn("t7", "results_digitised", 80, "2024-12-31", 2)),
            UpsertOutcome::kStale);
  EXPECT_EQ(tracker_.target(*tracker_.FindTarget("t7")).milestones(0).value(), 90);
  EXPECT_EQ(*tracker_.UpsertTarget(TargetOn("t7", "results_digitised", 90, "2024-12-31", 3)),
            UpsertOutcome::kStale);  // the same version again changes nothing
}

// The points of `indicator_id`'s series as "day=value" texts.
std::vector<std::string> PointsOf(const ProgressTracker& tracker, const std::string& indicator_id) {
  std::vector<std::string> points;
  for (const SeriesPoint& point : tracker.Series(indicator_id)->points()) {
    points.push_back(absl::StrCat(absl::FormatCivilTime(point.day), "=", point.value));
  }
  return points;
}

TEST_F(ProgressTrackerTest, ANewRuleOrUnitRebuildsTheSeriesAsAReplayUnderItWould) {
  // Two units report each indicator for one quarter: 10 + 20 trained, 29/100 and 31/100.
  const std::vector<std::pair<ingest::v1::Submission, std::string>> log = [] {
    std::vector<std::pair<ingest::v1::Submission, std::string>> made;
    made.emplace_back(Submission("a", "trained_staff", "2024-Q1", 10), "dept-st");
    made.emplace_back(Submission("b", "trained_staff", "2024-Q1", 20), "dept-ic");
    for (const auto& [id, unit, numerator] : std::vector<std::tuple<std::string, std::string, int>>{
             {"c", "dept-st", 29}, {"d", "dept-ic", 31}}) {
      ingest::v1::Submission s = Submission(id, "results_digitised", "2024-Q1", 0);
      s.mutable_ratio()->set_numerator(numerator);
      s.mutable_ratio()->set_denominator(100);
      made.emplace_back(s, unit);
    }
    return made;
  }();
  for (const auto& [submission, unit] : log) Apply(submission, unit);
  EXPECT_THAT(PointsOf(tracker_, "trained_staff"), ElementsAre("2024-03-31=30"));
  EXPECT_THAT(PointsOf(tracker_, "results_digitised"), ElementsAre("2024-03-31=30"));

  const std::vector<registry::v1::Indicator> changed = {
      Reported("trained_staff", registry::v1::AGGREGATION_LATEST,
               registry::v1::INDICATOR_UNIT_COUNT, 2),
      Reported("results_digitised", registry::v1::AGGREGATION_RATIO_OF_SUMS,
               registry::v1::INDICATOR_UNIT_RATIO, 2)};
  ProgressTracker replayed;  // had the new definitions from the start
  for (const registry::v1::Indicator& indicator : changed) {
    ASSERT_TRUE(tracker_.UpsertIndicator(indicator).ok());
    ASSERT_TRUE(replayed.UpsertIndicator(indicator).ok());
  }
  int64_t sequence = 0;
  for (const auto& [submission, unit] : log) {
    auto decoded = replayed.Decode(submission, unit, ++sequence);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    replayed.Apply(*decoded);
  }
  EXPECT_THAT(PointsOf(tracker_, "trained_staff"), ElementsAre("2024-03-31=20"));
  EXPECT_THAT(PointsOf(tracker_, "results_digitised"), ElementsAre("2024-03-31=0.3"));
  for (const char* id : {"trained_staff", "results_digitised"}) {
    EXPECT_EQ(PointsOf(tracker_, id), PointsOf(replayed, id)) << id;
  }
}

TEST_F(ProgressTrackerTest, ATargetIsJudgedByItsIndicatorsCurrentUnit) {
  ASSERT_TRUE(tracker_.UpsertTarget(TargetOn("t8", "trained_staff", 100, "2025-12-31")).ok());
  Apply(Submission("a", "trained_staff", "2024-Q1", 10));
  Apply(Submission("b", "trained_staff", "2024-Q3", 20));
  const uint32_t t8 = *tracker_.FindTarget("t8");
  const absl::CivilDay as_of(2024, 10, 15);
  EXPECT_EQ(tracker_.Assess(t8, as_of).milestones[0].pace_method,
            evaluator::v1::PACE_METHOD_COMPOUND_GROWTH);
  // The indicator turns out to be a percentage: its targets follow at once,
  // as they would had the target come after the correction.
  ASSERT_TRUE(tracker_
                  .UpsertIndicator(Reported("trained_staff", registry::v1::AGGREGATION_SUM,
                                            registry::v1::INDICATOR_UNIT_PERCENT, 2))
                  .ok());
  EXPECT_EQ(tracker_.Assess(t8, as_of).milestones[0].pace_method,
            evaluator::v1::PACE_METHOD_LINEAR);
}

TEST_F(ProgressTrackerTest, ACellsHistoryListsTheSubmissionsAppliedToItWithTheirLogPositions) {
  Apply(Submission("a", "trained_staff", "2024-Q1", 10, "747"));  // sequence 1
  Apply(Submission("b", "trained_staff", "2024-Q1", 5, "748"));   // another cell
  Apply(Submission("c", "trained_staff", "2024-Q1", 4, "747"));   // a correction
  Apply(Submission("a", "trained_staff", "2024-Q1", 10, "747"));  // a resend: not applied
  ingest::v1::Submission retract = Submission("d", "trained_staff", "2024-Q1", 0, "747");
  retract.set_kind(ingest::v1::SUBMISSION_KIND_RETRACTION);
  retract.clear_value();
  Apply(retract);  // sequence 5

  const Period q1 = *Period::Parse("2024-Q1");
  EXPECT_THAT(tracker_.CellHistory("dept-st", "trained_staff", q1, "district=747"),
              ElementsAre(AppliedSubmission{Fingerprint("a"), 1, SubmissionKind::kReport},
                          AppliedSubmission{Fingerprint("c"), 3, SubmissionKind::kReport},
                          AppliedSubmission{Fingerprint("d"), 5, SubmissionKind::kRetraction}));
  EXPECT_THAT(tracker_.CellHistory("dept-st", "trained_staff", q1, "district=748"),
              ElementsAre(AppliedSubmission{Fingerprint("b"), 2, SubmissionKind::kReport}));
  // Cells no submission reached, by any part of their key.
  EXPECT_THAT(tracker_.CellHistory("dept-st", "trained_staff", q1, ""), IsEmpty());
  EXPECT_THAT(tracker_.CellHistory("dept-ic", "trained_staff", q1, "district=747"), IsEmpty());
  EXPECT_THAT(tracker_.CellHistory("dept-st", "results_digitised", q1, "district=747"), IsEmpty());
  EXPECT_THAT(tracker_.CellHistory("dept-st", "trained_staff", *Period::Parse("2024-Q2"),
                                   "district=747"),
              IsEmpty());
}

TEST_F(ProgressTrackerTest, DroppingAnIndicatorsSubmissionsLeavesItAsIfNoneHadComeIn) {
  ingest::v1::Submission digitised = Submission("a", "results_digitised", "2024-Q1", 0, "747");
  digitised.mutable_ratio()->set_numerator(40);
  digitised.mutable_ratio()->set_denominator(100);
  Apply(digitised);
  Apply(Submission("b", "trained_staff", "2024-Q1", 10, "747"));
  Apply(Submission("c", "trained_staff", "2024-Q2", 5, "748"));

  EXPECT_EQ(tracker_.DropSubmissions([](absl::string_view id) { return id == "trained_staff"; }),
            2u);
  EXPECT_EQ(tracker_.cells().size(), 1u);
  const ReportedSeries* dropped = tracker_.Series("trained_staff");
  ASSERT_NE(dropped, nullptr);  // the indicator stays, with an empty series
  EXPECT_THAT(dropped->points(), IsEmpty());
  EXPECT_EQ(dropped->rules().across, registry::v1::AGGREGATION_SUM);
  EXPECT_THAT(tracker_.CellHistory("dept-st", "trained_staff", *Period::Parse("2024-Q1"),
                                   "district=747"),
              IsEmpty());
  EXPECT_THAT(tracker_.Series("results_digitised")->points(), SizeIs(1));

  // The same submissions again are new to the tracker, not duplicates.
  EXPECT_EQ(Apply(Submission("b", "trained_staff", "2024-Q1", 10, "747")).change.outcome,
            ApplyOutcome::kApplied);
  EXPECT_DOUBLE_EQ(dropped->FigureOf(*Period::Parse("2024-Q1"))->value, 10);
}

// --- Properties over random event sequences --------------------------------

// The log sent again, each event at a later position of the log: every one is a duplicate
// and changes nothing (a cell taking the last reading applied would end the same even if
// the resend were applied, so each outcome is checked, not only the end state).
TEST(ProgressTrackerPropertyTest, ApplyingALogTwiceEqualsApplyingItOnce) {
  for (uint32_t seed = 1; seed <= 50; ++seed) {
    const std::vector<Event> log = RandomLog(seed, 200);
    ProgressTracker once = FreshTracker();
    ApplyAll(once, log);
    ProgressTracker twice = FreshTracker();
    ApplyAll(twice, log);
    for (const Event& event : log) {
      absl::StatusOr<CellSubmission> decoded = twice.Decode(
          event.submission, event.unit, event.sequence + static_cast<int64_t>(log.size()));
      ASSERT_TRUE(decoded.ok()) << decoded.status();
      const ProgressTracker::Applied applied = twice.Apply(*decoded);
      ASSERT_EQ(applied.change.outcome, ApplyOutcome::kDuplicate)
          << "seed " << seed << ", " << event.submission.submission_id();
      ASSERT_FALSE(applied.change.changed());
      ASSERT_TRUE(applied.affected_targets.empty());
    }
    ASSERT_EQ(Dump(once), Dump(twice)) << "seed " << seed;
  }
}

TEST(ProgressTrackerPropertyTest, ApplyingBatchesTogetherEqualsApplyingOneByOne) {
  for (uint32_t seed = 1; seed <= 50; ++seed) {
    const std::vector<Event> log = RandomLog(seed, 200);
    ProgressTracker one_by_one = FreshTracker();
    ProgressTracker batched = FreshTracker();
    std::mt19937 random(seed);
    for (size_t first = 0; first < log.size();) {
      const size_t count = std::min<size_t>(1 + random() % 40, log.size() - first);
      std::vector<CellSubmission> batch;
      std::vector<std::string> expected;
      for (size_t i = first; i < first + count; ++i) {
        const Event& event = log[i];
        auto decoded = one_by_one.Decode(event.submission, event.unit, event.sequence);
        ASSERT_TRUE(decoded.ok()) << decoded.status();
        const ProgressTracker::Applied applied = one_by_one.Apply(*decoded);
        expected.push_back(absl::StrCat(static_cast<int>(applied.change.outcome), " targets ",
                                        applied.affected_targets.size()));
        batch.push_back(*batched.Decode(event.submission, event.unit, event.sequence));
      }
      std::vector<std::string> outcomes;
      batched.ApplyAll(batch, [&](size_t i, const ProgressTracker::Applied& applied) {
        EXPECT_EQ(i, outcomes.size());
        outcomes.push_back(absl::StrCat(static_cast<int>(applied.change.outcome), " targets ",
                                        applied.affected_targets.size()));
      });
      ASSERT_EQ(outcomes, expected) << "seed " << seed << ", events from " << first;
      // Points as Apply leaves them, once the batch is in.
      ASSERT_EQ(Dump(batched), Dump(one_by_one)) << "seed " << seed << ", events from " << first;
      first += count;
    }
  }
}

TEST(ProgressTrackerPropertyTest, OrderOfEventsForDifferentCellsDoesNotMatter) {
  for (uint32_t seed = 1; seed <= 50; ++seed) {
    const std::vector<Event> log = RandomLog(seed, 200);
    // Regroup the log cell by cell (a stable sort keeps each cell's own
    // order), then interleave the cells differently.
    std::vector<Event> regrouped = log;
    auto cell_of = [](const Event& e) {
      return absl::StrCat(e.unit, "|", e.submission.indicator_id(), "|", e.submission.period(),
                          "|", CanonicalDisaggregation(e.submission.disaggregation()));
    };
    std::stable_sort(regrouped.begin(), regrouped.end(),
                     [&](const Event& a, const Event& b) { return cell_of(a) > cell_of(b); });
    ProgressTracker in_order = FreshTracker();
    ApplyAll(in_order, log);
    ProgressTracker by_cell = FreshTracker();
    ApplyAll(by_cell, regrouped);
    ASSERT_EQ(Dump(in_order), Dump(by_cell)) << "seed " << seed;
  }
}

TEST(ProgressTrackerPropertyTest, ReplayingADroppedIndicatorFromTheStartRestoresItsState) {
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    const std::vector<Event> log = RandomLog(seed, 200);
    std::vector<Event> ratio_events;
    std::vector<Event> other_events;
    for (const Event& event : log) {
      (event.submission.indicator_id() == "ratio_ind" ? ratio_events : other_events)
          .push_back(event);
    }
    ProgressTracker all = FreshTracker();
    ApplyAll(all, log);
    ProgressTracker without_ratio = FreshTracker();
    ApplyAll(without_ratio, other_events);

    ProgressTracker tracker = FreshTracker();
    ApplyAll(tracker, log);
    tracker.DropSubmissions([](absl::string_view id) { return id == "ratio_ind"; });
    ASSERT_EQ(Dump(tracker), Dump(without_ratio)) << "seed " << seed;
    ApplyAll(tracker, ratio_events);
    ASSERT_EQ(Dump(tracker), Dump(all)) << "seed " << seed;
  }
}

TEST(ProgressTrackerPropertyTest, AggregatesEqualARecomputationFromTheFinalCells) {
  for (uint32_t seed = 1; seed <= 50; ++seed) {
    const std::vector<Event> log = RandomLog(seed, 300);
    ProgressTracker tracker = FreshTracker();
    ApplyAll(tracker, log);
    // Reference model: per cell, the ids seen and the last report standing.
    struct RefCell {
      std::set<std::string> ids;
      std::optional<std::pair<double, double>> figure;  // value or numerator, denominator
    };
    std::map<std::string, RefCell> cells;
    for (const Event& e : log) {
      const std::string key =
          absl::StrCat(e.unit, "|", e.submission.indicator_id(), "|", e.submission.period(), "|",
                       CanonicalDisaggregation(e.submission.disaggregation()));
      RefCell& cell = cells[key];
      if (!cell.ids.insert(e.submission.submission_id()).second) continue;
      if (e.submission.kind() == ingest::v1::SUBMISSION_KIND_RETRACTION) {
        cell.figure.reset();
      } else if (e.submission.has_ratio()) {
        cell.figure = {e.submission.ratio().numerator(), e.submission.ratio().denominator()};
      } else {
        cell.figure = {e.submission.value(), 0};
      }
    }
    // What an owner (unit and district) covers of a period: its cell's figure, else the sum
    // of what it covers of the parts. It gives a period's figure its cover, except that a
    // half (not allowed) takes no roll-ups.
    using Figure = std::pair<double, double>;
    struct Given {
      Figure figure{0, 0};
      int cells = 0;
    };
    const std::map<std::string, std::vector<std::string>> parts = {
        {"2024", {"2024-H1"}},
        {"2024-H1", {"2024-Q1", "2024-Q2"}},
        {"2024-Q1", {"2024-02"}},
        {"2024-Q2", {"2024-05", "2024-06"}}};
    std::function<Given(const std::string&, const std::string&, const std::string&, bool)>
        give = [&](const std::string& indicator, const std::string& owner,
                   const std::string& period, bool rolls_up) {
          const std::string key =
              absl::StrCat(owner.substr(0, owner.find('|')), "|", indicator, "|", period, "|",
                           owner.substr(owner.find('|') + 1));
          if (auto cell = cells.find(key); cell != cells.end() && cell->second.figure) {
            return Given{*cell->second.figure, 1};
          }
          Given given;
          if (auto found = parts.find(period); rolls_up && found != parts.end()) {
            for (const std::string& part : found->second) {
              const Given from_part = give(indicator, owner, part, true);
              given.figure.first += from_part.figure.first;
              given.figure.second += from_part.figure.second;
              given.cells += from_part.cells;
            }
          }
          return given;
        };
    for (const char* period :
         {"2024", "2024-H1", "2024-Q1", "2024-Q2", "2024-02", "2024-05", "2024-06"}) {
      const bool allowed = std::string(period) != "2024-H1";
      double sum = 0;
      double numerators = 0;
      double denominators = 0;
      int sum_cells = 0;
      for (const char* unit : {"u1", "u2", "u3"}) {
        for (const char* district : {"district=747", "district=748"}) {
          const std::string owner = absl::StrCat(unit, "|", district);
          const Given summed = give("sum_ind", owner, period, allowed);
          sum += summed.figure.first;
          sum_cells += summed.cells;
          const Given ratio = give("ratio_ind", owner, period, allowed);
          numerators += ratio.figure.first;
          denominators += ratio.figure.second;
        }
      }
      const Period p = *Period::Parse(period);
      auto sum_figure = tracker.Series("sum_ind")->FigureOf(p);
      ASSERT_EQ(sum_figure.has_value(), sum_cells > 0) << "seed " << seed << " " << period;
      if (sum_figure) {
        EXPECT_NEAR(sum_figure->value, sum, 1e-6) << "seed " << seed;
        EXPECT_EQ(sum_figure->cells, sum_cells) << "seed " << seed;
      }
      auto ratio_figure = tracker.Series("ratio_ind")->FigureOf(p);
      if (denominators > 0) {
        ASSERT_TRUE(ratio_figure.has_value()) << "seed " << seed << " " << period;
        EXPECT_NEAR(ratio_figure->value, numerators / denominators * 100, 1e-6);
      }
    }
  }
}

}  // namespace
}  // namespace tiendo::core

namespace tiendo::core {
namespace {

// --- Derived indicators ------------------------------------------------------

registry::v1::Indicator DigitalEnterpriseCount() {
  registry::v1::Indicator indicator =
      IndicatorOf("digital_tech_enterprises", registry::v1::INDICATOR_UNIT_COUNT);
  indicator.mutable_derived()->mutable_count()->mutable_enterprises()->add_categories(
      "digital_technology");
  return indicator;
}

registry::v1::Enterprise Registered(const std::string& tax_code, const std::string& date,
                                    int64_t version = 1) {
  registry::v1::Enterprise e;
  e.set_tax_code(tax_code);
  e.add_categories("digital_technology");
  e.set_registration_date(date);
  e.set_version(version);
  return e;
}

TEST(ProgressTrackerDerivedTest, CountsEnterprisesAsOfADateAndNamesTheTargetsTheyMove) {
  ProgressTracker tracker;
  ASSERT_TRUE(tracker.UpsertIndicator(DigitalEnterpriseCount()).ok());
  ASSERT_TRUE(tracker.UpsertTarget(TargetOn("t1", "digital_tech_enterprises", 3, "2025-12-31")).ok());
  auto first = tracker.UpsertEnterprise(Registered("0100233488", "2022-03-01"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->outcome, UpsertOutcome::kCreated);
  ASSERT_EQ(first->affected_targets.size(), 1u);
  ASSERT_TRUE(tracker.UpsertEnterprise(Registered("0100112437", "2023-06-01")).ok());
  ASSERT_TRUE(tracker.UpsertEnterprise(Registered("0314409058", "2024-02-01")).ok());

  const DerivedSeries* derived = tracker.Derived("digital_tech_enterprises");
  EXPECT_EQ(derived->ValueAt(absl::CivilDay(2022, 12, 31)), 1);
  EXPECT_EQ(derived->ValueAt(absl::CivilDay(2024, 12, 31)), 3);

  // Dissolution (a newer version) takes the enterprise out from that day on.
  registry::v1::Enterprise dissolved = Registered("0100112437", "2023-06-01", 2);
  dissolved.set_dissolution_date("2024-10-01");
  dissolved.set_status(registry::v1::ENTERPRISE_STATUS_DISSOLVED);
  ASSERT_TRUE(tracker.UpsertEnterprise(dissolved).ok());
  EXPECT_EQ(derived->ValueAt(absl::CivilDay(2024, 9, 30)), 3);
  EXPECT_EQ(derived->ValueAt(absl::CivilDay(2024, 12, 31)), 2);

  // An older version changes nothing.
  auto stale = tracker.UpsertEnterprise(Registered("0100112437", "2023-06-01", 1));
  EXPECT_EQ(stale->outcome, UpsertOutcome::kStale);
  EXPECT_EQ(derived->ValueAt(absl::CivilDay(2024, 12, 31)), 2);

  const Assessment a = tracker.Assess(*tracker.FindTarget("t1"), absl::CivilDay(2025, 1, 15));
  ASSERT_TRUE(a.current.has_value());
  EXPECT_EQ(a.current->value, 2);
  EXPECT_GE(a.points_used, 2);
}

// A deadline that ends no sample period (quarters by default) is judged by the count on its
// own day, not by the last quarter's end before it.
TEST(ProgressTrackerDerivedTest, ADeadlineIsJudgedByTheCountOnItsDay) {
  ProgressTracker tracker;
  ASSERT_TRUE(tracker.UpsertIndicator(DigitalEnterpriseCount()).ok());
  ASSERT_TRUE(
      tracker.UpsertTarget(TargetOn("t1", "digital_tech_enterprises", 3, "2025-06-15")).ok());
  ASSERT_TRUE(tracker.UpsertEnterprise(Registered("0100233488", "2025-01-10")).ok());
  ASSERT_TRUE(tracker.UpsertEnterprise(Registered("0100112437", "2025-02-10")).ok());
  ASSERT_TRUE(tracker.UpsertEnterprise(Registered("0314409058", "2025-06-01")).ok());
  const uint32_t t1 = *tracker.FindTarget("t1");
  for (const absl::CivilDay as_of : {absl::CivilDay(2025, 6, 15), absl::CivilDay(2025, 6, 16),
                                     absl::CivilDay(2025, 12, 1)}) {
    const Assessment a = tracker.Assess(t1, as_of);
    ASSERT_EQ(a.milestones.size(), 1u);
    EXPECT_EQ(a.milestones[0].status, evaluator::v1::PROGRESS_STATUS_ACHIEVED) << as_of;
    if (as_of > absl::CivilDay(2025, 6, 15)) {  // passed: final, by its day's count
      EXPECT_TRUE(a.milestones[0].final) << as_of;
      EXPECT_EQ(a.milestones[0].value_at_deadline.value_or(-1), 3) << as_of;
    }
  }
  // The data points published say the same: the deadline's day is one of them.
  const evaluator::v1::Progress progress =
      DescribeProgress(tracker, t1, absl::CivilDay(2025, 12, 1));
  EXPECT_TRUE(std::any_of(progress.data_points().begin(), progress.data_points().end(),
                          [](const evaluator::v1::DataPoint& point) {
                            return point.date() == "2025-06-15" && point.value() == 3;
                          }));
}

TEST(ProgressTrackerDerivedTest, AReportedIndicatorMadeDerivedIsJudgedByItsCounts) {
  ProgressTracker tracker;
  registry::v1::Indicator reported = DigitalEnterpriseCount();
  reported.clear_derived();
  reported.mutable_reported()->set_aggregation(registry::v1::AGGREGATION_SUM);
  ASSERT_TRUE(tracker.UpsertIndicator(reported).ok());
  ASSERT_TRUE(
      tracker.UpsertTarget(TargetOn("t1", "digital_tech_enterprises", 3, "2025-12-31")).ok());
  auto decoded =
      tracker.Decode(Submission("a", "digital_tech_enterprises", "2024", 250), "dept-st", 1);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  tracker.Apply(*decoded);
  ASSERT_TRUE(tracker.UpsertEnterprise(Registered("0100233488", "2022-03-01")).ok());
  const absl::CivilDay as_of(2025, 1, 15);
  EXPECT_EQ(tracker.Assess(*tracker.FindTarget("t1"), as_of).current->value, 250);

  registry::v1::Indicator derived = DigitalEnterpriseCount();
  derived.set_version(2);
  ASSERT_TRUE(tracker.UpsertIndicator(derived).ok());
  const Assessment a = tracker.Assess(*tracker.FindTarget("t1"), as_of);
  ASSERT_TRUE(a.current.has_value());
  EXPECT_EQ(a.current->value, 1);  // the one enterprise counted, not the reported 250
  // What is published says the same, and the indicator takes no more submissions.
  const evaluator::v1::Progress progress =
      DescribeProgress(tracker, *tracker.FindTarget("t1"), as_of);
  EXPECT_EQ(progress.current_value(), 1);
  EXPECT_EQ(progress.current_period(), "");
  for (const evaluator::v1::DataPoint& point : progress.data_points()) {
    EXPECT_NE(point.value(), 250) << point.DebugString();
  }
  EXPECT_EQ(tracker.Series("digital_tech_enterprises"), nullptr);
  EXPECT_EQ(tracker.Decode(Submission("b", "digital_tech_enterprises", "2025", 260), "dept-st", 2)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

// Registry records come from several partitions side by side: an enterprise may come before
// its unit. It is counted once the unit comes, as a replay that met the unit first counts it.
TEST(ProgressTrackerDerivedTest, AUnitThatComesAfterItsEnterprisesCountsThem) {
  ProgressTracker tracker;
  registry::v1::Indicator in_province = DigitalEnterpriseCount();
  in_province.mutable_derived()->mutable_count()->mutable_enterprises()
      ->add_administrative_unit_codes("77");
  ASSERT_TRUE(tracker.UpsertIndicator(in_province).ok());
  ASSERT_TRUE(
      tracker.UpsertTarget(TargetOn("t1", "digital_tech_enterprises", 3, "2025-12-31")).ok());
  registry::v1::AdministrativeUnit province;
  province.set_code("77");
  province.set_version(1);
  ASSERT_TRUE(tracker.UpsertAdministrativeUnit(province).ok());
  registry::v1::Enterprise early = Registered("0100233488", "2022-03-01");
  early.set_administrative_unit_code("757");
  ASSERT_TRUE(tracker.UpsertEnterprise(early).ok());
  const DerivedSeries* derived = tracker.Derived("digital_tech_enterprises");
  EXPECT_EQ(derived->ValueAt(absl::CivilDay(2023, 1, 1)), 0) << "757 is not known yet";

  registry::v1::AdministrativeUnit long_dat;
  long_dat.set_code("757");
  long_dat.set_parent_code("77");
  long_dat.set_version(1);
  ASSERT_TRUE(tracker.UpsertAdministrativeUnit(long_dat).ok());
  EXPECT_EQ(tracker.RecountIfUnitsMoved(), std::vector<uint32_t>{*tracker.FindTarget("t1")});
  EXPECT_EQ(derived->ValueAt(absl::CivilDay(2023, 1, 1)), 1);
  EXPECT_THAT(tracker.RecountIfUnitsMoved(), IsEmpty()) << "counted already";

  // A new version that moves nothing (its name) counts nothing again.
  long_dat.set_name_vi("Huyện Long Đất");
  long_dat.set_version(2);
  ASSERT_TRUE(tracker.UpsertAdministrativeUnit(long_dat).ok());
  EXPECT_THAT(tracker.RecountIfUnitsMoved(), IsEmpty());
  // One that moves it out of the province takes the enterprise out.
  long_dat.clear_parent_code();
  long_dat.set_version(3);
  ASSERT_TRUE(tracker.UpsertAdministrativeUnit(long_dat).ok());
  EXPECT_EQ(tracker.RecountIfUnitsMoved().size(), 1u);
  EXPECT_EQ(derived->ValueAt(absl::CivilDay(2023, 1, 1)), 0);
}

TEST(ProgressTrackerDerivedTest, AnIndicatorAddedLaterCountsTheEntitiesAlreadyKnown) {
  ProgressTracker tracker;
  ASSERT_TRUE(tracker.UpsertEnterprise(Registered("0100233488", "2022-03-01")).ok());
  ASSERT_TRUE(tracker.UpsertIndicator(DigitalEnterpriseCount()).ok());
  EXPECT_EQ(tracker.Derived("digital_tech_enterprises")->ValueAt(absl::CivilDay(2023, 1, 1)), 1);
}

TEST(ProgressTrackerDerivedTest, AnEnterpriseWithABadDateIsRefusedAndChangesNothing) {
  ProgressTracker tracker;
  ASSERT_TRUE(tracker.UpsertIndicator(DigitalEnterpriseCount()).ok());
  auto bad = tracker.UpsertEnterprise(Registered("0100233488", "2022-02-30"));
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(tracker.Derived("digital_tech_enterprises")->ValueAt(absl::CivilDay(2023, 1, 1)), 0);
}

TEST(ProgressTrackerDerivedTest, ARatioCountsItsNumeratorOnlyWithinItsDenominator) {
  ProgressTracker tracker;
  registry::v1::Indicator adoption =
      IndicatorOf("sme_digital_platform_adoption", registry::v1::INDICATOR_UNIT_PERCENT);
  auto* ratio = adoption.mutable_derived()->mutable_ratio();
  ratio->mutable_numerator()->mutable_enterprises()->set_platform_adopted(true);
  ratio->mutable_denominator()->mutable_enterprises()->set_is_sme(true);
  ASSERT_TRUE(tracker.UpsertIndicator(adoption).ok());
  for (int i = 0; i < 4; ++i) {
    registry::v1::Enterprise e = Registered(absl::StrCat("000000000", i), "2021-01-01");
    e.set_is_sme(i != 3);  // three SMEs
    if (i < 2 || i == 3) {  // two SME adopters, one large adopter (not counted)
      e.mutable_platform_adoption()->set_adopted(true);
      e.mutable_platform_adoption()->set_since(i == 0 ? "2022-01-01" : "2024-01-01");
    }
    ASSERT_TRUE(tracker.UpsertEnterprise(e).ok());
  }
  const DerivedSeries* derived = tracker.Derived("sme_digital_platform_adoption");
  EXPECT_NEAR(*derived->ValueAt(absl::CivilDay(2023, 1, 1)), 100.0 / 3, 1e-9);
  EXPECT_NEAR(*derived->ValueAt(absl::CivilDay(2024, 6, 1)), 200.0 / 3, 1e-9);
  // Two of the three SMEs by 2024, seven in all by 2025: 7 of 25 is 28% exactly.
  for (int i = 4; i < 26; ++i) {
    registry::v1::Enterprise e = Registered(absl::StrFormat("%010d", i), "2025-01-01");
    e.set_is_sme(true);
    if (i < 9) {
      e.mutable_platform_adoption()->set_adopted(true);
      e.mutable_platform_adoption()->set_since("2025-01-01");
    }
    ASSERT_TRUE(tracker.UpsertEnterprise(e).ok());
  }
  EXPECT_EQ(*derived->ValueAt(absl::CivilDay(2025, 6, 1)), 28);
  EXPECT_FALSE(derived->ValueAt(absl::CivilDay(2020, 1, 1)).has_value());  // no SMEs yet
}

}  // namespace
}  // namespace tiendo::core
