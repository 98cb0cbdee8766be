#include "services/common/core/plan_validation.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace tiendo::core {

// Readable failure messages.
void PrintTo(const Problem& problem, std::ostream* out) {
  *out << SeverityName(problem.severity) << " " << problem.path << " [" << problem.rule << "] "
       << problem.message;
}

namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using registry::v1::PlanFile;

// A small plan that breaks no rule; each test changes one thing in it.
constexpr char kValidPlan[] = R"pb(
  schema: "tiendo.registry.v1.PlanFile"
  plan {
    id: "p"
    title_vi: "Kế hoạch"
    title_en: "Plan"
    issuing_body: "Ủy ban nhân dân tỉnh"
    jurisdiction_code: "77"
    issue_date: "2024-03-01"
    indicators {
      id: "enterprises"
      name_vi: "Số doanh nghiệp"
      name_en: "Enterprises"
      unit: INDICATOR_UNIT_COUNT
      derived {
        count {
          enterprises { administrative_unit_codes: "77" categories: "digital_technology" }
        }
      }
    }
    indicators {
      id: "share"
      name_vi: "Tỷ lệ"
      name_en: "Share"
      unit: INDICATOR_UNIT_PERCENT
      reported {
        value_kind: VALUE_KIND_NUMERATOR_DENOMINATOR
        aggregation: AGGREGATION_RATIO_OF_SUMS
        allowed_granularities: PERIOD_GRANULARITY_QUARTER
      }
    }
    targets {
      id: "p.t1"
      indicator_id: "enterprises"
      comparator: COMPARATOR_AT_LEAST
      milestones { value: 300 deadline: "2025-12-31" }
      milestones { value: 400 deadline: "2030-12-31" }
    }
    targets {
      id: "p.t2"
      indicator_id: "share"
      comparator: COMPARATOR_MORE_THAN
      milestones { value: 50 deadline: "2025-12-31" }
    }
  }
  reporting_units {
    id: "dept"
    name_vi: "Sở"
    administrative_unit_code: "77"
    allowed_indicator_ids: "share"
  }
  administrative_units {
    code: "77"
    name_vi: "Tỉnh"
    level: ADMINISTRATIVE_LEVEL_PROVINCE
    valid_to: "2025-06-30"
    successor_codes: "79"
  }
  administrative_units {
    code: "79"
    name_vi: "Thành phố"
    level: ADMINISTRATIVE_LEVEL_PROVINCE
    predecessor_codes: [ "77", "747" ]
  }
  administrative_units {
    code: "747"
    name_vi: "Thành phố Vũng Tàu"
    level: ADMINISTRATIVE_LEVEL_DISTRICT
    parent_code: "77"
    valid_to: "2025-06-30"
    successor_codes: "79"
  }
)pb";

PlanFile ValidPlan() {
  PlanFile file;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(kValidPlan, &file));
  return file;
}

std::string Describe(const std::vector<Problem>& problems) {
  return absl::StrJoin(problems, "\n", [](std::string* out, const Problem& p) {
    absl::StrAppend(out, SeverityName(p.severity), " ", p.path, " [", p.rule, "] ", p.message);
  });
}

auto ProblemAt(const std::string& path, const std::string& rule,
               Severity severity = Severity::kError) {
  return AllOf(Field(&Problem::path, path), Field(&Problem::rule, rule),
               Field(&Problem::severity, severity));
}

auto ProblemAt(const std::string& path, const std::string& rule, const std::string& message,
               Severity severity = Severity::kError) {
  return AllOf(Field(&Problem::path, path), Field(&Problem::rule, rule),
               Field(&Problem::severity, severity), Field(&Problem::message, HasSubstr(message)));
}

TEST(PlanValidationTest, ValidPlanHasNoProblems) {
  const std::vector<Problem> problems = ValidatePlanFile(ValidPlan());
  EXPECT_THAT(problems, IsEmpty()) << Describe(problems);
}

