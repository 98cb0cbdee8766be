// NearNames: the "did you mean …?" of the row layer's error messages — the known names
// nearest to a misspelt column or enum value, for a reader to pick from.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace tiendo::rows {

// The candidates within a few edits of `name` (Levenshtein on bytes, at most a third of the
// name's length and at least 2) and at most one edit farther than the nearest, nearest
// first, ties in alphabetical order, at most `max_names` of them. Empty when none is near.
std::vector<std::string> NearNames(absl::string_view name,
                                   const std::vector<std::string>& candidates,
                                   size_t max_names = 3);

}  // namespace tiendo::rows
