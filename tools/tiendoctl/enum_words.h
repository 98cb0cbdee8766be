// Proto enum values as the words tiendoctl shows and accepts: ENTERPRISE_STATUS_ACTIVE is
// `active`, REPORTING_UNIT_KIND_LOCAL_COMMITTEE is `local-committee` — the value name without
// the enum's prefix (that of its *_UNSPECIFIED value), lower case, `_` as `-`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace tiendo::ctl {

// The word of `value`; the number itself when the enum has no such value.
std::string EnumWord(const google::protobuf::EnumDescriptor& type, int value);

// The value a word names (not the unspecified one); nullopt for any other text.
std::optional<int> ParseEnumWord(const google::protobuf::EnumDescriptor& type,
                                 absl::string_view word);

// Every word but the unspecified one's, in declaration order, joined by ", " (for --help).
std::string EnumWordList(const google::protobuf::EnumDescriptor& type);

}  // namespace tiendo::ctl
