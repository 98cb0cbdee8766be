#include "services/common/core/submission_rules.h"

#include <cmath>
#include <initializer_list>
#include <limits>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo::core {
namespace {

using ingest::v1::RejectionReason;
using ingest::v1::Submission;
using registry::v1::AdministrativeUnit;
using registry::v1::Indicator;
using registry::v1::ReportingUnit;
using ::testing::HasSubstr;

namespace v1 = ::tiendo::ingest::v1;

AdministrativeUnit Unit(const std::string& code, const std::string& name,
                        registry::v1::AdministrativeLevel level, const std::string& valid_from,
                        const std::string& valid_to, std::initializer_list<std::string> successors,
                        const std::string& parent = "") {
  AdministrativeUnit unit;
  unit.set_code(code);
  unit.set_name_vi(name);
  unit.set_level(level);
  unit.set_valid_from(valid_from);
  unit.set_valid_to(valid_to);
  unit.set_parent_code(parent);
  for (const std::string& successor : successors) unit.add_successor_codes(successor);
  return unit;
}

Indicator Reported(const std::string& id, registry::v1::IndicatorUnit unit,
                   registry::v1::ValueKind kind) {
  Indicator indicator;
  indicator.set_id(id);
  indicator.set_unit(unit);
  registry::v1::ReportedSource* reported = indicator.mutable_reported();
  reported->set_value_kind(kind);
  reported->add_allowed_granularities(common::v1::PERIOD_GRANULARITY_QUARTER);
  reported->add_allowed_granularities(common::v1::PERIOD_GRANULARITY_MONTH);
  return indicator;
}

ReportingUnit Sender(const std::string& id, registry::v1::ReportingUnitStatus status,
                     const std::string& valid_from = "", const std::string& valid_to = "",
                     const std::string& successor = "") {
  ReportingUnit unit;
  unit.set_id(id);
  unit.set_status(status);
  unit.set_valid_from(valid_from);
  unit.set_valid_to(valid_to);
  unit.set_successor_unit_id(successor);
  for (const char* indicator : {"procedure_results_digitised", "new_enterprises",
                                "untracked_share", "half_defined", "digital_tech_enterprises"}) {
    unit.add_allowed_indicator_ids(indicator);
  }
  return unit;
}

// A registry after the 2025 changes of Bà Rịa - Vũng Tàu: Long Điền (752) merged into Long
// Đất (757) on 2025-01-01, and the districts and the province (77) into Ho Chi Minh City (79)
// on 2025-07-01.
class SubmissionRulesTest : public ::testing::Test {
 protected:
  SubmissionRulesTest() {
    using registry::v1::ADMINISTRATIVE_LEVEL_COMMUNE;
    using registry::v1::ADMINISTRATIVE_LEVEL_DISTRICT;
    using registry::v1::ADMINISTRATIVE_LEVEL_PROVINCE;
    for (const AdministrativeUnit& unit :
         {Unit("77", "Tỉnh Bà Rịa - Vũng Tàu", ADMINISTRATIVE_LEVEL_PROVINCE, "", "2025-06-30",
               {"79"}),
          Unit("79", "Thành phố Hồ Chí Minh", ADMINISTRATIVE_LEVEL_PROVINCE, "", "", {}),
          Unit("747", "Thành phố Vũng Tàu", ADMINISTRATIVE_LEVEL_DISTRICT, "", "2025-06-30",
               {"79"}, "77"),
          Unit("752", "Huyện Long Điền", ADMINISTRATIVE_LEVEL_DISTRICT, "", "2024-12-31",
               {"757"}, "77"),
          Unit("757", "Huyện Long Đất", ADMINISTRATIVE_LEVEL_DISTRICT, "2025-01-01",
               "2025-06-30", {"79"}, "77"),
          Unit("26506", "Phường 1", ADMINISTRATIVE_LEVEL_COMMUNE, "", "2025-06-30", {"79"},
               "747")}) {
      EXPECT_TRUE(units_.Upsert(unit).ok()) << unit.code();
    }

    Indicator digitised =
        Reported("procedure_results_digitised", registry::v1::INDICATOR_UNIT_PERCENT,
                 registry::v1::VALUE_KIND_NUMERATOR_DENOMINATOR);
    registry::v1::DisaggregationDimension* district =
        digitised.mutable_reported()->add_disaggregation_dimensions();
    district->set_name("district");
    district->set_kind(registry::v1::DIMENSION_KIND_ADMINISTRATIVE_UNIT);
    district->set_administrative_level(ADMINISTRATIVE_LEVEL_DISTRICT);
    indicators_[digitised.id()] = digitised;

    Indicator enterprises = Reported("new_enterprises", registry::v1::INDICATOR_UNIT_COUNT,
                                     registry::v1::VALUE_KIND_VALUE);
    registry::v1::DisaggregationDimension* sector =
        enterprises.mutable_reported()->add_disaggregation_dimensions();
    sector->set_name("sector");
    sector->set_kind(registry::v1::DIMENSION_KIND_CODE_LIST);
    sector->add_allowed_values("62");
    sector->add_allowed_values("63");
    sector->set_required(true);
    indicators_[enterprises.id()] = enterprises;

    indicators_["untracked_share"] =
        Reported("untracked_share", registry::v1::INDICATOR_UNIT_PERCENT,
                 registry::v1::VALUE_KIND_VALUE);
    Indicator half_defined = Reported("half_defined", registry::v1::INDICATOR_UNIT_COUNT,
                                      registry::v1::VALUE_KIND_UNSPECIFIED);
    indicators_[half_defined.id()] = half_defined;
    Indicator derived;
    derived.set_id("digital_tech_enterprises");
    derived.set_unit(registry::v1::INDICATOR_UNIT_COUNT);
    derived.mutable_derived()->mutable_count();
    indicators_[derived.id()] = derived;

    context_.sender = &dept_st_;
    context_.find_indicator = [this](absl::string_view id) -> const Indicator* {
      const auto it = indicators_.find(std::string(id));
      return it == indicators_.end() ? nullptr : &it->second;
    };
    context_.administrative_units = &units_;
    context_.horizon = [](absl::string_view id)
        -> std::optional<std::pair<absl::CivilDay, absl::CivilDay>> {
      if (id == "untracked_share") return std::nullopt;
      // new_enterprises' plans start mid-February: 2024-Q1 is only partly covered.
      if (id == "new_enterprises") {
        return std::make_pair(absl::CivilDay(2024, 2, 15), absl::CivilDay(2030, 12, 31));
      }
      return std::make_pair(absl::CivilDay(2024, 1, 1), absl::CivilDay(2030, 12, 31));
    };
    context_.today = absl::CivilDay(2026, 11, 28);
  }

