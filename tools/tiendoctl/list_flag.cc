#include "tools/tiendoctl/list_flag.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"

namespace tiendo::ctl {

std::vector<std::string> SplitList(absl::string_view text) {
  std::vector<std::string> values;
  for (absl::string_view piece : absl::StrSplit(text, ',')) {
    piece = absl::StripAsciiWhitespace(piece);
    if (!piece.empty()) values.emplace_back(piece);
  }
  return values;
}

}  // namespace tiendo::ctl
