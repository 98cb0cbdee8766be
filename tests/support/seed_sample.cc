#include "tests/support/seed_sample.h"

#include <algorithm>
#include <functional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/planfile/plan_file_loader.h"
#include "services/common/rows/csv_reader.h"
#include "services/common/rows/proto_row.h"
#include "services/common/rows/registry_columns.h"
#include "services/common/status/status_macros.h"
#include "tests/support/source_file.h"

namespace tiendo::testing {
namespace {

// Hands `take` every row of a CSV file decoded into a `Message` by column name, with the
// file's header and the row's record.
template <typename Message>
absl::Status ForEachRow(
    const std::string& relative, const rows::ColumnAliases& aliases,
    const std::function<void(const std::vector<std::string>& header,
                             const rows::CsvRecord& record, Message message)>& take) {
  ASSIGN_OR_RETURN(rows::CsvTable table, rows::ReadCsv(ReadSourceFile(relative)));
  absl::StatusOr<rows::ProtoRowMapping> mapping =
      rows::ProtoRowMapping::Create(*Message::descriptor(), table.header, aliases);
  if (!mapping.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(relative, ": header: ",
                                                   mapping.status().message()));
  }
  for (const rows::CsvRecord& record : table.records) {
    Message message;
    if (absl::Status filled = mapping->Fill(record.cells, message); !filled.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(relative, ":", record.line, ": ", filled.message()));
    }
    take(table.header, record, std::move(message));
  }
  return absl::OkStatus();
}

template <typename Entity>
absl::StatusOr<std::vector<Entity>> ReadEntities(const std::string& relative,
                                                 const rows::ColumnAliases& aliases) {
  std::vector<Entity> entities;
  RETURN_IF_ERROR(ForEachRow<Entity>(
      relative, aliases, [&](const auto&, const rows::CsvRecord&, Entity entity) {
        entity.set_version(1);
        entities.push_back(std::move(entity));
      }));
  return entities;
}

// Registry entities as the registry publishes them: at least version 1.
template <typename Entity>
Entity Versioned(Entity entity) {
  if (entity.version() == 0) entity.set_version(1);
  return entity;
}

absl::Status Named(const absl::Status& status, absl::string_view what) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(what, ": ", status.message()));
}

}  // namespace

absl::StatusOr<registry::v1::PlanFile> SeedPlanFile() {
  planfile::LoadedPlanFile loaded = planfile::LoadPlanFile(ReadSourceFile(kSeedPlanFile));
  if (!loaded.plan_file.has_value()) {
    std::string problems;
    for (const core::Problem& problem : loaded.problems) {
      absl::StrAppend(&problems, problem.path, ":", problem.line, ": ", problem.message, "\n");
    }
    return absl::InvalidArgumentError(absl::StrCat(kSeedPlanFile, ":\n", problems));
  }
  registry::v1::PlanFile plan_file = *std::move(loaded.plan_file);
  for (registry::v1::Target& target : *plan_file.mutable_plan()->mutable_targets()) {
    if (target.plan_id().empty()) target.set_plan_id(plan_file.plan().id());
  }
  return plan_file;
}

absl::StatusOr<std::vector<registry::v1::Enterprise>> SyntheticEnterprises() {
  return ReadEntities<registry::v1::Enterprise>(kSyntheticEnterprises,
                                                rows::EnterpriseColumnAliases());
}

absl::StatusOr<std::vector<registry::v1::PublicService>> SyntheticPublicServices() {
  return ReadEntities<registry::v1::PublicService>(kSyntheticPublicServices,
                                                   rows::PublicServiceColumnAliases());
}

absl::StatusOr<std::vector<SubmissionRow>> SyntheticSubmissions() {
  std::vector<SubmissionRow> rows;
  RETURN_IF_ERROR(ForEachRow<ingest::v1::Submission>(
      kSyntheticSubmissions, rows::SubmissionColumnAliases(),
      [&](const std::vector<std::string>& header, const rows::CsvRecord& record,
          ingest::v1::Submission submission) {
        const auto comment = std::find(header.begin(), header.end(), "comment");
        const auto index = static_cast<size_t>(comment - header.begin());
        const bool invalid = index < record.cells.size() &&
                             absl::StartsWith(record.cells[index], "INVALID:");
        rows.push_back({record.line, invalid, std::move(submission)});
      }));
  return rows;
}

absl::Status LoadSeedRegistry(core::ProgressTracker& tracker) {
  ASSIGN_OR_RETURN(const registry::v1::PlanFile plan_file, SeedPlanFile());
  for (const registry::v1::AdministrativeUnit& unit : plan_file.administrative_units()) {
    RETURN_IF_ERROR(Named(tracker.UpsertAdministrativeUnit(Versioned(unit)).status(),
                          absl::StrCat("administrative unit ", unit.code())));
  }
  for (const registry::v1::Indicator& indicator : plan_file.plan().indicators()) {
    RETURN_IF_ERROR(Named(tracker.UpsertIndicator(Versioned(indicator)).status(),
                          absl::StrCat("indicator ", indicator.id())));
  }
  for (const registry::v1::Target& target : plan_file.plan().targets()) {
    RETURN_IF_ERROR(Named(tracker.UpsertTarget(Versioned(target)).status(),
                          absl::StrCat("target ", target.id())));
  }
  ASSIGN_OR_RETURN(const std::vector<registry::v1::Enterprise> enterprises,
                   SyntheticEnterprises());
  for (const registry::v1::Enterprise& enterprise : enterprises) {
    RETURN_IF_ERROR(Named(tracker.UpsertEnterprise(enterprise).status(),
                          absl::StrCat("enterprise ", enterprise.tax_code())));
  }
  ASSIGN_OR_RETURN(const std::vector<registry::v1::PublicService> services,
                   SyntheticPublicServices());
  for (const registry::v1::PublicService& service : services) {
    RETURN_IF_ERROR(Named(tracker.UpsertPublicService(service).status(),
                          absl::StrCat("public service ", service.id())));
  }
  return absl::OkStatus();
}

}  // namespace tiendo::testing
