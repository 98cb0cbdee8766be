// Submission rules: everything metrics-ingest checks about one submitted item before it
// accepts it — the item on its own (id, lengths, text), who sent it, the indicator, the
// period, the figure and the disaggregation — and the content fingerprint that tells a
// resend (DUPLICATE) from a different submission under a used id (CONFLICT).
//
// A refusal carries the machine-readable reason (tiendo.ingest.v1.RejectionReason), the
// path of the offending field within the Submission and a message naming the submission,
// the offending value and the rule, e.g.
//   submission dvc:7f3a: district "752" (Long Điền) is not valid throughout 2025-Q2 …
//
// Limits (beyond what the proto's comments say):
//   submission_id       1..128 characters of A–Z a–z 0–9 . _ : -   INVALID_SUBMISSION_ID
//   source_system       at most 128 characters                     TOO_LARGE
//   comment             at most 1000 characters                    TOO_LARGE
//   disaggregation      at most 8 entries; names and values at most 64 characters each
//                                                                   TOO_LARGE
//   every string        well-formed UTF-8                          INVALID_UTF8
// Characters are Unicode code points.
//
// The order of the checks (the first failure is the answer; cheap checks of the item alone
// first, then who sends it, then what it is about, then what it says):
//   1. submission_id                       INVALID_SUBMISSION_ID
//   2. text and sizes                      INVALID_UTF8, TOO_LARGE
//   3. reporting_unit_id is empty or the sender          REPORTING_UNIT_MISMATCH
//   4. the sender is not suspended, and not closed without a last day
//                                                        REPORTING_UNIT_INACTIVE
//   5. indicator_id: given, known, reported, allowed for the sender
//                        MALFORMED, UNKNOWN_INDICATOR, DERIVED_INDICATOR, NOT_AUTHORISED
//   6. period: given and well-formed                     MALFORMED, INVALID_PERIOD
//   7. the sender existed during the period: a merged or closed unit is refused for periods
//      that start after its valid_to (earlier ones are late corrections and backfills), any
//      unit for periods that end before its valid_from  REPORTING_UNIT_INACTIVE
//   8. the period's granularity is allowed               PERIOD_GRANULARITY_NOT_ALLOWED
//   9. the whole period lies within the days the plans tracking the indicator cover
//                                                        PERIOD_OUT_OF_HORIZON
//  10. the period has started (its first day is not after today)   PERIOD_IN_FUTURE
//  11. kind: a known value; a retraction carries no figure
//                                                        MALFORMED, RETRACTION_WITH_FIGURE
//  12. the figure (ValidateFigure, value_rules.h)        MALFORMED, VALUE_KIND_MISMATCH,
//      VALUE_NOT_FINITE, VALUE_OUT_OF_RANGE, VALUE_NOT_INTEGER, NUMERATOR_EXCEEDS_DENOMINATOR,
//      DENOMINATOR_NOT_POSITIVE
//  13. disaggregation, by dimension name in order: declared (UNKNOWN_DIMENSION); then each
//      required dimension present (MISSING_DIMENSION); then each value: in the code list
//      (INVALID_DIMENSION_VALUE), a known administrative unit (UNKNOWN_ADMINISTRATIVE_UNIT) at
//      the dimension's level (INVALID_DIMENSION_VALUE) valid throughout the period
//      (ADMINISTRATIVE_UNIT_NOT_VALID_IN_PERIOD).
// An indicator whose own definition leaves nothing to check against (no source, unit or
// value kind; a dimension without a kind) is the registry's fault, not the sender's: the
// item is refused with REJECTION_REASON_UNSPECIFIED and a message saying so.
//
// No I/O: the caller supplies the registry lookups and today's date.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/core/administrative_units.h"
#include "tiendo/ingest/v1/rejection_reason.pb.h"
#include "tiendo/ingest/v1/submission.pb.h"
#include "tiendo/registry/v1/indicator.pb.h"
#include "tiendo/registry/v1/reporting_unit.pb.h"

namespace tiendo::core {

inline constexpr size_t kMaxSubmissionIdLength = 128;
inline constexpr size_t kMaxSourceSystemLength = 128;
inline constexpr size_t kMaxCommentLength = 1000;
inline constexpr int kMaxDisaggregationEntries = 8;
inline constexpr size_t kMaxDimensionTextLength = 64;

// What checking one submission needs to know beyond the item itself.
struct SubmissionContext {
  // The unit the caller's token identified. Never null.
  const registry::v1::ReportingUnit* sender = nullptr;
  // The indicator with `id`, or nullptr if there is none.
  std::function<const registry::v1::Indicator*(absl::string_view id)> find_indicator;
  // Never null.
  const AdministrativeUnits* administrative_units = nullptr;
  // The days the plans tracking `indicator_id` cover: the earliest horizon_start to the
  // latest horizon_end of the plans with a target on it; nullopt when no plan tracks it.
  std::function<std::optional<std::pair<absl::CivilDay, absl::CivilDay>>(
      absl::string_view indicator_id)>
      horizon;
  // Today in Vietnam (VietnamDay, civil_date.h): periods that start after it are in the
  // future.
  absl::CivilDay today;
};

// Why a submission is refused.
struct SubmissionRejection {
  ingest::v1::RejectionReason reason = ingest::v1::REJECTION_REASON_UNSPECIFIED;
  // Path of the offending field within the Submission, with proto field names:
  // "submission_id", "period", "ratio.numerator", "disaggregation[\"district\"]"; empty when
  // no single field is at fault (e.g. the sender is inactive).
  std::string field;
  // For people: names the submission id, the offending value and the rule.
  std::string message;
};

// nullopt if `submission` may be accepted from `context.sender`; otherwise the first rule it
// breaks, in the order above. Whether its id was used before is not checked here (see
// SubmissionContent).
std::optional<SubmissionRejection> CheckSubmission(const ingest::v1::Submission& submission,
                                                   const SubmissionContext& context);

// The content of `submission` as a deterministic byte string (binary: fixed-width lengths and
// numbers, after a version tag): two submissions under the same id are "the same" (a
// resend, answered DUPLICATE) exactly when their contents are equal, and a CONFLICT
// otherwise. It covers what the submission says: reporting_unit_id, indicator_id,
// period, the disaggregation (sorted by name), the figure (value, or numerator and
// denominator, compared exactly; -0 as 0) and the kind (UNSPECIFIED read as REPORT). It
// leaves out submitted_at, source_system and comment, which a resend may restamp, and the
// submission_id itself. Meant for checked submissions; stable across processes and versions
// of this library (it may be stored), so change it only with a new version tag (now "c2").
std::string SubmissionContent(const ingest::v1::Submission& submission);

}  // namespace tiendo::core
