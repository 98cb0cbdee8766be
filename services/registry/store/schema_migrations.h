// The registry's database schema and how it evolves: an ordered list of migrations, each
// run once, in one transaction, at start-up. PRAGMA user_version records how many have run.
//
// Tables:
//   entities        the current version of every entity, one row per (kind, key); a
//                   deleted entity keeps its row (deleted = 1) so that a re-creation
//                   continues its version sequence
//   transactions    one row per committed write: when, by whom, through which operation
//   entity_changes  one row per entity version: which transaction made it and how
//   outbox          registry events not yet acknowledged by Kafka, in commit order
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "services/registry/store/sqlite_database.h"

namespace tiendo::registry {

// The schema version this build writes.
int64_t CurrentSchemaVersion();

// Brings `database` to CurrentSchemaVersion(). FAILED_PRECONDITION, changing nothing, for a
// database written by a newer build.
absl::Status MigrateSchema(SqliteDatabase& database);

}  // namespace tiendo::registry
