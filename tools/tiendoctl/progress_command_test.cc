// tiendoctl progress against a fake target-evaluator: every page of a plan's targets, the
// table people read (milestone in force, values in the indicator's unit, status words,
// Vietnam time, Vietnamese notes intact), the JSON document, the filters and as-of date sent,
// single targets by id, and what a person is told when nothing matches or a call fails.
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tools/tiendoctl/fake_evaluator.h"
#include "tools/tiendoctl/run_ctl.h"

namespace tiendo::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using evaluator::v1::MilestoneProgress;
using evaluator::v1::Progress;
using testing::CtlResult;
using testing::FakeEvaluator;
using testing::RunCtl;

constexpr char kPlan[] = "brvt-63-kh-ubnd";

// One milestone: `code` of `value` by `deadline`.
MilestoneProgress Milestone(const std::string& code, double value, const std::string& deadline,
                            evaluator::v1::ProgressStatus status) {
  MilestoneProgress milestone;
  milestone.set_code(code);
  milestone.set_target_value(value);
  milestone.set_deadline(deadline);
  milestone.set_status(status);
  return milestone;
}

// Progress of target `number` of the seed plan, live on 2025-06-30.
Progress Target(int number, registry::v1::IndicatorUnit unit,
                registry::v1::Comparator comparator, evaluator::v1::ProgressStatus status) {
  Progress progress;
  progress.set_target_id(std::string(kPlan) + ".t" + std::to_string(number));
  progress.set_plan_id(kPlan);
  progress.set_target_code("T" + std::to_string(number));
  progress.set_as_of("2025-06-30");
  progress.set_unit(unit);
  progress.set_comparator(comparator);
  progress.set_status(status);
  progress.set_version(10 + number);
  return progress;
}

// The time of a change: `hour`:`minute` UTC on 2025-06-`day`.
google::protobuf::Timestamp Utc(int day, int hour, int minute) {
  google::protobuf::Timestamp time;
  time.set_seconds(absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilMinute(2025, 6, day, hour, minute), absl::UTCTimeZone())));
  return time;
}

// Four targets of the seed plan, as the evaluator might see them mid-2025, and one target of
// another plan.
std::vector<Progress> SeedPlanProgress() {
  Progress t1 = Target(1, registry::v1::INDICATOR_UNIT_COUNT, registry::v1::COMPARATOR_AT_LEAST,
                       evaluator::v1::PROGRESS_STATUS_ON_TRACK);
  t1.set_current_value(287);
  *t1.add_milestones() = Milestone("T1", 300, "2025-12-31", t1.status());
  t1.mutable_milestones(0)->set_percent_of_way(78.4);
  t1.mutable_milestones(0)->set_projected_value(312.36);
  *t1.add_milestones() = Milestone("T1'", 400, "2030-12-31", t1.status());
  *t1.mutable_last_changed_at() = Utc(30, 7, 5);  // 14:05 in Vietnam

  Progress t2 = Target(2, registry::v1::INDICATOR_UNIT_COUNT, registry::v1::COMPARATOR_AT_LEAST,
                       evaluator::v1::PROGRESS_STATUS_AT_RISK);
  t2.set_current_value(41);
  *t2.add_milestones() = Milestone("T2", 50, "2025-12-31", t2.status());
  t2.mutable_milestones(0)->set_percent_of_way(70);
  t2.mutable_milestones(0)->set_projected_value(47.5);
  t2.mutable_milestones(0)->set_note("khoảng (about) 50");
  *t2.mutable_last_changed_at() = Utc(29, 17, 30);  // 00:30 the next day in Vietnam

  Progress t3 = Target(3, registry::v1::INDICATOR_UNIT_PERCENT,
                       registry::v1::COMPARATOR_MORE_THAN, evaluator::v1::PROGRESS_STATUS_AT_RISK);
  t3.set_current_value(46.25);
  t3.mutable_current_ratio()->set_numerator(370);
  t3.mutable_current_ratio()->set_denominator(800);
  *t3.add_milestones() = Milestone("T3", 50, "2025-12-31", t3.status());
  t3.mutable_milestones(0)->set_percent_of_way(62.5);
  t3.mutable_milestones(0)->set_projected_value(49.126);
  *t3.mutable_last_changed_at() = Utc(2, 1, 0);

  // Every deadline passed: the last milestone is in force; no data yet.
  Progress t5 = Target(5, registry::v1::INDICATOR_UNIT_PERCENT,
                       registry::v1::COMPARATOR_AT_LEAST,
                       evaluator::v1::PROGRESS_STATUS_INSUFFICIENT_DATA);
  *t5.add_milestones() = Milestone("T5", 100, "2024-12-31", t5.status());
  t5.mutable_milestones(0)->set_note("duy trì (maintain)");

  Progress other = Target(1, registry::v1::INDICATOR_UNIT_COUNT,
                          registry::v1::COMPARATOR_AT_LEAST,
                          evaluator::v1::PROGRESS_STATUS_ACHIEVED);
  other.set_target_id("hcm-01.t1");
  other.set_plan_id("hcm-01");
  return {t1, t2, t3, t5, other};
}

