#include "services/common/grpc/blocking_executor.h"

#include "services/common/process/thread_name.h"

namespace tiendo::server {

BlockingExecutor::BlockingExecutor(int threads) {
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this] {
      process::NameThisThread("blocking-calls");
      Serve();
    });
  }
}

BlockingExecutor::~BlockingExecutor() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& thread : threads_) thread.join();
}

void BlockingExecutor::Post(std::function<void()> work) {
  absl::MutexLock lock(&mu_);
  queue_.push_back(std::move(work));
}

void BlockingExecutor::Serve() {
  while (true) {
    std::function<void()> work;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return stopping_ || !queue_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (queue_.empty()) return;  // stopping, and nothing left to run
      work = std::move(queue_.front());
      queue_.pop_front();
    }
    work();
  }
}

}  // namespace tiendo::server
