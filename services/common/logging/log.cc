#include "services/common/logging/log.h"

#include <grpc/support/log.h>

#include <atomic>
#include <cstdio>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace tiendo::log {
namespace {

struct Sink {
  absl::Mutex mu;
  std::string service ABSL_GUARDED_BY(mu) = "tiendo";
  std::atomic<int> min_level{static_cast<int>(Level::kInfo)};
};

Sink& TheSink() {
  static Sink* sink = new Sink();  // never destroyed: logging works during exit
  return *sink;
}

absl::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarning:
      return "warning";
    case Level::kError:
      return "error";
  }
  return "info";
}

// Length of the valid UTF-8 sequence starting at text[i], or 0 if invalid.
size_t Utf8SequenceLength(absl::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  size_t length = 0;
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) length = 2;
  else if (lead >= 0xE0 && lead <= 0xEF) length = 3;
  else if (lead >= 0xF0 && lead <= 0xF4) length = 4;
  else return 0;
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  // Overlong three- and four-byte forms, surrogates and code points past U+10FFFF.
  if (lead == 0xE0 && byte(i + 1) < 0xA0) return 0;
  if (lead == 0xED && byte(i + 1) > 0x9F) return 0;
  if (lead == 0xF0 && byte(i + 1) < 0x90) return 0;
  if (lead == 0xF4 && byte(i + 1) > 0x8F) return 0;
  return length;
}

void AppendValue(std::string* out, const Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) {
    absl::StrAppend(out, "\"", JsonEscape(*s), "\"");
  } else if (const auto* i = std::get_if<int64_t>(&value)) {
    absl::StrAppend(out, *i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    absl::StrAppend(out, absl::StrFormat("%.17g", *d));
  } else {
    absl::StrAppend(out, std::get<bool>(value) ? "true" : "false");
  }
}

void GrpcLogFunction(gpr_log_func_args* args) {
  // gRPC's INFO lines are start-up chatter (poller choices and the like):
  // debug for an operator.
  const Level level = args->severity == GPR_LOG_SEVERITY_ERROR ? Level::kError : Level::kDebug;
  Write(level, args->message,
        {{"component", "grpc"}, {"file", args->file}, {"line", args->line}});
}

}  // namespace

std::string JsonEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const size_t length = Utf8SequenceLength(text, i);
      if (length == 0) {
        out += "\xEF\xBF\xBD";
        ++i;
      } else {
        out.append(text.data() + i, length);
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  return out;
}

void Configure(absl::string_view service, Level min_level) {
  Sink& sink = TheSink();
  absl::MutexLock lock(&sink.mu);
  sink.service = std::string(service);
  sink.min_level.store(static_cast<int>(min_level));
}

bool ParseLevel(absl::string_view text, Level* level) {
  for (Level candidate : {Level::kDebug, Level::kInfo, Level::kWarning, Level::kError}) {
    if (LevelName(candidate) == text) {
      *level = candidate;
      return true;
    }
  }
  return false;
}

void CaptureGrpcLogs() {
  gpr_set_log_function(GrpcLogFunction);
  gpr_set_log_verbosity(GPR_LOG_SEVERITY_INFO);
}

void Write(Level level, absl::string_view message, Fields fields) {
  Sink& sink = TheSink();
  if (static_cast<int>(level) < sink.min_level.load()) return;
  std::string line = absl::StrCat(
      "{\"ts\":\"", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()),
      "\",\"level\":\"", LevelName(level), "\"");
  absl::MutexLock lock(&sink.mu);
  absl::StrAppend(&line, ",\"service\":\"", JsonEscape(sink.service), "\",\"msg\":\"",
                  JsonEscape(message), "\"");
  for (const Field& field : fields) {
    absl::StrAppend(&line, ",\"", JsonEscape(field.key), "\":");
    AppendValue(&line, field.value);
  }
  line += "}\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace tiendo::log
