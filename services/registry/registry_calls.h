// The registry's RPCs as plain functions, one file per area (plans, enterprises, public
// services, reporting units, tokens, administrative units): each takes the request and fills
// the response or returns the error, and knows nothing of reactors or threads. The gRPC
// service (registry_service.h) runs them off gRPC's threads and converts the status once.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/registry/entity_commands.h"
#include "services/registry/registry_lookups.h"
#include "services/registry/store/registry_store.h"
#include "tiendo/registry/v1/registry.pb.h"

namespace tiendo::registry {

// What every call works with.
struct RegistryState {
  RegistryStore& store;
  AdministrativeUnitCache& administrative_units;
  std::function<absl::Time()> clock;
};

// One call's command context: the caller's identity, the operation's name, lookups.
class Call {
 public:
  static absl::StatusOr<std::unique_ptr<Call>> Begin(RegistryState& state,
                                                     const grpc::CallbackServerContext& context,
                                                     absl::string_view operation);
  CommandContext& command() { return command_; }
  RegistryLookups& lookups() { return lookups_; }
  RegistryState& state() { return state_; }

 private:
  Call(RegistryState& state, std::shared_ptr<const core::AdministrativeUnits> units,
       absl::CivilDay today, WriteContext write)
      : state_(state),
        lookups_(state.store, std::move(units), today),
        command_{state.store, lookups_, std::move(write)} {}

  RegistryState& state_;
  RegistryLookups lookups_;
  CommandContext command_;
};

// Plans, indicators, targets (plan_calls.cc).
absl::Status ApplyPlan(Call& call, const v1::ApplyPlanRequest& request,
                       v1::ApplyPlanResponse& response);
absl::Status GetPlan(RegistryState& state, const v1::GetPlanRequest& request, v1::Plan& response);
absl::Status ListPlans(RegistryState& state, const v1::ListPlansRequest& request,
                       v1::ListPlansResponse& response);
absl::Status GetIndicator(RegistryState& state, const v1::GetIndicatorRequest& request,
                          v1::Indicator& response);
absl::Status ListIndicators(RegistryState& state, const v1::ListIndicatorsRequest& request,
                            v1::ListIndicatorsResponse& response);
absl::Status GetTarget(RegistryState& state, const v1::GetTargetRequest& request,
                       v1::Target& response);
absl::Status ListTargets(RegistryState& state, const v1::ListTargetsRequest& request,
                         v1::ListTargetsResponse& response);

// Enterprises (enterprise_calls.cc).
absl::Status CreateEnterprise(Call& call, const v1::CreateEnterpriseRequest& request,
                              v1::Enterprise& response);
absl::Status UpdateEnterprise(Call& call, const v1::UpdateEnterpriseRequest& request,
                              v1::Enterprise& response);
absl::Status DissolveEnterprise(Call& call, const v1::DissolveEnterpriseRequest& request,
                                v1::Enterprise& response);
absl::Status GetEnterprise(RegistryState& state, const v1::GetEnterpriseRequest& request,
                           v1::Enterprise& response);
absl::Status ListEnterprises(RegistryState& state, const v1::ListEnterprisesRequest& request,
                             v1::ListEnterprisesResponse& response);

// Public services (public_service_calls.cc).
absl::Status CreatePublicService(Call& call, const v1::CreatePublicServiceRequest& request,
                                 v1::PublicService& response);
absl::Status UpdatePublicService(Call& call, const v1::UpdatePublicServiceRequest& request,
                                 v1::PublicService& response);
absl::Status GetPublicService(RegistryState& state, const v1::GetPublicServiceRequest& request,
                              v1::PublicService& response);
absl::Status ListPublicServices(RegistryState& state,
                                const v1::ListPublicServicesRequest& request,
                                v1::ListPublicServicesResponse& response);

// Reporting units and their tokens (reporting_unit_calls.cc, token_calls.cc).
absl::Status CreateReportingUnit(Call& call, const v1::CreateReportingUnitRequest& request,
                                 v1::ReportingUnit& response);
absl::Status UpdateReportingUnit(Call& call, const v1::UpdateReportingUnitRequest& request,
                                 v1::ReportingUnit& response);
absl::Status SetAllowedIndicators(Call& call, const v1::SetAllowedIndicatorsRequest& request,
                                  v1::ReportingUnit& response);
absl::Status GetReportingUnit(RegistryState& state, const v1::GetReportingUnitRequest& request,
                              v1::ReportingUnit& response);
absl::Status ListReportingUnits(RegistryState& state,
                                const v1::ListReportingUnitsRequest& request,
                                v1::ListReportingUnitsResponse& response);
absl::Status IssueToken(Call& call, const v1::IssueTokenRequest& request,
                        v1::IssueTokenResponse& response);
absl::Status RevokeToken(Call& call, const v1::RevokeTokenRequest& request,
                         v1::ReportingToken& response);
absl::Status ListTokens(RegistryState& state, const v1::ListTokensRequest& request,
                        v1::ListTokensResponse& response);

// Administrative units (administrative_unit_calls.cc).
absl::Status GetAdministrativeUnit(RegistryState& state,
                                   const v1::GetAdministrativeUnitRequest& request,
                                   v1::AdministrativeUnit& response);
absl::Status ListAdministrativeUnits(RegistryState& state,
                                     const v1::ListAdministrativeUnitsRequest& request,
                                     v1::ListAdministrativeUnitsResponse& response);

}  // namespace tiendo::registry
