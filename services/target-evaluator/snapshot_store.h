// SnapshotStore: the evaluator's snapshots on local disk (--state-dir). A snapshot is the
// engine's whole state with the submission offsets it covers (core/tracker_snapshot.h),
// kept in one file replaced atomically and durably (files::WriteFileDurably), so a crash
// leaves the previous snapshot or the new one, never a mix.
//
// The directory is locked (flock on its file "lock") while the store is open: two
// replicas sharing one directory would overwrite each other's state.
//
// Snapshots are written on the store's own thread, so the reader goes on applying
// submissions meanwhile; a snapshot offered while another is written waits, and a newer one
// replaces it. Once a snapshot is durable its offsets are handed back (TakeDurable): only
// then may they be committed to Kafka.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/core/tracker_snapshot.h"
#include "services/common/metrics/metric_registry.h"

namespace tiendo::evaluator {

// An encoded snapshot (EncodeTrackerSnapshot) and the offsets it covers.
struct EncodedSnapshot {
  std::string bytes;
  core::InputOffsets offsets;
};

class SnapshotStore {
 public:
  // Creates `directory` if it does not exist and locks it for this process:
  // FAILED_PRECONDITION naming it when another process holds it; the system's error when it
  // cannot be made or locked.
  static absl::StatusOr<std::unique_ptr<SnapshotStore>> Open(const std::string& directory);
  // Finishes the write in progress (a waiting one is written too), then releases the lock.
  ~SnapshotStore();
  SnapshotStore(const SnapshotStore&) = delete;
  SnapshotStore& operator=(const SnapshotStore&) = delete;

  // Registers the store's metrics (written, failed, size and duration of the last write).
  void ExportMetrics(metrics::MetricRegistry& metrics);

  // The latest snapshot: NOT_FOUND when there is none; DATA_LOSS or FAILED_PRECONDITION
  // (naming the file) for one that cannot be used.
  absl::StatusOr<core::TrackerSnapshot> Load() const;

  // Writes `snapshot` on the store's thread.
  void Offer(EncodedSnapshot snapshot);
  // Writes `snapshot` now, on the caller's thread, after any write in progress.
  absl::Status Write(EncodedSnapshot snapshot);
  // The offsets of the newest snapshot that became durable since the last call, if any.
  std::optional<core::InputOffsets> TakeDurable();

  const std::string& path() const { return path_; }

 private:
  // A snapshot with the order it was handed over in.
  struct Numbered {
    uint64_t number = 0;
    EncodedSnapshot snapshot;
  };

  SnapshotStore(std::string path, int lock_fd);
  void Run();
  // Writes `numbered` unless a later snapshot was written already.
  absl::Status WriteLocked(Numbered numbered) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  const std::string path_;
  const int lock_fd_;
  // Held while a snapshot is written: one writer at a time.
  absl::Mutex write_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  mutable absl::Mutex mu_;
  uint64_t handed_over_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t written_number_ ABSL_GUARDED_BY(mu_) = 0;
  std::optional<Numbered> waiting_ ABSL_GUARDED_BY(mu_);
  std::optional<core::InputOffsets> durable_ ABSL_GUARDED_BY(mu_);
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  metrics::Counter* written_ ABSL_GUARDED_BY(mu_) = nullptr;
  metrics::Counter* failed_ ABSL_GUARDED_BY(mu_) = nullptr;
  metrics::Gauge* last_bytes_ ABSL_GUARDED_BY(mu_) = nullptr;
  metrics::Gauge* last_seconds_ ABSL_GUARDED_BY(mu_) = nullptr;
  std::thread thread_;
};

}  // namespace tiendo::evaluator
