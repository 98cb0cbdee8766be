// Reporting units: create, update, allowed indicators, get and list.
#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/status/field_violations.h"
#include "services/common/status/status_macros.h"
#include "services/registry/entity_list.h"
#include "services/registry/registry_calls.h"

namespace tiendo::registry {

absl::Status CreateReportingUnit(Call& call, const v1::CreateReportingUnitRequest& request,
                                 v1::ReportingUnit& response) {
  response = request.reporting_unit();
  return CreateEntity(call.command(), ReportingUnitRules(), response, "reporting_unit",
                      request.dry_run());
}

absl::Status UpdateReportingUnit(Call& call, const v1::UpdateReportingUnitRequest& request,
                                 v1::ReportingUnit& response) {
  response = request.reporting_unit();
  return UpdateEntity(call.command(), ReportingUnitRules(), response, request.update_mask(),
                      request.expected_version(), "reporting_unit", request.dry_run());
}

absl::Status SetAllowedIndicators(Call& call, const v1::SetAllowedIndicatorsRequest& request,
                                  v1::ReportingUnit& response) {
  absl::Status changed = ChangeEntity(
      call.command(), ReportingUnitRules(), "reporting_unit_id", request.reporting_unit_id(),
      request.expected_version(),
      [&](google::protobuf::Message& message) {
        auto& unit = *static_cast<v1::ReportingUnit*>(&message);
        *unit.mutable_allowed_indicator_ids() = request.indicator_ids();
        return absl::OkStatus();
      },
      /*dry_run=*/false, response);
  // The rules name the unit's field; the request calls the list indicator_ids.
  std::vector<common::v1::FieldViolation> violations = status::FieldViolationsOf(changed);
  if (violations.empty()) return changed;
  for (common::v1::FieldViolation& violation : violations) {
    constexpr absl::string_view kField = "allowed_indicator_ids";
    if (absl::StartsWith(violation.field(), kField)) {
      violation.set_field(absl::StrCat("indicator_ids", violation.field().substr(kField.size())));
    }
  }
  return status::InvalidArgumentWithViolations(violations);
}

absl::Status GetReportingUnit(RegistryState& state, const v1::GetReportingUnitRequest& request,
                              v1::ReportingUnit& response) {
  return GetEntity(state.store, v1::ENTITY_KIND_REPORTING_UNIT, request.id(), response);
}

absl::Status ListReportingUnits(RegistryState& state,
                                const v1::ListReportingUnitsRequest& request,
                                v1::ListReportingUnitsResponse& response) {
  std::function<bool(const v1::ReportingUnit&)> keep = [&](const v1::ReportingUnit& unit) {
    const auto& allowed = unit.allowed_indicator_ids();
    return (request.statuses().empty() ||
            std::find(request.statuses().begin(), request.statuses().end(), unit.status()) !=
                request.statuses().end()) &&
           (request.allowed_indicator_id().empty() ||
            std::find(allowed.begin(), allowed.end(), request.allowed_indicator_id()) !=
                allowed.end()) &&
           (request.administrative_unit_code().empty() ||
            unit.administrative_unit_code() == request.administrative_unit_code());
  };
  ASSIGN_OR_RETURN(*response.mutable_next_page_token(),
                   ListEntities(state.store, v1::ENTITY_KIND_REPORTING_UNIT, request, keep,
                                response.mutable_reporting_units()));
  return absl::OkStatus();
}

}  // namespace tiendo::registry
