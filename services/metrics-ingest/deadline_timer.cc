#include "services/metrics-ingest/deadline_timer.h"

#include "absl/time/clock.h"
#include "services/common/process/thread_name.h"

namespace tiendo::ingest {

DeadlineTimer::DeadlineTimer()
    : thread_([this] {
        process::NameThisThread("deadline-timer");
        Run();
      }) {}

DeadlineTimer::~DeadlineTimer() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void DeadlineTimer::At(absl::Time when, std::function<void()> callback) {
  absl::MutexLock lock(&mu_);
  due_.emplace(when, std::move(callback));
}

void DeadlineTimer::Run() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    const absl::Time now = absl::Now();
    if (!due_.empty() && due_.begin()->first <= now) {
      std::function<void()> callback = std::move(due_.begin()->second);
      due_.erase(due_.begin());
      mu_.Unlock();
      callback();
      mu_.Lock();
      continue;
    }
    // Wake for the earliest deadline, an entry due sooner, or stopping. An entry due later
    // (most are: each call's deadline is about its arrival plus the same timeout) wakes
    // nothing: absl evaluates the condition in the thread that adds it.
    const absl::Time wake = due_.empty() ? now + absl::Seconds(1) : due_.begin()->first;
    auto sooner = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return stopping_ || (!due_.empty() && due_.begin()->first < wake);
    };
    mu_.AwaitWithDeadline(absl::Condition(&sooner), wake);
  }
}

}  // namespace tiendo::ingest
