// Tests of DeadlineTimer: callbacks run at their times, in the order of their times, whatever
// the order they were given in.
#include "services/metrics-ingest/deadline_timer.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo::ingest {
namespace {

using ::testing::ElementsAre;

// What the timer ran, and when.
class Ran {
 public:
  std::function<void()> Callback(std::string name) {
    return [this, name] {
      absl::MutexLock lock(&mu_);
      names_.push_back(name);
      times_.push_back(absl::Now());
    };
  }
  // Waits up to `timeout` for `count` callbacks to have run; their names.
  std::vector<std::string> Await(size_t count, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto enough = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return names_.size() >= count; };
    mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
    return names_;
  }
  absl::Time TimeOf(size_t i) {
    absl::MutexLock lock(&mu_);
    return times_.at(i);
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> names_ ABSL_GUARDED_BY(mu_);
  std::vector<absl::Time> times_ ABSL_GUARDED_BY(mu_);
};

TEST(DeadlineTimerTest, RunsEachCallbackAtItsTimeInTheOrderOfTheTimes) {
  DeadlineTimer timer;
  Ran ran;
  const absl::Time start = absl::Now();
  // Times far enough apart that a loaded machine (or a sanitizer) delaying a thread by a
  // second changes nothing.
  timer.At(start + absl::Seconds(2), ran.Callback("late"));
  timer.At(start + absl::Seconds(4), ran.Callback("later"));
  absl::SleepFor(absl::Milliseconds(100));
  // Given last, due first: the timer, by now waiting for "late", must wake for it.
  timer.At(start + absl::Milliseconds(500), ran.Callback("soon"));
  EXPECT_THAT(ran.Await(3, absl::Seconds(20)), ElementsAre("soon", "late", "later"));
  EXPECT_GE(ran.TimeOf(0), start + absl::Milliseconds(500));
  EXPECT_LT(ran.TimeOf(0), start + absl::Seconds(2));
  EXPECT_GE(ran.TimeOf(1), start + absl::Seconds(2));
  EXPECT_GE(ran.TimeOf(2), start + absl::Seconds(4));
}

TEST(DeadlineTimerTest, RunsAtOnceWhatIsAlreadyDue) {
  DeadlineTimer timer;
  Ran ran;
  const absl::Time start = absl::Now();
  timer.At(start + absl::Seconds(30), ran.Callback("much later"));
  timer.At(start - absl::Seconds(1), ran.Callback("overdue"));
  EXPECT_THAT(ran.Await(1, absl::Seconds(10)), ElementsAre("overdue"));
  EXPECT_LT(ran.TimeOf(0), start + absl::Seconds(5));
}

TEST(DeadlineTimerTest, DropsWhatHasNotRunWhenDestroyed) {
  Ran ran;
  {
    DeadlineTimer timer;
    timer.At(absl::Now() + absl::Hours(1), ran.Callback("never"));
  }
  EXPECT_THAT(ran.Await(1, absl::ZeroDuration()), ::testing::IsEmpty());
}

}  // namespace
}  // namespace tiendo::ingest
