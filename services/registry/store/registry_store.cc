#include "services/registry/store/registry_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/status/status_macros.h"
#include "services/registry/store/schema_migrations.h"

namespace tiendo::registry {

absl::StatusOr<std::optional<StoredEntity>> ReadEntity(SqliteDatabase& database,
                                                       v1::EntityKind kind,
                                                       absl::string_view key) {
  ASSIGN_OR_RETURN(SqliteStatement * select,
                   database.Prepare("SELECT version, deleted, body FROM entities "
                                    "WHERE kind = ?1 AND key = ?2"));
  select->Bind(1, static_cast<int64_t>(kind)).Bind(2, key);
  ASSIGN_OR_RETURN(bool row, select->Step());
  std::optional<StoredEntity> entity;
  if (row) {
    entity.emplace();
    entity->version = select->ColumnInt64(0);
    entity->deleted = select->ColumnInt64(1) != 0;
    entity->body = std::string(select->ColumnBytes(2));
  }
  select->Reset();
  return entity;
}

absl::StatusOr<std::optional<StoredEntity>> RegistryWrite::Get(v1::EntityKind kind,
                                                               absl::string_view key) {
  return ReadEntity(database_, kind, key);
}

absl::Status RegistryWrite::Put(v1::EntityKind kind, absl::string_view key,
                                const StoredEntity& entity, v1::ChangeType change,
                                absl::string_view changed_fields,
                                const std::vector<OutboxRecord>& outbox) {
  ASSIGN_OR_RETURN(SqliteStatement * upsert,
                   database_.Prepare("INSERT INTO entities (kind, key, version, deleted, body) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (kind, key) DO "
                                     "UPDATE SET version = ?3, deleted = ?4, body = ?5"));
  upsert->Bind(1, static_cast<int64_t>(kind))
      .Bind(2, key)
      .Bind(3, entity.version)
      .Bind(4, int64_t{entity.deleted ? 1 : 0});
  if (entity.deleted) {
    upsert->BindNull(5);
  } else {
    upsert->BindBlob(5, entity.body);
  }
  RETURN_IF_ERROR(upsert->Run());

  ASSIGN_OR_RETURN(SqliteStatement * history,
                   database_.Prepare("INSERT INTO entity_changes (kind, key, version, "
                                     "transaction_id, change, changed_fields) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  history->Bind(1, static_cast<int64_t>(kind))
      .Bind(2, key)
      .Bind(3, entity.version)
      .Bind(4, transaction_id_)
      .Bind(5, static_cast<int64_t>(change))
      .Bind(6, changed_fields);
  RETURN_IF_ERROR(history->Run());

  ASSIGN_OR_RETURN(SqliteStatement * queue,
                   database_.Prepare("INSERT INTO outbox (record_key, value) VALUES (?1, ?2)"));
  for (const OutboxRecord& record : outbox) {
    queue->Bind(1, record.key);
    if (record.value.has_value()) {
      queue->BindBlob(2, *record.value);
    } else {
      queue->BindNull(2);
    }
    RETURN_IF_ERROR(queue->Run());
  }
  if (!outbox.empty()) {
    ASSIGN_OR_RETURN(std::optional<int64_t> sequence,
                     database_.QueryInt64("SELECT last_insert_rowid()"));
    last_outbox_sequence_ = sequence.value_or(0);
  }
  kinds_written_[kind] = true;
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<RegistryStore>> RegistryStore::Open(const StoreOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteDatabase> writer,
                   SqliteDatabase::Open(options.path, options.durability));
  RETURN_IF_ERROR(MigrateSchema(*writer));
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteDatabase> reader,
                   SqliteDatabase::Open(options.path, options.durability));
  auto store = std::unique_ptr<RegistryStore>(
      new RegistryStore(options.path, std::move(writer), std::move(reader), options.clock));
  ASSIGN_OR_RETURN(std::optional<int64_t> last,
                   store->reader_->QueryInt64("SELECT max(sequence) FROM outbox"));
  store->last_outbox_sequence_ = last.value_or(0);
  return store;
}

absl::Status RegistryStore::Write(const WriteContext& context, bool dry_run,
                                  absl::FunctionRef<absl::Status(RegistryWrite&)> work) {
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(SqliteTransaction transaction, SqliteTransaction::Begin(*writer_));
  const absl::Time now = clock_();
  ASSIGN_OR_RETURN(SqliteStatement * begin,
                   writer_->Prepare("INSERT INTO transactions (committed_at_micros, actor, "
                                    "operation) VALUES (?1, ?2, ?3)"));
  begin->Bind(1, absl::ToUnixMicros(now)).Bind(2, context.actor).Bind(3, context.operation);
  RETURN_IF_ERROR(begin->Run());
  ASSIGN_OR_RETURN(std::optional<int64_t> id, writer_->QueryInt64("SELECT last_insert_rowid()"));
  RegistryWrite write(*writer_, id.value_or(0), now, context);
  RETURN_IF_ERROR(work(write));
  bool wrote = false;
  for (bool written : write.kinds_written_) wrote = wrote || written;
  if (dry_run || !wrote) return absl::OkStatus();  // the transaction rolls back
  RETURN_IF_ERROR(transaction.Commit());
  for (int kind = 0; kind < v1::EntityKind_ARRAYSIZE; ++kind) {
    if (write.kinds_written_[kind]) generations_[kind].fetch_add(1);
  }
  if (write.last_outbox_sequence_ > 0) {
    absl::MutexLock outbox_lock(&outbox_mu_);
    last_outbox_sequence_ = std::max(last_outbox_sequence_, write.last_outbox_sequence_);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<StoredEntity>> RegistryStore::Get(v1::EntityKind kind,
                                                               absl::string_view key) {
  absl::MutexLock lock(&read_mu_);
  return ReadEntity(*reader_, kind, key);
}

absl::Status RegistryStore::Scan(
    v1::EntityKind kind, absl::string_view after_key,
    absl::FunctionRef<bool(absl::string_view key, const StoredEntity&)> visit) {
  absl::MutexLock lock(&read_mu_);
  ASSIGN_OR_RETURN(SqliteStatement * scan,
                   reader_->Prepare("SELECT key, version, body FROM entities WHERE kind = ?1 "
                                    "AND key > ?2 AND deleted = 0 ORDER BY key"));
  scan->Bind(1, static_cast<int64_t>(kind)).Bind(2, after_key);
  StoredEntity entity;
  while (true) {
    absl::StatusOr<bool> row = scan->Step();
    if (!row.ok() || !*row) {
      scan->Reset();
      return row.status();
    }
    entity.version = scan->ColumnInt64(1);
    entity.body = std::string(scan->ColumnBytes(2));
    if (!visit(scan->ColumnBytes(0), entity)) break;
  }
  scan->Reset();
  return absl::OkStatus();
}

absl::StatusOr<std::vector<OutboxRecord>> RegistryStore::ReadOutbox(int64_t after_sequence,
                                                                   int limit) {
  absl::MutexLock lock(&read_mu_);
  ASSIGN_OR_RETURN(SqliteStatement * select,
                   reader_->Prepare("SELECT sequence, record_key, value FROM outbox "
                                    "WHERE sequence > ?1 ORDER BY sequence LIMIT ?2"));
  select->Bind(1, after_sequence).Bind(2, int64_t{limit});
  std::vector<OutboxRecord> records;
  while (true) {
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok() || !*row) {
      select->Reset();
      if (!row.ok()) return row.status();
      return records;
    }
    OutboxRecord& record = records.emplace_back();
    record.sequence = select->ColumnInt64(0);
    record.key = std::string(select->ColumnBytes(1));
    if (!select->ColumnIsNull(2)) record.value = std::string(select->ColumnBytes(2));
  }
}

absl::Status RegistryStore::DeleteOutboxThrough(int64_t sequence) {
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(SqliteStatement * remove,
                   writer_->Prepare("DELETE FROM outbox WHERE sequence <= ?1"));
  remove->Bind(1, sequence);
  return remove->Run();
}

absl::StatusOr<int64_t> RegistryStore::OutboxSize() {
  absl::MutexLock lock(&read_mu_);
  ASSIGN_OR_RETURN(std::optional<int64_t> count,
                   reader_->QueryInt64("SELECT count(*) FROM outbox"));
  return count.value_or(0);
}

bool RegistryStore::AwaitOutboxAfter(int64_t sequence, absl::Duration timeout) {
  absl::MutexLock lock(&outbox_mu_);
  auto queued = [&]() ABSL_SHARED_LOCKS_REQUIRED(outbox_mu_) {
    return last_outbox_sequence_ > sequence;
  };
  outbox_mu_.AwaitWithTimeout(absl::Condition(&queued), timeout);
  return queued();
}

}  // namespace tiendo::registry
