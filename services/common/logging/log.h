// Structured logging: one JSON object per line on stderr.
//
//   log::Info("kafka not reachable; retrying", {{"bootstrap", servers}, {"retry_in", "2s"}});
// prints
//   {"ts":"2026-11-28T01:02:03.456Z","level":"info","service":"tiendo-registry",
//    "msg":"kafka not reachable; retrying","bootstrap":"...","retry_in":"2s"}
// gRPC's and librdkafka's own log lines are routed here too, so a log
// collector sees a single format.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include "absl/strings/string_view.h"
#include <utility>
#include <variant>

namespace tiendo::log {

enum class Level { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// A field value: text, integer, floating point or boolean.
using Value = std::variant<std::string, int64_t, double, bool>;

struct Field {
  Field(absl::string_view k, absl::string_view v) : key(k), value(std::string(v)) {}
  Field(absl::string_view k, const char* v) : key(k), value(std::string(v)) {}
  Field(absl::string_view k, const std::string& v) : key(k), value(v) {}
  Field(absl::string_view k, int v) : key(k), value(int64_t{v}) {}
  Field(absl::string_view k, int64_t v) : key(k), value(v) {}
  Field(absl::string_view k, uint64_t v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(absl::string_view k, double v) : key(k), value(v) {}
  Field(absl::string_view k, bool v) : key(k), value(v) {}
  absl::string_view key;
  Value value;
};

using Fields = std::initializer_list<Field>;

// Names the program in every line and sets the least severe level written.
void Configure(absl::string_view service, Level min_level);

// Parses "debug", "info", "warning" or "error".
bool ParseLevel(absl::string_view text, Level* level);

// Routes gRPC core's log output (gpr_log) through this logger.
void CaptureGrpcLogs();

void Write(Level level, absl::string_view message, Fields fields = {});
inline void Debug(absl::string_view m, Fields f = {}) { Write(Level::kDebug, m, f); }
inline void Info(absl::string_view m, Fields f = {}) { Write(Level::kInfo, m, f); }
inline void Warning(absl::string_view m, Fields f = {}) { Write(Level::kWarning, m, f); }
inline void Error(absl::string_view m, Fields f = {}) { Write(Level::kError, m, f); }

// Escapes `text` as the contents of a JSON string (without quotes). Bytes
// that are not valid UTF-8 are replaced with U+FFFD so every line stays JSON.
std::string JsonEscape(absl::string_view text);

}  // namespace tiendo::log