class ProgressCommandTest : public ::testing::Test {
 protected:
  ProgressCommandTest() { evaluator_.SetProgress(SeedPlanProgress()); }

  CtlResult Show(std::vector<std::string> args) {
    args.insert(args.begin(), {"progress", "--evaluator=" + evaluator_.address()});
    return RunCtl(args);
  }

  FakeEvaluator evaluator_;
};

TEST_F(ProgressCommandTest, TableShowsEveryTargetOfThePlanFromEveryPage) {
  evaluator_.SetMaxPageSize(3);
  const CtlResult result = Show({"--plan=brvt-63-kh-ubnd"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out,
            "TARGET  MILESTONE         CURRENT  TARGET VALUE  % OF WAY  STATUS             "
            "PROJECTION  LAST CHANGE       NOTE\n"
            "T1      T1 by 2025-12-31  287      ≥ 300         78.4%     on-track           "
            "312.36      2025-06-30 14:05\n"
            "T2      T2 by 2025-12-31  41       ≥ 50          70%       at-risk            "
            "47.5        2025-06-30 00:30  khoảng (about) 50\n"
            "T3      T3 by 2025-12-31  46.25%   > 50%         62.5%     at-risk            "
            "49.13%      2025-06-02 08:00\n"
            "T5      T5 by 2024-12-31  -        ≥ 100%        -         insufficient-data  "
            "-           -                 duy trì (maintain)\n"
            "4 targets of plan brvt-63-kh-ubnd as of 2025-06-30: 1 on-track, 2 at-risk, "
            "1 insufficient-data\n");
  const auto requests = evaluator_.list_requests();
  ASSERT_THAT(requests, SizeIs(2));
  EXPECT_EQ(requests[0].plan_id(), kPlan);
  EXPECT_EQ(requests[0].page_token(), "");
  EXPECT_EQ(requests[1].page_token(), "brvt-63-kh-ubnd.t3");
  EXPECT_EQ(requests[1].plan_id(), kPlan);
  EXPECT_THAT(requests[0].statuses(), IsEmpty());
  EXPECT_EQ(requests[0].as_of(), "");
}

TEST_F(ProgressCommandTest, JsonIsOneArrayOfTheProgressEntriesAsTheProtoJsonMapping) {
  const CtlResult result =
      Show({"--plan=brvt-63-kh-ubnd", "--status=at-risk", "--output=json"});
  EXPECT_EQ(result.code, 0) << result.err;
  const std::vector<std::string> lines = absl::StrSplit(result.out, '\n');
  ASSERT_THAT(lines, SizeIs(5));  // "[", two entries, "]" and the empty piece after the last "\n"
  EXPECT_EQ(lines[0], "[");
  EXPECT_EQ(lines[3], "]");
  ASSERT_EQ(lines[1].back(), ',');
  EXPECT_THAT(lines[1], HasSubstr("\"note\":\"khoảng (about) 50\""));
  EXPECT_THAT(lines[1], HasSubstr("\"status\":\"PROGRESS_STATUS_AT_RISK\""));
  EXPECT_THAT(lines[1], HasSubstr("\"target_id\":\"brvt-63-kh-ubnd.t2\""));
  Progress parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(lines[2], &parsed).ok()) << lines[2];
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, SeedPlanProgress()[2]))
      << parsed.DebugString();

  const CtlResult none = Show({"--plan=brvt-63-kh-ubnd", "--status=missed", "--output=json"});
  EXPECT_EQ(none.code, 0) << none.err;
  EXPECT_EQ(none.out, "[]\n");
}

TEST_F(ProgressCommandTest, StatusFilterAndAsOfArePassedThrough) {
  const CtlResult result =
      Show({"--plan=brvt-63-kh-ubnd", "--status=insufficient-data, on-track",
                "--as-of=2025-03-31"});
  EXPECT_EQ(result.code, 0) << result.err;
  const auto requests = evaluator_.list_requests();
  ASSERT_THAT(requests, SizeIs(1));
  EXPECT_THAT(requests[0].statuses(), ElementsAre(evaluator::v1::PROGRESS_STATUS_INSUFFICIENT_DATA,
                                                  evaluator::v1::PROGRESS_STATUS_ON_TRACK));
  EXPECT_EQ(requests[0].as_of(), "2025-03-31");
  EXPECT_THAT(result.out, HasSubstr("\nT1  "));
  EXPECT_THAT(result.out, HasSubstr("\nT5  "));
  EXPECT_THAT(result.out, Not(HasSubstr("at-risk")));
  EXPECT_THAT(result.out, HasSubstr("\n2 targets of plan brvt-63-kh-ubnd as of 2025-03-31: "
                                    "1 on-track, 1 insufficient-data\n"));
}

