// ClosestName: the "did you mean …?" of error messages — the known name nearest to a
// misspelt one, if it is near enough to be a likely typo.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace tiendo::core {

// Levenshtein distance between `a` and `b`, on bytes.
size_t EditDistance(absl::string_view a, absl::string_view b);

// The candidate with the smallest edit distance (Levenshtein, on bytes) to `name`, if that
// distance is at most a third of the name's length (at least 1, at most 3) and the nearest
// candidate is unique; otherwise nullopt.
std::optional<std::string> ClosestName(absl::string_view name,
                                       const std::vector<std::string>& candidates);

}  // namespace tiendo::core
