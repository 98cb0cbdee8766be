// Reading one cell's text as a value of a field's type; see cell_value.h.
#include "services/common/rows/cell_value.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/common/rows/near_names.h"

namespace tiendo::rows {
namespace {

using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;

constexpr size_t kQuotedBytes = 60;
// Enums with at most this many values are listed in full when a cell names none of them.
constexpr int kListedEnumValues = 12;

// The length of the well-formed UTF-8 sequence at the start of `text`, or 0 if it is not
// one (stray continuation byte, truncated sequence, overlong form, surrogate, beyond
// U+10FFFF).
size_t Utf8SequenceLength(absl::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char low = 0x80;  // bounds of the second byte, narrower for some leads
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // beyond U+10FFFF
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  if (byte(1) < low || byte(1) > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

// The offset of the first byte that is not part of well-formed UTF-8, if any.
std::optional<size_t> FirstInvalidUtf8(absl::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t length = Utf8SequenceLength(text.substr(pos));
    if (length == 0) return pos;
    pos += length;
  }
  return std::nullopt;
}

bool AllDigits(absl::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), absl::ascii_isdigit);
}

// `[-+]digits[.digits][e[-+]digits]`, or with the digits before the point left out.
bool LooksDecimal(absl::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  size_t e = text.find_first_of("eE");
  absl::string_view mantissa = text.substr(0, e);
  if (e != absl::string_view::npos) {
    absl::string_view exponent = text.substr(e + 1);
    if (!exponent.empty() && (exponent[0] == '-' || exponent[0] == '+')) {
      exponent.remove_prefix(1);
    }
    if (!AllDigits(exponent)) return false;
  }
  const size_t point = mantissa.find('.');
  if (point == absl::string_view::npos) return AllDigits(mantissa);
  const absl::string_view whole = mantissa.substr(0, point);
  const absl::string_view fraction = mantissa.substr(point + 1);
  if (whole.empty() && fraction.empty()) return false;
  return (whole.empty() || AllDigits(whole)) && (fraction.empty() || AllDigits(fraction));
}

absl::Status Invalid(absl::string_view text, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(QuoteCell(text), " ", rule));
}

absl::StatusOr<CellValue> ReadSigned(absl::string_view text, int64_t min, int64_t max,
                                     absl::string_view type) {
  const absl::string_view digits = absl::StartsWith(text, "-") ? text.substr(1) : text;
  if (!AllDigits(digits)) return Invalid(text, "is not a whole number (decimal digits)");
  int64_t value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < min || value > max) {
    return Invalid(text, absl::StrCat("is out of range for ", type, " (", min, " to ", max, ")"));
  }
  return value;
}

absl::StatusOr<CellValue> ReadUnsigned(absl::string_view text, uint64_t max,
                                       absl::string_view type) {
  if (!AllDigits(text)) {
    return Invalid(text, "is not a non-negative whole number (decimal digits)");
  }
  uint64_t value = 0;
  if (!absl::SimpleAtoi(text, &value) || value > max) {
    return Invalid(text, absl::StrCat("is out of range for ", type, " (0 to ", max, ")"));
  }
  return value;
}

absl::StatusOr<CellValue> ReadFloating(absl::string_view text, bool single) {
  const std::string lower = absl::AsciiStrToLower(text);
  const absl::string_view word = absl::StripPrefix(absl::StripPrefix(lower, "-"), "+");
  if (word == "inf" || word == "infinity" || word == "nan") {
    return Invalid(text, "is not a finite number");
  }
  if (!LooksDecimal(text)) return Invalid(text, "is not a decimal number (e.g. 12.5 or 1e3)");
  double value = 0;
  if (!absl::SimpleAtod(text, &value) || !std::isfinite(value)) {
    return Invalid(text, "is not a finite number (out of range for double)");
  }
  if (single && std::fabs(value) > std::numeric_limits<float>::max()) {
    return Invalid(text, "is out of range for float");
  }
  return value;
}