TEST_F(ProgressCommandTest, NamedTargetsAreFetchedOneByOne) {
  const CtlResult result =
      Show({"--target=brvt-63-kh-ubnd.t3,brvt-63-kh-ubnd.t1", "--as-of=2025-05-01"});
  EXPECT_EQ(result.code, 0) << result.err;
  const auto requests = evaluator_.get_requests();
  ASSERT_THAT(requests, SizeIs(2));
  EXPECT_EQ(requests[0].target_id(), "brvt-63-kh-ubnd.t3");
  EXPECT_EQ(requests[1].target_id(), "brvt-63-kh-ubnd.t1");
  EXPECT_EQ(requests[1].as_of(), "2025-05-01");
  EXPECT_THAT(result.out, HasSubstr("\nT3  "));
  EXPECT_THAT(result.out, HasSubstr("\n2 targets as of 2025-05-01: 1 on-track, 1 at-risk\n"));
  EXPECT_THAT(evaluator_.list_requests(), IsEmpty());

  const CtlResult unknown = Show({"--target=brvt-63-kh-ubnd.t1,brvt-63-kh-ubnd.t9"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_EQ(unknown.out, "");
  EXPECT_EQ(unknown.err,
            "tiendoctl: progress of target brvt-63-kh-ubnd.t9: NOT_FOUND: no progress for "
            "target \"brvt-63-kh-ubnd.t9\": no such target, or not evaluated yet\n");
}

TEST_F(ProgressCommandTest, NothingToShowIsSaidInWords) {
  // The fake evaluator lists nothing for this plan (the real one: NOT_FOUND if unknown).
  const CtlResult unknown = Show({"--plan=brvt-99"});
  EXPECT_EQ(unknown.code, 0) << unknown.err;
  EXPECT_EQ(unknown.out,
            "No targets of plan brvt-99. (A plan whose targets the evaluator has not evaluated "
            "yet lists nothing.)\n");
  const CtlResult filtered =
      Show({"--plan=brvt-63-kh-ubnd", "--status=missed,off-track", "--as-of=2025-01-31"});
  EXPECT_EQ(filtered.code, 0) << filtered.err;
  EXPECT_THAT(filtered.out, HasSubstr("No targets of plan brvt-63-kh-ubnd with status "
                                      "missed,off-track as of 2025-01-31. "));
}

TEST_F(ProgressCommandTest, FailuresSayWhatToDo) {
  evaluator_.FailWith(absl::NotFoundError("no plan \"brvt-99\""));
  const CtlResult not_found = Show({"--plan=brvt-99"});
  EXPECT_EQ(not_found.code, 1);
  EXPECT_EQ(not_found.err, "tiendoctl: progress of plan brvt-99: NOT_FOUND: no plan \"brvt-99\"\n");

  evaluator_.FailWith(absl::UnavailableError("catching up with tiendo.submissions.v1"));
  const CtlResult catching_up = Show({"--plan=brvt-63-kh-ubnd"});
  EXPECT_EQ(catching_up.code, 1);
  EXPECT_THAT(catching_up.err, HasSubstr("UNAVAILABLE: catching up with tiendo.submissions.v1\n"
                                         "  is tiendo-target-evaluator running at " +
                                         evaluator_.address() + "? (set --evaluator or "
                                         "TIENDO_EVALUATOR_ADDRESS)"));

  // The address comes from the environment when the flag is absent.
  std::string nowhere;
  {
    FakeEvaluator stopped;
    nowhere = stopped.address();
  }
  const CtlResult unreachable = RunCtl({"progress", "--plan=brvt-63-kh-ubnd", "--timeout=2s"},
                                       {{"TIENDO_EVALUATOR_ADDRESS", nowhere}});
  EXPECT_EQ(unreachable.code, 1);
  EXPECT_THAT(unreachable.err, HasSubstr("UNAVAILABLE"));
  EXPECT_THAT(unreachable.err, HasSubstr("is tiendo-target-evaluator running at " + nowhere));
}

TEST_F(ProgressCommandTest, BadUsageExitsTwoWithoutACall) {
  const std::vector<std::vector<std::string>> cases = {
      {},                                                     // neither --plan nor --target
      {"--plan=brvt-63-kh-ubnd", "--target=brvt-63-kh-ubnd.t1"},  // both
      {"--target=brvt-63-kh-ubnd.t1", "--status=at-risk"},    // a filter of --plan only
      {"--plan=brvt-63-kh-ubnd", "--as-of=2025-6-30"},        // not YYYY-MM-DD
      {"--plan=brvt-63-kh-ubnd", "--status=late"},            // not a status
      {"--plan=brvt-63-kh-ubnd", "--output=csv"},             // not an output
  };
  for (const auto& args : cases) {
    const CtlResult result = Show(args);
    EXPECT_EQ(result.code, 2) << ::testing::PrintToString(args) << result.err;
    EXPECT_THAT(result.err, HasSubstr("tiendoctl")) << ::testing::PrintToString(args);
  }
  EXPECT_THAT(Show({"--plan=x", "--status=late"}).err,
              HasSubstr("--status: \"late\" is not one of on-track, at-risk, off-track, "
                        "achieved, missed, insufficient-data"));
  EXPECT_THAT(evaluator_.list_requests(), IsEmpty());
  EXPECT_THAT(evaluator_.get_requests(), IsEmpty());
}

}  // namespace
}  // namespace tiendo::ctl
