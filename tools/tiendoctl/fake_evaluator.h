// FakeEvaluator: an in-process tiendo.evaluator.v1.TargetEvaluator for tiendoctl's tests,
// written against evaluator.proto (the real service is tested on its own). It listens on a
// loopback port the kernel picks, records every request, and serves the progress entries the
// test sets: ListProgress by target id in pages (filtered by plan and statuses, each entry
// stamped with the requested as_of), GetProgress by target id, and WatchProgress as the proto
// describes it — the initial state past the client's resume versions, the marker, then each
// version the test publishes and each target it removes — until the test ends the open
// watches with a status of its choice (after they have written what they hold); and
// GetCompleteness, the rows the test sets in pages, as they are (no filtering).
#pragma once

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "tiendo/evaluator/v1/evaluator.grpc.pb.h"

namespace tiendo::ctl::testing {

class FakeEvaluator : public evaluator::v1::TargetEvaluator::CallbackService {
 public:
  // Starts serving on 127.0.0.1:0.
  FakeEvaluator();
  ~FakeEvaluator() override;

  // "127.0.0.1:PORT".
  const std::string& address() const { return address_; }

  // --- What the test sets -------------------------------------------------------------------
  // The progress of every target the evaluator knows, replacing what was set before.
  void SetProgress(const std::vector<evaluator::v1::Progress>& entries);
  // The rows GetCompleteness answers, whatever the filters.
  void SetCompleteness(const std::vector<evaluator::v1::CompletenessRow>& rows);
  // ListProgress and GetCompleteness answer at most this many a page, whatever the client
  // asks.
  void SetMaxPageSize(int size);
  // Every call fails with `status` before doing anything.
  void FailWith(absl::Status status);
  // A new version of a target: kept, and sent to every open watch that selects it.
  void Publish(const evaluator::v1::Progress& progress);
  // The target is deleted: forgotten, and sent to every open watch that selects it.
  void Remove(const std::string& target_id);
  // Ends every open watch with `status` once it has written what it holds.
  void EndWatches(absl::Status status);
  // Waits (up to 10 seconds) until `count` watches have been opened in all; false if not.
  bool AwaitWatches(int count) const;

  // --- What the client sent -----------------------------------------------------------------
  std::vector<evaluator::v1::ListProgressRequest> list_requests() const;
  std::vector<evaluator::v1::GetProgressRequest> get_requests() const;
  std::vector<evaluator::v1::WatchProgressRequest> watch_requests() const;
  std::vector<evaluator::v1::GetCompletenessRequest> completeness_requests() const;

  // --- The service --------------------------------------------------------------------------
  grpc::ServerUnaryReactor* GetProgress(grpc::CallbackServerContext* context,
                                        const evaluator::v1::GetProgressRequest* request,
                                        evaluator::v1::Progress* response) override;
  grpc::ServerUnaryReactor* ListProgress(grpc::CallbackServerContext* context,
                                         const evaluator::v1::ListProgressRequest* request,
                                         evaluator::v1::ListProgressResponse* response) override;
  grpc::ServerWriteReactor<evaluator::v1::WatchProgressResponse>* WatchProgress(
      grpc::CallbackServerContext* context,
      const evaluator::v1::WatchProgressRequest* request) override;
  grpc::ServerUnaryReactor* GetCompleteness(
      grpc::CallbackServerContext* context, const evaluator::v1::GetCompletenessRequest* request,
      evaluator::v1::GetCompletenessResponse* response) override;

 private:
  class Watch;

  absl::Status Get(const evaluator::v1::GetProgressRequest& request,
                   evaluator::v1::Progress* response) ABSL_LOCKS_EXCLUDED(mutex_);
  absl::Status List(const evaluator::v1::ListProgressRequest& request,
                    evaluator::v1::ListProgressResponse* response) ABSL_LOCKS_EXCLUDED(mutex_);
  absl::Status Completeness(const evaluator::v1::GetCompletenessRequest& request,
                            evaluator::v1::GetCompletenessResponse* response)
      ABSL_LOCKS_EXCLUDED(mutex_);
  // Called by a watch when gRPC is done with it, before it deletes itself.
  void Forget(Watch* watch) ABSL_LOCKS_EXCLUDED(mutex_);

  mutable absl::Mutex mutex_;
  // Target id → its latest progress.
  std::map<std::string, evaluator::v1::Progress> progress_ ABSL_GUARDED_BY(mutex_);
  std::vector<evaluator::v1::CompletenessRow> completeness_ ABSL_GUARDED_BY(mutex_);
  int max_page_size_ ABSL_GUARDED_BY(mutex_) = 1000;
  std::optional<absl::Status> fail_with_ ABSL_GUARDED_BY(mutex_);
  std::set<Watch*> open_watches_ ABSL_GUARDED_BY(mutex_);
  std::vector<evaluator::v1::ListProgressRequest> list_requests_ ABSL_GUARDED_BY(mutex_);
  std::vector<evaluator::v1::GetProgressRequest> get_requests_ ABSL_GUARDED_BY(mutex_);
  std::vector<evaluator::v1::WatchProgressRequest> watch_requests_ ABSL_GUARDED_BY(mutex_);
  std::vector<evaluator::v1::GetCompletenessRequest> completeness_requests_
      ABSL_GUARDED_BY(mutex_);

  std::string address_;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace tiendo::ctl::testing
