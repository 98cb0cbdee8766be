#include "services/common/core/utf8_text.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace tiendo::core {
namespace {

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Length of the well-formed sequence starting at text[i], or 0. The ranges of the second
// byte are those of the Unicode standard's table of well-formed sequences (Table 3-7); they
// exclude overlong forms, surrogates and code points above U+10FFFF.
size_t SequenceLength(absl::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;
    if (lead == 0xED) second_max = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;
    if (lead == 0xF4) second_max = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(1) < second_min || byte(1) > second_max) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (!IsContinuation(byte(k))) return 0;
  }
  return length;
}

}  // namespace

bool IsAscii(absl::string_view text) {
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

std::optional<size_t> Utf8Length(absl::string_view text) {
  if (IsAscii(text)) return text.size();
  // Mostly ASCII, as Vietnamese words are between their diacritics: eight ASCII bytes at a
  // time where they come, a character at a time elsewhere.
  constexpr size_t kWord = 8;
  size_t characters = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (i + kWord <= text.size() && IsAscii(text.substr(i, kWord))) {
      i += kWord;
      characters += kWord;
      continue;
    }
    const size_t length = SequenceLength(text, i);
    if (length == 0) return std::nullopt;
    i += length;
    ++characters;
  }
  return characters;
}

std::string ShowText(absl::string_view text, size_t max_characters) {
  const bool has_control = std::any_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
  });
  if (has_control || !IsValidUtf8(text)) {
    std::string shown = absl::CHexEscape(text.substr(0, max_characters));
    if (text.size() > max_characters) absl::StrAppend(&shown, "…");
    return shown;
  }
  size_t end = 0;
  for (size_t characters = 0; end < text.size() && characters < max_characters; ++characters) {
    end += SequenceLength(text, end);
  }
  std::string shown(text.substr(0, end));
  if (end < text.size()) absl::StrAppend(&shown, "…");
  return shown;
}

}  // namespace tiendo::core
