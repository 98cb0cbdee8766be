// Plan validation: the rules a plan file (tiendo.registry.v1.PlanFile) must follow beyond its
// schema — required fields, identifiers and dates that are well formed, references between
// its parts (targets → indicators, reporting units → indicators and administrative units,
// administrative units → parents and successors), milestones in order and in range, and
// comparators that can hold. `tiendoctl plan validate` runs it offline; the registry runs it
// on ApplyPlan with the entities it already holds.
//
// Reporting units follow the rules of reporting_unit_rules.h (the registry applies the same
// ones), with paths under `reporting_units[i].`.
//
// Every problem found is reported, each with the path of the offending field (e.g.
// `plan.targets[2].indicator_id`) and a stable rule name:
//   required           a required field is empty
//   format             an id, code or date is malformed (dates are real `YYYY-MM-DD` days)
//   duplicate          two entities of one kind share an id (or code); a value listed twice
//                      in one list is only a warning
//   unknown_reference  an id or code names nothing in the file (or the registry)
//   not_reportable     a reporting unit is allowed a derived indicator
//   order              milestone deadlines not strictly increasing, a baseline not before
//                      the first deadline, a validity window that ends before it starts
//   out_of_range       a milestone or baseline value the indicator's unit cannot take
//                      (a percent above 100 or below 0, a negative or fractional count)
//   cannot_hold        a comparator no value can satisfy (MORE_THAN 100 on a percent,
//                      LESS_THAN 0 on a count or percent)
//   inconsistent       fields that contradict each other (unit vs. source, aggregation vs.
//                      value kind, status vs. its companion fields, levels of parent units)
//   not_valid_at_date  a unit referred to at a date outside its validity (for the successor
//                      of a merged reporting unit, a warning)
// and, as warnings (the file is usable, but probably not what was meant):
//   always_holds       a comparator every value satisfies (AT_LEAST 0 on a count)
//   direction          milestone values moving against the indicator's direction
//   ignored            a field that has no effect where it is set
//   required           (as a warning) an INDICATOR_UNIT_NUMBER indicator without unit_label
//   inverse_link       successor_codes and predecessor_codes that do not mirror each other
#pragma once

#include <vector>

#include "absl/types/span.h"
#include "services/common/core/problem.h"
#include "tiendo/registry/v1/administrative_unit.pb.h"
#include "tiendo/registry/v1/indicator.pb.h"
#include "tiendo/registry/v1/plan_file.pb.h"
#include "tiendo/registry/v1/reporting_unit.pb.h"

namespace tiendo::core {

// Entities the registry already holds, which a plan file may refer to without defining them
// (administrative units, reporting units, and indicators for reporting units' allowed
// lists; a target's indicator must always be defined in the file). Where the file defines
// an entity too, the file's definition is used. Offline validation passes none.
struct KnownEntities {
  absl::Span<const registry::v1::AdministrativeUnit> administrative_units;
  absl::Span<const registry::v1::ReportingUnit> reporting_units;
  absl::Span<const registry::v1::Indicator> indicators;
};

// Every problem of `file`, in the order of the file's parts; empty when it is valid.
// Problems carry no line (the caller maps paths to lines).
std::vector<Problem> ValidatePlanFile(const registry::v1::PlanFile& file,
                                      const KnownEntities& known = {});

}  // namespace tiendo::core
