// RawTopicIngester: the Kafka-direct path. Department systems produce RawSubmissionBatch
// records to tiendo.submissions.raw.v1 with their token in the `authorization` header; this
// reads them in a consumer group and treats every item exactly like a gRPC item (the same
// SubmissionIntake). Accepted items go to tiendo.submissions.v1; each rejected item, and every
// record that cannot be read (no value, wrong schema header, not protobuf, too large or with
// more than 16 KiB of key and headers, no or bad token, no items), goes to
// tiendo.submissions.rejected.v1 with the reason and the original bytes (only their start,
// and not the record's key and headers, when all would not fit in a Kafka record).
// Duplicates are dropped (they are already on the submissions topic).
//
// A round polls a batch of records, decides them, waits until Kafka acknowledged every
// output, and only then commits the records' offsets: a crash re-reads what was not
// committed, and duplicates make that harmless. A poison record costs one dead letter and
// never stalls its partition; only Kafka being unreachable stops the path (it then retries).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/common/kafka/consumer.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/kafka/producer.h"
#include "services/common/metrics/metric_registry.h"
#include "services/common/registry_view/registry_follower.h"
#include "services/metrics-ingest/submission_intake.h"

namespace tiendo::ingest {

struct RawTopicOptions {
  std::string group_id;  // the consumer group the replicas share
  int64_t max_items_per_batch = 1000;
  int64_t max_record_bytes = 4 * 1024 * 1024;
  int records_per_round = 500;
  absl::Duration retry_backoff = absl::Seconds(2);
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

class RawTopicIngester {
 public:
  RawTopicIngester(const kafka::KafkaOptions& kafka, RawTopicOptions options,
                   registry_view::RegistryFollower& registry, SubmissionIntake& intake,
                   kafka::Producer& producer, metrics::MetricRegistry& metrics);
  ~RawTopicIngester();
  RawTopicIngester(const RawTopicIngester&) = delete;
  RawTopicIngester& operator=(const RawTopicIngester&) = delete;

  // Joins the group and starts the thread.
  absl::Status Start();
  // Finishes the round in flight (its outputs acknowledged, offsets committed; given up,
  // uncommitted, after 5 s, e.g. when Kafka is gone) and stops.
  void Stop();

 private:
  struct Round;
  void Run();
  // One round: false if it must be retried (its offsets were not committed).
  bool RunRound(kafka::Consumer& consumer);
  // Starts deciding `record`; its outputs are tracked by `round`.
  void Handle(const kafka::ConsumedRecord& record, const std::shared_ptr<Round>& round);
  // Queues a dead letter for `record` (the whole record, or one item of it).
  void DeadLetter(const std::shared_ptr<Round>& round, const kafka::ConsumedRecord& record,
                  v1::RejectionReason reason, const std::string& message,
                  const std::string& field = "", std::optional<int> item_index = std::nullopt,
                  const std::string& item_bytes = "", const std::string& reporting_unit_id = "",
                  const std::string& submission_id = "", const std::string& batch_id = "");

  const kafka::KafkaOptions kafka_;
  const RawTopicOptions options_;
  const std::string raw_topic_;
  const std::string rejected_topic_;
  registry_view::RegistryFollower& registry_;
  SubmissionIntake& intake_;
  kafka::Producer& producer_;
  metrics::Counter& records_;
  metrics::Counter& dead_letters_;
  metrics::Counter& retries_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace tiendo::ingest
