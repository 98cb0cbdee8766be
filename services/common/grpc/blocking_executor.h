// BlockingExecutor: a few threads for the work a gRPC callback reactor must not do on
// gRPC's own threads — anything that blocks, such as a SQLite transaction. A reactor posts
// the work and finishes the call from it.
#pragma once

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace tiendo::server {

class BlockingExecutor {
 public:
  explicit BlockingExecutor(int threads);
  // Runs what was posted, then stops the threads.
  ~BlockingExecutor();
  BlockingExecutor(const BlockingExecutor&) = delete;
  BlockingExecutor& operator=(const BlockingExecutor&) = delete;

  // Queues `work` to run on one of the threads; work starts in posting order.
  void Post(std::function<void()> work);

 private:
  void Serve();

  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace tiendo::server
