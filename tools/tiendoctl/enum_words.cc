#include "tools/tiendoctl/enum_words.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace tiendo::ctl {
namespace {

// "ENTERPRISE_STATUS_" from ENTERPRISE_STATUS_UNSPECIFIED; "" when the enum has no such value.
absl::string_view Prefix(const google::protobuf::EnumDescriptor& type) {
  const google::protobuf::EnumValueDescriptor* zero = type.FindValueByNumber(0);
  if (zero == nullptr || !absl::EndsWith(zero->name(), "UNSPECIFIED")) return "";
  return absl::StripSuffix(zero->name(), "UNSPECIFIED");
}

std::string Word(const google::protobuf::EnumDescriptor& type,
                 const google::protobuf::EnumValueDescriptor& value) {
  return absl::StrReplaceAll(
      absl::AsciiStrToLower(absl::StripPrefix(value.name(), Prefix(type))), {{"_", "-"}});
}

}  // namespace

std::string EnumWord(const google::protobuf::EnumDescriptor& type, int value) {
  const google::protobuf::EnumValueDescriptor* named = type.FindValueByNumber(value);
  return named == nullptr ? absl::StrCat(value) : Word(type, *named);
}

std::optional<int> ParseEnumWord(const google::protobuf::EnumDescriptor& type,
                                 absl::string_view word) {
  for (int i = 0; i < type.value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor& value = *type.value(i);
    if (value.number() != 0 && Word(type, value) == word) return value.number();
  }
  return std::nullopt;
}

std::string EnumWordList(const google::protobuf::EnumDescriptor& type) {
  std::string list;
  for (int i = 0; i < type.value_count(); ++i) {
    if (type.value(i)->number() == 0) continue;
    absl::StrAppend(&list, list.empty() ? "" : ", ", Word(type, *type.value(i)));
  }
  return list;
}

}  // namespace tiendo::ctl
