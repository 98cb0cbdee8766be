// Value rules: what a submitted figure must satisfy for its indicator — the
// right shape (a value or a numerator/denominator), finite numbers, the
// unit's range (counts are whole and non-negative, percents 0–100),
// 0 <= numerator <= denominator with denominator > 0, and the indicator's
// own bounds — and which period lengths an indicator accepts.
//
// Every refusal is a Status whose message names the submission, the
// indicator, the period and the rule, e.g.
//   submission 7f3a: numerator 120 > denominator 100 for indicator
//   sme_platform_adoption, period 2025-Q3
// and which carries the machine-readable reason (RejectionReasonOf) that
// ingest answers with.
#pragma once

#include "absl/status/status.h"
#include "services/common/core/period.h"
#include "tiendo/ingest/v1/rejection_reason.pb.h"
#include "tiendo/ingest/v1/submission.pb.h"
#include "tiendo/registry/v1/indicator.pb.h"

namespace tiendo::core {

// Checks the figure of `submission` (which is for `indicator`; the ids are
// not compared here) against the indicator's value kind, unit and bounds. A
// retraction must carry no figure; a report exactly the one its value kind
// asks for. Refusals are INVALID_ARGUMENT with a RejectionReason; an indicator
// that cannot take submissions because its own definition is incomplete (no
// source, unit or value kind) is FAILED_PRECONDITION. The submission's period
// is quoted in messages, not checked (see ValidatePeriodFor).
//
// Magnitudes above kMaxFigure (micros.h) are VALUE_OUT_OF_RANGE: the core
// could not hold them exactly. This also keeps counts within 2^53, where a
// double still holds every whole number.
absl::Status ValidateFigure(const registry::v1::Indicator& indicator,
                            const ingest::v1::Submission& submission);

// OK if figures for `indicator` may cover `period`: the indicator is reported
// and the period's granularity is among its allowed_granularities. Otherwise
// INVALID_ARGUMENT with reason DERIVED_INDICATOR or
// PERIOD_GRANULARITY_NOT_ALLOWED, naming the period and the indicator (the
// caller adds the submission); FAILED_PRECONDITION for an indicator with no
// source.
absl::Status ValidatePeriodFor(const registry::v1::Indicator& indicator, const Period& period);

// The reason carried by a status from this file; REJECTION_REASON_UNSPECIFIED
// for OK and for any status that carries none.
ingest::v1::RejectionReason RejectionReasonOf(const absl::Status& status);

}  // namespace tiendo::core
