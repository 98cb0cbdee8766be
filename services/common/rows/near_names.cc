// Edit-distance suggestions for error messages; see near_names.h.
#include "services/common/rows/near_names.h"

#include <algorithm>
#include <utility>

namespace tiendo::rows {
namespace {

size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> previous(b.size() + 1);
  std::vector<size_t> current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace

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
    const size_t distance = EditDistance(name, candidate);
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