absl::StatusOr<CellValue> ReadEnum(const EnumDescriptor& type, absl::string_view text) {
  if (const auto* value = type.FindValueByName(std::string(text)); value != nullptr) {
    return value;
  }
  std::vector<std::string> names;
  std::vector<std::string> suggestions;
  const std::string upper = absl::AsciiStrToUpper(text);
  for (int i = 0; i < type.value_count(); ++i) {
    const std::string& name = type.value(i)->name();
    names.push_back(name);
    // `small` for SIZE_CLASS_SMALL: the value without its prefix, in any case.
    if (name == upper || absl::EndsWith(name, absl::StrCat("_", upper))) {
      suggestions.push_back(name);
    }
  }
  if (suggestions.empty()) suggestions = NearNames(text, names);
  std::string rule = absl::StrCat("is not a value of ", type.full_name());
  if (!suggestions.empty()) {
    absl::StrAppend(&rule, "; did you mean ", absl::StrJoin(suggestions, " or "), "?");
  } else if (type.value_count() <= kListedEnumValues) {
    absl::StrAppend(&rule, " (values: ", absl::StrJoin(names, ", "), ")");
  }
  return Invalid(text, rule);
}

absl::StatusOr<CellValue> ReadTimestamp(absl::string_view text) {
  // google.protobuf.Timestamp's range: years 0001 to 9999.
  static const absl::Time kMin = absl::FromCivil(absl::CivilSecond(1, 1, 1), absl::UTCTimeZone());
  static const absl::Time kEnd =
      absl::FromCivil(absl::CivilSecond(10000, 1, 1), absl::UTCTimeZone());
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, std::string(text), &time, &error)) {
    return Invalid(text, "is not an RFC 3339 time (e.g. 2025-09-30T08:00:00Z)");
  }
  if (time < kMin || time >= kEnd) {
    return Invalid(text, "is outside the years 0001 to 9999 that a Timestamp holds");
  }
  return time;
}

}  // namespace

std::string QuoteCell(absl::string_view text) {
  const bool cut = text.size() > kQuotedBytes;
  absl::string_view shown = text.substr(0, kQuotedBytes);
  const bool valid = !FirstInvalidUtf8(text).has_value();
  // Do not cut a valid text inside a character.
  while (cut && valid && !shown.empty() &&
         Utf8SequenceLength(text.substr(shown.size())) == 0) {
    shown.remove_suffix(1);
  }
  std::string quoted = "\"";
  for (const char c : shown) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      quoted.push_back('\\');
      quoted.push_back(c);
    } else if (byte < 0x20 || byte == 0x7F || (byte >= 0x80 && !valid)) {
      absl::StrAppendFormat(&quoted, "\\x%02x", byte);
    } else {
      quoted.push_back(c);
    }
  }
  absl::StrAppend(&quoted, cut ? "…\"" : "\"");
  return quoted;
}

absl::StatusOr<CellValue> ReadCell(const FieldDescriptor& field, absl::string_view text) {
  if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) return ReadTimestamp(text);
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      if (field.type() == FieldDescriptor::TYPE_STRING) {
        if (const std::optional<size_t> bad = FirstInvalidUtf8(text); bad.has_value()) {
          return Invalid(text, absl::StrFormat("is not valid UTF-8 (byte 0x%02x at offset %d)",
                                               static_cast<unsigned char>(text[*bad]), *bad));
        }
      }
      return std::string(text);
    case FieldDescriptor::CPPTYPE_BOOL:
      if (text == "true") return true;
      if (text == "false") return false;
      return Invalid(text, "is not a boolean (true or false)");
    case FieldDescriptor::CPPTYPE_INT32:
      return ReadSigned(text, std::numeric_limits<int32_t>::min(),
                        std::numeric_limits<int32_t>::max(), "int32");
    case FieldDescriptor::CPPTYPE_INT64:
      return ReadSigned(text, std::numeric_limits<int64_t>::min(),
                        std::numeric_limits<int64_t>::max(), "int64");
    case FieldDescriptor::CPPTYPE_UINT32:
      return ReadUnsigned(text, std::numeric_limits<uint32_t>::max(), "uint32");
    case FieldDescriptor::CPPTYPE_UINT64:
      return ReadUnsigned(text, std::numeric_limits<uint64_t>::max(), "uint64");
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return ReadFloating(text, /*single=*/false);
    case FieldDescriptor::CPPTYPE_FLOAT:
      return ReadFloating(text, /*single=*/true);
    case FieldDescriptor::CPPTYPE_ENUM:
      return ReadEnum(*field.enum_type(), text);
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;  // handled above
  }
  return absl::InternalError(absl::StrCat("field ", field.full_name(), " has an unknown type"));
}

}  // namespace tiendo::rows
