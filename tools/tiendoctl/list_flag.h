// Flags that take several values. FlagSet keeps the last value of a flag given twice, so a
// list is written once, comma-separated: `--category=digital_technology,innovative_startup`.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace tiendo::ctl {

// The pieces of a comma-separated flag value, trimmed, empty pieces dropped.
std::vector<std::string> SplitList(absl::string_view text);

}  // namespace tiendo::ctl
