// Fingerprint: a stable 64-bit hash (FNV-1a) of a submission id. Unlike
// absl::Hash it is the same in every process and every run, so fingerprints
// can be snapshotted and compared after a restart.
#pragma once

#include <cstdint>

#include "absl/strings/string_view.h"

namespace tiendo::core {

inline uint64_t Fingerprint(absl::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace tiendo::core
