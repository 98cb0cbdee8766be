// Free TCP ports on loopback, chosen by the kernel, for servers a test starts.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tiendo::testing {

// `count` distinct ports that were free a moment ago (each bound to port 0
// on 127.0.0.1, all held open until all are chosen, then released).
absl::StatusOr<std::vector<int>> FreePorts(int count);

// "127.0.0.1:PORT" where nothing listens (a port free a moment ago), for a test of what a
// client does when its server is unreachable.
std::string UnreachableAddress();

}  // namespace tiendo::testing
