// Public service rules: the canonical form of a public service (administrative procedure)
// record and the rules every registry write of one must follow
// (tiendo/registry/v1/public_service.proto). Lookups are the caller's; no clock is read.
//
// Paths are relative to the public service (`procedure_code`, `abolished_date`). Rules:
//   required           procedure_code, name_vi or administrative_unit_code empty
//   format             procedure_code not digit groups joined by dots ("1.004227",
//                      "2.002154"; at least one dot); a malformed date; text that is not
//                      valid UTF-8
//   unknown_reference  administrative_unit_code names no known unit; owning_reporting_unit_id
//                      names no known reporting unit
//   wrong_level        administrative_unit_code names a district or commune: a catalogue
//                      belongs to a province-level unit
//   not_valid_at_date  on create, the unit is not valid on the first day the procedure is in
//                      force as recorded (effective_from; else, for an abolished procedure,
//                      the day before abolished_date; else today). Updates do not re-check it:
//                      the unit is part of the immutable id, and a procedure of a province
//                      that has since merged must stay updatable
//   order              full_process_online_since, integrated_national_portal_since or
//                      abolished_date before effective_from; abolished_date before a *_since
//   inconsistent       id given but not `<administrative_unit_code>:<procedure_code>`;
//                      full_process_online without eligible_full_process_online;
//                      integrated_national_portal without full_process_online; status
//                      ABOLISHED without abolished_date (reported at abolished_date), or
//                      abolished_date with another status (reported at status)
//   out_of_range       a status or level value its enum does not define
//   immutable          an update that changes id, procedure_code or administrative_unit_code
// and, as a warning, `ignored`: a *_since date while its flag is false.
//
// Left to the caller: uniqueness of the id and version checks.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/core/administrative_units.h"
#include "services/common/core/problem.h"
#include "tiendo/registry/v1/public_service.pb.h"

namespace tiendo::core {

// The key of a public service: `<administrative_unit_code>:<procedure_code>`, e.g.
// "77:1.004227".
std::string PublicServiceId(absl::string_view administrative_unit_code,
                            absl::string_view procedure_code);

// Brings `service` into its canonical form: status UNSPECIFIED read as ACTIVE; an empty id
// derived from administrative_unit_code and procedure_code when both are set. Text is left
// exactly as sent.
void NormalizePublicService(registry::v1::PublicService& service);

// Every problem of `service`, which the caller has normalised; empty when it may be written.
// `reporting_unit_exists` answers whether a reporting unit id is known (it is asked only
// when owning_reporting_unit_id is set, and must then be callable). `stored` is the version
// currently stored, for an update; nullptr for a create. `today` is the registry's current
// day.
std::vector<Problem> ValidatePublicService(
    const registry::v1::PublicService& service, const AdministrativeUnits& units,
    const std::function<bool(absl::string_view)>& reporting_unit_exists,
    const registry::v1::PublicService* stored, absl::CivilDay today);

}  // namespace tiendo::core
