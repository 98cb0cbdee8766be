// CSV as the sample files use it: RFC 4180 fields (quoted only when they hold
// a comma, a double quote or a line break; quotes doubled inside), LF line
// ends, UTF-8, and leading comment lines starting with `#` that importers
// skip. The reader exists so that tests and tools check what was written the
// way an importer would read it.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tiendo::sample {

using CsvRecord = std::vector<std::string>;

// One field, quoted if it needs to be.
std::string CsvField(absl::string_view value);

// A record's fields joined with commas, ending in "\n".
std::string CsvLine(const CsvRecord& record);

// Values of a repeated field inside one cell: `a;b;c`.
std::string JoinList(const std::vector<std::string>& values);

// The file: `# <comment>` line, header record, rows.
std::string WriteCsv(absl::string_view comment, const CsvRecord& header,
                     const std::vector<CsvRecord>& rows);

// A file as read back: the text of the leading comment lines (without `#`),
// the header and the data records.
struct CsvDocument {
  std::vector<std::string> comments;
  CsvRecord header;
  std::vector<CsvRecord> rows;
};

// Reads a file written as above (CRLF line ends are accepted too).
// INVALID_ARGUMENT naming the line for an unterminated quote, a quote inside
// an unquoted field, text after a closing quote, or a record whose field
// count differs from the header's.
absl::StatusOr<CsvDocument> ParseCsv(absl::string_view text);

}  // namespace tiendo::sample
