// The core end to end on what the project ships, with no servers: the seed plan
// (plans/brvt-63-kh-ubnd.yaml) and the synthetic registry and submission files
// (data/synthetic/), read the way the importers read them (tiendo_rows), into one
// core::ProgressTracker. Checks that the derived indicators count the registry files to the
// figures the generator counted independently, that the submissions decode and move the
// reported targets, and that replaying the submission log changes nothing.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/core/progress_report.h"
#include "services/common/core/progress_tracker.h"
#include "services/common/planfile/plan_file_loader.h"
#include "services/common/rows/csv_reader.h"
#include "services/common/rows/proto_row.h"
#include "services/common/rows/registry_columns.h"
#include "tests/support/source_file.h"
#include "tiendo/evaluator/v1/progress.pb.h"
#include "tiendo/ingest/v1/submission.pb.h"
#include "tiendo/registry/v1/enterprise.pb.h"
#include "tiendo/registry/v1/public_service.pb.h"

namespace tiendo {
namespace {

using ::testing::SizeIs;

constexpr char kPlanFile[] = "plans/brvt-63-kh-ubnd.yaml";
constexpr char kEnterprises[] = "data/synthetic/enterprises.csv";
constexpr char kPublicServices[] = "data/synthetic/public_services.csv";
constexpr char kSubmissions[] = "data/synthetic/submissions.csv";

// The day the reported targets are looked at: after the last submitted period (2026-09).
constexpr absl::CivilDay kAsOf(2026, 11, 1);

rows::CsvTable ReadTable(const std::string& relative) {
  absl::StatusOr<rows::CsvTable> table = rows::ReadCsv(testing::ReadSourceFile(relative));
  if (!table.ok()) {
    ADD_FAILURE() << relative << ": " << table.status();
    return {};
  }
  return *std::move(table);
}

// Registry entities read from a CSV file by column name, each at version 1 (the files carry
// no version: every row is an entity's first).
template <typename Entity>
std::vector<Entity> ReadEntities(const std::string& relative, const rows::ColumnAliases& aliases) {
  const rows::CsvTable table = ReadTable(relative);
  absl::StatusOr<rows::ProtoRowMapping> mapping =
      rows::ProtoRowMapping::Create(*Entity::descriptor(), table.header, aliases);
  if (!mapping.ok()) {
    ADD_FAILURE() << relative << ": header: " << mapping.status();
    return {};
  }
  std::vector<Entity> entities;
  for (const rows::CsvRecord& record : table.records) {
    Entity entity;
    entity.set_version(1);
    absl::Status filled = mapping->Fill(record.cells, entity);
    if (!filled.ok()) {
      ADD_FAILURE() << relative << ":" << record.line << ": " << filled;
      continue;
    }
    entities.push_back(std::move(entity));
  }
  return entities;
}

// One row of submissions.csv, as the ingest would hand it to the core.
struct SubmissionRow {
  int line = 0;
  ingest::v1::Submission submission;
};

// The valid rows of submissions.csv, in the order they were sent. The rows the generator
// made invalid on purpose (comment "INVALID: …") are left out: an ingest rejects them
// before they reach the core.
std::vector<SubmissionRow> ReadValidSubmissions() {
  const rows::CsvTable table = ReadTable(kSubmissions);
  absl::StatusOr<rows::ProtoRowMapping> mapping = rows::ProtoRowMapping::Create(
      *ingest::v1::Submission::descriptor(), table.header, rows::SubmissionColumnAliases());
  if (!mapping.ok()) {
    ADD_FAILURE() << kSubmissions << ": header: " << mapping.status();
    return {};
  }
  const auto comment_column = std::find(table.header.begin(), table.header.end(), "comment");
  if (comment_column == table.header.end()) {
    ADD_FAILURE() << kSubmissions << ": no comment column";
    return {};
  }
  const auto comment_index = static_cast<size_t>(comment_column - table.header.begin());
  std::vector<SubmissionRow> submissions;
  for (const rows::CsvRecord& record : table.records) {
    if (comment_index < record.cells.size() &&
        absl::StartsWith(record.cells[comment_index], "INVALID:")) {
      continue;
    }
    SubmissionRow row{record.line, {}};
    absl::Status filled = mapping->Fill(record.cells, row.submission);
    if (!filled.ok()) {
      ADD_FAILURE() << kSubmissions << ":" << record.line << ": " << filled;
      continue;
    }
    submissions.push_back(std::move(row));
  }
  return submissions;
}

// Registry entities as the registry would publish them: at least version 1.
template <typename Entity>
Entity Versioned(Entity entity) {
  if (entity.version() == 0) entity.set_version(1);
  return entity;
}

// A tracker holding the seed plan and the synthetic registry files, as the evaluator holds
// them after consuming the registry log.
class SeedSampleProgressTest : public ::testing::Test {
 protected:
  void SetUp() override {
    planfile::LoadedPlanFile loaded = planfile::LoadPlanFile(testing::ReadSourceFile(kPlanFile));
    ASSERT_TRUE(loaded.plan_file.has_value()) << [&] {
      std::string problems;
      for (const core::Problem& problem : loaded.problems) {
        absl::StrAppend(&problems, problem.path, ":", problem.line, ": ", problem.message,
                        "\n");
      }
      return problems;
    }();
    const registry::v1::PlanFile& plan_file = *loaded.plan_file;
    for (const registry::v1::AdministrativeUnit& unit : plan_file.administrative_units()) {
      absl::StatusOr<core::UpsertOutcome> outcome =
          tracker_.UpsertAdministrativeUnit(Versioned(unit));
      ASSERT_TRUE(outcome.ok()) << "administrative unit " << unit.code() << ": "
                                << outcome.status();
    }
    for (const registry::v1::Indicator& indicator : plan_file.plan().indicators()) {
      absl::StatusOr<core::UpsertOutcome> outcome = tracker_.UpsertIndicator(Versioned(indicator));
      ASSERT_TRUE(outcome.ok()) << "indicator " << indicator.id() << ": " << outcome.status();
    }
    for (registry::v1::Target target : plan_file.plan().targets()) {
      // The registry sets a target's plan when it applies the plan file.
      if (target.plan_id().empty()) target.set_plan_id(plan_file.plan().id());
      absl::StatusOr<core::UpsertOutcome> outcome = tracker_.UpsertTarget(Versioned(target));
      ASSERT_TRUE(outcome.ok()) << "target " << target.id() << ": " << outcome.status();
      target_ids_.push_back(target.id());
    }
    ASSERT_THAT(target_ids_, SizeIs(7));

    const std::vector<registry::v1::Enterprise> enterprises =
        ReadEntities<registry::v1::Enterprise>(kEnterprises, rows::EnterpriseColumnAliases());
    ASSERT_THAT(enterprises, SizeIs(450));
    for (const registry::v1::Enterprise& enterprise : enterprises) {
      absl::StatusOr<core::ProgressTracker::EntityApplied> applied =
          tracker_.UpsertEnterprise(enterprise);
      ASSERT_TRUE(applied.ok()) << "enterprise " << enterprise.tax_code() << ": "
                                << applied.status();
      ASSERT_EQ(applied->outcome, core::UpsertOutcome::kCreated) << enterprise.tax_code();
    }
    const std::vector<registry::v1::PublicService> services =
        ReadEntities<registry::v1::PublicService>(kPublicServices,
                                                  rows::PublicServiceColumnAliases());
    ASSERT_THAT(services, SizeIs(232));
    for (const registry::v1::PublicService& service : services) {
      absl::StatusOr<core::ProgressTracker::EntityApplied> applied =
          tracker_.UpsertPublicService(service);
      ASSERT_TRUE(applied.ok()) << "public service " << service.id() << ": " << applied.status();
      ASSERT_EQ(applied->outcome, core::UpsertOutcome::kCreated) << service.id();
    }
  }

