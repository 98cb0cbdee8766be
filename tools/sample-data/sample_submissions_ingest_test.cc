// The shipped sample submissions (data/synthetic/submissions.csv) against the rules
// metrics-ingest applies (core::CheckSubmission) with the seed plan (plans/brvt-63-kh-ubnd.yaml):
// its indicators, targets and horizon, its reporting units (each row sent by its own
// reporting_unit_id) and its administrative units, on 2026-11-28. Every row is accepted
// except the ones marked "INVALID:", and each of those is refused for the reason its comment
// names ("…; refused as <reason>"). A plan the project ships must take the data it ships.
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "services/common/core/administrative_units.h"
#include "services/common/core/civil_date.h"
#include "services/common/core/submission_rules.h"
#include "services/common/planfile/plan_file_loader.h"
#include "services/common/rows/csv_reader.h"
#include "services/common/rows/proto_row.h"
#include "services/common/rows/registry_columns.h"
#include "tiendo/ingest/v1/submission.pb.h"
#include "tiendo/registry/v1/plan_file.pb.h"
#include "tools/sample-data/submission_rows.h"

namespace tiendo::sample {
namespace {

constexpr char kPlanFile[] = "plans/brvt-63-kh-ubnd.yaml";
constexpr char kSubmissions[] = "data/synthetic/submissions.csv";
constexpr absl::CivilDay kToday(2026, 11, 28);

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(TIENDO_SOURCE_DIR) + "/" + relative, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << relative;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// "not_authorised" for REJECTION_REASON_NOT_AUTHORISED, as tools print reasons.
std::string ReasonLabel(ingest::v1::RejectionReason reason) {
  return absl::AsciiStrToLower(
      absl::StripPrefix(ingest::v1::RejectionReason_Name(reason), "REJECTION_REASON_"));
}

// What ingest knows once the seed plan is applied.
class SampleSubmissionsIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    planfile::LoadedPlanFile loaded = planfile::LoadPlanFile(ReadSource(kPlanFile));
    ASSERT_TRUE(loaded.plan_file.has_value()) << kPlanFile << " does not load";
    plan_file_ = *std::move(loaded.plan_file);
    for (const registry::v1::AdministrativeUnit& unit : plan_file_.administrative_units()) {
      ASSERT_TRUE(administrative_units_.Upsert(unit).ok()) << unit.code();
    }
    for (const registry::v1::Indicator& indicator : plan_file_.plan().indicators()) {
      indicators_[indicator.id()] = &indicator;
    }
    for (const registry::v1::ReportingUnit& unit : plan_file_.reporting_units()) {
      reporting_units_[unit.id()] = &unit;
    }
    const registry::v1::Plan& plan = plan_file_.plan();
    absl::StatusOr<absl::CivilDay> start = core::ParseCivilDate(plan.horizon_start());
    absl::StatusOr<absl::CivilDay> end = core::ParseCivilDate(plan.horizon_end());
    ASSERT_TRUE(start.ok() && end.ok()) << "the seed plan states its horizon";
    for (const registry::v1::Target& target : plan.targets()) {
      horizons_[target.indicator_id()] = {*start, *end};
    }

    context_.find_indicator = [this](absl::string_view id) -> const registry::v1::Indicator* {
      const auto it = indicators_.find(std::string(id));
      return it == indicators_.end() ? nullptr : it->second;
    };
    context_.administrative_units = &administrative_units_;
    context_.horizon = [this](absl::string_view id)
        -> std::optional<std::pair<absl::CivilDay, absl::CivilDay>> {
      const auto it = horizons_.find(std::string(id));
      if (it == horizons_.end()) return std::nullopt;
      return it->second;
    };
    context_.today = kToday;
  }

  registry::v1::PlanFile plan_file_;
  core::AdministrativeUnits administrative_units_;
  std::map<std::string, const registry::v1::Indicator*> indicators_;
  std::map<std::string, const registry::v1::ReportingUnit*> reporting_units_;
  std::map<std::string, std::pair<absl::CivilDay, absl::CivilDay>> horizons_;
  core::SubmissionContext context_;
};

TEST_F(SampleSubmissionsIngestTest, ValidRowsAreAcceptedAndInvalidOnesRefusedForTheirReason) {
  absl::StatusOr<rows::CsvTable> table = rows::ReadCsv(ReadSource(kSubmissions));
  ASSERT_TRUE(table.ok()) << table.status();
  absl::StatusOr<rows::ProtoRowMapping> mapping = rows::ProtoRowMapping::Create(
      *ingest::v1::Submission::descriptor(), table->header, rows::SubmissionColumnAliases());
  ASSERT_TRUE(mapping.ok()) << mapping.status();

  int accepted = 0;
  std::map<std::string, std::string> refused;  // submission id → reason
  for (const rows::CsvRecord& record : table->records) {
    ingest::v1::Submission submission;
    ASSERT_TRUE(mapping->Fill(record.cells, submission).ok()) << kSubmissions << ":" << record.line;
    SCOPED_TRACE(absl::StrCat(kSubmissions, ":", record.line, " ", submission.submission_id()));
    const auto sender = reporting_units_.find(submission.reporting_unit_id());
    ASSERT_NE(sender, reporting_units_.end())
        << "reporting unit " << submission.reporting_unit_id() << " is not in the seed plan";
    core::SubmissionContext context = context_;
    context.sender = sender->second;
    const std::optional<core::SubmissionRejection> rejection =
        core::CheckSubmission(submission, context);

    if (!absl::StartsWith(submission.comment(), kInvalidMark)) {
      EXPECT_FALSE(rejection.has_value())
          << ReasonLabel(rejection->reason) << " " << rejection->field << ": "
          << rejection->message;
      if (!rejection.has_value()) ++accepted;
      continue;
    }
    const absl::string_view comment = submission.comment();
    const size_t cut = comment.rfind(kRefusedAs);
    ASSERT_NE(cut, absl::string_view::npos) << "the comment names no reason: " << comment;
    const std::string expected(comment.substr(cut + kRefusedAs.size()));
    ASSERT_TRUE(rejection.has_value()) << "accepted, but the row says " << expected;
    EXPECT_EQ(ReasonLabel(rejection->reason), expected) << rejection->message;
    refused[submission.submission_id()] = ReasonLabel(rejection->reason);
  }
  // data/synthetic/README.md: 2004 rows, 7 of them invalid on purpose, one per reason.
  EXPECT_EQ(accepted, 2004 - 7);
  EXPECT_EQ(refused.size(), 7u);
  std::set<std::string> reasons;
  for (const auto& [id, reason] : refused) reasons.insert(reason);
  EXPECT_EQ(reasons.size(), refused.size()) << "two invalid rows test the same rule";
}

}  // namespace
}  // namespace tiendo::sample
