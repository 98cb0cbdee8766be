// The rule for a registry entity's administrative_unit_code (an enterprise's head office, a
// public service's catalogue): present, naming a known unit, and — when the write has a day
// that matters — valid on that day.
#pragma once

#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/core/administrative_units.h"
#include "services/common/core/field_rules.h"
#include "tiendo/registry/v1/administrative_unit.pb.h"

namespace tiendo::core {

// When the unit must be valid, and why that day (for the message).
struct UnitValidityDay {
  absl::CivilDay day;
  // What the day is, e.g. "the registration date".
  absl::string_view meaning;
};

// Reports `code` at `field` when empty (`required`), unknown (`unknown_reference`) or, with
// `at`, not valid on at->day (`not_valid_at_date`, with AdministrativeUnits::ValidAt's
// message naming the unit's validity and successors). Returns the unit when it is known.
const registry::v1::AdministrativeUnit* CheckAdministrativeUnitCode(
    FieldRules& rules, absl::string_view field, absl::string_view code,
    const AdministrativeUnits& units, const std::optional<UnitValidityDay>& at);

}  // namespace tiendo::core
