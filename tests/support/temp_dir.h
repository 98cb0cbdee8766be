// Temporary directories for tests' and benchmarks' files (service logs, broker data), under
// $TMPDIR (tests/run.sh points it at one directory of its run) or /tmp.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tiendo::testing {

// A fresh directory for one test's files. A test binary that links
// temp_dirs_environment.cc removes it after a run in which every test passed; after a
// failure it stays, to be looked into.
std::string MakeTempDir(const std::string& name);

// Counts `path` (a file beside such a directory, say) among what a passing run removes.
void RemoveAfterPassingRun(std::string path);

// What MakeTempDir and RemoveAfterPassingRun named in this process, in order.
std::vector<std::string> PathsToRemoveAfterPassingRun();

// Removes `path` and everything in it, if it is there.
void RemoveTree(const std::string& path);

// Removes `path` and everything in it when it goes (nothing if empty). Declared before the
// processes that write there, so that they have stopped by then.
struct RemovedAtEnd {
  std::string path;

  RemovedAtEnd() = default;
  explicit RemovedAtEnd(std::string dir) : path(std::move(dir)) {}
  RemovedAtEnd(const RemovedAtEnd&) = delete;
  RemovedAtEnd& operator=(const RemovedAtEnd&) = delete;
  ~RemovedAtEnd();

  // Leaves the directory in place after all: its files tell what went wrong.
  void Keep() { path.clear(); }
};

}  // namespace tiendo::testing
