#include "services/common/core/field_rules.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/core/civil_date.h"
#include "services/common/core/utf8_text.h"
#include "services/common/status/check.h"

namespace tiendo::core {

bool IsSlug(absl::string_view text) {
  if (text.empty() || text.size() > 63) return false;
  for (char c : text) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

bool IsLowerSnake(absl::string_view text) {
  if (text.empty() || !absl::ascii_islower(text[0])) return false;
  for (char c : text) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_') return false;
  }
  return true;
}

bool IsDigits(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

FieldRules::FieldRules(std::vector<Problem>& problems, absl::string_view prefix)
    : problems_(problems), prefix_(prefix) {}

std::string FieldRules::Path(absl::string_view field) const {
  if (prefix_.empty()) return std::string(field);
  if (field.empty()) return prefix_;
  return absl::StrCat(prefix_, ".", field);
}

std::string FieldRules::Path(absl::string_view field, int index) const {
  return absl::StrCat(Path(field), "[", index, "]");
}

void FieldRules::Report(Severity severity, absl::string_view field, absl::string_view rule,
                        std::string message) {
  problems_.push_back({Path(field), 0, std::move(message), severity, std::string(rule)});
}

void FieldRules::Error(absl::string_view field, absl::string_view rule, std::string message) {
  Report(Severity::kError, field, rule, std::move(message));
}

void FieldRules::Warning(absl::string_view field, absl::string_view rule, std::string message) {
  Report(Severity::kWarning, field, rule, std::move(message));
}

bool FieldRules::Required(absl::string_view field, absl::string_view value,
                          absl::string_view what) {
  if (!value.empty()) return true;
  Error(field, "required", absl::StrCat(what, " is required"));
  return false;
}

void FieldRules::Slug(absl::string_view field, absl::string_view value, absl::string_view what) {
  if (!Required(field, value, what)) return;
  if (!IsSlug(value)) {
    Error(field, "format",
          absl::StrCat(what, " \"", ShowText(value),
                       "\" must be 1 to 63 lowercase letters, digits, '.', '_' or '-'"));
  }
}

std::optional<absl::CivilDay> FieldRules::Date(absl::string_view field, absl::string_view text) {
  if (text.empty()) return std::nullopt;
  absl::StatusOr<absl::CivilDay> day = ParseCivilDate(text);
  if (!day.ok()) {
    Error(field, "format",
          absl::StrCat("\"", ShowText(text), "\" is not a real date written YYYY-MM-DD"));
    return std::nullopt;
  }
  return *day;
}

std::optional<absl::CivilDay> FieldRules::RequiredDate(absl::string_view field,
                                                       absl::string_view text,
                                                       absl::string_view what) {
  if (!Required(field, text, what)) return std::nullopt;
  return Date(field, text);
}

bool FieldRules::Text(absl::string_view field, absl::string_view value, absl::string_view what,
                      size_t max_characters) {
  const std::optional<size_t> length = Utf8Length(value);
  if (!length.has_value()) {
    Error(field, "format",
          absl::StrCat(what, " is not valid UTF-8 text: \"", ShowText(value), "\""));
    return false;
  }
  if (max_characters != 0 && *length > max_characters) {
    Error(field, "too_long",
          absl::StrCat(what, " is ", *length, " characters long; at most ", max_characters,
                       " are allowed: \"", ShowText(value, 40), "\""));
    return false;
  }
  return true;
}

void FieldRules::NotBefore(absl::string_view later_field,
                           const std::optional<absl::CivilDay>& later,
                           absl::string_view earlier_field,
                           const std::optional<absl::CivilDay>& earlier) {
  if (!later.has_value() || !earlier.has_value() || !(*later < *earlier)) return;
  Error(later_field, "order",
        absl::StrCat(later_field, " ", FormatCivilDate(*later), " is before ", earlier_field, " ",
                     FormatCivilDate(*earlier)));
}

ValidityWindow FieldRules::Window(absl::string_view valid_from, absl::string_view valid_to) {
  ValidityWindow window{Date("valid_from", valid_from), Date("valid_to", valid_to)};
  NotBefore("valid_to", window.to, "valid_from", window.from);
  return window;
}

bool FieldRules::EnumValue(absl::string_view field, int value,
                           const google::protobuf::EnumDescriptor& type) {
  if (type.FindValueByNumber(value) != nullptr) return true;
  Error(field, "out_of_range",
        absl::StrCat(field, " ", value, " is not a value of ", type.name()));
  return false;
}

void FieldRules::FinalStatusWithDate(absl::string_view status_field, int status,
                                     int final_status,
                                     const google::protobuf::EnumDescriptor& type,
                                     absl::string_view date_field, absl::string_view date) {
  const google::protobuf::EnumValueDescriptor* status_value = type.FindValueByNumber(status);
  const google::protobuf::EnumValueDescriptor* final_value =
      type.FindValueByNumber(final_status);
  TIENDO_CHECK(status_value != nullptr && final_value != nullptr,
               absl::StrCat("FinalStatusWithDate needs defined values of ", type.name()));
  if (status == final_status && date.empty()) {
    Error(date_field, "inconsistent",
          absl::StrCat("the ", status_field, " is ", final_value->name(), " but ", date_field,
                       " is empty"));
  } else if (status != final_status && !date.empty()) {
    Error(status_field, "inconsistent",
          absl::StrCat(date_field, " is ", ShowText(date), " but the ", status_field, " is ",
                       status_value->name(), ", not ", final_value->name()));
  }
}

}  // namespace tiendo::core
