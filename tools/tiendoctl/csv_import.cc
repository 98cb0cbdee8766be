#include "tools/tiendoctl/csv_import.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/rows/csv_reader.h"
#include "tools/tiendoctl/enum_words.h"
#include "tools/tiendoctl/file_text.h"
#include "tools/tiendoctl/rpc_failure.h"
#include "tools/tiendoctl/text_table.h"

namespace tiendo::ctl {
namespace {

using registry::v1::ImportRowResult;

// Rule of the violations found before sending: the row could not be read as CSV cells of
// the entity's fields.
constexpr char kLocalRule[] = "csv";

// The file name without its directories: the default source_system.
std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// "REJECTED" for IMPORT_OUTCOME_REJECTED.
std::string OutcomeName(registry::v1::ImportOutcome outcome) {
  return absl::AsciiStrToUpper(EnumWord(*registry::v1::ImportOutcome_descriptor(), outcome));
}

}  // namespace

absl::StatusOr<ParsedImportFile> ParseImportFile(absl::string_view text,
                                                 const CsvImportKind& kind) {
  absl::StatusOr<rows::CsvTable> table = rows::ReadCsv(text);
  if (!table.ok()) return table.status();
  if (table->header.empty()) return absl::InvalidArgumentError("no header row");
  absl::StatusOr<rows::ProtoRowMapping> mapping = rows::ProtoRowMapping::Create(
      *kind.prototype->GetDescriptor(), table->header, *kind.aliases);
  if (!mapping.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", table->header_line, ": header: ", mapping.status().message()));
  }
  ParsedImportFile file;
  file.records = static_cast<int>(table->records.size());
  for (const rows::CsvRecord& record : table->records) {
    std::unique_ptr<google::protobuf::Message> entity(kind.prototype->New());
    const absl::Status filled = mapping->Fill(record.cells, *entity);
    if (filled.ok()) {
      file.rows.push_back({record.line, std::move(entity)});
      continue;
    }
    ImportRowResult rejected;
    rejected.set_row_number(record.line);
    rejected.set_outcome(registry::v1::IMPORT_OUTCOME_REJECTED);
    rejected.set_key(kind.key([&](absl::string_view column) -> std::string {
      const auto at = std::find(table->header.begin(), table->header.end(), column);
      const auto index = static_cast<size_t>(at - table->header.begin());
      return index < record.cells.size() ? record.cells[index] : "";
    }));
    // The reader joins one row's problems with "; ": one violation each.
    for (absl::string_view problem : absl::StrSplit(filled.message(), "; ")) {
      common::v1::FieldViolation* violation = rejected.add_field_violations();
      violation->set_description(std::string(problem));
      violation->set_rule(kLocalRule);
    }
    file.local_rejections.push_back(std::move(rejected));
  }
  return file;
}

int ParseImportFlags(const CsvImportKind& kind, const std::vector<std::string>& args, Io& io,
                     CsvImportSettings* settings) {
  settings->connection.timeout = absl::Minutes(10);
  bool dry_run = false;
  bool report_all = false;
  std::string mode = "upsert";
  std::string source_system;
  config::FlagSet flags(
      absl::StrCat("tiendoctl ", kind.command, " FILE.csv"),
      absl::StrCat(
          "Imports ", kind.plural,
          " from a CSV file into tiendo-registry over one client stream, in batches; the row "
          "number of each row is its line in the file. Rows that cannot be read here (a cell "
          "that is not of its column's type, a wrong number of cells) are reported with their "
          "line and not sent; they count as rejected. Shows progress on stderr when it is a "
          "terminal. Prints a summary and every rejected row with each violation. Exits 0 when "
          "every row was accepted, 1 when a row was rejected or the call failed, 2 on bad "
          "usage or an unreadable file. Re-running an upsert import is safe: rows already "
          "stored come back UNCHANGED."));
  RegisterRegistryFlags(flags, io.env, &settings->connection);
  flags.AddBool("dry-run", "", "Validate every row and report what would happen; write nothing.",
                &dry_run);
  flags.AddChoice("mode", "",
                  "What to do with a row whose key exists: upsert replaces the stored entity, "
                  "create-only rejects the row (rule duplicate).",
                  {"upsert", "create-only"}, &mode);
  flags.AddInt("batch-rows", "",
               "Rows per stream message (fewer where more would take it past 3 MiB).",
               1, 10000, &settings->batch_rows);
  flags.AddBool("report-all", "",
                "List the outcome of every row, not only the rejected ones.", &report_all);
  flags.AddString("source-system", "",
                  "Recorded as source_system on rows that leave it empty (default: the file's "
                  "name).",
                  &source_system);
  if (int code = ParseCommandFlagsAndArgument(flags, args, io, kind.command, "FILE.csv",
                                              &settings->path);
      code >= 0) {
    return code;
  }
  settings->options.set_dry_run(dry_run);
  settings->options.set_mode(mode == "create-only" ? registry::v1::IMPORT_MODE_CREATE_ONLY
                                                   : registry::v1::IMPORT_MODE_UPSERT);
  settings->options.set_source_system(source_system.empty() ? BaseName(settings->path)
                                                            : source_system);
  settings->options.set_report_all_rows(report_all);
  return -1;
}

int ReadImportFile(const CsvImportKind& kind, const CsvImportSettings& settings, Io& io,
                   ParsedImportFile* file) {
  const std::optional<std::string> text = ReadInputFile(settings.path, io.err);
  if (!text.has_value()) return 2;
  absl::StatusOr<ParsedImportFile> parsed = ParseImportFile(*text, kind);
  if (!parsed.ok()) {
    io.err << "tiendoctl: " << kind.command << ": " << settings.path << ": "
           << parsed.status().message() << "; nothing was sent\n";
    return 1;
  }
  *file = *std::move(parsed);
  return -1;
}

int PrintImportReport(const CsvImportKind& kind, const CsvImportSettings& settings,
                      const ParsedImportFile& file, ImportReport report, Io& io) {
  const std::string& path = settings.path;
  if (!report.status.ok()) {
    PrintRpcFailure(absl::StrCat(kind.command, " ", path), report.status,
                    settings.connection.address, io.err);
    io.err << "tiendoctl: " << report.rows_sent << " of " << file.rows.size()
           << " rows were sent before the import stopped; rows the registry committed stay "
              "committed, and running the same import again in upsert mode is safe\n";
  }
  std::vector<ImportRowResult>& results = report.results;
  results.insert(results.end(), file.local_rejections.begin(), file.local_rejections.end());
  std::stable_sort(results.begin(), results.end(),
                   [](const ImportRowResult& a, const ImportRowResult& b) {
                     return a.row_number() < b.row_number();
                   });

  const int64_t local = static_cast<int64_t>(file.local_rejections.size());
  const registry::v1::ImportSummary& summary = report.summary;
  if (settings.options.report_all_rows() && !results.empty()) {
    TextTable table({"LINE", "KEY", "OUTCOME", "VERSION"});
    for (const ImportRowResult& result : results) {
      table.Add({absl::StrCat(result.row_number()), result.key(), OutcomeName(result.outcome()),
                 result.version() > 0 ? absl::StrCat(result.version()) : ""});
    }
    table.Print(io.out);
  }
  bool rejected_header = false;
  for (const ImportRowResult& result : results) {
    if (result.outcome() != registry::v1::IMPORT_OUTCOME_REJECTED) continue;
    if (!rejected_header) io.out << "Rejected rows:\n";
    rejected_header = true;
    io.out << path << ":" << result.row_number() << ": "
           << (result.key().empty() ? "(no key)" : result.key()) << "\n";
    for (const common::v1::FieldViolation& violation : result.field_violations()) {
      PrintViolation(violation, io.out);
    }
  }
  const int64_t rejected = summary.rows_rejected() + local;
  io.out << path << (settings.options.dry_run() ? " (dry run, nothing written)" : "") << ": "
         << file.records << " rows: ";
  if (report.status.ok()) {
    io.out << summary.rows_created() << " created, " << summary.rows_updated() << " updated, "
           << summary.rows_unchanged() << " unchanged, " << rejected << " rejected";
  } else {
    io.out << "import failed after " << report.rows_sent << " rows were sent";
  }
  if (local > 0) io.out << " (" << local << " not sent: unreadable here)";
  io.out << "\n";
  if (summary.results_omitted() > 0) {
    io.out << summary.results_omitted()
           << " more row results are not listed: the registry lists about 2 MiB of them; "
              "fix the rows listed and import again (upsert mode) to see the rest\n";
  }
  return report.status.ok() && rejected == 0 ? 0 : 1;
}

}  // namespace tiendo::ctl
