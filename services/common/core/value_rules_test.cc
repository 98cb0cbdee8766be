#include "services/common/core/value_rules.h"

#include <cmath>
#include <limits>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo::core {
namespace {

using ingest::v1::RejectionReason;
using ingest::v1::Submission;
using registry::v1::Indicator;
using ::testing::HasSubstr;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

Indicator Reported(const std::string& id, registry::v1::IndicatorUnit unit,
                   registry::v1::ValueKind kind) {
  Indicator indicator;
  indicator.set_id(id);
  indicator.set_unit(unit);
  registry::v1::ReportedSource* reported = indicator.mutable_reported();
  reported->set_value_kind(kind);
  reported->set_aggregation(kind == registry::v1::VALUE_KIND_VALUE
                                ? registry::v1::AGGREGATION_SUM
                                : registry::v1::AGGREGATION_RATIO_OF_SUMS);
  reported->add_allowed_granularities(common::v1::PERIOD_GRANULARITY_QUARTER);
  reported->add_allowed_granularities(common::v1::PERIOD_GRANULARITY_YEAR);
  return indicator;
}

Indicator Count() {
  return Reported("new_enterprises", registry::v1::INDICATOR_UNIT_COUNT,
                  registry::v1::VALUE_KIND_VALUE);
}
Indicator Percent() {
  return Reported("online_services_share", registry::v1::INDICATOR_UNIT_PERCENT,
                  registry::v1::VALUE_KIND_VALUE);
}
Indicator PercentRatio() {
  return Reported("sme_platform_adoption", registry::v1::INDICATOR_UNIT_PERCENT,
                  registry::v1::VALUE_KIND_NUMERATOR_DENOMINATOR);
}
Indicator PlainRatio() {
  return Reported("records_digitised_ratio", registry::v1::INDICATOR_UNIT_RATIO,
                  registry::v1::VALUE_KIND_NUMERATOR_DENOMINATOR);
}
Indicator Number() {
  return Reported("investment_billion_vnd", registry::v1::INDICATOR_UNIT_NUMBER,
                  registry::v1::VALUE_KIND_VALUE);
}

Submission Value(double value) {
  Submission submission;
  submission.set_submission_id("7f3a");
  submission.set_period("2025-Q3");
  submission.set_value(value);
  return submission;
}

Submission Ratio(double numerator, double denominator) {
  Submission submission;
  submission.set_submission_id("7f3a");
  submission.set_period("2025-Q3");
  submission.mutable_ratio()->set_numerator(numerator);
  submission.mutable_ratio()->set_denominator(denominator);
  return submission;
}

// Expects a refusal with `reason` whose message names the submission, the
// indicator, the period and (`rule`) the broken rule.
void ExpectRefused(const Indicator& indicator, const Submission& submission,
                   RejectionReason reason, const std::string& rule) {
  const absl::Status status = ValidateFigure(indicator, submission);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(RejectionReasonOf(status), reason) << status;
  EXPECT_THAT(status.message(), HasSubstr(absl::StrCat("submission 7f3a: ", rule)));
  EXPECT_THAT(status.message(),
              HasSubstr(absl::StrCat(" for indicator ", indicator.id(), ", period 2025-Q3")));
}

void ExpectAccepted(const Indicator& indicator, const Submission& submission) {
  const absl::Status status = ValidateFigure(indicator, submission);
  EXPECT_TRUE(status.ok()) << status;
}

TEST(ValueRulesTest, CountsAreWholeNonNegativeNumbers) {
  ExpectAccepted(Count(), Value(0));
  ExpectAccepted(Count(), Value(300));
  ExpectAccepted(Count(), Value(9e12));
  ExpectRefused(Count(), Value(-1), ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                "count -1 is negative");
  ExpectRefused(Count(), Value(2.5), ingest::v1::REJECTION_REASON_VALUE_NOT_INTEGER,
                "count 2.5 is not a whole number");
  ExpectRefused(Count(), Value(300.000001), ingest::v1::REJECTION_REASON_VALUE_NOT_INTEGER,
                "count 300.000001 is not a whole number");
}

TEST(ValueRulesTest, FiguresTooLargeToHoldExactlyAreRefused) {
  // Beyond kMaxFigure (9e12), so also beyond 2^53 for counts.
  ExpectRefused(Count(), Value(9007199254740994.0), ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                "value 9007199254740994 is beyond the supported magnitude of 9e+12");
  ExpectRefused(Number(), Value(-1e13), ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                "value -1e+13 is beyond the supported magnitude");
  ExpectRefused(PercentRatio(), Ratio(1, 1e13), ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                "denominator 1e+13 is beyond the supported magnitude");
}

TEST(ValueRulesTest, NaNAndInfinitiesAreRefused) {
  for (const Indicator& indicator : {Count(), Percent(), Number()}) {
    ExpectRefused(indicator, Value(kNaN), ingest::v1::REJECTION_REASON_VALUE_NOT_FINITE,
                  "value nan is not a finite number");
    ExpectRefused(indicator, Value(kInf), ingest::v1::REJECTION_REASON_VALUE_NOT_FINITE,
                  "value inf is not a finite number");
    ExpectRefused(indicator, Value(-kInf), ingest::v1::REJECTION_REASON_VALUE_NOT_FINITE,
                  "value -inf is not a finite number");
  }
  ExpectRefused(PercentRatio(), Ratio(kNaN, 10), ingest::v1::REJECTION_REASON_VALUE_NOT_FINITE,
                "numerator nan is not a finite number");
  ExpectRefused(PercentRatio(), Ratio(1, kInf), ingest::v1::REJECTION_REASON_VALUE_NOT_FINITE,
                "denominator inf is not a finite number");
}

TEST(ValueRulesTest, PercentsLieWithin0To100) {
  ExpectAccepted(Percent(), Value(0));
  ExpectAccepted(Percent(), Value(55.5));
  ExpectAccepted(Percent(), Value(100));
  ExpectRefused(Percent(), Value(100.5), ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                "percent 100.5 is outside 0..100");
  ExpectRefused(Percent(), Value(-0.1), ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                "percent -0.1 is outside 0..100");
}

TEST(ValueRulesTest, NumeratorMustNotExceedDenominator) {
  const absl::Status status = ValidateFigure(PercentRatio(), Ratio(120, 100));
  EXPECT_EQ(status.message(),
            "submission 7f3a: numerator 120 > denominator 100 for indicator "
            "sme_platform_adoption, period 2025-Q3");
  EXPECT_EQ(RejectionReasonOf(status), ingest::v1::REJECTION_REASON_NUMERATOR_EXCEEDS_DENOMINATOR);
  ExpectRefused(PlainRatio(), Ratio(10.5, 10),
                ingest::v1::REJECTION_REASON_NUMERATOR_EXCEEDS_DENOMINATOR,
                "numerator 10.5 > denominator 10");
  ExpectAccepted(PercentRatio(), Ratio(100, 100));
  ExpectAccepted(PercentRatio(), Ratio(0, 100));
  ExpectAccepted(PlainRatio(), Ratio(312, 600));
}

TEST(ValueRulesTest, DenominatorMustBePositive) {
  ExpectRefused(PercentRatio(), Ratio(0, 0), ingest::v1::REJECTION_REASON_DENOMINATOR_NOT_POSITIVE,
                "denominator 0 is not positive");
  ExpectRefused(PercentRatio(), Ratio(-5, -5),
                ingest::v1::REJECTION_REASON_DENOMINATOR_NOT_POSITIVE,
                "denominator -5 is not positive");
}

TEST(ValueRulesTest, NumeratorMustNotBeNegative) {
  ExpectRefused(PercentRatio(), Ratio(-1, 100), ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                "numerator -1 is negative");
}

TEST(ValueRulesTest, TheIndicatorsOwnBoundsApply) {
  Indicator bounded = Number();
  bounded.mutable_reported()->set_min_value(10);
  bounded.mutable_reported()->set_max_value(20);
  ExpectAccepted(bounded, Value(10));
  ExpectAccepted(bounded, Value(20));
  ExpectRefused(bounded, Value(9.99), ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                "value 9.99 is below the minimum 10");
  ExpectRefused(bounded, Value(20.01), ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                "value 20.01 is above the maximum 20");

  // For numerator/denominator the ratio is bounded, × 100 for a percent.
  Indicator adoption = PercentRatio();
  adoption.mutable_reported()->set_min_value(50);
  ExpectAccepted(adoption, Ratio(50, 100));
  ExpectRefused(adoption, Ratio(40, 100), ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                "percent 40 (40/100) is below the minimum 50");
  // A ratio exactly at a bound is accepted, without rounding getting in the way.
  adoption.mutable_reported()->set_min_value(29);
  ExpectAccepted(adoption, Ratio(29, 100));
  ExpectAccepted(adoption, Ratio(58, 200));
  Indicator ratio = PlainRatio();
  ratio.mutable_reported()->set_max_value(0.5);
  ExpectAccepted(ratio, Ratio(1, 2));
  ExpectRefused(ratio, Ratio(3, 4), ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                "ratio 0.75 (3/4) is above the maximum 0.5");

  // Declared bounds narrow the unit's own range, never widen it.
  Indicator capped = Count();
  capped.mutable_reported()->set_min_value(-10);
  capped.mutable_reported()->set_max_value(500);
  ExpectAccepted(capped, Value(500));
  ExpectRefused(capped, Value(501), ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                "value 501 is above the maximum 500");
  ExpectRefused(capped, Value(-1), ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                "count -1 is negative");
}

TEST(ValueRulesTest, TheFigureMustMatchTheValueKind) {
  ExpectRefused(Count(), Ratio(1, 2), ingest::v1::REJECTION_REASON_VALUE_KIND_MISMATCH,
                "a numerator and denominator were sent where a single value is expected");
  ExpectRefused(PercentRatio(), Value(50), ingest::v1::REJECTION_REASON_VALUE_KIND_MISMATCH,
                "a single value was sent where a numerator and denominator are expected");
}

TEST(ValueRulesTest, AReportNeedsAFigure) {
  Submission empty = Value(1);
  empty.clear_value();
  ExpectRefused(Count(), empty, ingest::v1::REJECTION_REASON_MALFORMED, "a report needs a value");
  ExpectRefused(PercentRatio(), empty, ingest::v1::REJECTION_REASON_MALFORMED,
                "a report needs a ratio (numerator and denominator)");
  empty.set_kind(ingest::v1::SUBMISSION_KIND_REPORT);
  ExpectRefused(Count(), empty, ingest::v1::REJECTION_REASON_MALFORMED, "a report needs a value");
}

TEST(ValueRulesTest, ARetractionCarriesNoFigure) {
  Submission retraction = Value(1);
  retraction.set_kind(ingest::v1::SUBMISSION_KIND_RETRACTION);
  ExpectRefused(Count(), retraction, ingest::v1::REJECTION_REASON_RETRACTION_WITH_FIGURE,
                "a retraction carries a figure");
  retraction.clear_value();
  ExpectAccepted(Count(), retraction);
  ExpectAccepted(PercentRatio(), retraction);
}

TEST(ValueRulesTest, DerivedIndicatorsTakeNoFigures) {
  Indicator derived;
  derived.set_id("digital_technology_enterprises");
  derived.set_unit(registry::v1::INDICATOR_UNIT_COUNT);
  derived.mutable_derived()->mutable_count();
  const absl::Status status = ValidateFigure(derived, Value(300));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RejectionReasonOf(status), ingest::v1::REJECTION_REASON_DERIVED_INDICATOR);
  EXPECT_EQ(status.message(),
            "submission 7f3a: figures are not accepted for indicator "
            "digital_technology_enterprises, period 2025-Q3 (the indicator is derived from the "
            "registry)");
}

