#include "services/common/planfile/source_map.h"

#include <utility>

namespace tiendo::planfile {

void SourceMap::Record(std::string path, int line) {
  if (line < 1) return;
  lines_.emplace(std::move(path), line);
}

int SourceMap::LineOf(absl::string_view path) const {
  while (!path.empty()) {
    if (auto it = lines_.find(path); it != lines_.end()) return it->second;
    // Drop the last step: ".name" or "[index]".
    const size_t cut = path.find_last_of(".[");
    path = path.substr(0, cut == absl::string_view::npos ? 0 : cut);
  }
  return 0;
}

void SourceMap::AttachLines(std::vector<core::Problem>& problems) const {
  for (core::Problem& problem : problems) {
    if (problem.line == 0) problem.line = LineOf(problem.path);
  }
}

}  // namespace tiendo::planfile
