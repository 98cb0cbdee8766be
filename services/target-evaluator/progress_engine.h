// ProgressEngine: the evaluator's state and what it publishes. It holds one core
// ProgressTracker with the whole registry and the cells of the tiendo.submissions.v1
// partitions this replica owns, and publishes the progress of the targets it owns to
// tiendo.progress.v1.
//
// Ownership. Submissions are keyed by indicator, so a partition holds whole indicators; a
// target belongs to the replica that holds the partition its indicator's key maps to
// (kafka::KeyPartition), derived indicators included. Exactly one replica publishes a target.
//
// A partition's life here: its submissions are applied in order from the start of the log,
// it goes live (GoLive) once they include what the partition held when it was assigned, and
// it is dropped (Drop) when the group moves it away. Nothing is published for a partition
// that is not live: a replica catching up passes through states published long ago.
//
// Publication. A target whose inputs changed is re-assessed after each batch; its progress is
// published only when it differs from the last progress published for it (in value, status,
// data or definition; the as-of date, change time and cause alone do not count), with the
// next version. GoLive compares every target of the partition with the read model (what
// tiendo.progress.v1 holds), so after a restart or a move exactly the differences are
// published and versions continue where the topic left off.
//
// Thread-safe: the registry follower's thread, the submission reader's thread and gRPC
// threads call it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/core/progress_tracker.h"
#include "services/common/core/tracker_snapshot.h"
#include "services/common/kafka/producer.h"
#include "services/common/kafka/record.h"
#include "services/common/metrics/metric_registry.h"
#include "services/common/registry_view/registry_view.h"
#include "services/target-evaluator/progress_read_model.h"
#include "services/target-evaluator/report_receipts.h"
#include "services/target-evaluator/snapshot_store.h"
#include "services/target-evaluator/submission_batch.h"
#include "tiendo/evaluator/v1/evaluator.pb.h"
#include "tiendo/evaluator/v1/progress.pb.h"
#include "tiendo/events/v1/submission_event.pb.h"

namespace tiendo::evaluator {

struct EngineOptions {
  std::string progress_topic;     // full name, with any prefix
  std::string submissions_topic;  // full name, with any prefix
  int32_t submission_partitions;  // of tiendo.submissions.v1
  std::string instance;           // recorded on each published event
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

class ProgressEngine {
 public:
  ProgressEngine(EngineOptions options, kafka::Producer& producer,
                 const ProgressReadModel& read_model, metrics::MetricRegistry& metrics);

  // --- Registry ------------------------------------------------------------------------------
  // Loads every entity of `view` in dependency order (administrative units, indicators,
  // targets, enterprises, public services). Changes reported before this are ignored: the
  // view they came from is what this loads.
  void LoadRegistry(const registry_view::RegistryView& view);
  // Applies the changes of one batch of registry records (read from `view`) and publishes
  // what they changed.
  void ApplyRegistryChanges(const std::vector<registry_view::RegistryChange>& changes,
                            const registry_view::RegistryView& view);
  bool registry_loaded() const;
  // The partition count of tiendo.submissions.v1 target ownership is computed over.
  int32_t submission_partitions() const { return options_.submission_partitions; }

  // --- Submission partitions (the reader's thread) ---------------------------------------------
  // The group gave this replica the partition: the offset to read it from, where the
  // restored snapshot left it or 0.
  int64_t Take(int32_t partition);
  // Partitions taken → the offset of the next record to apply.
  std::map<int32_t, int64_t> NextOffsets() const;
  // Applies records of tiendo.submissions.v1 (AcceptedSubmission events) in order, then
  // publishes what changed in live partitions. Records of a partition not taken (read just
  // before the group took it away) are ignored.
  void ApplySubmissions(const SubmissionBatch& batch);
  void GoLive(int32_t partition);
  void Drop(int32_t partition) ABSL_LOCKS_EXCLUDED(mu_);
  // Re-assesses every live target when the clock has passed into a new day (deadlines), and
  // skips submissions held too long for their indicator (ExpireHeldSubmissions).
  void Tick();

