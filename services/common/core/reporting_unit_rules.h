// Reporting unit rules: the canonical form of a reporting unit and the rules it must follow
// (tiendo/registry/v1/reporting_unit.proto), wherever it is written — a registry write, or a
// plan file's reporting_units (ValidatePlanFile runs these rules on each, prefixing the
// paths with `reporting_units[i].`).
//
// Paths are relative to the reporting unit (`id`, `allowed_indicator_ids[2]`). Rules:
//   required           id, name_vi or administrative_unit_code empty; valid_to of a MERGED
//                      or CLOSED unit, successor_unit_id of a MERGED one
//   format             id not a slug (1 to 63 of a-z 0-9 . _ -); a malformed date; a name
//                      that is not valid UTF-8
//   unknown_reference  administrative_unit_code, an allowed indicator or successor_unit_id
//                      names nothing known
//   not_reportable     an allowed indicator that is derived, not reported
//   order              valid_to before valid_from
//   inconsistent       a unit named as its own successor
//   out_of_range       a status value the enum does not define
// and, as warnings: `duplicate` (an indicator allowed twice), `not_valid_at_date` (the
// successor does not exist on the day after this unit ends), `ignored` (successor_unit_id
// on a unit that is not MERGED).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/common/core/administrative_units.h"
#include "services/common/core/problem.h"
#include "tiendo/registry/v1/indicator.pb.h"
#include "tiendo/registry/v1/reporting_unit.pb.h"

namespace tiendo::core {

// What kind of entity a reference names, for ReportingUnitReferences::explain_unknown.
enum class ReferenceKind { kAdministrativeUnit, kIndicator, kReportingUnit };

// How the rules find what a reporting unit refers to: the registry looks in its stores, a
// plan file in its own definitions and then in the registry's.
struct ReportingUnitReferences {
  // True if an administrative unit with this code is known.
  std::function<bool(absl::string_view code)> administrative_unit_exists;
  // The indicator with this id, or nullptr.
  std::function<const registry::v1::Indicator*(absl::string_view id)> find_indicator;
  // The reporting unit with this id, or nullptr. The successor's validity window is checked
  // against the day this unit ends, so an existence test is not enough.
  std::function<const registry::v1::ReportingUnit*(absl::string_view id)> find_reporting_unit;
  // Optional: appended to "unknown indicator \"x\"" (and the like) to say where it was
  // looked for and what was probably meant, e.g. `: not defined in plan.indicators (did you
  // mean "share"?)`.
  std::function<std::string(ReferenceKind kind, absl::string_view id)> explain_unknown;
};

// Brings `unit` into its canonical form: status UNSPECIFIED read as ACTIVE; allowed
// indicator ids sorted without repeats (the list is a set). Text is left exactly as sent.
void NormalizeReportingUnit(registry::v1::ReportingUnit& unit);

// Every problem of `unit`; empty when it may be written. Every lookup in `references` except
// explain_unknown must be callable.
std::vector<Problem> ValidateReportingUnit(const registry::v1::ReportingUnit& unit,
                                           const ReportingUnitReferences& references);

// The same, for a registry write: administrative units from `units`; unknown references
// are reported without saying where they were looked for.
std::vector<Problem> ValidateReportingUnit(
    const registry::v1::ReportingUnit& unit, const AdministrativeUnits& units,
    const std::function<const registry::v1::Indicator*(absl::string_view id)>& find_indicator,
    const std::function<const registry::v1::ReportingUnit*(absl::string_view id)>&
        find_reporting_unit);

}  // namespace tiendo::core
