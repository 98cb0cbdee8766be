// SubmissionLogFollower: feeds the ledger from tiendo.submissions.v1, read whole from the
// beginning (every replica reads every partition), so that an id accepted by another replica
// or before a restart is still recognised. Undecodable records are counted and skipped.
// Nearly every record is this replica's own write. Those Kafka has reported already
// (WrittenOffsets) are read past without being unpacked, their ids taken from there: each
// settles its write in the ledger, as reading it would. Of the others, records that name
// their id and writer (kLedgerKeyHeader, kLedgerWriterHeader) are not decoded when the ledger
// knows the id, or when this replica is writing it: then the record settles the write. The
// follower fetches in fewer, larger responses, and learns ids accepted elsewhere up to
// 100 ms later.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/kafka/topic_follower.h"
#include "services/common/metrics/metric_registry.h"
#include "services/metrics-ingest/submission_ledger.h"
#include "services/metrics-ingest/written_offsets.h"

namespace tiendo::ingest {

class SubmissionLogFollower {
 public:
  static absl::StatusOr<std::unique_ptr<SubmissionLogFollower>> Start(
      const kafka::KafkaOptions& options, SubmissionLedger& ledger, WrittenOffsets& written,
      metrics::MetricRegistry& metrics);

  bool caught_up() const { return follower_->caught_up(); }
  void Stop() { follower_->Stop(); }

 private:
  explicit SubmissionLogFollower(std::unique_ptr<kafka::TopicFollower> follower)
      : follower_(std::move(follower)) {}

  std::unique_ptr<kafka::TopicFollower> follower_;
};

}  // namespace tiendo::ingest