  // --- Snapshots (snapshot_store.h) ---------------------------------------------------------
  // The whole state, encoded, with the offset each partition taken resumes from.
  EncodedSnapshot Snapshot() const;
  // Replaces the state with a snapshot's, before LoadRegistry (which brings the registry up
  // to date over it). The partitions it covers are parked until the group gives them (Take
  // resumes them where the snapshot left them) or DropParked. FAILED_PRECONDITION, leaving
  // the state as it was, for a snapshot made under other settings (another submissions
  // topic or number of partitions, so other ownership). Returns how many partitions it
  // parked.
  absl::StatusOr<size_t> Restore(core::TrackerSnapshot snapshot);
  // Drops the parked partitions: the group has given them to other replicas.
  void DropParked();

  // --- Queries --------------------------------------------------------------------------------
  // The progress of a target this replica owns, at `as_of`. NOT_FOUND for an unknown target;
  // UNAVAILABLE when another replica owns it or its partition is still catching up.
  absl::StatusOr<evaluator::v1::Progress> ProgressAt(absl::string_view target_id,
                                                     absl::CivilDay as_of) const;
  // The day (Vietnam time) the clock says it is.
  absl::CivilDay Today() const;

  // The submissions applied to a cell, oldest first, and the partition of
  // tiendo.submissions.v1 whose records they are (their sequences are its offsets).
  // INVALID_ARGUMENT for a malformed period; NOT_FOUND for an indicator the registry does not
  // know as reported; UNAVAILABLE when another replica holds the indicator's partition or it
  // is still catching up.
  struct CellRecords {
    int32_t partition = 0;
    std::vector<core::AppliedSubmission> applied;
  };
  absl::StatusOr<CellRecords> CellHistory(const evaluator::v1::GetCellHistoryRequest& request) const;

  // Reporting completeness (completeness.h) from the reports this replica holds: the
  // indicators of partitions it does not hold live are UNAVAILABLE when the request needs
  // them. `registry` is the registry view the engine was loaded from, read-locked.
  absl::StatusOr<evaluator::v1::GetCompletenessResponse> Completeness(
      const registry_view::RegistryView& registry,
      const evaluator::v1::GetCompletenessRequest& request) const;

 private:
  // Why a target is being re-assessed: the inputs that touched it since it last was.
  struct PendingCause {
    evaluator::v1::ProgressCause cause;
    absl::Time changed_at = absl::InfinitePast();
  };