TEST(PlanValidationTest, UnknownIndicatorInTargetNamesTheTargetAndTheField) {
  PlanFile file = ValidPlan();
  file.mutable_plan()->mutable_targets(1)->set_indicator_id("shares");
  const std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.targets[1].indicator_id", "unknown_reference",
                                           "target p.t2: unknown indicator \"shares\"")))
      << Describe(problems);
  EXPECT_THAT(problems, Contains(Field(&Problem::message, HasSubstr("did you mean \"share\""))));
  EXPECT_TRUE(HasErrors(problems));
}

TEST(PlanValidationTest, TargetIndicatorMustBeDefinedInTheFileEvenIfTheRegistryKnowsIt) {
  PlanFile file = ValidPlan();
  file.mutable_plan()->mutable_targets(0)->set_indicator_id("elsewhere");
  registry::v1::Indicator elsewhere;
  elsewhere.set_id("elsewhere");
  const std::vector<registry::v1::Indicator> indicators = {elsewhere};
  KnownEntities known;
  known.indicators = indicators;
  EXPECT_THAT(ValidatePlanFile(file, known),
              Contains(ProblemAt("plan.targets[0].indicator_id", "unknown_reference")));
}

TEST(PlanValidationTest, DuplicateIdsAreReportedAtTheSecondOccurrence) {
  PlanFile file = ValidPlan();
  *file.mutable_plan()->add_indicators() = file.plan().indicators(0);
  file.mutable_plan()->mutable_targets(1)->set_id("p.t1");
  *file.add_reporting_units() = file.reporting_units(0);
  *file.add_administrative_units() = file.administrative_units(2);
  const std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.indicators[2].id", "duplicate",
                                           "already used by plan.indicators[0]")))
      << Describe(problems);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.targets[1].id", "duplicate")));
  EXPECT_THAT(problems, Contains(ProblemAt("reporting_units[1].id", "duplicate")));
  EXPECT_THAT(problems, Contains(ProblemAt("administrative_units[3].code", "duplicate")));
}

TEST(PlanValidationTest, MilestoneDeadlinesMustBeStrictlyIncreasing) {
  PlanFile file = ValidPlan();
  auto* target = file.mutable_plan()->mutable_targets(0);
  target->mutable_milestones(0)->set_deadline("2030-12-31");
  target->mutable_milestones(1)->set_deadline("2025-12-31");
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.targets[0].milestones[1].deadline", "order",
                                 "deadline 2025-12-31 is not after the previous milestone's "
                                 "2030-12-31")));

  target->mutable_milestones(1)->set_deadline("2030-12-31");
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.targets[0].milestones[1].deadline", "order")));
}

TEST(PlanValidationTest, MilestoneValuesMovingAgainstTheDirectionAreAWarning) {
  PlanFile file = ValidPlan();
  file.mutable_plan()->mutable_targets(0)->mutable_milestones(1)->set_value(250);
  std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.targets[0].milestones[1].value", "direction",
                                           "below the previous 300", Severity::kWarning)));
  EXPECT_FALSE(HasErrors(problems)) << Describe(problems);

  // Lower is better: rising milestones are the suspicious ones.
  file.mutable_plan()->mutable_indicators(0)->set_direction(
      registry::v1::DIRECTION_LOWER_IS_BETTER);
  file.mutable_plan()->mutable_targets(0)->set_comparator(registry::v1::COMPARATOR_AT_MOST);
  EXPECT_THAT(ValidatePlanFile(file), Not(Contains(Field(&Problem::rule, "direction"))));
  file.mutable_plan()->mutable_targets(0)->mutable_milestones(1)->set_value(400);
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.targets[0].milestones[1].value", "direction",
                                 "lower is better", Severity::kWarning)));
}

