// The generator's name and version, written into every file it produces.
// Bump kGeneratorVersion whenever the output for a given seed changes.
#pragma once

#include "absl/strings/string_view.h"

namespace tiendo::sample {

inline constexpr absl::string_view kGeneratorName = "tiendo-sample-data";
inline constexpr absl::string_view kGeneratorVersion = "1";
// source_system of every generated record.
inline constexpr absl::string_view kSourceSystem = "tiendo-sample-data/1";

}  // namespace tiendo::sample
