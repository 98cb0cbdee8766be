// Reporting completeness (GetCompleteness): for each reporting unit and period, the reports
// the reported indicators' schedules (ReportingSchedule) expect from it, and which of them
// arrived on time, arrived late, are missing or are not due yet — the reporting-rate report a
// statistics office reads (as DHIS2's reporting rate summary: expected, actual, on time).
//
// What is expected. For each selected indicator (reported, with a schedule; within plan_id's
// indicators and indicator_ids when given), one report per expected unit and period:
//   - periods are of the schedule's granularity, from first_period (else the period holding
//     the earliest horizon start of the plans using the indicator) to last_period (else the
//     period holding their latest horizon end). A schedule period of another granularity
//     (first_period "2024" of a quarterly schedule) counts from its first quarter, to its
//     last. With neither first_period nor a plan horizon, nothing is expected of it.
//   - periods lie wholly within period_from .. period_to (a quarterly schedule asked for
//     2025-02 .. 2025-12 starts at 2025-Q2); with no period_to, up to the schedule's period
//     holding as_of (still open, so normally pending).
//   - units are the schedule's expected_reporting_unit_ids, else every unit whose
//     allowed_indicator_ids names the indicator; never a suspended unit (it cannot submit
//     now), and only for the periods whose last day falls within the unit's valid_from ..
//     valid_to: a unit merged away on 2025-02-28 owes nothing for 2025-Q1, its successor
//     does; a unit that ended without a valid last day owes nothing.
//
// A report is a unit's figures for the indicator and the very period (all disaggregations):
// monthly figures do not make a quarterly report, as DHIS2 counts a data set's own period
// type only.
//
// States, as of as_of (empty = today). The due date is the period's last day plus the
// schedule's due_after_period_end in whole days (a part of a day is dropped); days are
// Vietnam's (core::VietnamDay). A report counts as received when the report standing now
// was first accepted on or before as_of: ON_TIME when that day is no later than the due
// date, LATE when after. Not received: MISSING once the due date is before as_of, PENDING
// until then (the due date itself is still in time). The receipts are those standing now: a
// report retracted after as_of is not brought back for an earlier as_of.
//
// Rows are one per unit and period with at least one expected report, by unit id then
// period (core::Period order: 2025-Q1, 2025-03, 2025-Q2, 2025-04, ...), each with its reports
// by indicator id. Pages hold page_size rows (0 = 100; more than 1000 is INVALID_ARGUMENT, as
// ListProgress); next_page_token names the last row and is bound to the request's filters.
#pragma once

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/registry_view/registry_view.h"
#include "services/target-evaluator/report_receipts.h"
#include "tiendo/evaluator/v1/evaluator.pb.h"

namespace tiendo::evaluator {

// Answers `request` from the registry and the receipts; `today` is the Vietnam day the
// clock says it is; `held(indicator_id)` tells whether this replica holds the indicator's
// submissions (and so its receipts).
//
// Errors, each naming the field and the rule: INVALID_ARGUMENT for a negative or too large
// page_size, a page_token that is not a next_page_token of this request's filters, a
// malformed period_from, period_to or as_of, period_from starting after period_to ends, an
// as_of after today; NOT_FOUND for a plan_id, indicator id or reporting unit id the registry
// does not hold; FAILED_PRECONDITION for an indicator in indicator_ids that has no reporting
// schedule (derived, or reported without one); UNAVAILABLE, naming them, when an indicator
// with expected reports in the selection is held by another replica (or catching up): retry,
// or ask for the indicators separately.
absl::StatusOr<v1::GetCompletenessResponse> Completeness(
    const registry_view::RegistryView& registry, const ReportReceipts& receipts,
    const v1::GetCompletenessRequest& request, absl::CivilDay today,
    absl::FunctionRef<bool(absl::string_view indicator_id)> held);

}  // namespace tiendo::evaluator
