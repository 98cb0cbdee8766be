// Edit-distance suggestions for error messages; see near_names.h.
#include "services/common/rows/near_names.h"

#include <algorithm>
#include <utility>

#include "services/common/core/closest_name.h"

namespace tiendo::rows {

std::vector<std::string> NearNames(absl::string_view name,
                                   const std::vector<std::string>& candidates,
                                   size_t max_names) {
  const size_t limit = std::max<size_t>(2, name.size() / 3);
  std::vector<std::pair<size_t, std::string>> near;
  for (const std::string& candidate : candidates) {
    if (candidate == name) continue;
    // Lengths alone can rule a candidate out without the quadratic distance.
    const size_t length_gap = candidate.size() > name.size() ? candidate.size() - name.size()
                                                             : name.size() - candidate.size();
    if (length_gap > limit) continue;
    const size_t distance = core::EditDistance(name, candidate);
    if (distance <= limit) near.emplace_back(distance, candidate);
  }
  std::sort(near.begin(), near.end());
  near.erase(std::unique(near.begin(), near.end()), near.end());
  std::vector<std::string> names;
  for (auto& [distance, candidate] : near) {
    // Far behind the nearest is no longer a likely typo.
    if (names.size() == max_names || distance > near.front().first + 1) break;
    names.push_back(std::move(candidate));
  }
  return names;
}

}  // namespace tiendo::rows
