#include "services/common/core/submission_rules.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/common/core/civil_date.h"
#include "services/common/core/micros.h"
#include "services/common/core/period.h"
#include "services/common/core/utf8_text.h"
#include "services/common/core/validity_window.h"
#include "services/common/core/value_rules.h"

namespace tiendo::core {
namespace {

using ingest::v1::RejectionReason;
using ingest::v1::Submission;
using registry::v1::DisaggregationDimension;
using registry::v1::Indicator;
using registry::v1::ReportingUnit;

using Rejection = std::optional<SubmissionRejection>;

// The rejection for `submission`: the message starts with the submission's id.
SubmissionRejection Refuse(const Submission& submission, RejectionReason reason,
                           std::string field, absl::string_view rule) {
  return {reason, std::move(field),
          absl::StrCat("submission ", ShowText(submission.submission_id(), 128), ": ", rule)};
}

std::string Quoted(absl::string_view text) { return absl::StrCat("\"", ShowText(text), "\""); }

// `disaggregation["district"]`.
std::string DimensionField(absl::string_view name) {
  return absl::StrCat("disaggregation[", Quoted(name), "]");
}

bool IsIdCharacter(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
         c == ':' || c == '-';
}

Rejection CheckSubmissionId(const Submission& submission) {
  const std::string& id = submission.submission_id();
  absl::string_view problem;
  if (id.empty()) {
    problem = "submission_id is required";
  } else if (id.size() > kMaxSubmissionIdLength) {
    problem = "submission_id is longer than 128 characters";
  } else if (!std::all_of(id.begin(), id.end(), IsIdCharacter)) {
    problem = "submission_id may only hold A-Z, a-z, 0-9, '.', '_', ':' and '-'";
  } else {
    return std::nullopt;
  }
  return SubmissionRejection{
      ingest::v1::REJECTION_REASON_INVALID_SUBMISSION_ID, "submission_id",
      absl::StrCat("submission ", Quoted(id), ": ", problem,
                   " (1 to 128 characters; a UUID or \"<system>:<record id>:<revision>\")")};
}

// Why a string that is not TextFits is refused. `field` is its path, `what` how the message
// names it.
Rejection CheckText(const Submission& submission, const std::string& field, absl::string_view what,
                    absl::string_view text, size_t limit) {
  const std::optional<size_t> length = Utf8Length(text);
  if (!length.has_value()) {
    return Refuse(submission, ingest::v1::REJECTION_REASON_INVALID_UTF8, field,
                  absl::StrCat(what, " ", Quoted(text), " is not valid UTF-8"));
  }
  if (limit > 0 && *length > limit) {
    return Refuse(submission, ingest::v1::REJECTION_REASON_TOO_LARGE, field,
                  absl::StrCat(what, " ", Quoted(text), " has ", *length,
                               " characters, more than the limit of ", limit));
  }
  return std::nullopt;
}

using Entry = google::protobuf::Map<std::string, std::string>::value_type;
// At most kMaxDisaggregationEntries in an accepted item: no allocation on that path.
using Entries = absl::InlinedVector<const Entry*, kMaxDisaggregationEntries>;

// The disaggregation's entries, sorted by name: messages and fingerprints do not depend on
// the map's order.
Entries SortedEntries(const Submission& submission) {
  Entries entries;
  for (const Entry& entry : submission.disaggregation()) entries.push_back(&entry);
  std::sort(entries.begin(), entries.end(),
            [](const Entry* a, const Entry* b) { return a->first < b->first; });
  return entries;
}

// Whether `text` is well-formed UTF-8 of at most `limit` characters (0: no limit): the
// common case, answered before CheckText builds any message.
bool TextFits(absl::string_view text, size_t limit) {
  const std::optional<size_t> length = Utf8Length(text);
  return length.has_value() && (limit == 0 || *length <= limit);
}

// Step 2.
Rejection CheckTexts(const Submission& submission) {
  struct Text {
    const char* field;
    const std::string& text;
    size_t limit;
  };
  for (const Text& text : {Text{"reporting_unit_id", submission.reporting_unit_id(), 0},
                           Text{"indicator_id", submission.indicator_id(), 0},
                           Text{"period", submission.period(), 0},
                           Text{"source_system", submission.source_system(),
                                kMaxSourceSystemLength},
                           Text{"comment", submission.comment(), kMaxCommentLength}}) {
    if (TextFits(text.text, text.limit)) continue;
    return CheckText(submission, text.field, text.field, text.text, text.limit);
  }
  if (submission.disaggregation().size() > kMaxDisaggregationEntries) {
    return Refuse(submission, ingest::v1::REJECTION_REASON_TOO_LARGE, "disaggregation",
                  absl::StrCat("disaggregation has ", submission.disaggregation().size(),
                               " entries, more than the limit of ", kMaxDisaggregationEntries));
  }
  for (const Entry* entry : SortedEntries(submission)) {
    const auto& [name, value] = *entry;
    if (!TextFits(name, kMaxDimensionTextLength)) {
      return CheckText(submission, "disaggregation", "dimension name", name,
                       kMaxDimensionTextLength);
    }
    if (!TextFits(value, kMaxDimensionTextLength)) {
      return CheckText(submission, DimensionField(name), absl::StrCat("value of ", name), value,
                       kMaxDimensionTextLength);
    }
  }
  return std::nullopt;
}

// "reporting unit pc-747 (closed, last day 2025-06-30)".
std::string DescribeUnit(const ReportingUnit& unit) {
  std::string state;
  switch (unit.status()) {
    case registry::v1::REPORTING_UNIT_STATUS_SUSPENDED:
      state = "suspended";
      break;
    case registry::v1::REPORTING_UNIT_STATUS_CLOSED:
      state = "closed";
      break;
    case registry::v1::REPORTING_UNIT_STATUS_MERGED:
      state = unit.successor_unit_id().empty()
                  ? std::string("merged")
                  : absl::StrCat("merged into ", unit.successor_unit_id());
      break;
    default:
      state = "active";
      break;
  }
  if (!unit.valid_from().empty()) absl::StrAppend(&state, ", first day ", unit.valid_from());
  if (!unit.valid_to().empty()) absl::StrAppend(&state, ", last day ", unit.valid_to());
  return absl::StrCat("reporting unit ", unit.id(), " (", state, ")");
}

bool HasEnded(const ReportingUnit& unit) {
  return unit.status() == registry::v1::REPORTING_UNIT_STATUS_MERGED ||
         unit.status() == registry::v1::REPORTING_UNIT_STATUS_CLOSED;
}

// Step 4: what the sender's status alone decides.
Rejection CheckSenderStatus(const Submission& submission, const ReportingUnit& sender) {
  if (sender.status() == registry::v1::REPORTING_UNIT_STATUS_SUSPENDED) {
    return Refuse(submission, ingest::v1::REJECTION_REASON_REPORTING_UNIT_INACTIVE, "",
                  absl::StrCat(DescribeUnit(sender), " may not submit while it is suspended"));
  }
  if (HasEnded(sender) && !CivilDateOf(sender.valid_to()).has_value()) {
    return Refuse(submission, ingest::v1::REJECTION_REASON_REPORTING_UNIT_INACTIVE, "",
                  absl::StrCat(DescribeUnit(sender),
                               " has ended and records no valid last day, so no period can be "
                               "accepted from it"));
  }
  return std::nullopt;
}

// Step 7: the sender existed during part of the period.
Rejection CheckSenderLifetime(const Submission& submission, const ReportingUnit& sender,
                              const Period& period) {
  const ValidityWindow window = ParseValidityWindow(sender.valid_from(), sender.valid_to());
  if (window.to.has_value() && period.FirstDay() > *window.to) {
    return Refuse(submission, ingest::v1::REJECTION_REASON_REPORTING_UNIT_INACTIVE, "period",
                  absl::StrCat(DescribeUnit(sender), " cannot report period ", period.ToString(),
                               ", which starts on ", FormatCivilDate(period.FirstDay()),
                               ", after the unit's last day",
                               sender.successor_unit_id().empty()
                                   ? std::string()
                                   : absl::StrCat("; ", sender.successor_unit_id(),
                                                  " reports it now")));
  }
  if (window.from.has_value() && period.LastDay() < *window.from) {
    return Refuse(submission, ingest::v1::REJECTION_REASON_REPORTING_UNIT_INACTIVE, "period",
                  absl::StrCat(DescribeUnit(sender), " cannot report period ", period.ToString(),
                               ", which ends on ", FormatCivilDate(period.LastDay()),
                               ", before the unit's first day"));
  }
  return std::nullopt;
}

// The indicator's own definition leaves nothing to check against: the registry's fault.
SubmissionRejection Unusable(const Submission& submission, const Indicator& indicator,
                             absl::string_view why) {
  return Refuse(submission, ingest::v1::REJECTION_REASON_UNSPECIFIED, "indicator_id",
                absl::StrCat("indicator ", indicator.id(),
                             " cannot take submissions until its definition is fixed in the "
                             "registry: ",
                             why));
}

// Step 5. On success `indicator` is the reported indicator the sender may report.
Rejection CheckIndicator(const Submission& submission, const SubmissionContext& context,
                         const Indicator*& indicator) {
  const std::string& id = submission.indicator_id();
  if (id.empty()) {
    return Refuse(submission, ingest::v1::REJECTION_REASON_MALFORMED, "indicator_id",
                  "indicator_id is required");
  }
  indicator = context.find_indicator(id);
  if (indicator == nullptr) {
    return Refuse(submission, ingest::v1::REJECTION_REASON_UNKNOWN_INDICATOR, "indicator_id",
                  absl::StrCat("no indicator has the id ", Quoted(id)));
  }
  if (indicator->has_derived()) {
    return Refuse(submission, ingest::v1::REJECTION_REASON_DERIVED_INDICATOR, "indicator_id",
                  absl::StrCat("indicator ", id,
                               " is derived from the registry (counted from its entities) and "
                               "cannot be submitted"));
  }
  if (!indicator->has_reported()) {
    return Unusable(submission, *indicator, "it has no source (neither derived nor reported)");
  }
  const auto& allowed = context.sender->allowed_indicator_ids();
  if (std::find(allowed.begin(), allowed.end(), id) == allowed.end()) {
    return Refuse(
        submission, ingest::v1::REJECTION_REASON_NOT_AUTHORISED, "indicator_id",
        absl::StrCat("reporting unit ", context.sender->id(), " is not allowed to report ", id,
                     " (it may report: ",
                     allowed.empty() ? std::string("nothing") : absl::StrJoin(allowed, ", "),
                     ")"));
  }
  return std::nullopt;
}

// "2025-Q3 (2025-07-01..2025-09-30)".
std::string DescribeDays(const Period& period) {
  return absl::StrCat(period.ToString(), " (", FormatCivilDate(period.FirstDay()), "..",
                      FormatCivilDate(period.LastDay()), ")");
}

// Step 9.
Rejection CheckHorizon(const Submission& submission, const SubmissionContext& context,
                       const Period& period) {
  const std::optional<std::pair<absl::CivilDay, absl::CivilDay>> horizon =
      context.horizon(submission.indicator_id());
  if (!horizon.has_value()) {
    return Refuse(submission, ingest::v1::REJECTION_REASON_PERIOD_OUT_OF_HORIZON, "period",
                  absl::StrCat("no plan has a target on indicator ", submission.indicator_id(),
                               ", so no period (here ", DescribeDays(period),
                               ") lies within a plan's horizon"));
  }
  const auto& [start, end] = *horizon;
  if (period.FirstDay() < start || period.LastDay() > end) {
    return Refuse(submission, ingest::v1::REJECTION_REASON_PERIOD_OUT_OF_HORIZON, "period",
                  absl::StrCat("period ", DescribeDays(period), " is not within ",
                               FormatCivilDate(start), "..", FormatCivilDate(end),
                               ", the horizon of the plans tracking indicator ",
                               submission.indicator_id()));
  }
  return std::nullopt;
}

// The field of the figure a ValidateFigure refusal with `reason` is about.
std::string FigureField(const Submission& submission, const Indicator& indicator,
                        RejectionReason reason) {
  switch (submission.figure_case()) {
    case Submission::FIGURE_NOT_SET:
      return indicator.reported().value_kind() == registry::v1::VALUE_KIND_NUMERATOR_DENOMINATOR
                 ? "ratio"
                 : "value";
    case Submission::kValue:
      return "value";
    case Submission::kRatio:
      break;
  }
  if (reason == ingest::v1::REJECTION_REASON_VALUE_KIND_MISMATCH ||
      reason == ingest::v1::REJECTION_REASON_RETRACTION_WITH_FIGURE) {
    return "ratio";
  }
  const double numerator = submission.ratio().numerator();
  const double denominator = submission.ratio().denominator();
  // In the order ValidateFigure looks at them.
  const auto unusable = [](double number) {
    return !std::isfinite(number) || std::fabs(number) > kMaxFigure;
  };
  if (unusable(numerator)) return "ratio.numerator";
  if (unusable(denominator) || denominator <= 0) return "ratio.denominator";
  if (numerator < 0 || numerator > denominator) return "ratio.numerator";
  if (reason == ingest::v1::REJECTION_REASON_VALUE_NOT_INTEGER) {
    return numerator != std::trunc(numerator) ? "ratio.numerator" : "ratio.denominator";
  }
  return "ratio";  // the ratio itself is outside the indicator's bounds
}

// Steps 11 and 12.
Rejection CheckFigure(const Submission& submission, const Indicator& indicator) {
  if (!ingest::v1::SubmissionKind_IsValid(submission.kind())) {
    return Refuse(submission, ingest::v1::REJECTION_REASON_MALFORMED, "kind",
                  absl::StrCat("kind ", static_cast<int>(submission.kind()),
                               " is neither SUBMISSION_KIND_REPORT nor "
                               "SUBMISSION_KIND_RETRACTION"));
  }
  const absl::Status status = ValidateFigure(indicator, submission);
  if (status.ok()) return std::nullopt;
  const RejectionReason reason = RejectionReasonOf(status);
  if (reason == ingest::v1::REJECTION_REASON_UNSPECIFIED) {
    return Unusable(submission, indicator, status.message());
  }
  // ValidateFigure's messages already name the submission, the indicator and the period.
  return SubmissionRejection{reason, FigureField(submission, indicator, reason),
                             std::string(status.message())};
}

// "district" for ADMINISTRATIVE_LEVEL_DISTRICT.
std::string LevelName(registry::v1::AdministrativeLevel level) {
  return absl::AsciiStrToLower(
      absl::StripPrefix(registry::v1::AdministrativeLevel_Name(level), "ADMINISTRATIVE_LEVEL_"));
}

// One value of step 13.
Rejection CheckDimensionValue(const Submission& submission, const SubmissionContext& context,
                              const Indicator& indicator, const DisaggregationDimension& dimension,
                              const std::string& value, const Period& period) {
  const std::string& name = dimension.name();
  if (value.empty()) {
    return Refuse(submission, ingest::v1::REJECTION_REASON_INVALID_DIMENSION_VALUE,
                  DimensionField(name),
                  absl::StrCat("dimension ", name,
                               " has an empty value; leave the dimension out to report the "
                               "undisaggregated total"));
  }
  switch (dimension.kind()) {
    case registry::v1::DIMENSION_KIND_CODE_LIST: {
      const auto& allowed = dimension.allowed_values();
      if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return std::nullopt;
      return Refuse(submission, ingest::v1::REJECTION_REASON_INVALID_DIMENSION_VALUE,
                    DimensionField(name),
                    absl::StrCat(name, " ", Quoted(value), " is not one of the values indicator ",
                                 indicator.id(), " allows: ", absl::StrJoin(allowed, ", ")));
    }
    case registry::v1::DIMENSION_KIND_ADMINISTRATIVE_UNIT: {
      const registry::v1::AdministrativeUnit* unit = context.administrative_units->Find(value);
      if (unit == nullptr) {
        return Refuse(submission, ingest::v1::REJECTION_REASON_UNKNOWN_ADMINISTRATIVE_UNIT,
                      DimensionField(name),
                      absl::StrCat(name, " ", Quoted(value),
                                   " is not the code of an administrative unit tiendo knows"));
      }
      if (dimension.administrative_level() != registry::v1::ADMINISTRATIVE_LEVEL_UNSPECIFIED &&
          unit->level() != dimension.administrative_level()) {
        return Refuse(submission, ingest::v1::REJECTION_REASON_INVALID_DIMENSION_VALUE,
                      DimensionField(name),
                      absl::StrCat(name, " ", Quoted(value), " (", unit->name_vi(), ") is a ",
                                   LevelName(unit->level()), ", but indicator ", indicator.id(),
                                   " takes a ", LevelName(dimension.administrative_level()),
                                   " in ", name));
      }
      const absl::Status valid = context.administrative_units->ValidThroughout(value, period);
      if (valid.ok()) return std::nullopt;
      return Refuse(submission,
                    ingest::v1::REJECTION_REASON_ADMINISTRATIVE_UNIT_NOT_VALID_IN_PERIOD,
                    DimensionField(name),
                    absl::StrCat(name, ": ", valid.message()));
    }
    default:
      return Unusable(submission, indicator,
                      absl::StrCat("its dimension ", name, " declares no kind"));
  }
}

// Step 13.
Rejection CheckDisaggregation(const Submission& submission, const SubmissionContext& context,
                              const Indicator& indicator, const Period& period) {
  const auto& dimensions = indicator.reported().disaggregation_dimensions();
  const auto find = [&](absl::string_view name) -> const DisaggregationDimension* {
    for (const DisaggregationDimension& dimension : dimensions) {
      if (dimension.name() == name) return &dimension;
    }
    return nullptr;
  };
  const Entries entries = SortedEntries(submission);
  for (const Entry* entry : entries) {
    const std::string& name = entry->first;
    if (find(name) != nullptr) continue;
    std::vector<std::string> declared;
    for (const DisaggregationDimension& dimension : dimensions) {
      declared.push_back(dimension.name());
    }
    return Refuse(submission, ingest::v1::REJECTION_REASON_UNKNOWN_DIMENSION, DimensionField(name),
                  absl::StrCat("indicator ", indicator.id(), " has no dimension ", Quoted(name),
                               declared.empty()
                                   ? std::string(" (it takes no disaggregation)")
                                   : absl::StrCat(" (its dimensions: ",
                                                  absl::StrJoin(declared, ", "), ")")));
  }
  for (const DisaggregationDimension& dimension : dimensions) {
    if (dimension.required() && !submission.disaggregation().contains(dimension.name())) {
      return Refuse(submission, ingest::v1::REJECTION_REASON_MISSING_DIMENSION,
                    DimensionField(dimension.name()),
                    absl::StrCat("indicator ", indicator.id(), " requires the dimension ",
                                 dimension.name(), ", which is missing"));
    }
  }
  for (const Entry* entry : entries) {
    if (Rejection rejection = CheckDimensionValue(submission, context, indicator,
                                                  *find(entry->first), entry->second, period)) {
      return rejection;
    }
  }
  return std::nullopt;
}

// SubmissionContent's numbers, fixed-width and least significant byte first: nothing to
// format.
void AppendFixed(std::string& out, uint64_t value, int bytes) {
  char little_endian[8];
  for (int i = 0; i < bytes; ++i) little_endian[i] = static_cast<char>(value >> (8 * i));
  out.append(little_endian, bytes);
}

// Length-prefixed, so that no two different field sequences give the same bytes.
void AppendField(std::string& out, absl::string_view text) {
  AppendFixed(out, text.size(), 4);
  out.append(text.data(), text.size());
}

void AppendNumber(std::string& out, double number) {
  if (number == 0) number = 0;  // -0 and 0 are the same figure
  uint64_t bits = 0;
  std::memcpy(&bits, &number, sizeof(bits));
  AppendFixed(out, bits, 8);
}

}  // namespace

std::optional<SubmissionRejection> CheckSubmission(const Submission& submission,
                                                   const SubmissionContext& context) {
  if (Rejection rejection = CheckSubmissionId(submission)) return rejection;
  if (Rejection rejection = CheckTexts(submission)) return rejection;

  const ReportingUnit& sender = *context.sender;
  if (!submission.reporting_unit_id().empty() && submission.reporting_unit_id() != sender.id()) {
    return Refuse(submission, ingest::v1::REJECTION_REASON_REPORTING_UNIT_MISMATCH,
                  "reporting_unit_id",
                  absl::StrCat("reporting_unit_id ", Quoted(submission.reporting_unit_id()),
                               " is not the unit the token identifies (", sender.id(),
                               "); leave it empty or send ", sender.id()));
  }
  if (Rejection rejection = CheckSenderStatus(submission, sender)) return rejection;

  const Indicator* indicator = nullptr;
  if (Rejection rejection = CheckIndicator(submission, context, indicator)) return rejection;

  if (submission.period().empty()) {
    return Refuse(submission, ingest::v1::REJECTION_REASON_MALFORMED, "period",
                  "period is required (e.g. 2025, 2025-H1, 2025-Q3 or 2025-09)");
  }
  const absl::StatusOr<Period> period = Period::Parse(submission.period());
  if (!period.ok()) {
    return Refuse(submission, ingest::v1::REJECTION_REASON_INVALID_PERIOD, "period",
                  period.status().message());
  }
  if (Rejection rejection = CheckSenderLifetime(submission, sender, *period)) return rejection;
  if (const absl::Status granularity = ValidatePeriodFor(*indicator, *period);
      !granularity.ok()) {
    const RejectionReason reason = RejectionReasonOf(granularity);
    if (reason == ingest::v1::REJECTION_REASON_UNSPECIFIED) {
      return Unusable(submission, *indicator, granularity.message());
    }
    return Refuse(submission, reason, "period", granularity.message());
  }
  if (Rejection rejection = CheckHorizon(submission, context, *period)) return rejection;
  if (period->FirstDay() > context.today) {
    return Refuse(submission, ingest::v1::REJECTION_REASON_PERIOD_IN_FUTURE, "period",
                  absl::StrCat("period ", period->ToString(), " starts on ",
                               FormatCivilDate(period->FirstDay()), ", after today (",
                               FormatCivilDate(context.today),
                               "); report a period once it has begun"));
  }
  if (Rejection rejection = CheckFigure(submission, *indicator)) return rejection;
  return CheckDisaggregation(submission, context, *indicator, *period);
}

std::string SubmissionContent(const Submission& submission) {
  std::string out;
  // Room for the texts with their length prefixes and for the figure: one allocation.
  out.reserve(128 + submission.reporting_unit_id().size() + submission.indicator_id().size() +
              submission.period().size());
  out = "c2";  // format version
  AppendField(out, submission.reporting_unit_id());
  AppendField(out, submission.indicator_id());
  AppendField(out, submission.period());
  const Entries entries = SortedEntries(submission);
  AppendFixed(out, entries.size(), 4);
  for (const Entry* entry : entries) {
    AppendField(out, entry->first);
    AppendField(out, entry->second);
  }
  switch (submission.figure_case()) {
    case Submission::kValue:
      out += "v";
      AppendNumber(out, submission.value());
      break;
    case Submission::kRatio:
      out += "r";
      AppendNumber(out, submission.ratio().numerator());
      AppendNumber(out, submission.ratio().denominator());
      break;
    case Submission::FIGURE_NOT_SET:
      out += "-";
      break;
  }
  const ingest::v1::SubmissionKind kind =
      submission.kind() == ingest::v1::SUBMISSION_KIND_UNSPECIFIED
          ? ingest::v1::SUBMISSION_KIND_REPORT
          : submission.kind();
  out += "k";
  AppendFixed(out, static_cast<uint32_t>(kind), 4);
  return out;
}

}  // namespace tiendo::core