TEST(PlanValidationTest, PercentTargetsLieBetweenZeroAndHundred) {
  PlanFile file = ValidPlan();
  auto* milestone = file.mutable_plan()->mutable_targets(1)->mutable_milestones(0);
  milestone->set_value(120);
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.targets[1].milestones[0].value", "out_of_range",
                                 "milestone value 120 is above 100")));
  milestone->set_value(-5);
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.targets[1].milestones[0].value", "out_of_range",
                                 "below 0")));
}

TEST(PlanValidationTest, ReportedBoundsReplaceThePercentDefaults) {
  PlanFile file = ValidPlan();
  file.mutable_plan()->mutable_indicators(1)->mutable_reported()->set_max_value(150);
  file.mutable_plan()->mutable_targets(1)->mutable_milestones(0)->set_value(120);
  const std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, IsEmpty()) << Describe(problems);
}

TEST(PlanValidationTest, CountTargetsAreNonNegativeWholeNumbers) {
  PlanFile file = ValidPlan();
  auto* milestone = file.mutable_plan()->mutable_targets(0)->mutable_milestones(0);
  milestone->set_value(50.5);
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.targets[0].milestones[0].value", "out_of_range",
                                 "not a whole number")));
  milestone->set_value(-1);
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.targets[0].milestones[0].value", "out_of_range",
                                 "below 0")));
}

TEST(PlanValidationTest, ComparatorThatCannotHoldIsAnError) {
  PlanFile file = ValidPlan();
  file.mutable_plan()->mutable_targets(1)->mutable_milestones(0)->set_value(100);
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.targets[1].milestones[0].value", "cannot_hold",
                                 "MORE_THAN 100 can never hold")));

  file = ValidPlan();
  auto* count_target = file.mutable_plan()->mutable_targets(0);
  count_target->set_comparator(registry::v1::COMPARATOR_LESS_THAN);
  count_target->mutable_milestones(0)->set_value(0);
  count_target->mutable_milestones(1)->set_value(0);
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.targets[0].milestones[0].value", "cannot_hold",
                                 "LESS_THAN 0 can never hold")));
}

TEST(PlanValidationTest, ComparatorThatAlwaysHoldsIsAWarning) {
  PlanFile file = ValidPlan();
  auto* target = file.mutable_plan()->mutable_targets(0);
  target->mutable_milestones(0)->set_value(0);
  std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.targets[0].milestones[0].value", "always_holds",
                                           "AT_LEAST 0 always holds", Severity::kWarning)));
  EXPECT_FALSE(HasErrors(problems)) << Describe(problems);

  file = ValidPlan();
  file.mutable_plan()->mutable_targets(1)->set_comparator(registry::v1::COMPARATOR_AT_MOST);
  file.mutable_plan()->mutable_targets(1)->mutable_milestones(0)->set_value(100);
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.targets[1].milestones[0].value", "always_holds",
                                 "AT_MOST 100 always holds", Severity::kWarning)));
}

TEST(PlanValidationTest, BaselineMustComeBeforeTheFirstDeadline) {
  PlanFile file = ValidPlan();
  auto* baseline = file.mutable_plan()->mutable_targets(0)->mutable_baseline();
  baseline->set_value(200);
  baseline->set_date("2023-12-31");
  EXPECT_THAT(ValidatePlanFile(file), IsEmpty());

  baseline->set_date("2025-12-31");
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.targets[0].baseline.date", "order",
                                 "not before the first milestone's deadline 2025-12-31")));

  baseline->set_date("2023-12-31");
  baseline->set_value(-3);
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.targets[0].baseline.value", "out_of_range")));
}

