#include "tools/tiendoctl/interrupt_watch.h"

#include <pthread.h>

#include <ctime>

namespace tiendo::ctl {

InterruptWatch::InterruptWatch() {
  sigemptyset(&watched_);
  sigaddset(&watched_, SIGINT);
  sigaddset(&watched_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &watched_, &previous_);
}

InterruptWatch::~InterruptWatch() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }

bool InterruptWatch::Interrupted() { return InterruptedWithin(absl::ZeroDuration()); }

bool InterruptWatch::InterruptedWithin(absl::Duration timeout) {
  if (interrupted_) return true;
  const timespec wait = absl::ToTimespec(timeout);
  interrupted_ = sigtimedwait(&watched_, nullptr, &wait) > 0;
  return interrupted_;
}

}  // namespace tiendo::ctl
