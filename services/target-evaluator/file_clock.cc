#include "services/target-evaluator/file_clock.h"

#include <fstream>
#include <memory>
#include <sstream>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "services/common/logging/log.h"

namespace tiendo::evaluator {
namespace {

constexpr absl::Duration kRereadInterval = absl::Milliseconds(100);

class TimeFile {
 public:
  explicit TimeFile(std::string path) : path_(std::move(path)) {}

  absl::Time Now() {
    absl::MutexLock lock(&mu_);
    const absl::Time real = absl::Now();
    if (real - read_at_ < kRereadInterval) return time_;
    read_at_ = real;
    std::ifstream file(path_);
    std::stringstream text;
    text << file.rdbuf();
    absl::Time parsed;
    std::string error;
    if (!file || !absl::ParseTime(absl::RFC3339_full,
                                  std::string(absl::StripAsciiWhitespace(text.str())), &parsed,
                                  &error)) {
      if (!complained_) {
        log::Warning("clock file unreadable; keeping the last time it gave",
                     {{"path", path_}, {"error", error.empty() ? "cannot read" : error}});
        complained_ = true;
      }
      return time_;
    }
    complained_ = false;
    time_ = parsed;
    return time_;
  }

 private:
  const std::string path_;
  absl::Mutex mu_;
  absl::Time time_ ABSL_GUARDED_BY(mu_) = absl::Now();
  absl::Time read_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  bool complained_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

std::function<absl::Time()> FileClock(std::string path) {
  auto file = std::make_shared<TimeFile>(std::move(path));
  return [file] { return file->Now(); };
}

}  // namespace tiendo::evaluator
