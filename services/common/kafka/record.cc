#include "services/common/kafka/record.h"

namespace tiendo::kafka {

std::optional<absl::string_view> ConsumedRecord::HeaderValue(absl::string_view name) const {
  for (const Header& header : headers) {
    if (header.key == name) return header.value;
  }
  return std::nullopt;
}

}  // namespace tiendo::kafka
