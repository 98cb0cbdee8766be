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

}  // namespace tiendo::sample
