#include "services/common/core/string_lists.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"

namespace tiendo::core {

void SortWithoutRepeats(google::protobuf::RepeatedPtrField<std::string>& values) {
  std::sort(values.begin(), values.end());
  const auto end = std::unique(values.begin(), values.end());
  values.erase(end, values.end());
}

void RemoveRepeatsKeepingOrder(google::protobuf::RepeatedPtrField<std::string>& values) {
  absl::flat_hash_set<std::string> seen;
  int kept = 0;
  for (int i = 0; i < values.size(); ++i) {
    if (!seen.insert(values.Get(i)).second) continue;
    if (kept != i) values.Mutable(kept)->swap(*values.Mutable(i));
    ++kept;
  }
  values.DeleteSubrange(kept, values.size() - kept);
}

}  // namespace tiendo::core
