// SubmissionLogFollower: feeds the ledger what other replicas and earlier runs accepted, so
// that a resend to any replica is recognised.
//  - tiendo.submissions.v1, read whole from the beginning up to the end it has at start-up
//    (every replica reads every partition), then no further: every id accepted before.
//  - tiendo.submissions.ledger.v1, read from its beginning (a day) onward: the ids any replica
//    had accepted (AcceptedIds, written by its LedgerAnnouncer once Kafka acknowledged them).
//    This replica's own, known by their key, are passed over undecoded: its batches settle
//    those themselves.
// Ingest serves once both are caught up. An id another replica accepted is known here once
// its AcceptedIds arrives, about 150 ms after the write; if that replica died between the
// two writes, only after this replica restarts (a resend to it until then is written again,
// and the evaluator counts it once). Undecodable records are counted and skipped.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/kafka/topic_follower.h"
#include "services/common/metrics/metric_registry.h"
#include "services/metrics-ingest/submission_ledger.h"

namespace tiendo::ingest {

class SubmissionLogFollower {
 public:
  static absl::StatusOr<std::unique_ptr<SubmissionLogFollower>> Start(
      const kafka::KafkaOptions& options, SubmissionLedger& ledger,
      metrics::MetricRegistry& metrics);

  bool caught_up() const { return submissions_->caught_up() && announced_->caught_up(); }
  void Stop() {
    submissions_->Stop();
    announced_->Stop();
  }

 private:
  SubmissionLogFollower(std::unique_ptr<kafka::TopicFollower> submissions,
                        std::unique_ptr<kafka::TopicFollower> announced)
      : submissions_(std::move(submissions)), announced_(std::move(announced)) {}

  std::unique_ptr<kafka::TopicFollower> submissions_;  // tiendo.submissions.v1, to its end
  std::unique_ptr<kafka::TopicFollower> announced_;    // tiendo.submissions.ledger.v1
};

}  // namespace tiendo::ingest
