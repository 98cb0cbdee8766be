// ChildProcess: a program a test starts (a service, a script), with its
// output in a log file; killed with SIGKILL if the test ends while it runs, or
// if the test process dies (a crash runs no destructor), so no test leaves a
// process behind. Start it from the test's main thread: the kill on the test's
// death comes when the thread that started it ends.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tiendo::testing {

class ChildProcess {
 public:
  // Runs `argv` (argv[0] is the program path) with stdout and stderr
  // appended to `log_path`, in the log's directory, with this process's
  // environment but for the services' settings (TIENDO_*; TIENDO_TEST_* and
  // TIENDO_CACHE_DIR stay).
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Start(const std::vector<std::string>& argv,
                                                              const std::string& log_path);
  ~ChildProcess();

  void Signal(int signal);

  // The exit status once the process has ended within `timeout` (the exit
  // code, or 128 + signal number), nullopt while it still runs.
  std::optional<int> WaitForExit(absl::Duration timeout);

  bool running();
  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }
  // What this process has written to its log so far, without what earlier processes
  // appended to the same file (a service restarted on its log, say).
  std::string Log() const;

 private:
  ChildProcess(pid_t pid, std::string log_path, size_t log_start)
      : pid_(pid), log_path_(std::move(log_path)), log_start_(log_start) {}

  const pid_t pid_;
  const std::string log_path_;
  const size_t log_start_;  // the log's size when the process started
  std::optional<int> exit_status_;
};

// The contents of the file at `path` ("" if it cannot be read).
std::string ReadFile(const std::string& path);

// Runs `argv` to completion (up to `timeout`) and returns its exit status.
absl::StatusOr<int> RunToCompletion(const std::vector<std::string>& argv,
                                    const std::string& log_path, absl::Duration timeout);

}  // namespace tiendo::testing
