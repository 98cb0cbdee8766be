// SourceMap: where each field of a parsed document sits in its source text — a map from the
// field's path (`plan.targets[2].milestones[1].deadline`, the same path Problems carry) to
// its 1-based line — so that problems found after parsing, on the proto, can point into the
// file too.
#pragma once

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "services/common/core/problem.h"

namespace tiendo::planfile {

class SourceMap {
 public:
  // Records the line of `path`; the first record of a path wins. Lines below 1 are ignored.
  void Record(std::string path, int line);

  // The line of `path`, or else of the nearest enclosing path that has one
  // (`plan.targets[2].baseline.date` → `plan.targets[2].baseline` → `plan.targets[2]` → …),
  // so that a field missing from the file is placed at the entity it is missing from.
  // 0 when none is known.
  int LineOf(absl::string_view path) const;

  // Sets the line of every problem that has none.
  void AttachLines(std::vector<core::Problem>& problems) const;

 private:
  absl::flat_hash_map<std::string, int> lines_;
};

}  // namespace tiendo::planfile