  // A valid report: 93 of 100 results of Vũng Tàu digitised in 2025-Q1.
  static Submission Report() {
    Submission submission;
    submission.set_submission_id("skhcn:2025-Q1:747:r1");
    submission.set_indicator_id("procedure_results_digitised");
    submission.set_period("2025-Q1");
    (*submission.mutable_disaggregation())["district"] = "747";
    submission.mutable_ratio()->set_numerator(93);
    submission.mutable_ratio()->set_denominator(100);
    submission.set_kind(v1::SUBMISSION_KIND_REPORT);
    return submission;
  }

  // A valid count: 12 new software enterprises (sector 62) in 2025-Q2.
  static Submission Count() {
    Submission submission;
    submission.set_submission_id("dkkd:2025-Q2:62");
    submission.set_indicator_id("new_enterprises");
    submission.set_period("2025-Q2");
    (*submission.mutable_disaggregation())["sector"] = "62";
    submission.set_value(12);
    return submission;
  }

  std::optional<SubmissionRejection> Check(const Submission& submission,
                                           const ReportingUnit* sender = nullptr) {
    SubmissionContext context = context_;
    if (sender != nullptr) context.sender = sender;
    return CheckSubmission(submission, context);
  }

  // Expects `submission` refused for `reason` at `field`, with a message that names the
  // submission and holds every one of `words`.
  void ExpectRefused(const Submission& submission, RejectionReason reason,
                     const std::string& field, std::initializer_list<std::string> words,
                     const ReportingUnit* sender = nullptr) {
    const std::optional<SubmissionRejection> rejection = Check(submission, sender);
    ASSERT_TRUE(rejection.has_value()) << "accepted, expected " << v1::RejectionReason_Name(reason);
    EXPECT_EQ(v1::RejectionReason_Name(rejection->reason), v1::RejectionReason_Name(reason))
        << rejection->message;
    EXPECT_EQ(rejection->field, field) << rejection->message;
    EXPECT_THAT(rejection->message, HasSubstr("submission "));
    for (const std::string& word : words) {
      EXPECT_THAT(rejection->message, HasSubstr(word));
    }
  }

