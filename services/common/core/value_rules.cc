#include "services/common/core/value_rules.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/strings/cord.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/types/optional.h"
#include "services/common/core/micros.h"
#include "services/common/core/scaled_ratio.h"

namespace tiendo::core {
namespace {

using ingest::v1::RejectionReason;
using ingest::v1::Submission;
using registry::v1::Indicator;

constexpr absl::string_view kReasonPayload =
    "type.googleapis.com/tiendo.ingest.v1.RejectionReason";

// The shortest text that reads back as `value` ("120", "0.1", "1e+20").
std::string Number(double value) {
  char buffer[32];
  const std::to_chars_result result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

absl::Status WithReason(absl::Status status, RejectionReason reason) {
  status.SetPayload(kReasonPayload, absl::Cord(ingest::v1::RejectionReason_Name(reason)));
  return status;
}

// Sender-chosen text as it may appear in a message: escaped and cut short
// (these checks may run before the id and period are checked themselves).
std::string Shown(absl::string_view text, size_t limit) {
  std::string shown = absl::CHexEscape(text.substr(0, limit));
  if (text.size() > limit) absl::StrAppend(&shown, "…");
  return shown;
}

// "submission S: <rule> for indicator I, period P<tail>".
absl::Status Refuse(const Indicator& indicator, const Submission& submission,
                    RejectionReason reason, absl::string_view rule, absl::string_view tail = "") {
  return WithReason(absl::InvalidArgumentError(absl::StrCat(
                        "submission ", Shown(submission.submission_id(), 128), ": ", rule,
                        " for indicator ", indicator.id(), ", period ",
                        Shown(submission.period(), 32), tail)),
                    reason);
}

// FAILED_PRECONDITION when the indicator's own definition leaves no way to
// check a figure.
absl::Status CheckDefinition(const Indicator& indicator) {
  if (indicator.source_case() == Indicator::SOURCE_NOT_SET) {
    return absl::FailedPreconditionError(absl::StrCat(
        "indicator ", indicator.id(), " has no source (neither derived nor reported)"));
  }
  if (indicator.has_reported()) {
    if (indicator.unit() == registry::v1::INDICATOR_UNIT_UNSPECIFIED) {
      return absl::FailedPreconditionError(
          absl::StrCat("indicator ", indicator.id(), " declares no unit"));
    }
    if (indicator.reported().value_kind() == registry::v1::VALUE_KIND_UNSPECIFIED) {
      return absl::FailedPreconditionError(
          absl::StrCat("indicator ", indicator.id(), " declares no value_kind"));
    }
  }
  return absl::OkStatus();
}

// The checks every number of a figure passes: finite, and small enough for
// the core to hold exactly.
std::optional<std::pair<RejectionReason, std::string>> CheckNumber(absl::string_view name,
                                                                   double value) {
  if (!std::isfinite(value)) {
    return std::make_pair(ingest::v1::REJECTION_REASON_VALUE_NOT_FINITE,
                          absl::StrCat(name, " ", Number(value), " is not a finite number"));
  }
  if (std::fabs(value) > kMaxFigure) {
    return std::make_pair(ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                          absl::StrCat(name, " ", Number(value), " is beyond the supported ",
                                       "magnitude of ", Number(kMaxFigure)));
  }
  return std::nullopt;
}

}  // namespace

absl::Status ValidateFigure(const Indicator& indicator, const Submission& submission) {
  if (absl::Status status = CheckDefinition(indicator); !status.ok()) return status;
  if (indicator.has_derived()) {
    return Refuse(indicator, submission, ingest::v1::REJECTION_REASON_DERIVED_INDICATOR,
                  "figures are not accepted", " (the indicator is derived from the registry)");
  }
  const registry::v1::ReportedSource& reported = indicator.reported();
  const bool wants_ratio =
      reported.value_kind() == registry::v1::VALUE_KIND_NUMERATOR_DENOMINATOR;

  if (submission.kind() == ingest::v1::SUBMISSION_KIND_RETRACTION) {
    if (submission.figure_case() != Submission::FIGURE_NOT_SET) {
      return Refuse(indicator, submission, ingest::v1::REJECTION_REASON_RETRACTION_WITH_FIGURE,
                    "a retraction carries a figure");
    }
    return absl::OkStatus();
  }
  switch (submission.figure_case()) {
    case Submission::FIGURE_NOT_SET:
      return Refuse(indicator, submission, ingest::v1::REJECTION_REASON_MALFORMED,
                    wants_ratio ? "a report needs a ratio (numerator and denominator)"
                                : "a report needs a value");
    case Submission::kValue:
      if (wants_ratio) {
        return Refuse(indicator, submission, ingest::v1::REJECTION_REASON_VALUE_KIND_MISMATCH,
                      "a single value was sent where a numerator and denominator are expected");
      }
      break;
    case Submission::kRatio:
      if (!wants_ratio) {
        return Refuse(indicator, submission, ingest::v1::REJECTION_REASON_VALUE_KIND_MISMATCH,
                      "a numerator and denominator were sent where a single value is expected");
      }
      break;
  }

  // The number compared with the indicator's bounds.
  double checked = 0;
  if (!wants_ratio) {
    const double value = submission.value();
    if (auto problem = CheckNumber("value", value)) {
      return Refuse(indicator, submission, problem->first, problem->second);
    }
    switch (indicator.unit()) {
      case registry::v1::INDICATOR_UNIT_COUNT:
        if (value < 0) {
          return Refuse(indicator, submission, ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                        absl::StrCat("count ", Number(value), " is negative"));
        }
        if (value != std::trunc(value)) {
          return Refuse(indicator, submission, ingest::v1::REJECTION_REASON_VALUE_NOT_INTEGER,
                        absl::StrCat("count ", Number(value), " is not a whole number"));
        }
        break;
      case registry::v1::INDICATOR_UNIT_PERCENT:
        if (value < 0 || value > 100) {
          return Refuse(indicator, submission, ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                        absl::StrCat("percent ", Number(value), " is outside 0..100"));
        }
        break;
      default:
        break;
    }
    checked = value;
  } else {
    const double numerator = submission.ratio().numerator();
    const double denominator = submission.ratio().denominator();
    using Named = std::pair<absl::string_view, double>;
    for (const auto& [name, number] : {Named{"numerator", numerator},
                                       Named{"denominator", denominator}}) {
      if (auto problem = CheckNumber(name, number)) {
        return Refuse(indicator, submission, problem->first, problem->second);
      }
    }
    if (denominator <= 0) {
      return Refuse(indicator, submission,
                    ingest::v1::REJECTION_REASON_DENOMINATOR_NOT_POSITIVE,
                    absl::StrCat("denominator ", Number(denominator), " is not positive"));
    }
    if (numerator < 0) {
      return Refuse(indicator, submission, ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                    absl::StrCat("numerator ", Number(numerator), " is negative"));
    }
    if (numerator > denominator) {
      return Refuse(indicator, submission,
                    ingest::v1::REJECTION_REASON_NUMERATOR_EXCEEDS_DENOMINATOR,
                    absl::StrCat("numerator ", Number(numerator), " > denominator ",
                                 Number(denominator)));
    }
    const bool percent = indicator.unit() == registry::v1::INDICATOR_UNIT_PERCENT;
    checked = ScaledRatio(numerator, denominator, percent ? 100 : 1);
  }
  // How a refusal names it: written only then.
  auto checked_name = [&] {
    if (!wants_ratio) return absl::StrCat("value ", Number(checked));
    const bool percent = indicator.unit() == registry::v1::INDICATOR_UNIT_PERCENT;
    return absl::StrCat(percent ? "percent " : "ratio ", Number(checked), " (",
                        Number(submission.ratio().numerator()), "/",
                        Number(submission.ratio().denominator()), ")");
  };

  // The indicator's declared bounds. The defaults the proto describes (0 for
  // counts and percents, 100 for percents, 1 for a numerator/denominator
  // ratio) already follow from the checks above.
  if (reported.has_min_value() && checked < reported.min_value()) {
    return Refuse(indicator, submission, ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                  absl::StrCat(checked_name(), " is below the minimum ",
                               Number(reported.min_value())));
  }
  if (reported.has_max_value() && checked > reported.max_value()) {
    return Refuse(indicator, submission, ingest::v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                  absl::StrCat(checked_name(), " is above the maximum ",
                               Number(reported.max_value())));
  }
  return absl::OkStatus();
}

absl::Status ValidatePeriodFor(const Indicator& indicator, const Period& period) {
  if (indicator.source_case() == Indicator::SOURCE_NOT_SET) return CheckDefinition(indicator);
  if (indicator.has_derived()) {
    return WithReason(
        absl::InvalidArgumentError(absl::StrCat(
            "indicator ", indicator.id(),
            " is derived from the registry and accepts no submitted period (got ",
            period.ToString(), ")")),
        ingest::v1::REJECTION_REASON_DERIVED_INDICATOR);
  }
  // Inline room for every granularity: a period that is allowed costs no allocation.
  absl::InlinedVector<absl::string_view, 4> allowed;
  for (int granularity : indicator.reported().allowed_granularities()) {
    const std::optional<Granularity> known =
        GranularityFromProto(static_cast<common::v1::PeriodGranularity>(granularity));
    if (!known.has_value()) continue;
    if (*known == period.granularity()) return absl::OkStatus();
    allowed.push_back(GranularityName(*known));
  }
  const std::string accepted =
      allowed.empty() ? std::string("no period (it declares no allowed_granularities)")
                      : absl::StrCat("only ", absl::StrJoin(allowed, ", "), " periods");
  return WithReason(absl::InvalidArgumentError(absl::StrCat(
                        "period ", period.ToString(), " is a ",
                        GranularityName(period.granularity()), ", but indicator ", indicator.id(),
                        " accepts ", accepted)),
                    ingest::v1::REJECTION_REASON_PERIOD_GRANULARITY_NOT_ALLOWED);
}

RejectionReason RejectionReasonOf(const absl::Status& status) {
  const absl::optional<absl::Cord> payload = status.GetPayload(kReasonPayload);
  RejectionReason reason = ingest::v1::REJECTION_REASON_UNSPECIFIED;
  if (!payload.has_value() ||
      !ingest::v1::RejectionReason_Parse(std::string(*payload), &reason)) {
    return ingest::v1::REJECTION_REASON_UNSPECIFIED;
  }
  return reason;
}

}  // namespace tiendo::core
