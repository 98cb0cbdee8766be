// The core end to end on what the project ships, with no servers: the seed plan
// (plans/brvt-63-kh-ubnd.yaml) and the synthetic registry and submission files
// (data/synthetic/), read the way the importers read them (tests/support/seed_sample), into
// one core::ProgressTracker. Checks that the derived indicators count the registry files to the
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
#include "tests/support/seed_sample.h"
#include "tiendo/evaluator/v1/progress.pb.h"

namespace tiendo {
namespace {

using ::testing::SizeIs;

// The day the reported targets are looked at: after the last submitted period (2026-09).
constexpr absl::CivilDay kAsOf(2026, 11, 1);

using testing::SubmissionRow;

// The valid rows of submissions.csv, in the order they were sent. The rows the generator
// made invalid on purpose are left out: an ingest rejects them before they reach the core.
std::vector<SubmissionRow> ReadValidSubmissions() {
  absl::StatusOr<std::vector<SubmissionRow>> rows = testing::SyntheticSubmissions();
  EXPECT_TRUE(rows.ok()) << rows.status();
  std::vector<SubmissionRow> valid;
  for (SubmissionRow& row : *rows) {
    if (!row.invalid) valid.push_back(std::move(row));
  }
  return valid;
}

// A tracker holding the seed plan and the synthetic registry files, as the evaluator holds
// them after consuming the registry log.
class SeedSampleProgressTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::LoadSeedRegistry(tracker_).ok());
    absl::StatusOr<registry::v1::PlanFile> plan_file = testing::SeedPlanFile();
    ASSERT_TRUE(plan_file.ok()) << plan_file.status();
    for (const registry::v1::Target& target : plan_file->plan().targets()) {
      target_ids_.push_back(target.id());
    }
    ASSERT_THAT(target_ids_, SizeIs(7));
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
      EXPECT_TRUE(decoded.ok()) << testing::kSyntheticSubmissions << ":" << row.line << ": " << decoded.status();
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

  int reported_targets = 0;
  for (const evaluator::v1::Progress& p : progress) {
    if (p.indicator_id() != "online_service_users_authenticated" &&
        p.indicator_id() != "procedure_results_digitised") {
      continue;
    }
    ++reported_targets;
    SCOPED_TRACE(p.target_id());
    EXPECT_GT(p.data_points_size(), 0);
    EXPECT_NE(p.status(), evaluator::v1::PROGRESS_STATUS_UNSPECIFIED);
    EXPECT_TRUE(p.has_current_value());
  }
  EXPECT_EQ(reported_targets, 2) << "the seed plan's targets on reported indicators (T6, T7)";
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
