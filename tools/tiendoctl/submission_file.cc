#include "tools/tiendoctl/submission_file.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "services/common/rows/csv_reader.h"
#include "services/common/rows/proto_row.h"
#include "services/common/rows/registry_columns.h"

namespace tiendo::ctl {

absl::StatusOr<SubmissionFile> ParseSubmissionFile(absl::string_view text) {
  absl::StatusOr<rows::CsvTable> table = rows::ReadCsv(text);
  if (!table.ok()) return table.status();
  absl::StatusOr<rows::ProtoRowMapping> mapping = rows::ProtoRowMapping::Create(
      *ingest::v1::Submission::descriptor(), table->header, rows::SubmissionColumnAliases());
  if (!mapping.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", table->header_line, ": header: ", mapping.status().message()));
  }
  const auto id_column = std::find(table->header.begin(), table->header.end(), "submission_id");
  SubmissionFile file;
  for (const rows::CsvRecord& record : table->records) {
    SubmissionRow row{record.line, {}};
    if (absl::Status filled = mapping->Fill(record.cells, row.submission); !filled.ok()) {
      UnparsedRow unparsed{record.line, "", std::string(filled.message())};
      const auto id_index = static_cast<size_t>(id_column - table->header.begin());
      if (id_column != table->header.end() && id_index < record.cells.size()) {
        unparsed.submission_id = record.cells[id_index];
      }
      file.unparsed.push_back(std::move(unparsed));
      continue;
    }
    file.rows.push_back(std::move(row));
  }
  return file;
}

std::vector<UnitRows> GroupByUnit(std::vector<SubmissionRow> rows) {
  std::vector<UnitRows> groups;
  std::map<std::string, size_t> index_of_unit;
  for (SubmissionRow& row : rows) {
    const std::string& unit = row.submission.reporting_unit_id();
    const auto [found, added] = index_of_unit.emplace(unit, groups.size());
    if (added) groups.push_back({unit, {}});
    groups[found->second].rows.push_back(std::move(row));
  }
  return groups;
}

}  // namespace tiendo::ctl
