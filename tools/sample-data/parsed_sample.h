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
#include "tools/sample-data/csv.h"
#include "tools/sample-data/sample_data.h"

namespace tiendo::sample {

class ParsedTable {
 public:
  explicit ParsedTable(CsvDocument document) : document_(std::move(document)) {
    for (size_t i = 0; i < document_.header.size(); ++i) columns_[document_.header[i]] = i;
  }

  const CsvDocument& document() const { return document_; }
  const std::vector<CsvRecord>& rows() const { return document_.rows; }

  // The cell of `row` under `column`; aborts for an unknown column (a
  // mistake in the test).
  const std::string& Cell(const CsvRecord& row, absl::string_view column) const {
    const auto it = columns_.find(std::string(column));
    TIENDO_CHECK(it != columns_.end(), absl::StrCat("no column ", column));
    return row[it->second];
  }

 private:
  CsvDocument document_;
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
// not parse (the tests of csv.h cover the parser).
inline ParsedSample ParseSample(uint64_t seed) {
  ParsedSample sample;
  sample.files = GenerateSampleFiles(seed);
  for (const SampleFile& file : sample.files) {
    if (file.name.size() < 4 || file.name.substr(file.name.size() - 4) != ".csv") continue;
    absl::StatusOr<CsvDocument> document = ParseCsv(file.contents);
    TIENDO_CHECK(document.ok(), absl::StrCat(file.name, ": ", document.status().message()));
    sample.tables.emplace(file.name, ParsedTable(*std::move(document)));
  }
  return sample;
}

}  // namespace tiendo::sample
