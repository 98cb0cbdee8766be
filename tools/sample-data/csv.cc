#include "tools/sample-data/csv.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace tiendo::sample {

std::string CsvField(absl::string_view value) {
  if (value.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(value);
  return absl::StrCat("\"", absl::StrReplaceAll(value, {{"\"", "\"\""}}), "\"");
}

std::string CsvLine(const CsvRecord& record) {
  std::string line;
  for (size_t i = 0; i < record.size(); ++i) {
    if (i > 0) line.push_back(',');
    line += CsvField(record[i]);
  }
  line.push_back('\n');
  return line;
}

std::string JoinList(const std::vector<std::string>& values) { return absl::StrJoin(values, ";"); }

std::string WriteCsv(absl::string_view comment, const CsvRecord& header,
                     const std::vector<CsvRecord>& rows) {
  std::string text = absl::StrCat("# ", comment, "\n", CsvLine(header));
  for (const CsvRecord& row : rows) text += CsvLine(row);
  return text;
}

absl::StatusOr<CsvDocument> ParseCsv(absl::string_view text) {
  CsvDocument document;
  size_t pos = 0;
  int line = 1;
  bool header_read = false;
  while (pos < text.size()) {
    if (!header_read && text[pos] == '#') {
      size_t end = text.find('\n', pos);
      if (end == absl::string_view::npos) end = text.size();
      absl::string_view comment = text.substr(pos + 1, end - pos - 1);
      if (absl::EndsWith(comment, "\r")) comment.remove_suffix(1);
      if (absl::StartsWith(comment, " ")) comment.remove_prefix(1);
      document.comments.emplace_back(comment);
      pos = end + 1;
      ++line;
      continue;
    }
    const int record_line = line;
    CsvRecord record;
    std::string field;
    bool record_done = false;
    while (!record_done) {
      field.clear();
      if (pos < text.size() && text[pos] == '"') {
        ++pos;
        for (;;) {
          if (pos >= text.size()) {
            return absl::InvalidArgumentError(
                absl::StrCat("line ", record_line, ": quoted field is not closed"));
          }
          const char c = text[pos++];
          if (c == '"') {
            if (pos < text.size() && text[pos] == '"') {
              field.push_back('"');
              ++pos;
            } else {
              break;
            }
          } else {
            if (c == '\n') ++line;
            field.push_back(c);
          }
        }
        if (pos < text.size() && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r') {
          return absl::InvalidArgumentError(
              absl::StrCat("line ", line, ": text after the closing quote of a field"));
        }
      } else {
        while (pos < text.size() && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r') {
          if (text[pos] == '"') {
            return absl::InvalidArgumentError(
                absl::StrCat("line ", line, ": double quote inside an unquoted field"));
          }
          field.push_back(text[pos++]);
        }
      }
      record.push_back(field);
      if (pos < text.size() && text[pos] == ',') {
        ++pos;
        continue;
      }
      if (pos < text.size() && text[pos] == '\r') ++pos;
      if (pos < text.size() && text[pos] == '\n') ++pos;
      ++line;
      record_done = true;
    }
    if (!header_read) {
      document.header = std::move(record);
      header_read = true;
    } else {
      if (record.size() != document.header.size()) {
        return absl::InvalidArgumentError(absl::StrCat("line ", record_line, ": ", record.size(),
                                                       " fields, the header has ",
                                                       document.header.size()));
      }
      document.rows.push_back(std::move(record));
    }
  }
  return document;
}

}  // namespace tiendo::sample
