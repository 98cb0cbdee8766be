// tiendoctl watch against a fake target-evaluator: the initial state, its completion marker,
// changes and removals as lines or JSON, a new watch from the last versions seen after the
// stream breaks with UNAVAILABLE (nothing printed twice), bounded retries, and the ways a
// watch ends: the evaluator ends the stream, Ctrl-C, a failure.
#include <pthread.h>
#include <signal.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/tiendoctl/fake_evaluator.h"
#include "tools/tiendoctl/run_ctl.h"

namespace tiendo::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::SizeIs;
using evaluator::v1::Progress;
using testing::CtlResult;
using testing::FakeEvaluator;
using testing::RunCtl;

// 2025-06-30 09:00 in Vietnam.
constexpr int64_t kMorning = 1751248800;

// Version `version` of target `number` of plan brvt-63-kh-ubnd: `value` enterprises, changed
// `minutes` after kMorning.
Progress Version(int number, int64_t version, double value, evaluator::v1::ProgressStatus status,
                 int minutes) {
  Progress progress;
  progress.set_target_id(absl::StrCat("brvt-63-kh-ubnd.t", number));
  progress.set_plan_id("brvt-63-kh-ubnd");
  progress.set_unit(registry::v1::INDICATOR_UNIT_COUNT);
  progress.set_current_value(value);
  progress.set_status(status);
  progress.set_version(version);
  progress.mutable_last_changed_at()->set_seconds(kMorning + minutes * 60);
  return progress;
}

// What a watch of the fixture's two targets prints first, then `more`.
std::vector<std::string> InitialStateAnd(const std::vector<std::string>& more) {
  std::vector<std::string> lines = {
      "2025-06-30 09:00  brvt-63-kh-ubnd.t1  287  at-risk  v13",
      "2025-06-30 09:10  brvt-63-kh-ubnd.t2  41  at-risk  v5",
      "-- initial state complete: 2 targets; watching for changes (Ctrl-C stops)"};
  lines.insert(lines.end(), more.begin(), more.end());
  return lines;
}

// The line of t1's first change, Version(1, 14, 301, ON_TRACK, 65) after the initial state.
constexpr char kT1Reaches301[] =
    "2025-06-30 10:05  brvt-63-kh-ubnd.t1  287 → 301  at-risk → on-track  v14";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

// `tiendoctl watch` running in its own thread, as a person would run it in a terminal.
class WatchRun {
 public:
  WatchRun(const FakeEvaluator& evaluator, std::vector<std::string> args) {
    args.insert(args.begin(), {"watch", "--evaluator=" + evaluator.address()});
    thread_ = std::thread([this, args] { result_ = RunCtl(args); });
  }
  ~WatchRun() {
    if (thread_.joinable()) thread_.join();
  }

  // Ctrl-C, delivered to the command's thread.
  void Interrupt() { pthread_kill(thread_.native_handle(), SIGINT); }

  const CtlResult& Wait() {
    thread_.join();
    return result_;
  }

 private:
  CtlResult result_;
  std::thread thread_;
};

class WatchCommandTest : public ::testing::Test {
 protected:
  WatchCommandTest() {
    evaluator_.SetProgress({Version(1, 13, 287, evaluator::v1::PROGRESS_STATUS_AT_RISK, 0),
                            Version(2, 5, 41, evaluator::v1::PROGRESS_STATUS_AT_RISK, 10)});
  }

  FakeEvaluator evaluator_;
};

TEST_F(WatchCommandTest, PrintsTheInitialStateThenChangesUntilTheEvaluatorEndsTheStream) {
  WatchRun watch(evaluator_, {"--plan=brvt-63-kh-ubnd"});
  ASSERT_TRUE(evaluator_.AwaitWatches(1));
  evaluator_.Publish(Version(1, 14, 301, evaluator::v1::PROGRESS_STATUS_ON_TRACK, 65));
  evaluator_.Publish(Version(2, 8, 42, evaluator::v1::PROGRESS_STATUS_AT_RISK, 70));
  evaluator_.Remove("brvt-63-kh-ubnd.t1");
  evaluator_.EndWatches(absl::OkStatus());
  const CtlResult& result = watch.Wait();
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(Lines(result.out),
            InitialStateAnd({kT1Reaches301,
                             "2025-06-30 10:10  brvt-63-kh-ubnd.t2  41 → 42  at-risk  v8  (2 "
                             "intermediate versions skipped)",
                             "-- brvt-63-kh-ubnd.t1 removed (final version 14)"}));
  EXPECT_EQ(result.err, "tiendoctl watch: the evaluator ended the stream\n");
  const auto requests = evaluator_.watch_requests();
  ASSERT_THAT(requests, SizeIs(1));
  EXPECT_EQ(requests[0].plan_id(), "brvt-63-kh-ubnd");
  EXPECT_TRUE(requests[0].target_ids().empty());
  EXPECT_TRUE(requests[0].resume_from_versions().empty());
}

