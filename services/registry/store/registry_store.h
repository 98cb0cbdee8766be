// RegistryStore: the registry's tables in SQLite, as bytes — the current version of each
// entity, the history of versions with who made them, and the outbox of events for Kafka.
// What the bytes mean (which proto, how versions are stamped) is entity_writer.h's business.
//
// Every write runs in one SQLite transaction through Write(): entity rows, their history
// rows and their outbox rows commit together or not at all, which is what lets the relay
// publish exactly what was committed. Writes are serialised on one connection; reads use a
// second connection and see the last committed state (WAL), so a long import does not block
// them.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/registry/store/sqlite_database.h"
#include "tiendo/registry/v1/entity_kind.pb.h"
#include "tiendo/registry/v1/registry.pb.h"

namespace tiendo::registry {

struct StoreOptions {
  // Database file; created with its schema if missing.
  std::string path;
  Durability durability = Durability::kFull;
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

// One entity's current row.
struct StoredEntity {
  int64_t version = 0;
  bool deleted = false;
  std::string body;  // the serialised entity; empty when deleted
};

// One event waiting for Kafka.
struct OutboxRecord {
  int64_t sequence = 0;
  std::string key;                   // e.g. "enterprise/0100233488"
  std::optional<std::string> value;  // serialised RegistryEvent; absent for a tombstone
};

// Who writes, and through which operation (e.g. "ApplyPlan"); recorded per transaction.
struct WriteContext {
  std::string actor;
  std::string operation;
};

// The open transaction handed to a Write() callback.
class RegistryWrite {
 public:
  int64_t transaction_id() const { return transaction_id_; }
  absl::Time committed_at() const { return committed_at_; }
  const WriteContext& context() const { return context_; }

  // The entity as this transaction sees it (its own writes included).
  absl::StatusOr<std::optional<StoredEntity>> Get(v1::EntityKind kind, absl::string_view key);

  // Stores `entity` as the current row of (kind, key), records the version in the history
  // with `change` and `changed_fields`, and queues `outbox` records after it.
  absl::Status Put(v1::EntityKind kind, absl::string_view key, const StoredEntity& entity,
                   v1::ChangeType change, absl::string_view changed_fields,
                   const std::vector<OutboxRecord>& outbox);

 private:
  friend class RegistryStore;
  RegistryWrite(SqliteDatabase& database, int64_t transaction_id, absl::Time committed_at,
                WriteContext context)
      : database_(database),
        transaction_id_(transaction_id),
        committed_at_(committed_at),
        context_(std::move(context)) {}

  SqliteDatabase& database_;
  const int64_t transaction_id_;
  const absl::Time committed_at_;
  const WriteContext context_;
  std::array<bool, v1::EntityKind_ARRAYSIZE> kinds_written_{};
  int64_t last_outbox_sequence_ = 0;
};

class RegistryStore {
 public:
  // Opens the database and runs the schema migrations.
  static absl::StatusOr<std::unique_ptr<RegistryStore>> Open(const StoreOptions& options);

  // Runs `work` in one transaction and commits it if `work` succeeds, wrote something, and
  // this is not a dry run; otherwise rolls everything back. In a dry run `work` sees its own
  // writes exactly as in a real one, so it reports the same versions and changes.
  absl::Status Write(const WriteContext& context, bool dry_run,
                     absl::FunctionRef<absl::Status(RegistryWrite&)> work);

  // The committed row of (kind, key), or nullopt.
  absl::StatusOr<std::optional<StoredEntity>> Get(v1::EntityKind kind, absl::string_view key);

  // Visits the committed, not deleted entities of `kind` with keys after `after_key` (all,
  // for ""), in key order, until `visit` returns false.
  absl::Status Scan(v1::EntityKind kind, absl::string_view after_key,
                    absl::FunctionRef<bool(absl::string_view key, const StoredEntity&)> visit);

  // Up to `limit` outbox records after `after_sequence`, in commit order.
  absl::StatusOr<std::vector<OutboxRecord>> ReadOutbox(int64_t after_sequence, int limit);

  // Removes the outbox records up to and including `sequence` (delivered to Kafka).
  absl::Status DeleteOutboxThrough(int64_t sequence);

  // Records waiting in the outbox.
  absl::StatusOr<int64_t> OutboxSize();

  // Waits until a commit queued an outbox record after `sequence`, or `timeout` passed.
  // True if there is such a record.
  bool AwaitOutboxAfter(int64_t sequence, absl::Duration timeout);

  // Counts commits that wrote entities of `kind`; a cache of that kind rebuilds when it
  // changes.
  int64_t Generation(v1::EntityKind kind) const { return generations_[kind].load(); }

  const std::string& path() const { return path_; }

 private:
  RegistryStore(std::string path, std::unique_ptr<SqliteDatabase> writer,
                std::unique_ptr<SqliteDatabase> reader, std::function<absl::Time()> clock)
      : path_(std::move(path)),
        clock_(std::move(clock)),
        writer_(std::move(writer)),
        reader_(std::move(reader)) {}

  const std::string path_;
  const std::function<absl::Time()> clock_;
  absl::Mutex write_mu_;
  std::unique_ptr<SqliteDatabase> writer_ ABSL_GUARDED_BY(write_mu_);
  absl::Mutex read_mu_;
  std::unique_ptr<SqliteDatabase> reader_ ABSL_GUARDED_BY(read_mu_);
  absl::Mutex outbox_mu_;
  int64_t last_outbox_sequence_ ABSL_GUARDED_BY(outbox_mu_) = 0;
  std::array<std::atomic<int64_t>, v1::EntityKind_ARRAYSIZE> generations_{};
};

}  // namespace tiendo::registry
