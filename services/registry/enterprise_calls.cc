// Enterprises: create, update, dissolve, get and list.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/core/civil_date.h"
#include "services/common/status/field_violations.h"
#include "services/common/status/status_macros.h"
#include "services/registry/entity_list.h"
#include "services/registry/registry_calls.h"

namespace tiendo::registry {
namespace {

// Every one of `wanted` is in `present` (both sorted: the registry stores them so).
bool ContainsAll(const google::protobuf::RepeatedPtrField<std::string>& present,
                 const google::protobuf::RepeatedPtrField<std::string>& wanted) {
  return std::all_of(wanted.begin(), wanted.end(), [&](const std::string& value) {
    return std::find(present.begin(), present.end(), value) != present.end();
  });
}

// A `YYYY-MM-DD` filter bound, or INVALID_ARGUMENT naming the field.
absl::Status CheckDateFilter(absl::string_view field, const std::string& value) {
  if (value.empty()) return absl::OkStatus();
  absl::StatusOr<absl::CivilDay> day = core::ParseCivilDate(value);
  if (day.ok()) return absl::OkStatus();
  return status::InvalidArgumentWithViolations(
      {status::Violation(std::string(field), "format", std::string(day.status().message()))});
}

}  // namespace

absl::Status CreateEnterprise(Call& call, const v1::CreateEnterpriseRequest& request,
                              v1::Enterprise& response) {
  response = request.enterprise();
  return CreateEntity(call.command(), EnterpriseRules(), response, "enterprise",
                      request.dry_run());
}

absl::Status UpdateEnterprise(Call& call, const v1::UpdateEnterpriseRequest& request,
                              v1::Enterprise& response) {
  response = request.enterprise();
  return UpdateEntity(call.command(), EnterpriseRules(), response, request.update_mask(),
                      request.expected_version(), "enterprise", request.dry_run());
}

absl::Status DissolveEnterprise(Call& call, const v1::DissolveEnterpriseRequest& request,
                                v1::Enterprise& response) {
  if (request.dissolution_date().empty()) {
    return status::InvalidArgumentWithViolations({status::Violation(
        "dissolution_date", "required", "dissolution_date is required, as YYYY-MM-DD")});
  }
  RETURN_IF_ERROR(CheckDateFilter("dissolution_date", request.dissolution_date()));
  return ChangeEntity(
      call.command(), EnterpriseRules(), "tax_code", request.tax_code(),
      request.expected_version(),
      [&](google::protobuf::Message& message) -> absl::Status {
        auto& enterprise = *static_cast<v1::Enterprise*>(&message);
        // The date is immutable once recorded: counts for the days between would change
        // after the fact. Dissolving again on the same date changes nothing.
        if (enterprise.status() == v1::ENTERPRISE_STATUS_DISSOLVED &&
            enterprise.dissolution_date() != request.dissolution_date()) {
          return absl::FailedPreconditionError(absl::StrCat(
              "enterprise ", enterprise.tax_code(), " was dissolved on ",
              enterprise.dissolution_date(), "; its dissolution date cannot be changed to ",
              request.dissolution_date()));
        }
        enterprise.set_status(v1::ENTERPRISE_STATUS_DISSOLVED);
        enterprise.set_dissolution_date(request.dissolution_date());
        enterprise.set_status_since(request.dissolution_date());
        return absl::OkStatus();
      },
      request.dry_run(), response);
}

absl::Status GetEnterprise(RegistryState& state, const v1::GetEnterpriseRequest& request,
                           v1::Enterprise& response) {
  return GetEntity(state.store, v1::ENTITY_KIND_ENTERPRISE, request.tax_code(), response);
}

absl::Status ListEnterprises(RegistryState& state, const v1::ListEnterprisesRequest& request,
                             v1::ListEnterprisesResponse& response) {
  RETURN_IF_ERROR(CheckDateFilter("registered_from", request.registered_from()));
  RETURN_IF_ERROR(CheckDateFilter("registered_to", request.registered_to()));
  ASSIGN_OR_RETURN(std::shared_ptr<const core::AdministrativeUnits> units,
                   state.administrative_units.Current());
  google::protobuf::RepeatedPtrField<std::string> areas;
  if (!request.administrative_unit_code().empty()) {
    if (units->Find(request.administrative_unit_code()) == nullptr) {
      return absl::NotFoundError(absl::StrCat("administrative unit ",
                                              request.administrative_unit_code(),
                                              " is not known to the registry"));
    }
    *areas.Add() = request.administrative_unit_code();
  }
  std::function<bool(const v1::Enterprise&)> keep = [&](const v1::Enterprise& enterprise) {
    if (!areas.empty() && !units->InArea(enterprise.administrative_unit_code(), areas)) {
      return false;
    }
    if (!request.statuses().empty() &&
        std::find(request.statuses().begin(), request.statuses().end(),
                  enterprise.status()) == request.statuses().end()) {
      return false;
    }
    if (!request.registered_from().empty() &&
        enterprise.registration_date() < request.registered_from()) {
      return false;
    }
    if (!request.registered_to().empty() &&
        enterprise.registration_date() > request.registered_to()) {
      return false;
    }
    return ContainsAll(enterprise.categories(), request.categories()) &&
           ContainsAll(enterprise.capabilities(), request.capabilities());
  };
  ASSIGN_OR_RETURN(*response.mutable_next_page_token(),
                   ListEntities(state.store, v1::ENTITY_KIND_ENTERPRISE, request, keep,
                                response.mutable_enterprises()));
  return absl::OkStatus();
}

}  // namespace tiendo::registry
