// CSV as the sample files use it: RFC 4180 fields (quoted only when they hold
// a comma, a double quote or a line break; quotes doubled inside), LF line
// ends, UTF-8, and leading comment lines starting with `#` that importers
// skip. Files are read back with the importers' reader
// (services/common/rows/csv_reader.h).
#pragma once

#include <string>
#include <vector>

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

}  // namespace tiendo::sample
