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

// `messages` as one JSON document: an array with each message on a line of its own, as
// JsonLine writes it; "[]" when there are none. Ends in "\n".
template <typename Message>
std::string JsonArray(const std::vector<Message>& messages) {
  if (messages.empty()) return "[]\n";
  std::string text = "[\n";
  for (size_t i = 0; i < messages.size(); ++i) {
    text += JsonLine(messages[i]);
    text += i + 1 < messages.size() ? ",\n" : "\n]\n";
  }
  return text;
}

// `message` as protobuf text format, with UTF-8 strings unescaped, for people.
std::string ReadableText(const google::protobuf::Message& message);

// The cells joined by commas, each quoted when it holds a comma, a quote or a line break,
// ending in "\n".
std::string CsvLine(const std::vector<std::string>& cells);

}  // namespace tiendo::ctl