TEST_F(WatchCommandTest, AfterUnavailableItWatchesAgainFromTheLastVersionsAndPrintsNothingTwice) {
  WatchRun watch(evaluator_, {"--target=brvt-63-kh-ubnd.t1,brvt-63-kh-ubnd.t2"});
  ASSERT_TRUE(evaluator_.AwaitWatches(1));
  evaluator_.Publish(Version(1, 14, 301, evaluator::v1::PROGRESS_STATUS_ON_TRACK, 65));
  // t2 moves on unseen by the open watch (as if while none was open): the next watch brings it
  // in its initial state.
  evaluator_.SetProgress({Version(1, 14, 301, evaluator::v1::PROGRESS_STATUS_ON_TRACK, 65),
                          Version(2, 6, 45, evaluator::v1::PROGRESS_STATUS_ON_TRACK, 80)});
  evaluator_.EndWatches(absl::UnavailableError("the replica is shutting down"));
  ASSERT_TRUE(evaluator_.AwaitWatches(2));
  evaluator_.Publish(Version(1, 15, 305, evaluator::v1::PROGRESS_STATUS_ON_TRACK, 90));
  evaluator_.EndWatches(absl::OkStatus());
  const CtlResult& result = watch.Wait();
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(Lines(result.out),
            InitialStateAnd({kT1Reaches301,
                             "2025-06-30 10:20  brvt-63-kh-ubnd.t2  41 → 45  at-risk → on-track  "
                             "v6",
                             "-- caught up after watching again",
                             "2025-06-30 10:30  brvt-63-kh-ubnd.t1  301 → 305  on-track  v15"}));
  EXPECT_THAT(result.err,
              HasSubstr("tiendoctl watch: the stream ended with UNAVAILABLE: the replica is "
                        "shutting down; watching again in 500ms (retry 1 of 5), from the last "
                        "version of 2 targets\n"));
  const auto requests = evaluator_.watch_requests();
  ASSERT_THAT(requests, SizeIs(2));
  EXPECT_THAT(requests[1].target_ids(),
              ElementsAre("brvt-63-kh-ubnd.t1", "brvt-63-kh-ubnd.t2"));
  const std::map<std::string, int64_t> resumed(requests[1].resume_from_versions().begin(),
                                               requests[1].resume_from_versions().end());
  EXPECT_THAT(resumed, ElementsAre(Pair("brvt-63-kh-ubnd.t1", 14), Pair("brvt-63-kh-ubnd.t2", 5)));
}

TEST_F(WatchCommandTest, JsonPrintsEachMessageOnOneLineAndInitialFalseSkipsTheInitialState) {
  WatchRun watch(evaluator_, {"--output=json", "--initial=false"});
  ASSERT_TRUE(evaluator_.AwaitWatches(1));
  evaluator_.Publish(Version(2, 6, 45, evaluator::v1::PROGRESS_STATUS_ON_TRACK, 80));
  evaluator_.EndWatches(absl::OkStatus());
  const CtlResult& result = watch.Wait();
  EXPECT_EQ(result.code, 0) << result.err;
  const std::vector<std::string> lines = Lines(result.out);
  ASSERT_THAT(lines, SizeIs(2));
  EXPECT_EQ(lines[0], "{\"initial_state_complete\":{}}");
  EXPECT_THAT(lines[1],
              HasSubstr("{\"update\":{\"progress\":{\"target_id\":\"brvt-63-kh-ubnd.t2\""));
  EXPECT_THAT(lines[1], HasSubstr("\"version\":\"6\""));
  EXPECT_TRUE(evaluator_.watch_requests()[0].plan_id().empty());  // every target
}

TEST_F(WatchCommandTest, CtrlCStopsTheWatchCleanly) {
  WatchRun watch(evaluator_, {"--plan=brvt-63-kh-ubnd"});
  ASSERT_TRUE(evaluator_.AwaitWatches(1));
  watch.Interrupt();
  const CtlResult& result = watch.Wait();
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_THAT(evaluator_.watch_requests(), SizeIs(1));
}

TEST_F(WatchCommandTest, RetriesAreBoundedAndTheFailureSaysWhatToCheck) {
  evaluator_.FailWith(absl::UnavailableError("catching up with tiendo.submissions.v1"));
  const CtlResult result =
      RunCtl({"watch", "--evaluator=" + evaluator_.address(), "--retries=2"});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(evaluator_.watch_requests(), SizeIs(3));
  EXPECT_THAT(result.err, HasSubstr("(retry 2 of 2), from the last version of 0 targets\n"));
  EXPECT_THAT(result.err, HasSubstr("tiendoctl: watch: UNAVAILABLE: catching up with "
                                    "tiendo.submissions.v1\n  is tiendo-target-evaluator "
                                    "running at " + evaluator_.address()));
  EXPECT_EQ(result.out, "");
}

TEST_F(WatchCommandTest, OtherFailuresEndTheWatchAtOnce) {
  const CtlResult unknown = RunCtl({"watch", "--evaluator=" + evaluator_.address(),
                                    "--target=brvt-63-kh-ubnd.t9"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_EQ(unknown.err,
            "tiendoctl: watch: NOT_FOUND: no progress for target \"brvt-63-kh-ubnd.t9\": no "
            "such target, or not evaluated yet\n");
  EXPECT_THAT(evaluator_.watch_requests(), SizeIs(1));

  const CtlResult both = RunCtl({"watch", "--evaluator=" + evaluator_.address(),
                                 "--plan=brvt-63-kh-ubnd", "--target=brvt-63-kh-ubnd.t1"});
  EXPECT_EQ(both.code, 2);
  EXPECT_THAT(both.err, HasSubstr("give --plan or --target, not both"));
  EXPECT_THAT(evaluator_.watch_requests(), SizeIs(1));
}

}  // namespace
}  // namespace tiendo::ctl