  uint32_t Target(const std::string& id) const {
    const std::optional<uint32_t> target = tracker_.FindTarget(id);
    EXPECT_TRUE(target.has_value()) << id;
    return target.value_or(0);
  }

  // Decodes and applies every row, sequence = the row's index in the log. Returns how many
  // applications changed a cell.
  int ApplyAll(const std::vector<SubmissionRow>& submissions) {
    int changed = 0;
    for (size_t i = 0; i < submissions.size(); ++i) {
      const SubmissionRow& row = submissions[i];
      absl::StatusOr<core::CellSubmission> decoded =
          tracker_.Decode(row.submission, row.submission.reporting_unit_id(),
                          static_cast<int64_t>(i));
      EXPECT_TRUE(decoded.ok()) << kSubmissions << ":" << row.line << ": " << decoded.status();
      if (!decoded.ok()) continue;
      if (tracker_.Apply(*decoded).change.changed()) ++changed;
    }
    return changed;
  }

  core::ProgressTracker tracker_;
  std::vector<std::string> target_ids_;
};

// One year end of the generator's table: a count, or a numerator over a denominator.
struct Fraction {
  int numerator;
  int denominator;
};
struct YearEnd {
  absl::CivilDay day;
  int digital_tech_enterprises;
  int dx_capable;
  Fraction sme_platform_adoption;
  Fraction eligible_full_online;
  Fraction online_on_national_portal;
};

// "What the derived indicators should show" in data/synthetic/README.md: the generator's own
// count of the rows it wrote (tools/sample-data/figures_by_year.cc), independent of the
// core. A disagreement means one of the two counts is wrong.
constexpr YearEnd kGeneratorFigures[] = {
    {absl::CivilDay(2019, 12, 31), 34, 5, {4, 40}, {0, 145}, {0, 0}},
    {absl::CivilDay(2020, 12, 31), 58, 9, {14, 73}, {20, 150}, {14, 20}},
    {absl::CivilDay(2021, 12, 31), 107, 18, {35, 138}, {52, 154}, {42, 52}},
    {absl::CivilDay(2022, 12, 31), 147, 24, {72, 189}, {90, 159}, {76, 90}},
    {absl::CivilDay(2023, 12, 31), 192, 31, {112, 237}, {129, 168}, {119, 129}},
    {absl::CivilDay(2024, 12, 31), 249, 41, {156, 304}, {170, 176}, {152, 170}},
    {absl::CivilDay(2025, 12, 31), 303, 51, {197, 353}, {77, 77}, {73, 77}},
    {absl::CivilDay(2026, 10, 31), 337, 57, {239, 381}, {77, 77}, {74, 77}},
};

// The percent a ratio indicator shows for `fraction`; nullopt for a zero denominator.
std::optional<double> Percent(Fraction fraction) {
  if (fraction.denominator == 0) return std::nullopt;
  return 100.0 * fraction.numerator / fraction.denominator;
}

void ExpectValue(const core::ProgressTracker& tracker, const std::string& indicator,
                 absl::CivilDay day, std::optional<double> expected) {
  SCOPED_TRACE(absl::StrCat(indicator, " on ", absl::FormatCivilTime(day)));
  const core::DerivedSeries* derived = tracker.Derived(indicator);
  ASSERT_NE(derived, nullptr) << "not a derived indicator";
  const std::optional<double> value = derived->ValueAt(day);
  if (!expected.has_value()) {
    EXPECT_FALSE(value.has_value()) << "value " << *value << ", expected none (0 / 0)";
    return;
  }
  ASSERT_TRUE(value.has_value()) << "no value, expected " << *expected;
  EXPECT_NEAR(*value, *expected, 1e-9);
}

TEST_F(SeedSampleProgressTest, DerivedIndicatorsCountTheRegistryFilesAsTheGeneratorDid) {
  for (const YearEnd& year : kGeneratorFigures) {
    ExpectValue(tracker_, "digital_tech_enterprises", year.day, year.digital_tech_enterprises);
    ExpectValue(tracker_, "digital_tech_enterprises_dx_capable", year.day, year.dx_capable);
    ExpectValue(tracker_, "sme_digital_platform_adoption", year.day,
                Percent(year.sme_platform_adoption));
    ExpectValue(tracker_, "eligible_procedures_full_online", year.day,
                Percent(year.eligible_full_online));
    ExpectValue(tracker_, "online_services_on_national_portal", year.day,
                Percent(year.online_on_national_portal));
  }
}

std::string StatusName(evaluator::v1::ProgressStatus status) {
  std::string name = evaluator::v1::ProgressStatus_Name(status);
  return std::string(absl::StripPrefix(name, "PROGRESS_STATUS_"));
}

std::string ComparatorSign(registry::v1::Comparator comparator) {
  switch (comparator) {
    case registry::v1::COMPARATOR_AT_LEAST:
      return ">=";
    case registry::v1::COMPARATOR_MORE_THAN:
      return ">";
    case registry::v1::COMPARATOR_AT_MOST:
      return "<=";
    case registry::v1::COMPARATOR_LESS_THAN:
      return "<";
    case registry::v1::COMPARATOR_EQUAL:
      return "=";
    default:
      return "?";
  }
}

// A table of every target's progress, for a person to read: status, current value, data
// points, and each milestone with its own status, the one in force marked `*`.
std::string ProgressTable(const std::vector<evaluator::v1::Progress>& progress) {
  std::string table = absl::StrFormat("%-4s %-36s %-17s %8s %6s  %s\n", "code", "indicator",
                                      "status", "current", "points", "milestones (* in force)");
  for (const evaluator::v1::Progress& p : progress) {
    std::vector<std::string> milestones;
    for (const evaluator::v1::MilestoneProgress& m : p.milestones()) {
      milestones.push_back(absl::StrFormat(
          "%s%s %s%g by %s %s", m.index() == p.milestone_in_force() ? "*" : "", m.code(),
          ComparatorSign(p.comparator()), m.target_value(), m.deadline(), StatusName(m.status())));
    }
    absl::StrAppendFormat(
        &table, "%-4s %-36s %-17s %8s %6d  %s\n", p.target_code(), p.indicator_id(),
        StatusName(p.status()),
        p.has_current_value() ? absl::StrFormat("%.2f", p.current_value()) : "-",
        p.data_points_size(), absl::StrJoin(milestones, "; "));
  }
  return table;
}

TEST_F(SeedSampleProgressTest, SubmissionsDecodeAndMoveTheReportedTargets) {
  const std::vector<SubmissionRow> submissions = ReadValidSubmissions();
  // 2004 rows, 7 of them invalid on purpose (data/synthetic/README.md).
  ASSERT_THAT(submissions, SizeIs(2004 - 7));
  const int changed = ApplyAll(submissions);
  EXPECT_GT(changed, 0);

  std::vector<evaluator::v1::Progress> progress;
  for (const std::string& id : target_ids_) {
    progress.push_back(core::DescribeProgress(tracker_, Target(id), kAsOf));
  }
  std::cout << "Progress of the seed plan's targets on the synthetic data as of "
            << absl::FormatCivilTime(kAsOf) << ":\n"
            << ProgressTable(progress);

  for (const evaluator::v1::Progress& p : progress) {
    if (p.indicator_id() != "online_service_users_authenticated" &&
        p.indicator_id() != "procedure_results_digitised") {
      continue;
    }
    SCOPED_TRACE(p.target_id());
    EXPECT_GT(p.data_points_size(), 0);
    EXPECT_NE(p.status(), evaluator::v1::PROGRESS_STATUS_UNSPECIFIED);
    EXPECT_TRUE(p.has_current_value());
  }
}

TEST_F(SeedSampleProgressTest, ReplayingTheSubmissionLogChangesNothing) {
  const std::vector<SubmissionRow> submissions = ReadValidSubmissions();
  ASSERT_FALSE(submissions.empty());
  ApplyAll(submissions);
  std::vector<std::string> once;
  for (const std::string& id : target_ids_) {
    once.push_back(core::DescribeProgress(tracker_, Target(id), kAsOf).SerializeAsString());
  }
  const size_t cells = tracker_.cells().size();

  EXPECT_EQ(ApplyAll(submissions), 0) << "a replayed submission changed a cell";
  EXPECT_EQ(tracker_.cells().size(), cells);
  for (size_t i = 0; i < target_ids_.size(); ++i) {
    SCOPED_TRACE(target_ids_[i]);
    EXPECT_EQ(core::DescribeProgress(tracker_, Target(target_ids_[i]), kAsOf).SerializeAsString(),
              once[i]);
  }
}

}  // namespace
}  // namespace tiendo