TEST(ValueRulesTest, AnIncompleteIndicatorIsAFailedPrecondition) {
  Indicator no_source;
  no_source.set_id("half_defined");
  EXPECT_EQ(ValidateFigure(no_source, Value(1)).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ValidatePeriodFor(no_source, *Period::Parse("2025")).code(),
            absl::StatusCode::kFailedPrecondition);
  Indicator no_kind = Count();
  no_kind.mutable_reported()->clear_value_kind();
  EXPECT_THAT(ValidateFigure(no_kind, Value(1)).message(),
              HasSubstr("indicator new_enterprises declares no value_kind"));
  Indicator no_unit = Count();
  no_unit.clear_unit();
  EXPECT_THAT(ValidateFigure(no_unit, Value(1)).message(),
              HasSubstr("indicator new_enterprises declares no unit"));
}

TEST(ValueRulesTest, PeriodGranularityMustBeAllowed) {
  EXPECT_TRUE(ValidatePeriodFor(Count(), *Period::Parse("2025-Q3")).ok());
  EXPECT_TRUE(ValidatePeriodFor(Count(), *Period::Parse("2025")).ok());
  for (const char* text : {"2025-09", "2025-H2"}) {
    const absl::Status status = ValidatePeriodFor(Count(), *Period::Parse(text));
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(RejectionReasonOf(status),
              ingest::v1::REJECTION_REASON_PERIOD_GRANULARITY_NOT_ALLOWED);
  }
  EXPECT_EQ(ValidatePeriodFor(Count(), *Period::Parse("2025-09")).message(),
            "period 2025-09 is a month, but indicator new_enterprises accepts only quarter, year "
            "periods");

  Indicator none = Count();
  none.mutable_reported()->clear_allowed_granularities();
  EXPECT_THAT(ValidatePeriodFor(none, *Period::Parse("2025")).message(),
              HasSubstr("accepts no period (it declares no allowed_granularities)"));
}

TEST(ValueRulesTest, DerivedIndicatorsAcceptNoPeriod) {
  Indicator derived;
  derived.set_id("digital_technology_enterprises");
  derived.mutable_derived()->mutable_count();
  for (const char* text : {"2025", "2025-H1", "2025-Q3", "2025-09"}) {
    const absl::Status status = ValidatePeriodFor(derived, *Period::Parse(text));
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(RejectionReasonOf(status), ingest::v1::REJECTION_REASON_DERIVED_INDICATOR);
    EXPECT_THAT(status.message(), HasSubstr("indicator digital_technology_enterprises is derived"));
  }
}

TEST(ValueRulesTest, OnlyRefusalsFromTheseRulesCarryAReason) {
  EXPECT_EQ(RejectionReasonOf(absl::OkStatus()), ingest::v1::REJECTION_REASON_UNSPECIFIED);
  EXPECT_EQ(RejectionReasonOf(absl::InvalidArgumentError("bad")),
            ingest::v1::REJECTION_REASON_UNSPECIFIED);
}

}  // namespace
}  // namespace tiendo::core
