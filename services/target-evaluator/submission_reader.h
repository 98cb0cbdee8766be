// SubmissionReader: this replica's share of tiendo.submissions.v1, read in the evaluators'
// consumer group on a thread of its own. It starts once the registry and the read model
// have caught up (the engine needs the indicators; a partition going live needs to know what
// the progress topic holds). Every partition the group gives it is read from its first
// offset (its cells are rebuilt from the log) and goes live once it has read what the
// partition held when it was taken and the read model has read every progress event
// published so far; a partition taken away is dropped from the engine after the events
// published for it are flushed, so that its next owner reads them.
//
// Snapshots. With a SnapshotStore, the reader starts from the latest snapshot: the engine
// takes its state, and each partition it covered resumes at its offset when the group gives
// it back; those the group gives to others are dropped once every partition this replica
// was given is live (replayed from their first offset if they come later). It offers a new snapshot every
// `every_records` records or `interval`, whichever comes first, if anything was read since
// the last, and writes a last one when it stops. Offsets are committed to the group only
// once a snapshot covering them is durable; nothing reads them back (a replica without the
// snapshot has not the state they stand for, so it replays), but they show the group's lag.
//
// Two threads: the reader polls and parses a batch (SubmissionBatch) while the applier
// applies the batch before to the engine. A partition moves (the rebalance listener) and the
// reader stops only once what was read is applied.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "services/common/kafka/consumer.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/kafka/producer.h"
#include "services/common/registry_view/registry_follower.h"
#include "services/target-evaluator/progress_engine.h"
#include "services/target-evaluator/progress_read_model.h"
#include "services/target-evaluator/snapshot_store.h"
#include "services/target-evaluator/submission_batch.h"

namespace tiendo::evaluator {

// When the reader snapshots the engine's state.
struct SnapshotPolicy {
  SnapshotStore* store = nullptr;  // nullptr: no snapshots, every start replays from zero
  int64_t every_records = 100000;
  absl::Duration interval = absl::Seconds(60);
};

class SubmissionReader {
 public:
  // `membership`: settings of the group member's consumer (session timeout, static id, local
  // queue).
  SubmissionReader(const kafka::KafkaOptions& kafka, std::string group_id,
                   std::map<std::string, std::string> membership,
                   registry_view::RegistryFollower& registry, ProgressReadModel& read_model,
                   ProgressEngine& engine, kafka::Producer& producer,
                   SnapshotPolicy snapshots);
  ~SubmissionReader();
  SubmissionReader(const SubmissionReader&) = delete;
  SubmissionReader& operator=(const SubmissionReader&) = delete;

  void Start();
  // Leaves the group (dropping its partitions) and ends the thread. Idempotent.
  void Stop();

 private:
  void Run();
  // Waits until the engine has the registry and the read model has caught up; false if
  // stopped first.
  bool AwaitInputs();
  // Reads as a group member until stopped or the consumer fails; `probe` asks watermarks.
  // Returns once everything it read is applied (the batches live in it).
  void Consume(kafka::Consumer& consumer, kafka::Consumer& probe);
  // Takes live the partitions that have read what they held when taken.
  void GoLiveWhereCaughtUp(kafka::Consumer& probe);
  // Loads the latest snapshot into the engine, if there is one it can use.
  void Restore();
  // Where each partition the group gives starts.
  void Assign(std::vector<kafka::RecordPosition>& assigned);
  // Offers a snapshot when one is due (`stopping`: writes it now, whatever the policy).
  void Snapshot(bool stopping);
  // Commits the offsets of the last durable snapshot for the partitions still held.
  void CommitDurable(kafka::Consumer& consumer);
  // Gives `batch` to the applier once it has applied the last (`batch` must stay untouched
  // until then: until the next HandOver or AwaitApplied returns).
  void HandOver(const SubmissionBatch& batch) ABSL_LOCKS_EXCLUDED(handover_mu_);
  // Waits until every batch handed over is applied.
  void AwaitApplied() ABSL_LOCKS_EXCLUDED(handover_mu_);
  bool Idle() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(handover_mu_);
  // The applier's thread: applies each batch handed over until stopped.
  void ApplyHandedOver() ABSL_LOCKS_EXCLUDED(handover_mu_);

  const kafka::KafkaOptions kafka_;
  const std::string group_id_;
  const std::map<std::string, std::string> membership_;
  const std::string submissions_topic_;
  const std::string progress_topic_;
  registry_view::RegistryFollower& registry_;
  ProgressReadModel& read_model_;
  ProgressEngine& engine_;
  kafka::Producer& producer_;
  const SnapshotPolicy snapshots_;
  // Records read since the last snapshot was offered, and when it was.
  int64_t unsnapshotted_records_ = 0;
  absl::Time last_snapshot_ = absl::Now();
  // Partitions taken and not yet live → the end to read up to (-1: not known yet). Used by
  // the reader's thread only (the rebalance listener runs on it).
  std::map<int32_t, int64_t> catching_up_;
  absl::Notification stop_;
  std::thread thread_;

  absl::Mutex handover_mu_;
  const SubmissionBatch* handed_over_ ABSL_GUARDED_BY(handover_mu_) = nullptr;
  bool applying_ ABSL_GUARDED_BY(handover_mu_) = false;
  bool applier_stopping_ ABSL_GUARDED_BY(handover_mu_) = false;
  std::thread applier_;
};

}  // namespace tiendo::evaluator
