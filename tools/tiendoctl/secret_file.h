// Writing a secret (a bearer token) to a file only its owner can read: mode 0600, parent
// directories created (0700), and an existing file left alone unless the caller says to
// replace it — so that a script can store a token without it passing through a terminal.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace tiendo::ctl {

// ALREADY_EXISTS when `path` exists and `replace` is false; the OS's reason for any other
// failure.
absl::Status WriteSecretFile(const std::string& path, absl::string_view secret, bool replace);

}  // namespace tiendo::ctl
