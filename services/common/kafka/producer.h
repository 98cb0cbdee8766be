// Producer: an idempotent Kafka producer (acks=all) whose delivery reports
// become absl::Status. A background thread serves delivery reports; Flush()
// waits for every outstanding one and must be called before the producer is
// destroyed if the caller cares about records still in flight.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/kafka/record.h"

namespace tiendo::kafka {

// Receives the delivery report of one record, on the producer's thread: where the record
// landed or why it was not written. Must not block.
class DeliveryReceiver {
 public:
  virtual ~DeliveryReceiver() = default;
  virtual void Delivered(absl::StatusOr<RecordPosition> position) = 0;
};

class Producer {
 public:
  // Called once per record, on the producer's thread, with where the record
  // landed or why it was not written. Must not block.
  using DeliveryCallback = std::function<void(absl::StatusOr<RecordPosition>)>;

  // `settings` override the defaults (enable.idempotence=true, acks=all,
  // linger.ms=5); e.g. message.timeout.ms bounds how long a record may wait
  // for an unreachable broker before its report is a failure.
  static absl::StatusOr<std::unique_ptr<Producer>> Create(
      const KafkaOptions& options, const std::string& client_id,
      const std::map<std::string, std::string>& settings = {});
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Queues `record`; `done` reports its delivery. An error here (queue full,
  // unknown topic) means the record was not queued and `done` is not called.
  absl::Status Produce(const OutgoingRecord& record, DeliveryCallback done);
  // As above, reporting to `receiver`, which the caller keeps alive until its report: no
  // allocation per record, for callers that produce many.
  absl::Status Produce(const OutgoingRecord& record, DeliveryReceiver& receiver);

  // Produces and waits up to `timeout` for the delivery report.
  absl::StatusOr<RecordPosition> ProduceAndWait(const OutgoingRecord& record,
                                                absl::Duration timeout);

  // Waits up to `timeout` until every queued record is delivered or failed.
  // DEADLINE_EXCEEDED names how many records are still outstanding.
  absl::Status Flush(absl::Duration timeout);

  // Records queued but not yet reported.
  int OutstandingRecords() const;

 private:
  struct TopicDeleter {
    void operator()(rd_kafka_topic_t* topic) const;
  };
  using TopicPtr = std::unique_ptr<rd_kafka_topic_t, TopicDeleter>;

  explicit Producer(HandlePtr handle);
  void ServeDeliveryReports();
  // The handle of `topic`, made on its first record and kept: a record that names its topic
  // instead has librdkafka look the topic up under the client's write lock, which every
  // producing thread and librdkafka's own then contend for.
  absl::StatusOr<rd_kafka_topic_t*> TopicHandle(const std::string& topic);

  HandlePtr handle_;
  std::atomic<bool> stopping_{false};
  std::thread poller_;
  absl::Mutex topics_mu_;
  // Declared after handle_: destroyed before it.
  absl::flat_hash_map<std::string, TopicPtr> topics_ ABSL_GUARDED_BY(topics_mu_);
};

}  // namespace tiendo::kafka
