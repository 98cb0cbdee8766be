// RegistryService: tiendo.registry.v1.Registry over gRPC's callback API. Each RPC runs its
// function from registry_calls.h on a BlockingExecutor thread (SQLite blocks; gRPC's threads
// must not) and finishes with the one status conversion of grpc/grpc_status.h. Imports are
// streams handled by ImportReactor.
#pragma once

#include <functional>

#include <grpcpp/grpcpp.h>

#include "services/common/grpc/blocking_executor.h"
#include "services/registry/registry_calls.h"
#include "tiendo/registry/v1/registry.grpc.pb.h"

namespace tiendo::registry {

class RegistryService final : public v1::Registry::CallbackService {
 public:
  RegistryService(RegistryState& state, server::BlockingExecutor& executor)
      : state_(state), executor_(executor) {}

  grpc::ServerUnaryReactor* ApplyPlan(
      grpc::CallbackServerContext* context, const v1::ApplyPlanRequest* request, v1::ApplyPlanResponse* response) override;
  grpc::ServerUnaryReactor* CreateEnterprise(
      grpc::CallbackServerContext* context, const v1::CreateEnterpriseRequest* request, v1::Enterprise* response) override;
  grpc::ServerUnaryReactor* UpdateEnterprise(
      grpc::CallbackServerContext* context, const v1::UpdateEnterpriseRequest* request, v1::Enterprise* response) override;
  grpc::ServerUnaryReactor* DissolveEnterprise(
      grpc::CallbackServerContext* context, const v1::DissolveEnterpriseRequest* request, v1::Enterprise* response) override;
  grpc::ServerUnaryReactor* CreatePublicService(
      grpc::CallbackServerContext* context, const v1::CreatePublicServiceRequest* request, v1::PublicService* response) override;
  grpc::ServerUnaryReactor* UpdatePublicService(
      grpc::CallbackServerContext* context, const v1::UpdatePublicServiceRequest* request, v1::PublicService* response) override;
  grpc::ServerUnaryReactor* CreateReportingUnit(
      grpc::CallbackServerContext* context, const v1::CreateReportingUnitRequest* request, v1::ReportingUnit* response) override;
  grpc::ServerUnaryReactor* UpdateReportingUnit(
      grpc::CallbackServerContext* context, const v1::UpdateReportingUnitRequest* request, v1::ReportingUnit* response) override;
  grpc::ServerUnaryReactor* SetAllowedIndicators(
      grpc::CallbackServerContext* context, const v1::SetAllowedIndicatorsRequest* request, v1::ReportingUnit* response) override;
  grpc::ServerUnaryReactor* IssueToken(
      grpc::CallbackServerContext* context, const v1::IssueTokenRequest* request, v1::IssueTokenResponse* response) override;
  grpc::ServerUnaryReactor* RevokeToken(
      grpc::CallbackServerContext* context, const v1::RevokeTokenRequest* request, v1::ReportingToken* response) override;
  grpc::ServerUnaryReactor* GetPlan(
      grpc::CallbackServerContext* context, const v1::GetPlanRequest* request, v1::Plan* response) override;
  grpc::ServerUnaryReactor* ListPlans(
      grpc::CallbackServerContext* context, const v1::ListPlansRequest* request, v1::ListPlansResponse* response) override;
  grpc::ServerUnaryReactor* GetIndicator(
      grpc::CallbackServerContext* context, const v1::GetIndicatorRequest* request, v1::Indicator* response) override;
  grpc::ServerUnaryReactor* ListIndicators(
      grpc::CallbackServerContext* context, const v1::ListIndicatorsRequest* request, v1::ListIndicatorsResponse* response) override;
  grpc::ServerUnaryReactor* GetTarget(
      grpc::CallbackServerContext* context, const v1::GetTargetRequest* request, v1::Target* response) override;
  grpc::ServerUnaryReactor* ListTargets(
      grpc::CallbackServerContext* context, const v1::ListTargetsRequest* request, v1::ListTargetsResponse* response) override;
  grpc::ServerUnaryReactor* GetEnterprise(
      grpc::CallbackServerContext* context, const v1::GetEnterpriseRequest* request, v1::Enterprise* response) override;
  grpc::ServerUnaryReactor* ListEnterprises(
      grpc::CallbackServerContext* context, const v1::ListEnterprisesRequest* request, v1::ListEnterprisesResponse* response) override;
  grpc::ServerUnaryReactor* GetPublicService(
      grpc::CallbackServerContext* context, const v1::GetPublicServiceRequest* request, v1::PublicService* response) override;
  grpc::ServerUnaryReactor* ListPublicServices(
      grpc::CallbackServerContext* context, const v1::ListPublicServicesRequest* request, v1::ListPublicServicesResponse* response) override;
  grpc::ServerUnaryReactor* GetReportingUnit(
      grpc::CallbackServerContext* context, const v1::GetReportingUnitRequest* request, v1::ReportingUnit* response) override;
  grpc::ServerUnaryReactor* ListReportingUnits(
      grpc::CallbackServerContext* context, const v1::ListReportingUnitsRequest* request, v1::ListReportingUnitsResponse* response) override;
  grpc::ServerUnaryReactor* ListTokens(
      grpc::CallbackServerContext* context, const v1::ListTokensRequest* request, v1::ListTokensResponse* response) override;
  grpc::ServerUnaryReactor* GetAdministrativeUnit(
      grpc::CallbackServerContext* context, const v1::GetAdministrativeUnitRequest* request, v1::AdministrativeUnit* response) override;
  grpc::ServerUnaryReactor* ListAdministrativeUnits(
      grpc::CallbackServerContext* context, const v1::ListAdministrativeUnitsRequest* request, v1::ListAdministrativeUnitsResponse* response) override;
  grpc::ServerReadReactor<v1::ImportEnterprisesRequest>* ImportEnterprises(
      grpc::CallbackServerContext* context, v1::ImportEnterprisesResponse* response) override;
  grpc::ServerReadReactor<v1::ImportPublicServicesRequest>* ImportPublicServices(
      grpc::CallbackServerContext* context, v1::ImportPublicServicesResponse* response) override;

 private:
  // A call that writes: runs `work` with the caller's Call (identity, lookups).
  grpc::ServerUnaryReactor* Write(grpc::CallbackServerContext* context,
                                  absl::string_view operation,
                                  std::function<absl::Status(Call&)> work);
  // A call that only reads.
  grpc::ServerUnaryReactor* Read(grpc::CallbackServerContext* context,
                                 std::function<absl::Status()> work);

  RegistryState& state_;
  server::BlockingExecutor& executor_;
};

}  // namespace tiendo::registry
