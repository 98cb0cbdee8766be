#include "tools/tiendoctl/watch_stream.h"

#include "absl/time/clock.h"
#include "services/common/grpc/grpc_status.h"

namespace tiendo::ctl {
namespace {

// How long a wait for the next message lasts before the signals are looked at again.
constexpr absl::Duration kInterruptCheck = absl::Milliseconds(100);

// One operation of the call at a time: the queue's events need no telling apart.
class PendingOperation {
 public:
  PendingOperation(grpc::CompletionQueue& queue, grpc::ClientContext& context,
                   InterruptWatch& interrupts, WatchEnd& end)
      : queue_(queue), context_(context), interrupts_(interrupts), end_(end) {}

  void* tag() { return this; }

  // Waits for the operation started with tag(); whether it succeeded. An interrupt cancels
  // the call, which then completes the operation unsuccessfully.
  bool Await() {
    while (true) {
      if (!end_.interrupted && interrupts_.Interrupted()) {
        end_.interrupted = true;
        context_.TryCancel();
      }
      void* tag = nullptr;
      bool ok = false;
      switch (queue_.AsyncNext(&tag, &ok, absl::ToChronoTime(absl::Now() + kInterruptCheck))) {
        case grpc::CompletionQueue::GOT_EVENT:
          return ok;
        case grpc::CompletionQueue::TIMEOUT:
          break;
        case grpc::CompletionQueue::SHUTDOWN:
          return false;
      }
    }
  }

 private:
  grpc::CompletionQueue& queue_;
  grpc::ClientContext& context_;
  InterruptWatch& interrupts_;
  WatchEnd& end_;
};

}  // namespace

WatchEnd ReadWatch(
    evaluator::v1::TargetEvaluator::Stub& stub, const evaluator::v1::WatchProgressRequest& request,
    InterruptWatch& interrupts,
    const std::function<void(const evaluator::v1::WatchProgressResponse&)>& on_message) {
  WatchEnd end;
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  PendingOperation operation(queue, context, interrupts, end);
  auto call = stub.PrepareAsyncWatchProgress(&context, request, &queue);
  call->StartCall(operation.tag());
  bool open = operation.Await();
  evaluator::v1::WatchProgressResponse message;
  while (open) {
    call->Read(&message, operation.tag());
    open = operation.Await();
    if (open) on_message(message);
  }
  grpc::Status status;
  call->Finish(&status, operation.tag());
  operation.Await();
  end.status = server::FromGrpcStatus(status);
  queue.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (queue.Next(&tag, &ok)) {
  }
  return end;
}

}  // namespace tiendo::ctl
