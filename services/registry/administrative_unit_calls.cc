// Administrative units: get and list.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/core/civil_date.h"
#include "services/common/status/field_violations.h"
#include "services/common/status/status_macros.h"
#include "services/registry/entity_list.h"
#include "services/registry/registry_calls.h"

namespace tiendo::registry {

absl::Status GetAdministrativeUnit(RegistryState& state,
                                   const v1::GetAdministrativeUnitRequest& request,
                                   v1::AdministrativeUnit& response) {
  return GetEntity(state.store, v1::ENTITY_KIND_ADMINISTRATIVE_UNIT, request.code(), response);
}

absl::Status ListAdministrativeUnits(RegistryState& state,
                                     const v1::ListAdministrativeUnitsRequest& request,
                                     v1::ListAdministrativeUnitsResponse& response) {
  std::optional<absl::CivilDay> valid_at;
  if (!request.valid_at().empty()) {
    absl::StatusOr<absl::CivilDay> day = core::ParseCivilDate(request.valid_at());
    if (!day.ok()) {
      return status::InvalidArgumentWithViolations(
          {status::Violation("valid_at", "format", std::string(day.status().message()))});
    }
    valid_at = *day;
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const core::AdministrativeUnits> units,
                   state.administrative_units.Current());
  std::function<bool(const v1::AdministrativeUnit&)> keep =
      [&](const v1::AdministrativeUnit& unit) {
        return (!valid_at.has_value() || units->ValidAt(unit.code(), *valid_at).ok()) &&
               (request.parent_code().empty() || unit.parent_code() == request.parent_code()) &&
               (request.levels().empty() ||
                std::find(request.levels().begin(), request.levels().end(), unit.level()) !=
                    request.levels().end());
      };
  ASSIGN_OR_RETURN(*response.mutable_next_page_token(),
                   ListEntities(state.store, v1::ENTITY_KIND_ADMINISTRATIVE_UNIT, request, keep,
                                response.mutable_administrative_units()));
  return absl::OkStatus();
}

}  // namespace tiendo::registry
