// What gRPC carries in a plain (not `-bin`) metadata value: bytes 0x20-0x7e. It refuses any
// other, and the client library then aborts the program.
#pragma once

#include <cstddef>

#include "absl/strings/string_view.h"

namespace tiendo::ctl {

// The index of the first byte of `text` a plain metadata value cannot hold, or npos.
inline size_t FirstUnsendableByte(absl::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] < 0x20 || text[i] > 0x7e) return i;  // char is signed: bytes >= 0x80 are < 0
  }
  return absl::string_view::npos;
}

}  // namespace tiendo::ctl
