// ProgressWatch: one WatchProgress stream. It subscribes to the read model and writes, in
// order: the current progress of every selected target — for a target the client resumes
// from a version it has, every retained version after that one instead (TargetRemoved if it
// was removed since), and nothing if it is current — the InitialStateComplete marker, then
// every new version as the read model learns it.
//
// Nothing is sent twice and nothing is missed: per target it remembers the last version sent
// and drops anything not newer. A client reading slower than progress changes has up to
// kPendingVersions versions per target waiting for it; beyond that the oldest give way, and
// skipped_versions on the next message says how many it did not get.
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "services/target-evaluator/progress_read_model.h"
#include "tiendo/evaluator/v1/evaluator.pb.h"

namespace tiendo::evaluator {

class ProgressWatch final : public grpc::ServerWriteReactor<v1::WatchProgressResponse> {
 public:
  static constexpr size_t kPendingVersions = 64;

  // Validates `request` (the stream ends at once with INVALID_ARGUMENT or NOT_FOUND) and
  // starts writing. `done` runs once the stream is over, before the watch deletes itself.
  ProgressWatch(const v1::WatchProgressRequest& request, ProgressReadModel& read_model,
                std::function<void(ProgressWatch*)> done);

  // Ends the stream with `status` (e.g. UNAVAILABLE when the replica shuts down) unless it
  // has ended already.
  void End(const grpc::Status& status);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  // What is waiting to be written: the next pending version of a target, or the
  // end-of-initial marker (an empty id).
  struct Queued {
    std::string target_id;
  };
  struct Pending {
    events::v1::ProgressEvent event;
    bool initial;
  };

  bool Selected(const v1::Progress& progress) const;
  // Takes a new event from the read model (under its lock: quick, no calls back into it).
  void Offer(const events::v1::ProgressEvent& event, bool initial);
  // Starts the next write if none is in flight.
  void WriteNext() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  ProgressReadModel& read_model_;
  const std::function<void(ProgressWatch*)> done_;
  absl::flat_hash_set<std::string> target_ids_;  // empty: by plan, or every target
  std::string plan_id_;
  std::optional<int> subscription_;

  absl::Mutex mu_;
  std::deque<Queued> queue_ ABSL_GUARDED_BY(mu_);
  // Target → its versions not yet written, oldest first.
  absl::flat_hash_map<std::string, std::deque<Pending>> waiting_ ABSL_GUARDED_BY(mu_);
  // Target → the last version the client has (sent here, or its resume version).
  absl::flat_hash_map<std::string, int64_t> sent_ ABSL_GUARDED_BY(mu_);
  v1::WatchProgressResponse writing_ ABSL_GUARDED_BY(mu_);
  bool write_in_flight_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace tiendo::evaluator
