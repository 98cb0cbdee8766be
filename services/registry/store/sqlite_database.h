// SqliteDatabase: one SQLite connection with the settings the registry relies on (WAL
// journal, foreign keys, a busy timeout, the chosen fsync level), prepared statements that
// are compiled once and reused, and every SQLite error turned into an absl::Status that names
// the database file and the statement.
//
// A connection is not thread-safe: its owner serialises every use (the registry keeps one
// connection for writes and one for reads, each behind its own mutex).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct sqlite3;
struct sqlite3_stmt;

namespace tiendo::registry {

// How hard a commit works to survive a power cut (PRAGMA synchronous). With WAL, kNormal
// survives a crash of the process but may lose the last commits on power loss; kFull
// fsyncs the log on every commit.
enum class Durability { kNormal, kFull };

class SqliteDatabase;

// A prepared statement. Bind parameters are 1-based; columns are 0-based. Reset() makes it
// ready for the next execution and clears the bindings.
class SqliteStatement {
 public:
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  SqliteStatement& Bind(int index, int64_t value);
  // The text or blob is copied by SQLite, so the argument may die before Step().
  SqliteStatement& Bind(int index, absl::string_view text);
  SqliteStatement& BindBlob(int index, absl::string_view bytes);
  SqliteStatement& BindNull(int index);

  // Runs the statement to its next row: true if a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Runs a statement that returns no rows to completion, then resets it.
  absl::Status Run();
  void Reset();

  int64_t ColumnInt64(int column) const;
  // Text or blob bytes; valid until the next Step() or Reset().
  absl::string_view ColumnBytes(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  friend class SqliteDatabase;
  SqliteStatement(SqliteDatabase* database, sqlite3_stmt* statement)
      : database_(database), statement_(statement) {}

  SqliteDatabase* database_;
  sqlite3_stmt* statement_;
  absl::Status bind_error_;
};

class SqliteDatabase {
 public:
  // Opens (creating if needed) the database file at `path`.
  static absl::StatusOr<std::unique_ptr<SqliteDatabase>> Open(const std::string& path,
                                                              Durability durability);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  // Runs one or more statements that return no rows.
  absl::Status Execute(absl::string_view sql);

  // The statement for `sql`, compiled on first use and reused after; reset before it is
  // returned. Valid as long as the database.
  absl::StatusOr<SqliteStatement*> Prepare(const std::string& sql);

  // The single integer a query returns (e.g. PRAGMA user_version), or nullopt for no row.
  absl::StatusOr<std::optional<int64_t>> QueryInt64(const std::string& sql);

  const std::string& path() const { return path_; }

 private:
  friend class SqliteStatement;
  SqliteDatabase(std::string path, sqlite3* handle) : path_(std::move(path)), handle_(handle) {}
  // An error status for SQLite result `code`, naming the file and `what`.
  absl::Status Error(int code, absl::string_view what) const;

  const std::string path_;
  sqlite3* handle_;
  absl::flat_hash_map<std::string, std::unique_ptr<SqliteStatement>> statements_;
};

// A write transaction (BEGIN IMMEDIATE) that rolls back unless committed.
class SqliteTransaction {
 public:
  static absl::StatusOr<SqliteTransaction> Begin(SqliteDatabase& database);
  SqliteTransaction(SqliteTransaction&& other) noexcept : database_(other.database_) {
    other.database_ = nullptr;
  }
  SqliteTransaction& operator=(SqliteTransaction&&) = delete;
  ~SqliteTransaction();

  absl::Status Commit();

 private:
  explicit SqliteTransaction(SqliteDatabase* database) : database_(database) {}
  SqliteDatabase* database_;
};

}  // namespace tiendo::registry
