// Public services: create, update, get and list.
#include <algorithm>

#include "services/common/status/status_macros.h"
#include "services/registry/entity_list.h"
#include "services/registry/registry_calls.h"

namespace tiendo::registry {

absl::Status CreatePublicService(Call& call, const v1::CreatePublicServiceRequest& request,
                                 v1::PublicService& response) {
  response = request.public_service();
  return CreateEntity(call.command(), PublicServiceRules(), response, "public_service",
                      request.dry_run());
}

absl::Status UpdatePublicService(Call& call, const v1::UpdatePublicServiceRequest& request,
                                 v1::PublicService& response) {
  response = request.public_service();
  return UpdateEntity(call.command(), PublicServiceRules(), response, request.update_mask(),
                      request.expected_version(), "public_service", request.dry_run());
}

absl::Status GetPublicService(RegistryState& state, const v1::GetPublicServiceRequest& request,
                              v1::PublicService& response) {
  return GetEntity(state.store, v1::ENTITY_KIND_PUBLIC_SERVICE, request.id(), response);
}

absl::Status ListPublicServices(RegistryState& state,
                                const v1::ListPublicServicesRequest& request,
                                v1::ListPublicServicesResponse& response) {
  std::function<bool(const v1::PublicService&)> keep = [&](const v1::PublicService& service) {
    auto listed = [](const auto& wanted, auto value) {
      return wanted.empty() || std::find(wanted.begin(), wanted.end(), value) != wanted.end();
    };
    return (request.administrative_unit_code().empty() ||
            service.administrative_unit_code() == request.administrative_unit_code()) &&
           (request.owning_reporting_unit_id().empty() ||
            service.owning_reporting_unit_id() == request.owning_reporting_unit_id()) &&
           listed(request.levels(), service.level()) &&
           listed(request.statuses(), service.status()) &&
           (!request.has_eligible_full_process_online() ||
            service.eligible_full_process_online() ==
                request.eligible_full_process_online()) &&
           (!request.has_full_process_online() ||
            service.full_process_online() == request.full_process_online()) &&
           (!request.has_integrated_national_portal() ||
            service.integrated_national_portal() == request.integrated_national_portal());
  };
  ASSIGN_OR_RETURN(*response.mutable_next_page_token(),
                   ListEntities(state.store, v1::ENTITY_KIND_PUBLIC_SERVICE, request, keep,
                                response.mutable_public_services()));
  return absl::OkStatus();
}

}  // namespace tiendo::registry
