// ProgressReadModel: every target's latest progress as tiendo.progress.v1 says it is — what
// any evaluator replica answers GetProgress, ListProgress and WatchProgress from, whoever
// computed it. A kafka::TopicFollower reads the whole topic from the beginning (no group) on
// a thread of its own; per target the highest version wins, so a record read twice (after a
// publisher's crash) or out of order changes nothing. A removal event removes the target and
// keeps its version (a tombstone removes it too). The last versions of each target are kept
// (kRetainedVersions), so a dashboard resuming a watch from a version it has gets the
// versions it missed, not only the latest.
//
// Thread-safe. Listeners hear of every new version as it enters the model.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/kafka/topic_follower.h"
#include "services/common/metrics/metric_registry.h"
#include "tiendo/events/v1/progress_event.pb.h"

namespace tiendo::evaluator {

class ProgressReadModel {
 public:
  // Versions kept per target, the latest last.
  static constexpr size_t kRetainedVersions = 64;
  using History = std::deque<evaluator::v1::Progress>;

  // Called on the follower's thread with each event that changed the model (a new version,
  // or a removal), under the model's lock: it must be quick and must not call the model.
  using Listener = std::function<void(const events::v1::ProgressEvent&)>;

  static absl::StatusOr<std::unique_ptr<ProgressReadModel>> Start(
      const kafka::KafkaOptions& options, const std::string& client_id,
      metrics::MetricRegistry& metrics);
  ~ProgressReadModel();
  ProgressReadModel(const ProgressReadModel&) = delete;
  ProgressReadModel& operator=(const ProgressReadModel&) = delete;

  // True once everything that was in the topic at start has been read.
  bool caught_up() const;
  // Waits up to `timeout` until every record below `ends` (partition → offset, e.g. the
  // topic's high watermarks a moment ago) has been read; returns whether it has.
  bool WaitForEnds(const std::map<int32_t, int64_t>& ends, absl::Duration timeout) const;

  // The target's latest progress, if it has any.
  std::optional<evaluator::v1::Progress> Find(absl::string_view target_id) const;
  // The highest version the topic holds for the target, its removal included; 0 if none.
  int64_t LastVersion(absl::string_view target_id) const;
  // Every target's latest progress, by target id, filtered by `keep`.
  std::vector<evaluator::v1::Progress> List(
      const std::function<bool(const evaluator::v1::Progress&)>& keep) const;

  // The highest version each target ever had, removed targets included.
  using Versions = absl::flat_hash_map<std::string, int64_t>;
  // Registers `listener` and, under the same lock (so that no version falls between the
  // two), hands `current` every target's retained versions, by target id, and every target's
  // highest version (a removed target's is its removal's). Returns an id for Unsubscribe.
  int Subscribe(
      Listener listener,
      const std::function<void(const std::vector<const History*>&, const Versions&)>& current);
  void Unsubscribe(int id);

  // Stops following. Idempotent; the destructor calls it.
  void Stop();

 private:
  explicit ProgressReadModel(metrics::Gauge& targets);
  void Handle(absl::Span<const kafka::ConsumedRecord> records);

  metrics::Gauge& targets_gauge_;
  std::unique_ptr<kafka::TopicFollower> follower_;

  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, History> history_ ABSL_GUARDED_BY(mu_);
  // Highest version ever seen per target, removals included, so an old record re-read
  // cannot bring a removed target back.
  Versions versions_ ABSL_GUARDED_BY(mu_);
  std::map<int32_t, int64_t> next_offsets_ ABSL_GUARDED_BY(mu_);
  std::map<int, Listener> listeners_ ABSL_GUARDED_BY(mu_);
  int next_listener_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace tiendo::evaluator