  int32_t PartitionOf(absl::string_view indicator_id) const;
  // What a snapshot must have been made under to be restored here.
  std::string SnapshotSettings() const;
  void DropLocked(int32_t partition) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Sets the partition gauges from live_ and next_offsets_.
  void CountPartitions() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool Live(const registry::v1::Target& target) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void UpsertTarget(const registry::v1::Target& target) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RetryHeldTargets() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ApplyChange(const registry_view::RegistryChange& change,
                   const registry_view::RegistryView& view) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Applies the entries of `batch`, but those of partitions not taken (read before a
  // revocation), and, if `may_hold`, those held for their indicator (DecodeSubmission).
  void ApplyEntries(const SubmissionBatch& batch, bool may_hold)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The entry as the tracker applies it, moving its partition's next offset past it; nullopt
  // for a record held until its indicator comes (HoldSubmission, if `may_hold`), or skipped
  // (logged and counted).
  std::optional<core::CellSubmission> DecodeSubmission(const SubmissionBatch::Entry& entry,
                                                       bool may_hold)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Keeps the entry's record until a version of its indicator comes; false, keeping nothing,
  // when kMaxHeldSubmissions are held already.
  bool HoldSubmission(const SubmissionBatch::Entry& entry) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Settles the submissions held for `indicator_id`, now that a version of it came: applied
  // if it takes submissions, else skipped.
  void ApplyHeldSubmissions(absl::string_view indicator_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Skips the submissions held for kMaxHoldTime without their indicator coming (the
  // registry never sent it): their partition no longer resumes at them.
  void ExpireHeldSubmissions() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Takes in what applying the entry did: its report's receipt, the targets it touched.
  void RecordApplied(const SubmissionBatch::Entry& entry,
                     const core::ProgressTracker::Applied& applied)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Marks targets for re-assessment with what touched them.
  void Touch(uint32_t target, evaluator::v1::CauseKind kind, absl::Time at,
             const std::function<void(evaluator::v1::ProgressCause&)>& add_ref)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void TouchIndicator(absl::string_view indicator_id, const registry_view::RegistryChange& change)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Publishes the touched targets of live partitions whose progress changed.
  void Flush() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void PublishIfChanged(uint32_t target, const PendingCause& pending)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Forgets a target the registry deleted and, if this replica publishes for its partition
  // and the topic holds its progress, publishes its final version marked removed (kept as
  // the key's last record). `change` is the deletion (nullptr when found missing at GoLive).
  void RemoveTarget(const std::string& target_id, const registry_view::RegistryChange* change)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A record of tiendo.progress.v1 for the target, its value still to set.
  kafka::OutgoingRecord ProgressRecord(const std::string& target_id) const;
  void PublicationFailed(const std::string& target_id, const absl::Status& error);

  const EngineOptions options_;
  kafka::Producer& producer_;
  const ProgressReadModel& read_model_;
  metrics::Counter& records_counter_;
  metrics::Counter& published_counter_;
  metrics::Counter& unchanged_counter_;
  metrics::Counter& skipped_submissions_;
  metrics::Gauge& held_submissions_gauge_;
  metrics::Counter& failed_publications_;
  metrics::Gauge& live_partitions_;
  metrics::Gauge& catching_up_partitions_;

  mutable absl::Mutex mu_;
  core::ProgressTracker tracker_ ABSL_GUARDED_BY(mu_);
  bool registry_loaded_ ABSL_GUARDED_BY(mu_) = false;
  // Targets whose indicator the tracker does not know yet (the registry topic's partitions
  // are read side by side, so a target may arrive before its indicator).
  absl::flat_hash_map<std::string, registry::v1::Target> held_targets_ ABSL_GUARDED_BY(mu_);
  // Records of submissions for an indicator the tracker does not hold as reported, by
  // indicator, in log order, and since when: ingest accepted them against its own registry
  // view, which may be ahead of this replica's (a new indicator, or one now reported). They
  // are settled when the next version of the indicator comes, or skipped kMaxHoldTime (of
  // real time, not the domain clock) after the first of them was held. Until then a snapshot
  // resumes their partition at the first of them, so that a restart reads them again (what
  // follows them is applied again, which changes nothing).
  struct HeldSubmissions {
    std::vector<kafka::ConsumedRecord> records;
    absl::Time since;
  };
  absl::flat_hash_map<std::string, HeldSubmissions> held_submissions_ ABSL_GUARDED_BY(mu_);
  size_t held_submission_count_ ABSL_GUARDED_BY(mu_) = 0;
  // Target id → tracker number, for every target known.
  absl::flat_hash_map<std::string, uint32_t> targets_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<int32_t> live_ ABSL_GUARDED_BY(mu_);
  // Partitions taken → the offset of the next record to apply.
  std::map<int32_t, int64_t> next_offsets_ ABSL_GUARDED_BY(mu_);
  // Partitions restored from a snapshot and not taken (yet) → where they resume. Their cells
  // are kept, and kept in snapshots, until they are taken or dropped.
  std::map<int32_t, int64_t> parked_ ABSL_GUARDED_BY(mu_);
  // The reports received in the partitions taken or parked, as their cells are.
  ReportReceipts receipts_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint32_t, PendingCause> touched_ ABSL_GUARDED_BY(mu_);
  // ApplySubmissions' batch, decoded, and the entry each came from: kept from batch to batch
  // so that their storage is reused.
  std::vector<core::CellSubmission> decoded_ ABSL_GUARDED_BY(mu_);
  std::vector<const SubmissionBatch::Entry*> decoded_from_ ABSL_GUARDED_BY(mu_);
  // The last progress published for each live target (seeded from the read model).
  absl::flat_hash_map<uint32_t, evaluator::v1::Progress> published_ ABSL_GUARDED_BY(mu_);
  absl::CivilDay assessed_day_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tiendo::evaluator
