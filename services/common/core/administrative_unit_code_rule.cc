#include "services/common/core/administrative_unit_code_rule.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/common/core/utf8_text.h"

namespace tiendo::core {

const registry::v1::AdministrativeUnit* CheckAdministrativeUnitCode(
    FieldRules& rules, absl::string_view field, absl::string_view code,
    const AdministrativeUnits& units, const std::optional<UnitValidityDay>& at) {
  if (!rules.Required(field, code, absl::StrCat(field, " (an administrative unit code)"))) {
    return nullptr;
  }
  const registry::v1::AdministrativeUnit* unit = units.Find(code);
  if (unit == nullptr) {
    rules.Error(field, "unknown_reference",
                absl::StrCat("administrative unit \"", ShowText(code), "\" is not known"));
    return nullptr;
  }
  if (at.has_value()) {
    const absl::Status valid = units.ValidAt(code, at->day);
    if (!valid.ok()) {
      rules.Error(field, "not_valid_at_date",
                  absl::StrCat(valid.message(), " (", at->meaning, ")"));
    }
  }
  return unit;
}

}  // namespace tiendo::core