TEST(PlanValidationTest, DatesMustBeRealDaysWrittenYyyyMmDd) {
  PlanFile file = ValidPlan();
  file.mutable_plan()->set_issue_date("2024/03/01");
  file.mutable_plan()->mutable_targets(0)->mutable_milestones(0)->set_deadline("2025-02-29");
  file.mutable_administrative_units(0)->set_valid_to("2025-13-01");
  const std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.issue_date", "format",
                                           "\"2024/03/01\" is not a real date")))
      << Describe(problems);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.targets[0].milestones[0].deadline", "format",
                                           "\"2025-02-29\"")));
  EXPECT_THAT(problems, Contains(ProblemAt("administrative_units[0].valid_to", "format")));
}

TEST(PlanValidationTest, MilestoneAfterTheHorizonEndIsAnError) {
  PlanFile file = ValidPlan();
  file.mutable_plan()->set_horizon_end("2029-12-31");
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.targets[0].milestones[1].deadline", "order",
                                 "after the plan's horizon_end 2029-12-31")));
}

TEST(PlanValidationTest, RequiredFieldsAreNamed) {
  PlanFile file = ValidPlan();
  file.mutable_plan()->clear_title_en();
  file.mutable_plan()->mutable_targets(0)->set_comparator(registry::v1::COMPARATOR_UNSPECIFIED);
  file.mutable_plan()->mutable_targets(1)->clear_milestones();
  file.mutable_plan()->mutable_indicators(1)->clear_reported();
  const std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.title_en", "required"))) << Describe(problems);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.targets[0].comparator", "required")));
  EXPECT_THAT(problems, Contains(ProblemAt("plan.targets[1].milestones", "required")));
  EXPECT_THAT(problems, Contains(ProblemAt("plan.indicators[1]", "required",
                                           "derived or reported")));

  EXPECT_THAT(ValidatePlanFile(PlanFile()), Contains(ProblemAt("plan", "required")));
}

TEST(PlanValidationTest, IdsMustBeSlugs) {
  PlanFile file = ValidPlan();
  file.mutable_plan()->set_id("Kế hoạch 63");
  file.mutable_reporting_units(0)->set_id(std::string(64, 'a'));
  const std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.id", "format")));
  EXPECT_THAT(problems, Contains(ProblemAt("reporting_units[0].id", "format")));
}

TEST(PlanValidationTest, SchemaMustNameThePlanFileMessage) {
  PlanFile file = ValidPlan();
  file.set_schema("tiendo.registry.v1.Plan");
  EXPECT_THAT(ValidatePlanFile(file), Contains(ProblemAt("schema", "format")));
  file.clear_schema();
  EXPECT_THAT(ValidatePlanFile(file), IsEmpty());
}

TEST(PlanValidationTest, ReportingUnitMayOnlyBeAllowedKnownReportedIndicators) {
  PlanFile file = ValidPlan();
  file.mutable_reporting_units(0)->add_allowed_indicator_ids("enterprises");
  file.mutable_reporting_units(0)->add_allowed_indicator_ids("no_such_indicator");
  const std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Contains(ProblemAt("reporting_units[0].allowed_indicator_ids[1]",
                                           "not_reportable", "derived from the registry")))
      << Describe(problems);
  EXPECT_THAT(problems, Contains(ProblemAt("reporting_units[0].allowed_indicator_ids[2]",
                                           "unknown_reference",
                                           "unknown indicator \"no_such_indicator\"")));
}

TEST(PlanValidationTest, ReportingUnitMayBeAllowedAReportedIndicatorTheRegistryKnows) {
  PlanFile file = ValidPlan();
  file.mutable_reporting_units(0)->add_allowed_indicator_ids("other_plan_share");
  registry::v1::Indicator other;
  other.set_id("other_plan_share");
  other.mutable_reported();
  const std::vector<registry::v1::Indicator> indicators = {other};
  KnownEntities known;
  known.indicators = indicators;
  EXPECT_THAT(ValidatePlanFile(file, known), IsEmpty());
}

