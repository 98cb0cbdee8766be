#include "services/target-evaluator/snapshot_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/files/durable_file.h"
#include "services/common/logging/log.h"
#include "services/common/process/thread_name.h"
#include "services/common/status/status_macros.h"

namespace tiendo::evaluator {
namespace {

constexpr char kSnapshotFile[] = "target-evaluator.snapshot";
constexpr char kLockFile[] = "lock";

}  // namespace

absl::StatusOr<std::unique_ptr<SnapshotStore>> SnapshotStore::Open(const std::string& directory) {
  std::error_code made;
  std::filesystem::create_directories(directory, made);
  if (made) {
    return absl::ErrnoToStatus(made.value(),
                               absl::StrCat("state directory ", directory, ": cannot create it"));
  }
  const std::string lock_path = (std::filesystem::path(directory) / kLockFile).string();
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("state directory ", directory,
                                                   ": cannot open its lock file ", lock_path));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) {
      return absl::FailedPreconditionError(absl::StrCat(
          "state directory ", directory, " is in use by another process (it holds ", lock_path,
          "); give each replica a directory of its own"));
    }
    return absl::ErrnoToStatus(error, absl::StrCat("state directory ", directory,
                                                   ": cannot lock ", lock_path));
  }
  return std::unique_ptr<SnapshotStore>(
      new SnapshotStore((std::filesystem::path(directory) / kSnapshotFile).string(), fd));
}

SnapshotStore::SnapshotStore(std::string path, int lock_fd)
    : path_(std::move(path)), lock_fd_(lock_fd) {
  thread_ = std::thread([this] {
    process::NameThisThread("snapshot-writer");
    Run();
  });
}

SnapshotStore::~SnapshotStore() {
  {
    absl::MutexLock lock(&mu_);
    closing_ = true;
  }
  thread_.join();
  ::close(lock_fd_);  // releases the lock
}

void SnapshotStore::ExportMetrics(metrics::MetricRegistry& metrics) {
  // Registered before the store's lock is taken: the registry's lock is never taken under it.
  metrics::Counter& written = metrics.AddCounter(
      "tiendo_evaluator_snapshots_written_total", "Snapshots of the evaluator's state made durable.");
  metrics::Counter& failed = metrics.AddCounter(
      "tiendo_evaluator_snapshot_failures_total",
      "Snapshots that could not be written (the previous one stays; see the log).");
  metrics::Gauge& last_bytes =
      metrics.AddGauge("tiendo_evaluator_snapshot_bytes", "Size of the last snapshot written.");
  metrics::Gauge& last_seconds = metrics.AddGauge(
      "tiendo_evaluator_snapshot_write_seconds",
      "How long writing the last snapshot took (fsyncs included).");
  absl::MutexLock lock(&mu_);
  written_ = &written;
  failed_ = &failed;
  last_bytes_ = &last_bytes;
  last_seconds_ = &last_seconds;
}

absl::StatusOr<core::TrackerSnapshot> SnapshotStore::Load() const {
  ASSIGN_OR_RETURN(const std::string bytes, files::ReadWholeFile(path_));
  return core::DecodeTrackerSnapshot(bytes, path_);
}

void SnapshotStore::Offer(EncodedSnapshot snapshot) {
  absl::MutexLock lock(&mu_);
  waiting_ = Numbered{++handed_over_, std::move(snapshot)};
}

absl::Status SnapshotStore::Write(EncodedSnapshot snapshot) {
  Numbered numbered;
  {
    absl::MutexLock lock(&mu_);
    numbered = Numbered{++handed_over_, std::move(snapshot)};
    waiting_.reset();  // older than this one
  }
  absl::MutexLock writing(&write_mu_);
  return WriteLocked(std::move(numbered));
}

std::optional<core::InputOffsets> SnapshotStore::TakeDurable() {
  absl::MutexLock lock(&mu_);
  return std::exchange(durable_, std::nullopt);
}

void SnapshotStore::Run() {
  while (true) {
    std::optional<Numbered> numbered;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return waiting_.has_value() || closing_;
      };
      mu_.Await(absl::Condition(&ready));
      if (!waiting_.has_value()) return;  // closing, nothing left to write
      numbered = std::exchange(waiting_, std::nullopt);
    }
    absl::MutexLock writing(&write_mu_);
    (void)WriteLocked(*std::move(numbered));
  }
}

absl::Status SnapshotStore::WriteLocked(Numbered numbered) {
  {
    absl::MutexLock lock(&mu_);
    if (numbered.number < written_number_) return absl::OkStatus();  // a later one is on disk
  }
  const EncodedSnapshot& snapshot = numbered.snapshot;
  const absl::Time start = absl::Now();
  const absl::Status written = files::WriteFileDurably(path_, snapshot.bytes);
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  absl::MutexLock lock(&mu_);
  if (!written.ok()) {
    if (failed_ != nullptr) failed_->Increment();
    log::Error("evaluator snapshot not written; the previous one stays",
               {{"error", written.ToString()}});
    return written;
  }
  written_number_ = numbered.number;
  durable_ = snapshot.offsets;
  if (written_ != nullptr) written_->Increment();
  if (last_bytes_ != nullptr) last_bytes_->Set(static_cast<double>(snapshot.bytes.size()));
  if (last_seconds_ != nullptr) last_seconds_->Set(seconds);
  log::Info("evaluator snapshot written",
            {{"path", path_}, {"bytes", static_cast<int64_t>(snapshot.bytes.size())},
             {"seconds", seconds}});
  return absl::OkStatus();
}

}  // namespace tiendo::evaluator
