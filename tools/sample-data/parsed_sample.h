// For tests: the generated files of a seed read back as an importer reads
// them, with cells looked up by column name.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/status/check.h"
#include "services/common/rows/csv_reader.h"
#include "tools/sample-data/csv.h"
#include "tools/sample-data/sample_data.h"

namespace tiendo::sample {

class ParsedTable {
 public:
  explicit ParsedTable(const rows::CsvTable& table)
      : comments_(table.comments), header_(table.header) {
    for (size_t i = 0; i < header_.size(); ++i) columns_[header_[i]] = i;
    for (const rows::CsvRecord& record : table.records) rows_.push_back(record.cells);
  }

  const std::vector<std::string>& comments() const { return comments_; }
  const CsvRecord& header() const { return header_; }
  const std::vector<CsvRecord>& rows() const { return rows_; }

  // The cell of `row` under `column`; aborts for an unknown column (a
  // mistake in the test).
  const std::string& Cell(const CsvRecord& row, absl::string_view column) const {
    const auto it = columns_.find(std::string(column));
    TIENDO_CHECK(it != columns_.end(), absl::StrCat("no column ", column));
    return row[it->second];
  }

 private:
  std::vector<std::string> comments_;
  CsvRecord header_;
  std::vector<CsvRecord> rows_;
  std::map<std::string, size_t> columns_;
};

struct ParsedSample {
  std::vector<SampleFile> files;
  std::map<std::string, ParsedTable> tables;  // by file name, CSV files only

  const ParsedTable& Table(absl::string_view name) const {
    const auto it = tables.find(std::string(name));
    TIENDO_CHECK(it != tables.end(), absl::StrCat("no table ", name));
    return it->second;
  }
};

// Generates the files of `seed` and parses every CSV file; aborts if one does
// not parse or a record does not match its header (the importers' reader
// is tested in services/common/rows).
inline ParsedSample ParseSample(uint64_t seed) {
  ParsedSample sample;
  sample.files = GenerateSampleFiles(seed);
  for (const SampleFile& file : sample.files) {
    if (file.name.size() < 4 || file.name.substr(file.name.size() - 4) != ".csv") continue;
    absl::StatusOr<rows::CsvTable> table = rows::ReadCsv(file.contents);
    TIENDO_CHECK(table.ok(), absl::StrCat(file.name, ": ", table.status().message()));
    for (const rows::CsvRecord& record : table->records) {
      TIENDO_CHECK(record.cells.size() == table->header.size(),
                   absl::StrCat(file.name, ":", record.line, ": cell count differs from header"));
    }
    sample.tables.emplace(file.name, ParsedTable(*table));
  }
  return sample;
}

}  // namespace tiendo::sample
