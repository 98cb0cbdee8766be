// Registry entities printed for machines: one JSON object per line with the proto field names
// (`tax_code`, not `taxCode`), and RFC 4180 CSV fields. Text stays UTF-8 as stored.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace tiendo::ctl {

// `message` as one line of JSON (no trailing newline), proto field names, no whitespace.
std::string JsonLine(const google::protobuf::Message& message);

// `message` as protobuf text format, with UTF-8 strings unescaped, for people.
std::string ReadableText(const google::protobuf::Message& message);

// The cells joined by commas, each quoted when it holds a comma, a quote or a line break,
// ending in "\n".
std::string CsvLine(const std::vector<std::string>& cells);

}  // namespace tiendo::ctl
