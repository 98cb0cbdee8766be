#include "services/registry/store/sqlite_database.h"

#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "services/common/status/check.h"
#include "services/common/status/status_macros.h"

namespace tiendo::registry {
namespace {

absl::StatusCode CodeFor(int sqlite_code) {
  switch (sqlite_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::StatusCode::kUnavailable;
    case SQLITE_FULL:
    case SQLITE_NOMEM:
      return absl::StatusCode::kResourceExhausted;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::StatusCode::kDataLoss;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      return absl::StatusCode::kFailedPrecondition;
    default:
      return absl::StatusCode::kInternal;
  }
}

}  // namespace

SqliteStatement::~SqliteStatement() { sqlite3_finalize(statement_); }

SqliteStatement& SqliteStatement::Bind(int index, int64_t value) {
  const int code = sqlite3_bind_int64(statement_, index, value);
  if (code != SQLITE_OK && bind_error_.ok()) bind_error_ = database_->Error(code, "bind");
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, absl::string_view text) {
  const int code = sqlite3_bind_text64(statement_, index, text.data(), text.size(),
                                       SQLITE_TRANSIENT, SQLITE_UTF8);
  if (code != SQLITE_OK && bind_error_.ok()) bind_error_ = database_->Error(code, "bind");
  return *this;
}

SqliteStatement& SqliteStatement::BindBlob(int index, absl::string_view bytes) {
  // A zero-length blob must not bind as NULL: give SQLite a non-null pointer.
  static const char kEmpty = 0;
  const int code = sqlite3_bind_blob64(statement_, index, bytes.empty() ? &kEmpty : bytes.data(),
                                       bytes.size(), SQLITE_TRANSIENT);
  if (code != SQLITE_OK && bind_error_.ok()) bind_error_ = database_->Error(code, "bind");
  return *this;
}

SqliteStatement& SqliteStatement::BindNull(int index) {
  const int code = sqlite3_bind_null(statement_, index);
  if (code != SQLITE_OK && bind_error_.ok()) bind_error_ = database_->Error(code, "bind");
  return *this;
}

absl::StatusOr<bool> SqliteStatement::Step() {
  if (!bind_error_.ok()) return bind_error_;
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  return database_->Error(code, sqlite3_sql(statement_));
}

absl::Status SqliteStatement::Run() {
  absl::StatusOr<bool> row = Step();
  Reset();
  if (!row.ok()) return row.status();
  return absl::OkStatus();
}

void SqliteStatement::Reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
  bind_error_ = absl::OkStatus();
}

int64_t SqliteStatement::ColumnInt64(int column) const {
  return sqlite3_column_int64(statement_, column);
}

absl::string_view SqliteStatement::ColumnBytes(int column) const {
  const void* data = sqlite3_column_blob(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  if (data == nullptr) return {};
  return absl::string_view(static_cast<const char*>(data), static_cast<size_t>(size));
}

bool SqliteStatement::ColumnIsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

absl::StatusOr<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path,
                                                                      Durability durability) {
  sqlite3* handle = nullptr;
  const int code = sqlite3_open_v2(path.c_str(), &handle,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                       SQLITE_OPEN_NOMUTEX,
                                   nullptr);
  if (code != SQLITE_OK) {
    const std::string message = handle != nullptr ? sqlite3_errmsg(handle) : "out of memory";
    sqlite3_close(handle);
    return absl::Status(CodeFor(code),
                        absl::StrCat("cannot open database ", path, ": ", message));
  }
  sqlite3_extended_result_codes(handle, 1);
  std::unique_ptr<SqliteDatabase> database(new SqliteDatabase(path, handle));
  // WAL lets readers proceed while a writer commits; the busy timeout covers a second
  // process (e.g. a backup) holding a lock for a moment.
  RETURN_IF_ERROR(database->Execute(absl::StrCat(
      "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; "
      "PRAGMA synchronous = ",
      durability == Durability::kFull ? "FULL" : "NORMAL", ";")));
  return database;
}

SqliteDatabase::~SqliteDatabase() {
  statements_.clear();  // finalised before the connection closes
  sqlite3_close(handle_);
}

absl::Status SqliteDatabase::Execute(absl::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  const int code = sqlite3_exec(handle_, text.c_str(), nullptr, nullptr, &message);
  if (code == SQLITE_OK) return absl::OkStatus();
  std::string detail = message != nullptr ? message : sqlite3_errstr(code);
  sqlite3_free(message);
  return absl::Status(CodeFor(code), absl::StrCat("database ", path_, ": ", detail,
                                                  " (executing: ", text.substr(0, 120), ")"));
}

absl::StatusOr<SqliteStatement*> SqliteDatabase::Prepare(const std::string& sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) {
    found->second->Reset();
    return found->second.get();
  }
  sqlite3_stmt* statement = nullptr;
  const int code = sqlite3_prepare_v3(handle_, sql.c_str(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
  if (code != SQLITE_OK) return Error(code, sql);
  auto owned = std::unique_ptr<SqliteStatement>(new SqliteStatement(this, statement));
  SqliteStatement* result = owned.get();
  statements_.emplace(sql, std::move(owned));
  return result;
}

absl::StatusOr<std::optional<int64_t>> SqliteDatabase::QueryInt64(const std::string& sql) {
  ASSIGN_OR_RETURN(SqliteStatement * statement, Prepare(sql));
  ASSIGN_OR_RETURN(bool row, statement->Step());
  std::optional<int64_t> value;
  if (row) value = statement->ColumnInt64(0);
  statement->Reset();
  return value;
}

absl::Status SqliteDatabase::Error(int code, absl::string_view what) const {
  return absl::Status(CodeFor(code), absl::StrCat("database ", path_, ": ", sqlite3_errmsg(handle_),
                                                  " (", what.substr(0, 120), ")"));
}

absl::StatusOr<SqliteTransaction> SqliteTransaction::Begin(SqliteDatabase& database) {
  RETURN_IF_ERROR(database.Execute("BEGIN IMMEDIATE"));
  return SqliteTransaction(&database);
}

SqliteTransaction::~SqliteTransaction() {
  if (database_ != nullptr) database_->Execute("ROLLBACK").IgnoreError();
}

absl::Status SqliteTransaction::Commit() {
  TIENDO_CHECK(database_ != nullptr, "transaction committed twice");
  SqliteDatabase* database = database_;
  database_ = nullptr;
  absl::Status committed = database->Execute("COMMIT");
  if (!committed.ok()) database->Execute("ROLLBACK").IgnoreError();
  return committed;
}

}  // namespace tiendo::registry
