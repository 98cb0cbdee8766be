#include "services/common/core/reporting_unit_rules.h"

#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "services/common/core/registry_rules_testing.h"

namespace tiendo::core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using registry::v1::Indicator;
using registry::v1::ReportingUnit;
using testing_support::BaRiaVungTauUnits;
using testing_support::Describe;
using testing_support::ProblemAt;

ReportingUnit Parse(const char* text) {
  ReportingUnit unit;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &unit));
  return unit;
}

// The registry's side: two indicators (one reported, one derived) and the Department of
// Science and Technology, which took over the Department of Information and Communications.
class ReportingUnitRulesTest : public ::testing::Test {
 protected:
  ReportingUnitRulesTest() {
    indicators_["dvc_online_share"].mutable_reported();
    indicators_["dvc_online_share"].set_id("dvc_online_share");
    indicators_["dn_cns"].mutable_derived();
    indicators_["dn_cns"].set_id("dn_cns");
    units_["brvt-sokhcn"] = Parse(R"pb(id: "brvt-sokhcn" valid_from: "2025-03-01")pb");
  }

  std::vector<Problem> Validate(const ReportingUnit& unit) {
    return ValidateReportingUnit(
        unit, administrative_units_,
        [this](absl::string_view id) -> const Indicator* {
          auto it = indicators_.find(std::string(id));
          return it == indicators_.end() ? nullptr : &it->second;
        },
        [this](absl::string_view id) -> const ReportingUnit* {
          auto it = units_.find(std::string(id));
          return it == units_.end() ? nullptr : &it->second;
        });
  }

  static ReportingUnit Valid() {
    return Parse(R"pb(
      id: "brvt-sotttt"
      name_vi: "Sở Thông tin và Truyền thông"
      administrative_unit_code: "77"
      allowed_indicator_ids: "dvc_online_share"
      status: REPORTING_UNIT_STATUS_ACTIVE
    )pb");
  }

  AdministrativeUnits administrative_units_ = BaRiaVungTauUnits();
  std::map<std::string, Indicator> indicators_;
  std::map<std::string, ReportingUnit> units_;
};

TEST_F(ReportingUnitRulesTest, AValidUnitHasNoProblems) {
  const std::vector<Problem> problems = Validate(Valid());
  EXPECT_THAT(problems, IsEmpty()) << Describe(problems);
}

TEST_F(ReportingUnitRulesTest, NormalizeSortsTheAllowedIndicatorsAndDefaultsTheStatus) {
  ReportingUnit unit = Valid();
  unit.clear_status();
  unit.add_allowed_indicator_ids("a_share");
  unit.add_allowed_indicator_ids("dvc_online_share");
  NormalizeReportingUnit(unit);
  EXPECT_EQ(unit.status(), registry::v1::REPORTING_UNIT_STATUS_ACTIVE);
  EXPECT_THAT(unit.allowed_indicator_ids(), ElementsAre("a_share", "dvc_online_share"));
}

TEST_F(ReportingUnitRulesTest, IdNameAndUnitAreRequired) {
  ReportingUnit unit = Valid();
  unit.set_id("Sở TTTT");
  unit.clear_name_vi();
  unit.set_administrative_unit_code("78");
  EXPECT_THAT(Validate(unit),
              ElementsAre(ProblemAt("id", "format"), ProblemAt("name_vi", "required"),
                          ProblemAt("administrative_unit_code", "unknown_reference",
                                    "unknown administrative unit \"78\"")));
}

TEST_F(ReportingUnitRulesTest, AllowedIndicatorsAreKnownAndReported) {
  ReportingUnit unit = Valid();
  unit.add_allowed_indicator_ids("dn_cns");
  unit.add_allowed_indicator_ids("nothing");
  unit.add_allowed_indicator_ids("dvc_online_share");
  EXPECT_THAT(Validate(unit),
              ElementsAre(ProblemAt("allowed_indicator_ids[1]", "not_reportable",
                                    "derived from the registry"),
                          ProblemAt("allowed_indicator_ids[2]", "unknown_reference",
                                    "reporting unit brvt-sotttt: unknown indicator \"nothing\""),
                          ProblemAt("allowed_indicator_ids[3]", "duplicate", "",
                                    Severity::kWarning)));
}

TEST_F(ReportingUnitRulesTest, AMergedUnitNamesASuccessorThatExistsWhenItEnds) {
  ReportingUnit unit = Valid();
  unit.set_status(registry::v1::REPORTING_UNIT_STATUS_MERGED);
  EXPECT_THAT(Validate(unit), ElementsAre(ProblemAt("valid_to", "required"),
                                          ProblemAt("successor_unit_id", "required")));
  unit.set_valid_to("2025-02-28");
  unit.set_successor_unit_id("brvt-sotttt");
  EXPECT_THAT(Validate(unit), ElementsAre(ProblemAt("successor_unit_id", "inconsistent")));
  unit.set_successor_unit_id("brvt-sokhcn-2");
  EXPECT_THAT(Validate(unit), ElementsAre(ProblemAt("successor_unit_id", "unknown_reference")));
  unit.set_successor_unit_id("brvt-sokhcn");
  EXPECT_THAT(Validate(unit), IsEmpty());
  unit.set_valid_to("2025-01-31");
  EXPECT_THAT(Validate(unit), ElementsAre(ProblemAt("successor_unit_id", "not_valid_at_date",
                                                    "not on 2025-02-01", Severity::kWarning)));
}

TEST_F(ReportingUnitRulesTest, StatusAndValidityAgree) {
  ReportingUnit unit = Valid();
  unit.set_status(registry::v1::REPORTING_UNIT_STATUS_CLOSED);
  EXPECT_THAT(Validate(unit), ElementsAre(ProblemAt("valid_to", "required", "closed unit")));
  unit.set_valid_from("2025-07-01");
  unit.set_valid_to("2025-06-30");
  EXPECT_THAT(Validate(unit), ElementsAre(ProblemAt("valid_to", "order")));
  unit.clear_valid_from();
  unit.set_successor_unit_id("brvt-sokhcn");
  EXPECT_THAT(Validate(unit), ElementsAre(ProblemAt("successor_unit_id", "ignored", "",
                                                    Severity::kWarning)));
  unit.clear_successor_unit_id();
  unit.set_status(static_cast<registry::v1::ReportingUnitStatus>(42));
  EXPECT_THAT(Validate(unit), ElementsAre(ProblemAt("status", "out_of_range")));
}

TEST_F(ReportingUnitRulesTest, ACallerSaysWhereUnknownReferencesWereLookedFor) {
  ReportingUnit unit = Valid();
  unit.add_allowed_indicator_ids("dvc_onlin_share");
  ReportingUnitReferences references;
  references.administrative_unit_exists = [](absl::string_view) { return true; };
  references.find_indicator = [](absl::string_view) -> const Indicator* { return nullptr; };
  references.find_reporting_unit = [](absl::string_view) -> const ReportingUnit* {
    return nullptr;
  };
  references.explain_unknown = [](ReferenceKind kind, absl::string_view) -> std::string {
    return kind == ReferenceKind::kIndicator ? ": not defined in plan.indicators" : "";
  };
  EXPECT_THAT(ValidateReportingUnit(unit, references),
              ElementsAre(ProblemAt("allowed_indicator_ids[0]", "unknown_reference",
                                    "\"dvc_online_share\": not defined in plan.indicators"),
                          ProblemAt("allowed_indicator_ids[1]", "unknown_reference")));
}

}  // namespace
}  // namespace tiendo::core
