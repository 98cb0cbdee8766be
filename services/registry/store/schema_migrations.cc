#include "services/registry/store/schema_migrations.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/status/status_macros.h"

namespace tiendo::registry {
namespace {

// Append only: a migration that has shipped is never edited.
const std::vector<const char*>& Migrations() {
  static const auto* migrations = new std::vector<const char*>{
      // 1: entities, their history and the outbox.
      R"sql(
        CREATE TABLE entities (
          kind INTEGER NOT NULL,
          key TEXT NOT NULL,
          version INTEGER NOT NULL,
          deleted INTEGER NOT NULL DEFAULT 0,
          body BLOB,
          PRIMARY KEY (kind, key)
        ) WITHOUT ROWID;
        CREATE TABLE transactions (
          id INTEGER PRIMARY KEY,
          committed_at_micros INTEGER NOT NULL,
          actor TEXT NOT NULL,
          operation TEXT NOT NULL
        );
        CREATE TABLE entity_changes (
          kind INTEGER NOT NULL,
          key TEXT NOT NULL,
          version INTEGER NOT NULL,
          transaction_id INTEGER NOT NULL REFERENCES transactions (id),
          change INTEGER NOT NULL,
          changed_fields TEXT NOT NULL,
          PRIMARY KEY (kind, key, version)
        ) WITHOUT ROWID;
        CREATE TABLE outbox (
          sequence INTEGER PRIMARY KEY AUTOINCREMENT,
          record_key TEXT NOT NULL,
          value BLOB
        );
      )sql",
  };
  return *migrations;
}

}  // namespace

int64_t CurrentSchemaVersion() { return static_cast<int64_t>(Migrations().size()); }

absl::Status MigrateSchema(SqliteDatabase& database) {
  ASSIGN_OR_RETURN(std::optional<int64_t> stored, database.QueryInt64("PRAGMA user_version"));
  const int64_t from = stored.value_or(0);
  if (from > CurrentSchemaVersion()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "database ", database.path(), " has schema version ", from,
        " but this tiendo-registry knows versions up to ", CurrentSchemaVersion(),
        ": it was written by a newer release; run that release or restore a backup"));
  }
  for (int64_t version = from + 1; version <= CurrentSchemaVersion(); ++version) {
    ASSIGN_OR_RETURN(SqliteTransaction transaction, SqliteTransaction::Begin(database));
    absl::Status applied = database.Execute(Migrations()[version - 1]);
    if (applied.ok()) {
      applied = database.Execute(absl::StrCat("PRAGMA user_version = ", version));
    }
    if (!applied.ok()) {
      return absl::Status(applied.code(), absl::StrCat("schema migration ", version, " failed: ",
                                                       applied.message()));
    }
    RETURN_IF_ERROR(transaction.Commit());
  }
  return absl::OkStatus();
}

}  // namespace tiendo::registry
