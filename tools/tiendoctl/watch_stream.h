// Reading one WatchProgress call in the calling thread while listening for Ctrl-C: the call
// runs on a completion queue that is polled, so an interrupt is noticed between two messages
// instead of after the next one (which may be hours away) and cancels the call.
//
// The call has no deadline: a watch lasts until the user or the evaluator ends it.
#pragma once

#include <functional>

#include "absl/status/status.h"
#include "tiendo/evaluator/v1/evaluator.grpc.pb.h"
#include "tools/tiendoctl/interrupt_watch.h"

namespace tiendo::ctl {

// How a WatchProgress call ended.
struct WatchEnd {
  // The call's status, violations restored; CANCELLED after an interrupt.
  absl::Status status;
  // SIGINT or SIGTERM arrived (and the call was cancelled).
  bool interrupted = false;
};

// Opens WatchProgress(`request`) and hands every message to `on_message` as it arrives, until
// the stream ends or `interrupts` reports a signal.
WatchEnd ReadWatch(
    evaluator::v1::TargetEvaluator::Stub& stub, const evaluator::v1::WatchProgressRequest& request,
    InterruptWatch& interrupts,
    const std::function<void(const evaluator::v1::WatchProgressResponse&)>& on_message);

}  // namespace tiendo::ctl
