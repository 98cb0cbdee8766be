// TopicFollower: reads a whole topic from the beginning and then keeps reading it, on a
// thread of its own, handing records in log order to a handler — how a replica keeps a global
// table (the registry view, ingest's ledger of accepted submission ids) without a consumer
// group. It is caught up once it has read every record that was in the topic when it
// started; services report NOT_SERVING until then. A follower may also stop reading there
// (Reach::kStartEnd), when what the topic holds later reaches the replica some other way.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/kafka/consumer.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/kafka/record.h"
#include "services/common/metrics/metric_registry.h"

namespace tiendo::kafka {

class TopicFollower {
 public:
  // Called on the follower's thread with each batch of records, in log order per partition.
  using RecordHandler = std::function<void(absl::Span<const ConsumedRecord>)>;

  enum class Reach {
    kOnward,    // keeps reading until Stop
    kStartEnd,  // ends once caught up: the records after the end recorded at start may or
                // may not have been handled
  };

  // Assigns every partition of `topic` (a full name) from the beginning, records its end
  // offsets and starts following. UNAVAILABLE when the cluster does not answer within a few
  // seconds, NOT_FOUND when the topic does not exist. `metric_prefix` names the follower's
  // metrics, e.g. "tiendo_registry_view" gives tiendo_registry_view_caught_up.
  static absl::StatusOr<std::unique_ptr<TopicFollower>> Start(
      const KafkaOptions& options, const std::string& topic, const std::string& client_id,
      RecordHandler handler, metrics::MetricRegistry& metrics, const std::string& metric_prefix,
      Reach reach = Reach::kOnward);
  ~TopicFollower();
  TopicFollower(const TopicFollower&) = delete;
  TopicFollower& operator=(const TopicFollower&) = delete;

  // True once, on every partition, everything up to the end recorded at start has been
  // handled (at once for an empty topic); stays true afterwards. With Reach::kStartEnd, the
  // follower has then stopped reading: no record is handled after it turns true.
  bool caught_up() const;
  // Waits up to `timeout` for caught_up(); returns it.
  bool WaitCaughtUp(absl::Duration timeout) const;

  // Stops following: the thread ends within a poll interval (if it has not ended at the
  // start end) and the consumer is closed. Idempotent; the destructor calls it. Not from the
  // handler.
  void Stop();

  const std::string& topic() const { return topic_; }

 private:
  TopicFollower(std::unique_ptr<Consumer> consumer, std::string topic,
                std::map<int32_t, Watermarks> end, RecordHandler handler, Reach reach,
                metrics::Gauge& caught_up, metrics::Counter& errors);
  void Follow();
  // True when the consumer has reached the end recorded at start on every partition. After a
  // poll that brought nothing, it first forgets what was deleted since (Consumer::ForgetDeleted).
  bool ReachedStartEnd(bool polled_nothing);
  // Waits up to `timeout` unless Stop is called; returns whether it was.
  bool StopRequestedWithin(absl::Duration timeout);

  // Used by the follower's thread only (and by Stop once the thread has ended).
  std::unique_ptr<Consumer> consumer_;  // null once it stopped at the start end
  const std::string topic_;
  std::map<int32_t, Watermarks> start_end_;
  bool deleted_query_failing_ = false;  // ForgetDeleted's last query failed
  const RecordHandler handler_;
  const Reach reach_;
  metrics::Gauge& caught_up_gauge_;
  metrics::Counter& errors_;

  mutable absl::Mutex state_mu_;
  bool caught_up_ ABSL_GUARDED_BY(state_mu_) = false;
  bool stop_requested_ ABSL_GUARDED_BY(state_mu_) = false;
  absl::Mutex stop_mu_;  // serialises Stop
  std::thread thread_ ABSL_GUARDED_BY(stop_mu_);
};

}  // namespace tiendo::kafka
