// Reading a whole input file (a plan file, a CSV) for a command, with the OS's reason when
// it cannot be read, so that the command can say `cannot read FILE: No such file or
// directory`.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"

namespace tiendo::ctl {

// The bytes of `path`, unchanged (UTF-8 stays byte-exact); on failure a status whose
// message is the OS's reason (strerror).
absl::StatusOr<std::string> ReadFileText(const std::string& path);

// ReadFileText for a command's input: on failure prints `tiendoctl: cannot read PATH: REASON`
// to `err` and returns nullopt (the command exits 2).
std::optional<std::string> ReadInputFile(const std::string& path, std::ostream& err);

}  // namespace tiendo::ctl
