// InterruptWatch: lets a command that loops (`rejected tail --follow`, `watch`) notice Ctrl-C or
// SIGTERM between two polls and end cleanly, without an asynchronous signal handler: while it
// lives, SIGINT and SIGTERM are blocked in the calling thread — and in the threads it starts
// afterwards, such as librdkafka's, so create it before them — and are taken synchronously.
#pragma once

#include <signal.h>

#include "absl/time/time.h"

namespace tiendo::ctl {

class InterruptWatch {
 public:
  InterruptWatch();
  ~InterruptWatch();  // restores the thread's signal mask
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;

  // True once SIGINT or SIGTERM has arrived (it is consumed, and the answer stays true).
  bool Interrupted();

  // The same, waiting up to `timeout` for the signal: a pause that Ctrl-C cuts short.
  bool InterruptedWithin(absl::Duration timeout);

 private:
  sigset_t watched_;
  sigset_t previous_;
  bool interrupted_ = false;
};

}  // namespace tiendo::ctl
