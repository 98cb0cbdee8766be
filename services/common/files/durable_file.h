// Whole files written so that a crash leaves either the old content or the new, never a mix:
// what services keep on local disk between runs (the evaluator's snapshots).
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tiendo::files {

// Replaces the content of `path` with `bytes`, atomically and durably: written into
// `path`.tmp beside it, fsynced, renamed over `path`, and the directory fsynced. After OK,
// `path` holds `bytes` even across a crash; after an error it still holds what it held
// before (if anything). One writer per path at a time. Errors name the file and the step.
absl::Status WriteFileDurably(const std::string& path, absl::string_view bytes);

// The whole content of `path`: NOT_FOUND when there is no such file, the system's error
// (naming the file) when it cannot be read.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

}  // namespace tiendo::files
