#include "tests/support/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"

namespace tiendo::testing {

absl::StatusOr<std::unique_ptr<ChildProcess>> ChildProcess::Start(
    const std::vector<std::string>& argv, const std::string& log_path) {
  const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    return absl::InternalError(absl::StrCat("open ", log_path, ": ", std::strerror(errno)));
  }
  const off_t log_start = ::lseek(log_fd, 0, SEEK_END);
  // The child works in the log's directory, so that files it writes relative to its working
  // directory (a service's default database, say) stay in the test's directory.
  const std::string work_dir = log_path.substr(0, log_path.find_last_of('/') + 1);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  // The services' settings (TIENDO_*, which every flag falls back to) are not passed on: a
  // developer's TIENDO_REGISTRY_DATABASE or TIENDO_LOG_LEVEL must not reach a test's
  // services. TIENDO_TEST_* are the tests' own, and TIENDO_CACHE_DIR is where the scripts
  // that start a broker find Kafka.
  std::vector<std::string> environment;
  for (char** variable = environ; *variable != nullptr; ++variable) {
    const absl::string_view text(*variable);
    if (absl::StartsWith(text, "TIENDO_") && !absl::StartsWith(text, "TIENDO_TEST_") &&
        !absl::StartsWith(text, "TIENDO_CACHE_DIR=")) {
      continue;
    }
    environment.emplace_back(text);
  }
  std::vector<char*> envp;
  for (std::string& variable : environment) envp.push_back(variable.data());
  envp.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log_fd);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    // A test that crashes or is killed runs no destructor: its services die with it rather
    // than outlive the run. (The signal comes when the forking thread ends: tests start
    // their services on their main thread.)
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the test died before the line above
    // The child must not inherit a blocked SIGTERM from the test runner.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    if (!work_dir.empty() && ::chdir(work_dir.c_str()) != 0) {
      std::fprintf(stderr, "chdir %s: %s\n", work_dir.c_str(), std::strerror(errno));
      ::_exit(127);
    }
    ::execve(args[0], args.data(), envp.data());
    std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
    ::_exit(127);
  }
  ::close(log_fd);
  return std::unique_ptr<ChildProcess>(
      new ChildProcess(pid, log_path, log_start > 0 ? static_cast<size_t>(log_start) : 0));
}

ChildProcess::~ChildProcess() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    WaitForExit(absl::Seconds(10));
  }
}

void ChildProcess::Signal(int signal) {
  if (!exit_status_.has_value()) ::kill(pid_, signal);
}

std::optional<int> ChildProcess::WaitForExit(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!exit_status_.has_value()) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (absl::Now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return exit_status_;
}

bool ChildProcess::running() { return !WaitForExit(absl::ZeroDuration()).has_value(); }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string ChildProcess::Log() const {
  const std::string log = ReadFile(log_path_);
  return log.size() > log_start_ ? log.substr(log_start_) : std::string();
}

absl::StatusOr<int> RunToCompletion(const std::vector<std::string>& argv,
                                    const std::string& log_path, absl::Duration timeout) {
  auto child = ChildProcess::Start(argv, log_path);
  if (!child.ok()) return child.status();
  std::optional<int> status = (*child)->WaitForExit(timeout);
  if (!status.has_value()) {
    return absl::DeadlineExceededError(absl::StrCat(argv[0], " did not finish within ",
                                                    absl::FormatDuration(timeout), "; see ",
                                                    log_path));
  }
  return *status;
}

}  // namespace tiendo::testing
