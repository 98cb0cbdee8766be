// CSV reader for the files tiendo imports (registry entities, submission batches): RFC 4180
// fields (a field may be quoted; a quote inside a quoted field is doubled; a quoted field may
// hold commas and line breaks), LF or CRLF line ends, UTF-8 with an optional byte-order mark,
// leading comment lines starting with `#`, then a header row, then the records.
//
// The reader only splits text into cells. It does not check that a record has as many cells
// as the header — that is a per-row error for the importer to report (FillMessage does) while
// it carries on with the other rows — nor that the text is UTF-8 (each cell is checked when it
// fills a string field). Malformed quoting is an error for the whole text, because the reader
// cannot tell where the broken record ends.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tiendo::rows {

// One data record and where it starts, so that errors can name the line.
struct CsvRecord {
  int line = 0;  // 1-based line of the record's first character
  std::vector<std::string> cells;
};

struct CsvTable {
  // The text of the leading comment lines, without the `#` and one following space.
  std::vector<std::string> comments;
  std::vector<std::string> header;
  int header_line = 0;  // 1-based; 0 when the text has no header
  std::vector<CsvRecord> records;
};

// Reads `text`. Comment lines are recognised only before the header: after it, a line starting
// with `#` is data (a first cell may well begin with `#`, and dropping such a row silently
// would lose it). Empty lines are skipped anywhere (an empty line is not a record of one empty
// cell: no CSV this project reads has a single column). Text with no header gives an empty
// table. INVALID_ARGUMENT naming the line for a quoted field that is never closed, text after
// a closing quote, or a double quote inside an unquoted field.
absl::StatusOr<CsvTable> ReadCsv(absl::string_view text);

}  // namespace tiendo::rows
