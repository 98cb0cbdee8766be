// Text from outside (names, codes, ids in a registry write or an import row): whether it is
// valid UTF-8, how long it is in characters, and how to quote it in a message.
//
// Protobuf C++ does not reject malformed UTF-8 on every path (setters and some parsers let it
// through), and a FieldViolation whose description echoes malformed bytes cannot be
// serialised; so the rules check text themselves and never echo it raw.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace tiendo::core {

// The number of code points in `text` if it is well-formed UTF-8 (no overlong forms, no
// surrogates, nothing above U+10FFFF); nullopt otherwise.
std::optional<size_t> Utf8Length(absl::string_view text);

// Whether every byte of `text` is ASCII: a few word-sized loads for the short ids, codes
// and periods most text is.
bool IsAscii(absl::string_view text);

inline bool IsValidUtf8(absl::string_view text) { return Utf8Length(text).has_value(); }

// `text` as it may appear in a message: unchanged when it is valid UTF-8 without control
// characters, C-escaped otherwise; cut after `max_characters` characters (bytes, when
// escaped) with "…".
std::string ShowText(absl::string_view text, size_t max_characters = 64);

}  // namespace tiendo::core
