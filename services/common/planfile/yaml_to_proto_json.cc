#include "services/common/planfile/yaml_to_proto_json.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <limits>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/common/core/closest_name.h"

namespace tiendo::planfile {
namespace {

using core::Problem;
using core::Severity;
using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::OneofDescriptor;

std::string Join(absl::string_view path, absl::string_view field) {
  return path.empty() ? std::string(field) : absl::StrCat(path, ".", field);
}

int LineOf(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.is_null() || mark.line < 0 ? 0 : mark.line + 1;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool IsValidUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    uint32_t code_point = 0;
    if (byte < 0x80) {
      ++i;
      continue;
    } else if ((byte & 0xE0) == 0xC0) {
      length = 2;
      code_point = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
      code_point = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
      code_point = byte & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    const uint32_t smallest = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
    if (code_point < smallest || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

void AppendJsonString(std::string* out, absl::string_view text) {
  out->push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(out, "\\u%04x", static_cast<unsigned char>(c));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

// --- Scalars under YAML 1.2's core schema ---

enum class ScalarKind { kString, kNumber, kBool, kUnsupportedTag };

struct Scalar {
  ScalarKind kind = ScalarKind::kString;
  bool quoted = false;  // written in quotes (or as a block scalar, or tagged !!str)
  std::string text;
};

bool IsYamlBool(absl::string_view text) {
  return text == "true" || text == "True" || text == "TRUE" || text == "false" ||
         text == "False" || text == "FALSE";
}

// [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool IsYamlDecimal(absl::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t whole_digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++whole_digits;
  size_t fraction_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i, ++fraction_digits;
  }
  if (whole_digits == 0 && fraction_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exponent_digits = 0;
    while (i < s.size() && IsDigit(s[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  return i == s.size();
}

// -? ( 0 | [1-9][0-9]* ) ( \.[0-9]+ )? ( [eE] [-+]? [0-9]+ )?
bool IsJsonNumber(absl::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size() || !IsDigit(s[i])) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (i < s.size() && IsDigit(s[i])) ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i >= s.size() || !IsDigit(s[i])) return false;
    while (i < s.size() && IsDigit(s[i])) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= s.size() || !IsDigit(s[i])) return false;
    while (i < s.size() && IsDigit(s[i])) ++i;
  }
  return i == s.size();
}

bool IsDigitsIn(absl::string_view s, absl::string_view allowed) {
  if (s.empty()) return false;
  for (char c : s) {
    if (allowed.find(c) == absl::string_view::npos) return false;
  }
  return true;
}

struct Number {
  double value = 0;
  bool special = false;  // .inf, -.inf or .nan
  // Set when the number is a whole number that fits.
  std::optional<int64_t> as_int64;
  std::optional<uint64_t> as_uint64;
  std::string json;  // the JSON form protobuf reads for a float or double field
};

// A number written the YAML 1.2 core way; nullopt if the text is not one.
std::optional<Number> ParseNumber(absl::string_view text) {
  Number number;
  absl::string_view body = text;
  const bool negative = absl::ConsumePrefix(&body, "-");
  if (!negative) absl::ConsumePrefix(&body, "+");
  if (body == ".inf" || body == ".Inf" || body == ".INF") {
    number.value = negative ? -std::numeric_limits<double>::infinity()
                            : std::numeric_limits<double>::infinity();
    number.special = true;
    number.json = negative ? "\"-Infinity\"" : "\"Infinity\"";
    return number;
  }
  if (text == ".nan" || text == ".NaN" || text == ".NAN") {
    number.value = std::numeric_limits<double>::quiet_NaN();
    number.special = true;
    number.json = "\"NaN\"";
    return number;
  }
  int base = 0;
  if (text.size() > 2 && text.substr(0, 2) == "0o" && IsDigitsIn(text.substr(2), "01234567")) {
    base = 8;
  } else if (text.size() > 2 && text.substr(0, 2) == "0x" &&
             IsDigitsIn(text.substr(2), "0123456789abcdefABCDEF")) {
    base = 16;
  }
  if (base != 0) {
    const std::string digits(text.substr(2));
    errno = 0;
    const unsigned long long parsed = std::strtoull(digits.c_str(), nullptr, base);
    if (errno == ERANGE) return std::nullopt;
    number.as_uint64 = parsed;
    if (parsed <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      number.as_int64 = static_cast<int64_t>(parsed);
    }
    number.value = static_cast<double>(parsed);
    number.json = absl::StrCat(parsed);
    return number;
  }
  if (!IsYamlDecimal(text)) return std::nullopt;
  if (!absl::SimpleAtod(text, &number.value)) {
    // Out of double's range: absl reports it as a failure.
    number.value = std::numeric_limits<double>::infinity();
  }
  int64_t whole = 0;
  uint64_t unsigned_whole = 0;
  if (absl::SimpleAtoi(text, &whole)) number.as_int64 = whole;
  if (absl::SimpleAtoi(text, &unsigned_whole)) number.as_uint64 = unsigned_whole;
  if (!number.as_int64.has_value() && std::isfinite(number.value) &&
      number.value == std::floor(number.value) && std::abs(number.value) < 9.0e15) {
    number.as_int64 = static_cast<int64_t>(number.value);  // e.g. 3e2, 300.0
    if (*number.as_int64 >= 0) number.as_uint64 = static_cast<uint64_t>(*number.as_int64);
  }
  absl::string_view unsigned_text = text;
  absl::ConsumePrefix(&unsigned_text, "+");
  number.json = IsJsonNumber(unsigned_text) ? std::string(unsigned_text)
                                            : absl::StrFormat("%.17g", number.value);
  return number;
}

Scalar Classify(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  const std::string& text = node.Scalar();
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return {ScalarKind::kString, true, text};
  if (tag != "?" && !tag.empty()) return {ScalarKind::kUnsupportedTag, false, text};
  if (IsYamlBool(text)) return {ScalarKind::kBool, false, text};
  if (ParseNumber(text).has_value()) return {ScalarKind::kNumber, false, text};
  return {ScalarKind::kString, false, text};
}

// How a value was written, for messages: `the list`, `"abc"`, `the unquoted number 77`.
std::string Describe(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  if (node.IsNull()) return "nothing";
  const Scalar scalar = Classify(node);
  switch (scalar.kind) {
    case ScalarKind::kNumber:
      return absl::StrCat("the unquoted number ", scalar.text);
    case ScalarKind::kBool:
      return absl::StrCat("the unquoted boolean ", scalar.text);
    default:
      return absl::StrCat("\"", scalar.text, "\"");
  }
}

std::string TypeName(const FieldDescriptor& field) {
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return "a string";
    case FieldDescriptor::CPPTYPE_BOOL:
      return "true or false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return absl::StrCat("a value of ", field.enum_type()->name());
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return absl::StrCat("a mapping (", field.message_type()->name(), ")");
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
      return "a whole number";
    default:
      return "a number";
  }
}

class Converter {
 public:
  Converter(const YamlConversionOptions& options, ProtoJson& result)
      : options_(options), result_(result) {}

  void Message(const YAML::Node& node, const Descriptor& type, const std::string& path,
               int line) {
    if (!node.IsMap()) {
      Error(path, line, "type",
            absl::StrCat("expected a mapping with the fields of ", type.name(), ", found ",
                         Describe(node)));
      Out("null");
      return;
    }
    Out("{");
    bool first = true;
    absl::flat_hash_map<std::string, int> key_lines;
    absl::flat_hash_map<const OneofDescriptor*, std::string> oneofs_set;
    for (auto it = node.begin(); it != node.end(); ++it) {
      // Copies: `it->` yields a proxy that dies at the end of the expression.
      const YAML::Node key = it->first;
      const YAML::Node value = it->second;
      const int key_line = LineOf(key) != 0 ? LineOf(key) : line;
      if (!key.IsScalar()) {
        Error(path, key_line, "format",
              absl::StrCat("a key must be a field name, not ", Describe(key)));
        continue;
      }
      const std::string& name = key.Scalar();
      const std::string field_path = Join(path, name);
      result_.source_map.Record(field_path, key_line);
      if (auto [seen, inserted] = key_lines.emplace(name, key_line); !inserted) {
        Error(field_path, key_line, "duplicate",
              absl::StrCat("key \"", name, "\" appears twice in this mapping (first on line ",
                           seen->second, ")"));
        continue;
      }
      const FieldDescriptor* field = type.FindFieldByName(name);
      if (field == nullptr) {
        UnknownField(type, name, field_path, key_line);
        continue;
      }
      if (IsIgnored(name)) {
        Warning(field_path, key_line, "ignored",
                absl::StrCat("\"", name, "\" is ", options_.ignored_reason,
                             "; its value is ignored"));
        continue;
      }
      if (value.IsNull()) continue;  // `key:` with no value leaves the field unset
      if (const OneofDescriptor* oneof = field->real_containing_oneof(); oneof != nullptr) {
        auto [other, inserted] = oneofs_set.emplace(oneof, name);
        if (!inserted) {
          Error(field_path, key_line, "inconsistent",
                absl::StrCat("\"", name, "\" and \"", other->second,
                             "\" are alternatives (one of ", oneof->name(), "): set only one"));
          continue;
        }
      }
      if (!first) Out(",");
      first = false;
      AppendJsonString(&result_.json, name);
      Out(":");
      FieldValue(value, *field, field_path, key_line);
    }
    Out("}");
  }

 private:
  void Out(absl::string_view text) { result_.json.append(text.data(), text.size()); }

  void Error(const std::string& path, int line, std::string rule, std::string message) {
    result_.problems.push_back({path, line, std::move(message), Severity::kError,
                                std::move(rule)});
  }

  void Warning(const std::string& path, int line, std::string rule, std::string message) {
    result_.problems.push_back({path, line, std::move(message), Severity::kWarning,
                                std::move(rule)});
  }

  bool IsIgnored(absl::string_view name) const {
    for (const std::string& ignored : options_.ignored_fields) {
      if (ignored == name) return true;
    }
    return false;
  }

  void UnknownField(const Descriptor& type, const std::string& name, const std::string& path,
                    int line) {
    std::vector<std::string> names;
    for (int i = 0; i < type.field_count(); ++i) {
      if (!IsIgnored(type.field(i)->name())) names.push_back(type.field(i)->name());
    }
    std::string hint;
    if (const FieldDescriptor* spelt = type.FindFieldByCamelcaseName(name); spelt != nullptr) {
      hint = absl::StrCat(": field names are written as in the proto, in lower_snake_case: \"",
                          spelt->name(), "\"");
    } else if (const FieldDescriptor* lower = type.FindFieldByLowercaseName(
                   absl::AsciiStrToLower(name));
               lower != nullptr) {
      hint = absl::StrCat(": field names are lower case: \"", lower->name(), "\"");
    } else if (std::optional<std::string> near = core::ClosestName(name, names); near) {
      hint = absl::StrCat("; did you mean \"", *near, "\"?");
    } else {
      hint = absl::StrCat(" (its fields: ", absl::StrJoin(names, ", "), ")");
    }
    Error(path, line, "unknown_field",
          absl::StrCat("unknown field \"", name, "\" in ", type.name(), hint));
  }

  void FieldValue(const YAML::Node& value, const FieldDescriptor& field, const std::string& path,
                  int line) {
    if (field.is_map()) {
      MapValue(value, field, path, line);
      return;
    }
    if (!field.is_repeated()) {
      Element(value, field, path, line);
      return;
    }
    if (!value.IsSequence()) {
      Error(path, line, "type",
            absl::StrCat("expected a list, found ", Describe(value),
                         "; write [a, b] or one \"- item\" per line"));
      Out("null");
      return;
    }
    Out("[");
    for (size_t i = 0; i < value.size(); ++i) {
      const YAML::Node item = value[i];
      const std::string item_path = absl::StrCat(path, "[", i, "]");
      const int item_line = LineOf(item) != 0 ? LineOf(item) : line;
      result_.source_map.Record(item_path, item_line);
      if (i > 0) Out(",");
      if (item.IsNull()) {
        Error(item_path, item_line, "required", "empty list item");
        Out("null");
        continue;
      }
      Element(item, field, item_path, item_line);
    }
    Out("]");
  }

  void MapValue(const YAML::Node& value, const FieldDescriptor& field, const std::string& path,
                int line) {
    const FieldDescriptor& value_field = *field.message_type()->map_value();
    if (!value.IsMap()) {
      Error(path, line, "type",
            absl::StrCat("expected a mapping of keys to ", TypeName(value_field), ", found ",
                         Describe(value)));
      Out("null");
      return;
    }
    Out("{");
    bool first = true;
    for (auto it = value.begin(); it != value.end(); ++it) {
      const YAML::Node key = it->first;
      const YAML::Node entry = it->second;
      const int key_line = LineOf(key) != 0 ? LineOf(key) : line;
      if (!key.IsScalar()) {
        Error(path, key_line, "format", "a map key must be a scalar");
        continue;
      }
      const std::string entry_path = absl::StrCat(path, "[\"", key.Scalar(), "\"]");
      result_.source_map.Record(entry_path, key_line);
      if (entry.IsNull()) continue;
      if (!first) Out(",");
      first = false;
      AppendJsonString(&result_.json, key.Scalar());
      Out(":");
      Element(entry, value_field, entry_path, key_line);
    }
    Out("}");
  }

  // One value of `field` (an element, for a repeated field).
  void Element(const YAML::Node& node, const FieldDescriptor& field, const std::string& path,
               int line) {
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      const Descriptor& type = *field.message_type();
      if (type.full_name() == "google.protobuf.Duration") {
        Duration(node, path, line);
      } else if (type.full_name() == "google.protobuf.Timestamp") {
        StringScalar(node, path, line, "a timestamp such as \"2025-07-01T00:00:00Z\"");
      } else if (type.file()->package() == "google.protobuf") {
        Generic(node);  // other well-known types have JSON forms of their own
      } else {
        Message(node, type, path, line);
      }
      return;
    }
    if (!node.IsScalar()) {
      Error(path, line, "type",
            absl::StrCat("expected ", TypeName(field), ", found ", Describe(node)));
      Out("null");
      return;
    }
    const Scalar scalar = Classify(node);
    if (scalar.kind == ScalarKind::kUnsupportedTag) {
      Error(path, line, "format",
            absl::StrCat("unsupported YAML tag ", node.Tag(),
                         "; write the value plainly or in quotes"));
      Out("null");
      return;
    }
    switch (field.cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        StringScalar(node, path, line, "a string");
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        if (scalar.kind == ScalarKind::kBool) {
          Out(absl::AsciiStrToLower(scalar.text));
        } else {
          Error(path, line, "type",
                absl::StrCat("expected true or false (unquoted), found ", Describe(node)));
          Out("null");
        }
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        EnumScalar(scalar, node, *field.enum_type(), path, line);
        break;
      default:
        NumberScalar(scalar, node, field, path, line);
        break;
    }
  }

  void StringScalar(const YAML::Node& node, const std::string& path, int line,
                    absl::string_view expected) {
    if (!node.IsScalar()) {
      Error(path, line, "type", absl::StrCat("expected ", expected, ", found ", Describe(node)));
      Out("null");
      return;
    }
    const Scalar scalar = Classify(node);
    if (scalar.kind == ScalarKind::kNumber || scalar.kind == ScalarKind::kBool) {
      Error(path, line, "type",
            absl::StrCat("expected ", expected, ", found ", Describe(node), " (YAML reads ",
                         scalar.text, " without quotes as a ",
                         scalar.kind == ScalarKind::kNumber ? "number" : "boolean",
                         "); codes, dates and periods are strings, so write it in quotes: \"",
                         scalar.text, "\""));
      Out("null");
      return;
    }
    if (!IsValidUtf8(scalar.text)) {
      Error(path, line, "format", "text is not valid UTF-8; save the file as UTF-8");
      Out("null");
      return;
    }
    AppendJsonString(&result_.json, scalar.text);
  }

  void EnumScalar(const Scalar& scalar, const YAML::Node& node, const EnumDescriptor& type,
                  const std::string& path, int line) {
    if (scalar.kind == ScalarKind::kString) {
      if (type.FindValueByName(scalar.text) != nullptr) {
        AppendJsonString(&result_.json, scalar.text);
        return;
      }
    }
    std::vector<std::string> names;
    for (int i = 0; i < type.value_count(); ++i) names.push_back(type.value(i)->name());
    // Values are prefixed with their enum's name (COMPARATOR_AT_LEAST); a missing prefix
    // is the likeliest slip.
    const std::string prefix(absl::StripSuffix(type.value(0)->name(), "UNSPECIFIED"));
    const std::string with_prefix =
        absl::StrCat(prefix, absl::AsciiStrToUpper(absl::StripPrefix(scalar.text, prefix)));
    std::string hint;
    if (scalar.kind == ScalarKind::kString && type.FindValueByName(with_prefix) != nullptr) {
      hint = absl::StrCat("; did you mean ", with_prefix, "?");
    } else if (std::optional<std::string> near = core::ClosestName(scalar.text, names);
               scalar.kind == ScalarKind::kString && near.has_value()) {
      hint = absl::StrCat("; did you mean ", *near, "?");
    } else {
      hint = absl::StrCat(" (write one of: ", absl::StrJoin(names, ", "), ")");
    }
    Error(path, line, "format",
          absl::StrCat(Describe(node), " is not a value of ", type.name(), hint));
    Out("null");
  }

  void NumberScalar(const Scalar& scalar, const YAML::Node& node, const FieldDescriptor& field,
                    const std::string& path, int line) {
    std::optional<Number> number;
    if (scalar.kind == ScalarKind::kNumber || scalar.kind == ScalarKind::kString) {
      number = ParseNumber(absl::StripAsciiWhitespace(scalar.text));
    }
    if (!number.has_value()) {
      Error(path, line, "type",
            absl::StrCat("expected ", TypeName(field), ", found ", Describe(node)));
      Out("null");
      return;
    }
    const auto out_of_range = [&](absl::string_view why) {
      Error(path, line, "out_of_range", absl::StrCat(scalar.text, " ", why));
      Out("null");
    };
    switch (field.cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
      case FieldDescriptor::CPPTYPE_INT64: {
        if (!number->as_int64.has_value()) {
          out_of_range(number->value == std::floor(number->value) && std::isfinite(number->value)
                           ? "is out of range for a whole number"
                           : "is not a whole number");
          return;
        }
        const int64_t value = *number->as_int64;
        if (field.cpp_type() == FieldDescriptor::CPPTYPE_INT32 &&
            (value < std::numeric_limits<int32_t>::min() ||
             value > std::numeric_limits<int32_t>::max())) {
          out_of_range("is out of range (a 32-bit whole number)");
          return;
        }
        Out(absl::StrCat(value));
        return;
      }
      case FieldDescriptor::CPPTYPE_UINT32:
      case FieldDescriptor::CPPTYPE_UINT64: {
        if (!number->as_uint64.has_value()) {
          out_of_range("is not a whole number of 0 or more");
          return;
        }
        const uint64_t value = *number->as_uint64;
        if (field.cpp_type() == FieldDescriptor::CPPTYPE_UINT32 &&
            value > std::numeric_limits<uint32_t>::max()) {
          out_of_range("is out of range (a 32-bit whole number)");
          return;
        }
        Out(absl::StrCat(value));
        return;
      }
      default: {
        if (!number->special && !std::isfinite(number->value)) {
          out_of_range("is out of range for a number");
          return;
        }
        if (field.cpp_type() == FieldDescriptor::CPPTYPE_FLOAT && !number->special &&
            std::abs(number->value) > FLT_MAX) {
          out_of_range("is out of range for a 32-bit float");
          return;
        }
        Out(number->json);
        return;
      }
    }
  }

  // google.protobuf.Duration: seconds with an "s" suffix, e.g. "1296000s" or "0.5s".
  void Duration(const YAML::Node& node, const std::string& path, int line) {
    const std::string example = "write seconds with an s suffix, e.g. \"1296000s\" for 15 days";
    if (!node.IsScalar()) {
      Error(path, line, "type", absl::StrCat("expected a duration, found ", Describe(node),
                                             "; ", example));
      Out("null");
      return;
    }
    const Scalar scalar = Classify(node);
    absl::string_view text = scalar.text;
    bool ok = absl::ConsumeSuffix(&text, "s");
    absl::ConsumePrefix(&text, "-");
    if (ok) {
      const size_t dot = text.find('.');
      const absl::string_view whole = text.substr(0, dot);
      const absl::string_view fraction =
          dot == absl::string_view::npos ? absl::string_view() : text.substr(dot + 1);
      ok = IsDigitsIn(whole, "0123456789") &&
           (dot == absl::string_view::npos ||
            (IsDigitsIn(fraction, "0123456789") && fraction.size() <= 9));
    }
    if (!ok || scalar.kind == ScalarKind::kUnsupportedTag) {
      Error(path, line, "format",
            absl::StrCat(Describe(node), " is not a duration: ", example));
      Out("null");
      return;
    }
    AppendJsonString(&result_.json, scalar.text);
  }

  // Any YAML as JSON, without a schema.
  void Generic(const YAML::Node& node) {
    if (node.IsMap()) {
      Out("{");
      bool first = true;
      for (auto it = node.begin(); it != node.end(); ++it) {
        const YAML::Node key = it->first;
        const YAML::Node entry = it->second;
        if (!first) Out(",");
        first = false;
        AppendJsonString(&result_.json, key.IsScalar() ? key.Scalar() : "");
        Out(":");
        Generic(entry);
      }
      Out("}");
    } else if (node.IsSequence()) {
      Out("[");
      for (size_t i = 0; i < node.size(); ++i) {
        if (i > 0) Out(",");
        Generic(node[i]);
      }
      Out("]");
    } else if (node.IsScalar()) {
      const Scalar scalar = Classify(node);
      if (scalar.kind == ScalarKind::kBool) {
        Out(absl::AsciiStrToLower(scalar.text));
      } else if (scalar.kind == ScalarKind::kNumber) {
        Out(ParseNumber(scalar.text)->json);
      } else {
        AppendJsonString(&result_.json, scalar.text);
      }
    } else {
      Out("null");
    }
  }

  const YamlConversionOptions& options_;
  ProtoJson& result_;
};

}  // namespace

ProtoJson YamlToProtoJson(absl::string_view yaml_text, const Descriptor& type,
                          const YamlConversionOptions& options) {
  ProtoJson result;
  try {
    const std::vector<YAML::Node> documents = YAML::LoadAll(std::string(yaml_text));
    if (documents.empty() || (documents.size() == 1 && documents[0].IsNull())) {
      result.problems.push_back({"", 0, "the document is empty", Severity::kError, "required"});
      return result;
    }
    if (documents.size() > 1) {
      result.problems.push_back(
          {"", LineOf(documents[1]),
           absl::StrCat("expected one YAML document, found ", documents.size(),
                        " (separated by ---)"),
           Severity::kError, "format"});
    }
    Converter(options, result).Message(documents[0], type, "", LineOf(documents[0]));
  } catch (const YAML::Exception& e) {
    const bool located = !e.mark.is_null() && e.mark.line >= 0;
    result.problems.push_back(
        {"", located ? e.mark.line + 1 : 0,
         located ? absl::StrCat("YAML syntax error at column ", e.mark.column + 1, ": ", e.msg)
                 : absl::StrCat("YAML error: ", e.msg),
         Severity::kError, "syntax"});
  } catch (const std::exception& e) {
    result.problems.push_back(
        {"", 0, absl::StrCat("could not read the document: ", e.what()), Severity::kError,
         "syntax"});
  }
  return result;
}

}  // namespace tiendo::planfile