TEST(PlanValidationTest, ReportingUnitsMustReferToKnownAdministrativeUnits) {
  PlanFile file = ValidPlan();
  file.mutable_reporting_units(0)->set_administrative_unit_code("78");
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("reporting_units[0].administrative_unit_code",
                                 "unknown_reference", "unknown administrative unit \"78\"")));

  // The registry may already know the unit.
  registry::v1::AdministrativeUnit known_unit;
  known_unit.set_code("78");
  const std::vector<registry::v1::AdministrativeUnit> units = {known_unit};
  KnownEntities known;
  known.administrative_units = units;
  EXPECT_THAT(ValidatePlanFile(file, known), IsEmpty());
}

TEST(PlanValidationTest, MergedReportingUnitNeedsAKnownSuccessorValidAfterItEnds) {
  PlanFile file = ValidPlan();
  auto* unit = file.mutable_reporting_units(0);
  unit->set_status(registry::v1::REPORTING_UNIT_STATUS_MERGED);
  std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Contains(ProblemAt("reporting_units[0].successor_unit_id", "required")));
  EXPECT_THAT(problems, Contains(ProblemAt("reporting_units[0].valid_to", "required")));

  unit->set_valid_to("2025-02-28");
  unit->set_successor_unit_id("dept-new");
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("reporting_units[0].successor_unit_id", "unknown_reference")));

  auto* successor = file.add_reporting_units();
  successor->set_id("dept-new");
  successor->set_name_vi("Sở mới");
  successor->set_administrative_unit_code("77");
  successor->set_valid_from("2025-04-01");
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("reporting_units[0].successor_unit_id", "not_valid_at_date",
                                 "not on 2025-03-01", Severity::kWarning)));
  successor->set_valid_from("2025-03-01");
  problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, IsEmpty()) << Describe(problems);
}

TEST(PlanValidationTest, ValidityWindowsMustNotEndBeforeTheyStart) {
  PlanFile file = ValidPlan();
  file.mutable_reporting_units(0)->set_valid_from("2025-03-01");
  file.mutable_reporting_units(0)->set_valid_to("2025-02-28");
  file.mutable_administrative_units(2)->set_valid_from("2025-07-01");
  const std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Contains(ProblemAt("reporting_units[0].valid_to", "order",
                                           "valid_to 2025-02-28 is before valid_from 2025-03-01")))
      << Describe(problems);
  EXPECT_THAT(problems, Contains(ProblemAt("administrative_units[2].valid_to", "order")));
}

TEST(PlanValidationTest, AdministrativeUnitParentMustExistAtTheLevelAboveAndCoverIt) {
  PlanFile file = ValidPlan();
  file.mutable_administrative_units(2)->set_parent_code("76");
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("administrative_units[2].parent_code", "unknown_reference",
                                 "unknown administrative unit \"76\"")));

  file = ValidPlan();
  file.mutable_administrative_units(2)->clear_valid_to();
  file.mutable_administrative_units(2)->clear_successor_codes();
  file.mutable_administrative_units(1)->mutable_predecessor_codes()->RemoveLast();
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("administrative_units[2].parent_code", "not_valid_at_date",
                                 "does not cover")));

  file = ValidPlan();
  auto* commune = file.add_administrative_units();
  commune->set_code("26506");
  commune->set_name_vi("Phường 1");
  commune->set_level(registry::v1::ADMINISTRATIVE_LEVEL_COMMUNE);
  commune->set_parent_code("747");
  commune->set_valid_to("2025-06-30");
  EXPECT_THAT(ValidatePlanFile(file), IsEmpty());
  file.mutable_administrative_units(2)->set_parent_code("79");
  file.mutable_administrative_units(2)->set_level(registry::v1::ADMINISTRATIVE_LEVEL_COMMUNE);
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("administrative_units[3].parent_code", "inconsistent",
                                 "cannot belong to it")));
}

