#include "tools/tiendoctl/proto_output.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"

namespace tiendo::ctl {

std::string JsonLine(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  // Printing a well-formed message cannot fail; a failure would leave `json` empty, which the
  // caller prints as an empty line rather than lose the others.
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) json.clear();
  return json;
}

std::string ReadableText(const google::protobuf::Message& message) {
  google::protobuf::TextFormat::Printer printer;
  printer.SetUseUtf8StringEscaping(true);
  std::string text;
  printer.PrintToString(message, &text);
  return text;
}

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string line;
  for (const std::string& cell : cells) {
    if (&cell != cells.data()) line.push_back(',');
    if (cell.find_first_of(",\"\r\n") == std::string::npos) {
      line += cell;
    } else {
      absl::StrAppend(&line, "\"", absl::StrReplaceAll(cell, {{"\"", "\"\""}}), "\"");
    }
  }
  line.push_back('\n');
  return line;
}

}  // namespace tiendo::ctl
