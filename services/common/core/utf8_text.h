// Text from outside (names, codes, ids in a registry write or an import row): whether it is
// valid UTF-8, how long it is in characters, and how to quote it in a message.
//
// Protobuf C++ does not reject malformed UTF-8 on every path (setters and some parsers let it
// through), and a FieldViolation whose description echoes malformed bytes cannot be
// serialised; so the rules check text themselves and never echo it raw.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace tiendo::core {

// The number of code points in `text` if it is well-formed UTF-8 (no overlong forms, no
// surrogates, nothing above U+10FFFF); nullopt otherwise.
std::optional<size_t> Utf8Length(absl::string_view text);

// Whether every byte of `text` is ASCII: a few word-sized loads for the short
// ids, codes and periods most text is.
inline bool IsAscii(absl::string_view text) {
  constexpr uint64_t kHighBits = 0x8080808080808080u;
  const char* data = text.data();
  const size_t size = text.size();
  const auto word = [&](size_t at) {
    uint64_t bits;
    std::memcpy(&bits, data + at, sizeof(bits));
    return bits;
  };
  const auto half = [&](size_t at) {
    uint32_t bits;
    std::memcpy(&bits, data + at, sizeof(bits));
    return bits;
  };
  if (size >= 8) {
    uint64_t any = word(size - 8);  // the last eight, overlapping the words before
    for (size_t at = 0; at + 8 <= size; at += 8) any |= word(at);
    return (any & kHighBits) == 0;
  }
  if (size >= 4) return ((half(0) | half(size - 4)) & static_cast<uint32_t>(kHighBits)) == 0;
  unsigned char any = 0;
  for (size_t at = 0; at < size; ++at) any |= static_cast<unsigned char>(data[at]);
  return any < 0x80;
}

inline bool IsValidUtf8(absl::string_view text) { return Utf8Length(text).has_value(); }

// `text` as it may appear in a message: unchanged when it is valid UTF-8 without control
// characters, C-escaped otherwise; cut after `max_characters` characters (bytes, when
// escaped) with "…".
std::string ShowText(absl::string_view text, size_t max_characters = 64);

}  // namespace tiendo::core