TEST(PlanValidationTest, AdministrativeUnitCodesAreDigitsOfTheLevelsLength) {
  PlanFile file = ValidPlan();
  auto* unit = file.add_administrative_units();
  unit->set_code("7470");
  unit->set_name_vi("Sai");
  unit->set_level(registry::v1::ADMINISTRATIVE_LEVEL_DISTRICT);
  unit->set_parent_code("79");
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("administrative_units[3].code", "format", "must have 3 digits")));
  unit->set_code("74a");
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("administrative_units[3].code", "format", "digits only")));
}

TEST(PlanValidationTest, SuccessorCodesMustExistAndBeValidTheDayAfter) {
  PlanFile file = ValidPlan();
  file.mutable_administrative_units(0)->set_successor_codes(0, "80");
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("administrative_units[0].successor_codes[0]",
                                 "unknown_reference", "unknown administrative unit \"80\"")));

  file = ValidPlan();
  file.mutable_administrative_units(1)->set_valid_from("2025-08-01");
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("administrative_units[0].successor_codes[0]",
                                 "not_valid_at_date", "not on 2025-07-01")));

  file = ValidPlan();
  file.mutable_administrative_units(0)->clear_valid_to();
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("administrative_units[0].valid_to", "required")));
}

TEST(PlanValidationTest, SuccessorAndPredecessorLinksShouldMirrorEachOther) {
  PlanFile file = ValidPlan();
  file.mutable_administrative_units(1)->mutable_predecessor_codes()->RemoveLast();
  std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Contains(ProblemAt("administrative_units[2].successor_codes[0]",
                                           "inverse_link", "does not list 747",
                                           Severity::kWarning)));
  EXPECT_FALSE(HasErrors(problems)) << Describe(problems);

  file = ValidPlan();
  file.mutable_administrative_units(2)->clear_successor_codes();
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("administrative_units[1].predecessor_codes[1]", "inverse_link",
                                 Severity::kWarning)));
}

TEST(PlanValidationTest, JurisdictionMustBeValidOnTheIssueDate) {
  PlanFile file = ValidPlan();
  file.mutable_plan()->set_issue_date("2025-08-01");
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.jurisdiction_code", "not_valid_at_date")));
  file.mutable_plan()->set_jurisdiction_code("76");
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.jurisdiction_code", "unknown_reference")));
}

TEST(PlanValidationTest, TransferredPlanNamesItsNewBodyAndJurisdiction) {
  PlanFile file = ValidPlan();
  file.mutable_plan()->set_status(registry::v1::PLAN_STATUS_TRANSFERRED);
  std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.status_effective_date", "required")));
  EXPECT_THAT(problems, Contains(ProblemAt("plan.transferred_to_body", "required")));
  EXPECT_THAT(problems, Contains(ProblemAt("plan.transferred_to_jurisdiction_code", "required")));

  file.mutable_plan()->set_status_effective_date("2025-07-01");
  file.mutable_plan()->set_transferred_to_body("Ủy ban nhân dân Thành phố Hồ Chí Minh");
  file.mutable_plan()->set_transferred_to_jurisdiction_code("79");
  problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, IsEmpty()) << Describe(problems);

  file.mutable_plan()->set_status_effective_date("2024-01-01");
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.status_effective_date", "order", "before the issue date")));
}

TEST(PlanValidationTest, ReportedAggregationMustSuitTheValueKind) {
  PlanFile file = ValidPlan();
  auto* reported = file.mutable_plan()->mutable_indicators(1)->mutable_reported();
  reported->set_aggregation(registry::v1::AGGREGATION_SUM);
  reported->set_time_aggregation(registry::v1::TIME_AGGREGATION_SUM);
  reported->clear_allowed_granularities();
  const std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.indicators[1].reported.aggregation",
                                           "inconsistent")))
      << Describe(problems);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.indicators[1].reported.time_aggregation",
                                           "inconsistent")));
  EXPECT_THAT(problems, Contains(ProblemAt("plan.indicators[1].reported.allowed_granularities",
                                           "required")));
}

