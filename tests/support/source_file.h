// Files of the source tree (plans/, data/synthetic/) as tests read them.
#pragma once

#include <string>

namespace tiendo::testing {

// The contents of `relative` (a path from the repository root). A file that cannot be read
// ends the test program with a message naming it: the checked-in tree is incomplete.
std::string ReadSourceFile(const std::string& relative);

}  // namespace tiendo::testing