  void ExpectAccepted(const Submission& submission, const ReportingUnit* sender = nullptr) {
    const std::optional<SubmissionRejection> rejection = Check(submission, sender);
    EXPECT_FALSE(rejection.has_value())
        << v1::RejectionReason_Name(rejection->reason) << " " << rejection->field << ": "
        << rejection->message;
  }

  AdministrativeUnits units_;
  std::map<std::string, Indicator> indicators_;
  ReportingUnit dept_st_ = Sender("dept-st", registry::v1::REPORTING_UNIT_STATUS_ACTIVE);
  SubmissionContext context_;
};

// Accepted.

TEST_F(SubmissionRulesTest, AcceptsAValidReportCountAndRetraction) {
  ExpectAccepted(Report());
  ExpectAccepted(Count());
  Submission retraction = Report();
  retraction.clear_ratio();
  retraction.set_kind(v1::SUBMISSION_KIND_RETRACTION);
  ExpectAccepted(retraction);
}

TEST_F(SubmissionRulesTest, AcceptsTheSendersOwnIdAnUnspecifiedKindAndNoDisaggregation) {
  Submission submission = Report();
  submission.set_reporting_unit_id("dept-st");
  submission.set_kind(v1::SUBMISSION_KIND_UNSPECIFIED);
  submission.clear_disaggregation();
  ExpectAccepted(submission);
}

TEST_F(SubmissionRulesTest, AcceptsLongDatFromItsFirstDayAndTheCurrentMonth) {
  Submission submission = Report();
  (*submission.mutable_disaggregation())["district"] = "757";
  ExpectAccepted(submission);
  submission.clear_disaggregation();
  submission.set_period("2026-11");  // today is 2026-11-28: the month has begun
  ExpectAccepted(submission);
}

TEST_F(SubmissionRulesTest, AcceptsTextsAtTheirLimitsInCharactersNotBytes) {
  Submission submission = Report();
  submission.set_submission_id(std::string(128, 'a'));
  std::string comment;
  for (int i = 0; i < 1000; ++i) comment += "ệ";  // 3 bytes each
  submission.set_comment(comment);
  submission.set_source_system(std::string(128, 's'));
  ExpectAccepted(submission);
}

TEST_F(SubmissionRulesTest, AcceptsAMergedUnitsLateCorrectionsAndAClosedUnitsBackfill) {
  const ReportingUnit dept_ic = Sender("dept-ic", registry::v1::REPORTING_UNIT_STATUS_MERGED, "",
                                       "2025-02-28", "dept-st");
  ExpectAccepted(Report(), &dept_ic);  // 2025-Q1 starts before its last day
  const ReportingUnit pc_757 = Sender("pc-757", registry::v1::REPORTING_UNIT_STATUS_CLOSED,
                                      "2025-01-01", "2025-06-30");
  Submission submission = Report();
  submission.set_period("2025-Q2");
  (*submission.mutable_disaggregation())["district"] = "757";
  ExpectAccepted(submission, &pc_757);
}

// One test per reason.

TEST_F(SubmissionRulesTest, SubmissionIdEmpty) {
  Submission submission = Report();
  submission.clear_submission_id();
  ExpectRefused(submission, v1::REJECTION_REASON_INVALID_SUBMISSION_ID, "submission_id",
                {"required"});
}

TEST_F(SubmissionRulesTest, SubmissionIdWithASpace) {
  Submission submission = Report();
  submission.set_submission_id("skhcn 2025-Q1");
  ExpectRefused(submission, v1::REJECTION_REASON_INVALID_SUBMISSION_ID, "submission_id",
                {"\"skhcn 2025-Q1\"", "A-Z, a-z, 0-9"});
}

TEST_F(SubmissionRulesTest, SubmissionIdTooLong) {
  Submission submission = Report();
  submission.set_submission_id(std::string(129, 'a'));
  ExpectRefused(submission, v1::REJECTION_REASON_INVALID_SUBMISSION_ID, "submission_id",
                {"longer than 128"});
}

TEST_F(SubmissionRulesTest, CommentTooLong) {
  Submission submission = Report();
  submission.set_comment(std::string(1001, 'x'));
  ExpectRefused(submission, v1::REJECTION_REASON_TOO_LARGE, "comment",
                {"skhcn:2025-Q1:747:r1", "1001 characters", "limit of 1000"});
}

TEST_F(SubmissionRulesTest, SourceSystemTooLong) {
  Submission submission = Report();
  submission.set_source_system(std::string(129, 's'));
  ExpectRefused(submission, v1::REJECTION_REASON_TOO_LARGE, "source_system",
                {"129 characters", "limit of 128"});
}

TEST_F(SubmissionRulesTest, TooManyDisaggregationEntries) {
  Submission submission = Report();
  for (int i = 0; i < 8; ++i) (*submission.mutable_disaggregation())[absl::StrCat("d", i)] = "x";
  ExpectRefused(submission, v1::REJECTION_REASON_TOO_LARGE, "disaggregation",
                {"9 entries", "limit of 8"});
}

TEST_F(SubmissionRulesTest, DimensionNameOrValueTooLong) {
  Submission submission = Report();
  (*submission.mutable_disaggregation())[std::string(65, 'n')] = "x";
  ExpectRefused(submission, v1::REJECTION_REASON_TOO_LARGE, "disaggregation",
                {"dimension name", "65 characters", "limit of 64"});
  submission = Report();
  (*submission.mutable_disaggregation())["district"] = std::string(65, '7');
  ExpectRefused(submission, v1::REJECTION_REASON_TOO_LARGE, "disaggregation[\"district\"]",
                {"value of district", "limit of 64"});
}

TEST_F(SubmissionRulesTest, MalformedUtf8) {
  Submission submission = Report();
  submission.set_comment("s\xe1\xbb");  // a cut-off "ố"
  ExpectRefused(submission, v1::REJECTION_REASON_INVALID_UTF8, "comment",
                {"comment", "not valid UTF-8"});
}

TEST_F(SubmissionRulesTest, ReportingUnitMismatch) {
  Submission submission = Report();
  submission.set_reporting_unit_id("dept-pi");
  ExpectRefused(submission, v1::REJECTION_REASON_REPORTING_UNIT_MISMATCH, "reporting_unit_id",
                {"\"dept-pi\"", "dept-st"});
}

TEST_F(SubmissionRulesTest, SuspendedUnit) {
  const ReportingUnit vcci = Sender("vcci-vungtau", registry::v1::REPORTING_UNIT_STATUS_SUSPENDED);
  ExpectRefused(Report(), v1::REJECTION_REASON_REPORTING_UNIT_INACTIVE, "",
                {"vcci-vungtau", "suspended"}, &vcci);
}

TEST_F(SubmissionRulesTest, ClosedUnitWithoutALastDay) {
  const ReportingUnit closed = Sender("pc-old", registry::v1::REPORTING_UNIT_STATUS_CLOSED);
  ExpectRefused(Report(), v1::REJECTION_REASON_REPORTING_UNIT_INACTIVE, "",
                {"pc-old", "closed", "no valid last day"}, &closed);
}

TEST_F(SubmissionRulesTest, MergedUnitAfterItsLastDay) {
  const ReportingUnit dept_ic = Sender("dept-ic", registry::v1::REPORTING_UNIT_STATUS_MERGED, "",
                                       "2025-02-28", "dept-st");
  Submission submission = Report();
  submission.set_period("2025-Q2");
  ExpectRefused(submission, v1::REJECTION_REASON_REPORTING_UNIT_INACTIVE, "period",
                {"dept-ic", "merged into dept-st", "2025-Q2", "2025-04-01", "dept-st reports it"},
                &dept_ic);
}

TEST_F(SubmissionRulesTest, ClosedUnitAfterItsLastDay) {
  const ReportingUnit pc_757 = Sender("pc-757", registry::v1::REPORTING_UNIT_STATUS_CLOSED,
                                      "2025-01-01", "2025-06-30");
  Submission submission = Report();
  submission.set_period("2025-07");
  submission.clear_disaggregation();
  ExpectRefused(submission, v1::REJECTION_REASON_REPORTING_UNIT_INACTIVE, "period",
                {"pc-757", "closed", "last day 2025-06-30", "2025-07"}, &pc_757);
}

TEST_F(SubmissionRulesTest, UnitBeforeItsFirstDay) {
  const ReportingUnit pc_757 = Sender("pc-757", registry::v1::REPORTING_UNIT_STATUS_ACTIVE,
                                      "2025-01-01");
  Submission submission = Report();
  submission.set_period("2024-Q4");
  ExpectRefused(submission, v1::REJECTION_REASON_REPORTING_UNIT_INACTIVE, "period",
                {"pc-757", "2024-Q4", "ends on 2024-12-31", "first day"}, &pc_757);
}

TEST_F(SubmissionRulesTest, MissingIndicator) {
  Submission submission = Report();
  submission.clear_indicator_id();
  ExpectRefused(submission, v1::REJECTION_REASON_MALFORMED, "indicator_id", {"required"});
}

TEST_F(SubmissionRulesTest, UnknownIndicator) {
  Submission submission = Report();
  submission.set_indicator_id("online_service_users_verified");
  ExpectRefused(submission, v1::REJECTION_REASON_UNKNOWN_INDICATOR, "indicator_id",
                {"\"online_service_users_verified\""});
}

TEST_F(SubmissionRulesTest, DerivedIndicator) {
  Submission submission = Count();
  submission.set_indicator_id("digital_tech_enterprises");
  ExpectRefused(submission, v1::REJECTION_REASON_DERIVED_INDICATOR, "indicator_id",
                {"digital_tech_enterprises", "derived"});
}

TEST_F(SubmissionRulesTest, NotAuthorised) {
  ReportingUnit sme = Sender("sme-association", registry::v1::REPORTING_UNIT_STATUS_ACTIVE);
  sme.clear_allowed_indicator_ids();
  sme.add_allowed_indicator_ids("new_enterprises");
  ExpectRefused(Report(), v1::REJECTION_REASON_NOT_AUTHORISED, "indicator_id",
                {"sme-association", "procedure_results_digitised", "may report: new_enterprises"},
                &sme);
}

TEST_F(SubmissionRulesTest, MissingPeriod) {
  Submission submission = Report();
  submission.clear_period();
  ExpectRefused(submission, v1::REJECTION_REASON_MALFORMED, "period", {"period is required"});
}

TEST_F(SubmissionRulesTest, InvalidPeriod) {
  Submission submission = Report();
  submission.set_period("2025-Q5");
  ExpectRefused(submission, v1::REJECTION_REASON_INVALID_PERIOD, "period", {"2025-Q5"});
}

TEST_F(SubmissionRulesTest, GranularityNotAllowed) {
  Submission submission = Report();
  submission.set_period("2025");
  ExpectRefused(submission, v1::REJECTION_REASON_PERIOD_GRANULARITY_NOT_ALLOWED, "period",
                {"2025", "year", "procedure_results_digitised", "quarter, month"});
}

TEST_F(SubmissionRulesTest, PeriodBeforeTheHorizon) {
  Submission submission = Report();
  submission.set_period("2023-Q4");
  ExpectRefused(submission, v1::REJECTION_REASON_PERIOD_OUT_OF_HORIZON, "period",
                {"2023-Q4", "2024-01-01..2030-12-31", "procedure_results_digitised"});
}

TEST_F(SubmissionRulesTest, PeriodPartlyOutsideTheHorizon) {
  Submission submission = Count();
  submission.set_period("2024-Q1");  // the horizon starts on 2024-02-15
  ExpectRefused(submission, v1::REJECTION_REASON_PERIOD_OUT_OF_HORIZON, "period",
                {"2024-Q1 (2024-01-01..2024-03-31)", "2024-02-15..2030-12-31"});
}

TEST_F(SubmissionRulesTest, IndicatorNoPlanTracks) {
  Submission submission = Report();
  submission.set_indicator_id("untracked_share");
  submission.clear_ratio();
  submission.set_value(50);
  ExpectRefused(submission, v1::REJECTION_REASON_PERIOD_OUT_OF_HORIZON, "period",
                {"no plan has a target on indicator untracked_share"});
}

TEST_F(SubmissionRulesTest, PeriodInTheFuture) {
  Submission submission = Report();
  submission.clear_disaggregation();
  submission.set_period("2026-12");
  ExpectRefused(submission, v1::REJECTION_REASON_PERIOD_IN_FUTURE, "period",
                {"2026-12", "starts on 2026-12-01", "today (2026-11-28)"});
}

TEST_F(SubmissionRulesTest, UnknownKind) {
  Submission submission = Report();
  submission.set_kind(static_cast<v1::SubmissionKind>(7));
  ExpectRefused(submission, v1::REJECTION_REASON_MALFORMED, "kind", {"kind 7"});
}

TEST_F(SubmissionRulesTest, RetractionWithFigure) {
  Submission submission = Report();
  submission.set_kind(v1::SUBMISSION_KIND_RETRACTION);
  ExpectRefused(submission, v1::REJECTION_REASON_RETRACTION_WITH_FIGURE, "ratio",
                {"retraction carries a figure"});
}

TEST_F(SubmissionRulesTest, ReportWithoutFigure) {
  Submission submission = Report();
  submission.clear_ratio();
  ExpectRefused(submission, v1::REJECTION_REASON_MALFORMED, "ratio",
                {"skhcn:2025-Q1:747:r1", "needs a ratio"});
}

TEST_F(SubmissionRulesTest, ValueKindMismatch) {
  Submission submission = Report();
  submission.set_value(93);
  ExpectRefused(submission, v1::REJECTION_REASON_VALUE_KIND_MISMATCH, "value",
                {"single value", "numerator and denominator are expected"});
}

TEST_F(SubmissionRulesTest, NumberNotFinite) {
  Submission submission = Report();
  submission.mutable_ratio()->set_denominator(std::numeric_limits<double>::infinity());
  ExpectRefused(submission, v1::REJECTION_REASON_VALUE_NOT_FINITE, "ratio.denominator",
                {"denominator inf"});
}

TEST_F(SubmissionRulesTest, NegativeNumerator) {
  Submission submission = Report();
  submission.mutable_ratio()->set_numerator(-22);
  ExpectRefused(submission, v1::REJECTION_REASON_VALUE_OUT_OF_RANGE, "ratio.numerator",
                {"numerator -22 is negative", "2025-Q1"});
}

TEST_F(SubmissionRulesTest, CountNotWhole) {
  Submission submission = Count();
  submission.set_value(3.5);
  ExpectRefused(submission, v1::REJECTION_REASON_VALUE_NOT_INTEGER, "value",
                {"count 3.5", "new_enterprises"});
}

TEST_F(SubmissionRulesTest, NumeratorExceedsDenominator) {
  Submission submission = Report();
  submission.mutable_ratio()->set_numerator(120);
  ExpectRefused(submission, v1::REJECTION_REASON_NUMERATOR_EXCEEDS_DENOMINATOR,
                "ratio.numerator", {"numerator 120 > denominator 100"});
}

TEST_F(SubmissionRulesTest, DenominatorNotPositive) {
  Submission submission = Report();
  submission.mutable_ratio()->set_numerator(0);
  submission.mutable_ratio()->set_denominator(0);
  ExpectRefused(submission, v1::REJECTION_REASON_DENOMINATOR_NOT_POSITIVE, "ratio.denominator",
                {"denominator 0 is not positive"});
}

TEST_F(SubmissionRulesTest, UnknownDimension) {
  Submission submission = Report();
  (*submission.mutable_disaggregation())["sector"] = "62";
  ExpectRefused(submission, v1::REJECTION_REASON_UNKNOWN_DIMENSION, "disaggregation[\"sector\"]",
                {"no dimension \"sector\"", "its dimensions: district"});
}

TEST_F(SubmissionRulesTest, MissingRequiredDimension) {
  Submission submission = Count();
  submission.clear_disaggregation();
  ExpectRefused(submission, v1::REJECTION_REASON_MISSING_DIMENSION, "disaggregation[\"sector\"]",
                {"new_enterprises", "requires the dimension sector"});
}

TEST_F(SubmissionRulesTest, ValueOutsideTheCodeList) {
  Submission submission = Count();
  (*submission.mutable_disaggregation())["sector"] = "99";
  ExpectRefused(submission, v1::REJECTION_REASON_INVALID_DIMENSION_VALUE,
                "disaggregation[\"sector\"]", {"sector \"99\"", "62, 63"});
}

TEST_F(SubmissionRulesTest, EmptyDimensionValue) {
  Submission submission = Report();
  (*submission.mutable_disaggregation())["district"] = "";
  ExpectRefused(submission, v1::REJECTION_REASON_INVALID_DIMENSION_VALUE,
                "disaggregation[\"district\"]", {"empty value", "leave the dimension out"});
}

TEST_F(SubmissionRulesTest, UnknownAdministrativeUnit) {
  Submission submission = Report();
  (*submission.mutable_disaggregation())["district"] = "999";
  ExpectRefused(submission, v1::REJECTION_REASON_UNKNOWN_ADMINISTRATIVE_UNIT,
                "disaggregation[\"district\"]", {"district \"999\"", "not the code"});
}

TEST_F(SubmissionRulesTest, AdministrativeUnitAtTheWrongLevel) {
  Submission submission = Report();
  submission.set_period("2025-Q3");
  (*submission.mutable_disaggregation())["district"] = "79";
  ExpectRefused(submission, v1::REJECTION_REASON_INVALID_DIMENSION_VALUE,
                "disaggregation[\"district\"]",
                {"\"79\"", "Thành phố Hồ Chí Minh", "is a province", "takes a district"});
  (*submission.mutable_disaggregation())["district"] = "26506";
  submission.set_period("2025-Q1");
  ExpectRefused(submission, v1::REJECTION_REASON_INVALID_DIMENSION_VALUE,
                "disaggregation[\"district\"]", {"is a commune"});
}

TEST_F(SubmissionRulesTest, AdministrativeUnitNotValidThroughoutThePeriod) {
  Submission submission = Report();
  submission.set_period("2025-Q2");
  (*submission.mutable_disaggregation())["district"] = "752";
  ExpectRefused(submission, v1::REJECTION_REASON_ADMINISTRATIVE_UNIT_NOT_VALID_IN_PERIOD,
                "disaggregation[\"district\"]", {"752 (Huyện Long Điền)", "2025-Q2", "757"});
  // Long Đất did not exist for the whole of 2024-Q4.
  submission.set_period("2024-Q4");
  (*submission.mutable_disaggregation())["district"] = "757";
  ExpectRefused(submission, v1::REJECTION_REASON_ADMINISTRATIVE_UNIT_NOT_VALID_IN_PERIOD,
                "disaggregation[\"district\"]", {"757", "2024-Q4"});
}

TEST_F(SubmissionRulesTest, IndicatorTheRegistryDefinesIncompletely) {
  Submission submission = Count();
  submission.set_indicator_id("half_defined");
  submission.clear_disaggregation();
  ExpectRefused(submission, v1::REJECTION_REASON_UNSPECIFIED, "indicator_id",
                {"half_defined", "definition is fixed in the registry", "value_kind"});
}

// The order: the first broken rule answers.
TEST_F(SubmissionRulesTest, TheFirstBrokenRuleAnswers) {
  Submission submission = Report();
  submission.set_period("2025-Q5");
  submission.set_indicator_id("digital_tech_enterprises");
  ExpectRefused(submission, v1::REJECTION_REASON_DERIVED_INDICATOR, "indicator_id", {});
  submission = Report();
  submission.mutable_ratio()->set_numerator(120);
  (*submission.mutable_disaggregation())["district"] = "752";
  submission.set_period("2025-Q2");
  ExpectRefused(submission, v1::REJECTION_REASON_NUMERATOR_EXCEEDS_DENOMINATOR,
                "ratio.numerator", {});
}

// Content.

TEST_F(SubmissionRulesTest, ContentIgnoresWhatAResendMayRestamp) {
  Submission first = Report();
  first.set_reporting_unit_id("dept-st");
  Submission resent = first;
  resent.mutable_submitted_at()->set_seconds(1767225600);
  resent.set_source_system("skhcn-baocao/1.5");
  resent.set_comment("gửi lại");
  resent.set_kind(v1::SUBMISSION_KIND_UNSPECIFIED);
  EXPECT_EQ(SubmissionContent(first), SubmissionContent(resent));
  resent.set_submission_id("another-id");
  EXPECT_EQ(SubmissionContent(first), SubmissionContent(resent));
}

TEST_F(SubmissionRulesTest, ContentDoesNotDependOnTheMapsOrder) {
  Submission a = Count();
  a.clear_disaggregation();
  Submission b = a;
  std::vector<std::string> names;
  for (int i = 0; i < 8; ++i) names.push_back(absl::StrCat("dimension_", i));
  for (const std::string& name : names) (*a.mutable_disaggregation())[name] = name + "_value";
  for (auto it = names.rbegin(); it != names.rend(); ++it) {
    (*b.mutable_disaggregation())[*it] = *it + "_value";
  }
  EXPECT_EQ(SubmissionContent(a), SubmissionContent(b));
}

TEST_F(SubmissionRulesTest, ContentDiffersWithWhatTheSubmissionSays) {
  const Submission base = Report();
  const std::string content = SubmissionContent(base);
  std::vector<Submission> others(8, base);
  others[0].set_reporting_unit_id("dept-pi");
  others[1].set_indicator_id("other_indicator");
  others[2].set_period("2025-01");
  (*others[3].mutable_disaggregation())["district"] = "748";
  others[4].mutable_ratio()->set_numerator(94);
  others[5].mutable_ratio()->set_denominator(101);
  others[6].clear_ratio();
  others[6].set_kind(v1::SUBMISSION_KIND_RETRACTION);
  others[7].clear_disaggregation();
  for (size_t i = 0; i < others.size(); ++i) {
    EXPECT_NE(SubmissionContent(others[i]), content) << i;
  }
  // A value and a ratio with the same number are different figures.
  Submission value = Count();
  Submission ratio = value;
  ratio.mutable_ratio()->set_numerator(12);
  EXPECT_NE(SubmissionContent(value), SubmissionContent(ratio));
}

TEST_F(SubmissionRulesTest, ContentKeepsFieldBoundaries) {
  Submission a = Report();
  a.set_reporting_unit_id("dept-s");
  a.set_indicator_id("tprocedure_results_digitised");
  Submission b = Report();
  b.set_reporting_unit_id("dept-st");
  b.set_indicator_id("procedure_results_digitised");
  EXPECT_NE(SubmissionContent(a), SubmissionContent(b));
  Submission c = Count();
  (*c.mutable_disaggregation())["sector"] = "6";
  (*c.mutable_disaggregation())["2sector"] = "";
  EXPECT_NE(SubmissionContent(c), SubmissionContent(Count()));
}

TEST_F(SubmissionRulesTest, ContentReadsMinusZeroAsZero) {
  Submission zero = Count();
  zero.set_value(0);
  Submission minus_zero = Count();
  minus_zero.set_value(-0.0);
  EXPECT_EQ(SubmissionContent(zero), SubmissionContent(minus_zero));
}

TEST_F(SubmissionRulesTest, ContentBytesStayAsFormatC2DefinesThem) {
  // Stable across versions: a change here needs a new version tag.
  Submission submission;
  submission.set_reporting_unit_id("u");
  submission.set_indicator_id("i");
  submission.set_period("2025");
  (*submission.mutable_disaggregation())["d"] = "74";
  submission.set_value(1.0);
  using std::string_literals::operator""s;
  const std::string expected = "c2"s +
                               "\x01\0\0\0u"s +     // reporting_unit_id
                               "\x01\0\0\0i"s +     // indicator_id
                               "\x04\0\0\0" "2025"s +  // period
                               "\x01\0\0\0"s +      // one entry
                               "\x01\0\0\0" "d"s + "\x02\0\0\0" "74"s +
                               "v\0\0\0\0\0\0\xf0\x3f"s +  // 1.0
                               "k\x01\0\0\0"s;      // REPORT (as UNSPECIFIED reads)
  EXPECT_EQ(SubmissionContent(submission), expected);
}

}  // namespace
}  // namespace tiendo::core
