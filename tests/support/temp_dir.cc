#include "tests/support/temp_dir.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace tiendo::testing {
namespace {

struct PathsToRemove {
  absl::Mutex mu;
  std::vector<std::string> paths ABSL_GUARDED_BY(mu);
};

PathsToRemove& Made() {
  static auto* made = new PathsToRemove;
  return *made;
}

}  // namespace

std::string MakeTempDir(const std::string& name) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/tiendo-", name, ".XXXXXX");
  if (::mkdtemp(pattern.data()) == nullptr) return "";
  RemoveAfterPassingRun(pattern);
  return pattern;
}

void RemoveAfterPassingRun(std::string path) {
  absl::MutexLock lock(&Made().mu);
  Made().paths.push_back(std::move(path));
}

std::vector<std::string> PathsToRemoveAfterPassingRun() {
  absl::MutexLock lock(&Made().mu);
  return Made().paths;
}

void RemoveTree(const std::string& path) {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

RemovedAtEnd::~RemovedAtEnd() {
  if (!path.empty()) RemoveTree(path);
}

}  // namespace tiendo::testing
