// RegistryFollower: keeps a RegistryView up to date from the topic tiendo.registry.v1, for a
// service replica that must not call the registry. A kafka::TopicFollower reads the whole
// topic from the beginning (no group: every replica reads everything) on a thread of its
// own; the follower is caught up once it has applied every record that was in the topic
// when it started; until then the service reports NOT_SERVING.
//
// Records that do not decode are logged and skipped: a bad record must not stop a replica.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/kafka/record.h"
#include "services/common/kafka/topic_follower.h"
#include "services/common/metrics/metric_registry.h"
#include "services/common/registry_view/registry_view.h"

namespace tiendo::registry_view {

class RegistryFollower {
 public:
  // Called on the follower's thread, outside the view's lock (so it may call Read), with
  // the changes that one batch of records applied, in log order. Must not block for long:
  // the view does not move while it runs.
  using ChangeCallback = std::function<void(const std::vector<RegistryChange>&)>;

  // Assigns every partition of the registry topic (named with `options`' prefix) from the
  // beginning, records its end offsets, and starts following. UNAVAILABLE when the cluster
  // does not answer within a few seconds, NOT_FOUND when the topic does not exist.
  // `metrics` must outlive the follower.
  static absl::StatusOr<std::unique_ptr<RegistryFollower>> Start(
      const kafka::KafkaOptions& options, const std::string& client_id,
      metrics::MetricRegistry& metrics, ChangeCallback on_change = {});
  ~RegistryFollower();
  RegistryFollower(const RegistryFollower&) = delete;
  RegistryFollower& operator=(const RegistryFollower&) = delete;

  // True once, on every partition, everything up to the end recorded at start has been
  // applied (at once for an empty topic); stays true afterwards.
  bool caught_up() const;

  // Waits up to `timeout` for caught_up(); returns it.
  bool WaitCaughtUp(absl::Duration timeout) const;

  // Runs f(const RegistryView&) under the view's reader lock and returns what f returns.
  // Pointers into the view must not escape f.
  template <typename F>
  auto Read(F&& f) const {
    absl::ReaderMutexLock lock(&view_mu_);
    return std::forward<F>(f)(static_cast<const RegistryView&>(view_));
  }

  // Stops following: the reading thread ends within a poll interval and its consumer is
  // closed. Idempotent; the destructor calls it. The view stays readable. Not from the
  // callback.
  void Stop();

 private:
  struct Metrics {
    metrics::Counter* applied;
    metrics::Counter* skipped;
    metrics::Counter* undecodable;
    std::map<registry::v1::EntityKind, metrics::Gauge*> entities;
  };

  RegistryFollower(Metrics metrics, ChangeCallback on_change);
  static Metrics RegisterMetrics(metrics::MetricRegistry& registry);

  // Applies a batch of records (on the topic follower's thread) and reports the changes.
  void Handle(absl::Span<const kafka::ConsumedRecord> records);
  // Applies `records` to the view; returns the changes that were applied.
  std::vector<RegistryChange> ApplyBatch(absl::Span<const kafka::ConsumedRecord> records);

  const Metrics metrics_;
  const ChangeCallback on_change_;

  mutable absl::Mutex view_mu_;
  RegistryView view_ ABSL_GUARDED_BY(view_mu_);

  // Set by Start before it returns; its thread calls Handle.
  std::unique_ptr<kafka::TopicFollower> topic_follower_;
};

}  // namespace tiendo::registry_view