TEST(PlanValidationTest, SharesReportedAsValuesAreNotSummed) {
  PlanFile file = ValidPlan();
  registry::v1::Indicator& indicator = *file.mutable_plan()->mutable_indicators(1);
  indicator.set_unit(registry::v1::INDICATOR_UNIT_PERCENT);
  auto* reported = indicator.mutable_reported();
  reported->set_value_kind(registry::v1::VALUE_KIND_VALUE);
  reported->set_aggregation(registry::v1::AGGREGATION_SUM);
  reported->set_time_aggregation(registry::v1::TIME_AGGREGATION_SUM);
  std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.indicators[1].reported.aggregation",
                                           "inconsistent", "shares do not add up")))
      << Describe(problems);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.indicators[1].reported.time_aggregation",
                                           "inconsistent", "INDICATOR_UNIT_PERCENT")));

  // One authoritative reporter, its latest period standing: a share kept as it was sent.
  reported->set_aggregation(registry::v1::AGGREGATION_LATEST);
  reported->set_time_aggregation(registry::v1::TIME_AGGREGATION_LATEST_PERIOD);
  problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Not(Contains(ProblemAt("plan.indicators[1].reported.aggregation",
                                               "inconsistent"))))
      << Describe(problems);
  EXPECT_THAT(problems, Not(Contains(ProblemAt("plan.indicators[1].reported.time_aggregation",
                                               "inconsistent"))));
}

TEST(PlanValidationTest, ReportingScheduleUsesAnAllowedGranularityAndRealPeriods) {
  PlanFile file = ValidPlan();
  auto* schedule =
      file.mutable_plan()->mutable_indicators(1)->mutable_reported()->mutable_schedule();
  schedule->set_granularity(common::v1::PERIOD_GRANULARITY_MONTH);
  schedule->set_first_period("2024-Q5");
  schedule->add_expected_reporting_unit_ids("nobody");
  const std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.indicators[1].reported.schedule.granularity",
                                           "inconsistent")))
      << Describe(problems);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.indicators[1].reported.schedule.first_period",
                                           "format", "\"2024-Q5\" is not a period")));
  EXPECT_THAT(problems,
              Contains(ProblemAt(
                  "plan.indicators[1].reported.schedule.expected_reporting_unit_ids[0]",
                  "unknown_reference")));
}

TEST(PlanValidationTest, DerivedSourceMustSuitTheUnitAndCountKnownThings) {
  PlanFile file = ValidPlan();
  auto* indicator = file.mutable_plan()->mutable_indicators(0);
  indicator->set_unit(registry::v1::INDICATOR_UNIT_PERCENT);
  auto* filter = indicator->mutable_derived()->mutable_count()->mutable_enterprises();
  filter->set_administrative_unit_codes(0, "99");
  filter->add_capabilities("DX Solutions");
  const std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.indicators[0].derived.count", "inconsistent",
                                           "needs unit INDICATOR_UNIT_COUNT")))
      << Describe(problems);
  EXPECT_THAT(problems,
              Contains(ProblemAt(
                  "plan.indicators[0].derived.count.enterprises.administrative_unit_codes[0]",
                  "unknown_reference")));
  EXPECT_THAT(problems, Contains(ProblemAt(
                            "plan.indicators[0].derived.count.enterprises.capabilities[0]",
                            "format")));
}

TEST(PlanValidationTest, DerivedRatioCountsOneKindOfEntity) {
  PlanFile file = ValidPlan();
  auto* indicator = file.mutable_plan()->mutable_indicators(0);
  indicator->set_unit(registry::v1::INDICATOR_UNIT_PERCENT);
  auto* ratio = indicator->mutable_derived()->mutable_ratio();
  ratio->mutable_numerator()->mutable_public_services()->set_full_process_online(true);
  ratio->mutable_denominator()->mutable_enterprises();
  file.mutable_plan()->mutable_targets(0)->mutable_milestones(0)->set_value(30);
  file.mutable_plan()->mutable_targets(0)->mutable_milestones(1)->set_value(40);
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.indicators[0].derived.ratio.numerator", "inconsistent",
                                 "same kind of entity")));
}

