// DeadlineTimer: runs callbacks at given times on one thread of its own — how a batch waiting
// for Kafka gives up at its call's deadline without anyone blocking. Callbacks must be quick
// and must not call back into the timer.
#pragma once

#include <functional>
#include <map>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace tiendo::ingest {

class DeadlineTimer {
 public:
  DeadlineTimer();
  // Drops what has not run yet and joins the thread.
  ~DeadlineTimer();
  DeadlineTimer(const DeadlineTimer&) = delete;
  DeadlineTimer& operator=(const DeadlineTimer&) = delete;

  // Runs `callback` at (or soon after) `when`.
  void At(absl::Time when, std::function<void()> callback);

 private:
  void Run();

  absl::Mutex mu_;
  std::multimap<absl::Time, std::function<void()>> due_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace tiendo::ingest