TEST(PlanValidationTest, FieldsWithoutEffectAreAWarning) {
  PlanFile file = ValidPlan();
  file.mutable_plan()->mutable_targets(0)->set_tolerance(5);
  file.mutable_plan()->set_superseded_by_plan_id("p2");
  const std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.targets[0].tolerance", "ignored",
                                           "applies to EQUAL only", Severity::kWarning)))
      << Describe(problems);
  EXPECT_THAT(problems, Contains(ProblemAt("plan.superseded_by_plan_id", "ignored",
                                           Severity::kWarning)));
  EXPECT_FALSE(HasErrors(problems));

  file.mutable_plan()->mutable_targets(0)->set_comparator(registry::v1::COMPARATOR_EQUAL);
  file.mutable_plan()->mutable_targets(0)->set_tolerance(-1);
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.targets[0].tolerance", "out_of_range")));
}

TEST(PlanValidationTest, TargetPlanIdMustBeEmptyOrThePlans) {
  PlanFile file = ValidPlan();
  file.mutable_plan()->mutable_targets(0)->set_plan_id("p");
  EXPECT_THAT(ValidatePlanFile(file), IsEmpty());
  file.mutable_plan()->mutable_targets(0)->set_plan_id("other");
  EXPECT_THAT(ValidatePlanFile(file),
              Contains(ProblemAt("plan.targets[0].plan_id", "inconsistent")));
}

TEST(PlanValidationTest, FrameworkReferencesNameTheirFramework) {
  PlanFile file = ValidPlan();
  file.mutable_plan()->add_framework_references()->set_note("DTI");
  auto* other = file.mutable_plan()->mutable_indicators(0)->add_framework_references();
  other->set_framework(registry::v1::FRAMEWORK_OTHER);
  const std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems,
              Contains(ProblemAt("plan.framework_references[0].framework", "required")));
  EXPECT_THAT(problems, Contains(ProblemAt(
                            "plan.indicators[0].framework_references[0].document", "required")));
}

TEST(PlanValidationTest, DisaggregationDimensionsAreNamedOnceAndTyped) {
  PlanFile file = ValidPlan();
  auto* reported = file.mutable_plan()->mutable_indicators(1)->mutable_reported();
  auto* district = reported->add_disaggregation_dimensions();
  district->set_name("district");
  district->set_kind(registry::v1::DIMENSION_KIND_ADMINISTRATIVE_UNIT);
  EXPECT_THAT(ValidatePlanFile(file), IsEmpty());
  auto* again = reported->add_disaggregation_dimensions();
  again->set_name("district");
  again->set_kind(registry::v1::DIMENSION_KIND_CODE_LIST);
  const std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_THAT(problems, Contains(ProblemAt(
                            "plan.indicators[1].reported.disaggregation_dimensions[1].name",
                            "duplicate")))
      << Describe(problems);
  EXPECT_THAT(problems,
              Contains(ProblemAt(
                  "plan.indicators[1].reported.disaggregation_dimensions[1].allowed_values",
                  "required")));
}

TEST(PlanValidationTest, EveryProblemIsReportedNotJustTheFirst) {
  PlanFile file = ValidPlan();
  file.mutable_plan()->mutable_targets(0)->set_indicator_id("missing");
  file.mutable_plan()->mutable_targets(1)->mutable_milestones(0)->set_value(120);
  file.mutable_administrative_units(2)->set_parent_code("76");
  const std::vector<Problem> problems = ValidatePlanFile(file);
  EXPECT_EQ(CountProblems(problems, Severity::kError), 3) << Describe(problems);
}

}  // namespace
}  // namespace tiendo::core
