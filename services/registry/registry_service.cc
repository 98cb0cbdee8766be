#include "services/registry/registry_service.h"

#include <string>

#include "services/common/grpc/grpc_status.h"
#include "services/registry/import_reactor.h"

namespace tiendo::registry {

grpc::ServerUnaryReactor* RegistryService::Write(grpc::CallbackServerContext* context,
                                                 absl::string_view operation,
                                                 std::function<absl::Status(Call&)> work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  executor_.Post([this, context, reactor, name = std::string(operation),
                  work = std::move(work)] {
    absl::StatusOr<std::unique_ptr<Call>> call = Call::Begin(state_, *context, name);
    reactor->Finish(server::ToGrpcStatus(call.ok() ? work(**call) : call.status()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* RegistryService::Read(grpc::CallbackServerContext* context,
                                                std::function<absl::Status()> work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  executor_.Post([reactor, work = std::move(work)] {
    reactor->Finish(server::ToGrpcStatus(work()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* RegistryService::ApplyPlan(grpc::CallbackServerContext* context,
    const v1::ApplyPlanRequest* request, v1::ApplyPlanResponse* response) {
  return Write(context, "ApplyPlan",
               [request, response](Call& call) { return registry::ApplyPlan(call, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::CreateEnterprise(grpc::CallbackServerContext* context,
    const v1::CreateEnterpriseRequest* request, v1::Enterprise* response) {
  return Write(context, "CreateEnterprise",
               [request, response](Call& call) { return registry::CreateEnterprise(call, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::UpdateEnterprise(grpc::CallbackServerContext* context,
    const v1::UpdateEnterpriseRequest* request, v1::Enterprise* response) {
  return Write(context, "UpdateEnterprise",
               [request, response](Call& call) { return registry::UpdateEnterprise(call, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::DissolveEnterprise(grpc::CallbackServerContext* context,
    const v1::DissolveEnterpriseRequest* request, v1::Enterprise* response) {
  return Write(context, "DissolveEnterprise",
               [request, response](Call& call) { return registry::DissolveEnterprise(call, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::CreatePublicService(grpc::CallbackServerContext* context,
    const v1::CreatePublicServiceRequest* request, v1::PublicService* response) {
  return Write(context, "CreatePublicService",
               [request, response](Call& call) { return registry::CreatePublicService(call, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::UpdatePublicService(grpc::CallbackServerContext* context,
    const v1::UpdatePublicServiceRequest* request, v1::PublicService* response) {
  return Write(context, "UpdatePublicService",
               [request, response](Call& call) { return registry::UpdatePublicService(call, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::CreateReportingUnit(grpc::CallbackServerContext* context,
    const v1::CreateReportingUnitRequest* request, v1::ReportingUnit* response) {
  return Write(context, "CreateReportingUnit",
               [request, response](Call& call) { return registry::CreateReportingUnit(call, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::UpdateReportingUnit(grpc::CallbackServerContext* context,
    const v1::UpdateReportingUnitRequest* request, v1::ReportingUnit* response) {
  return Write(context, "UpdateReportingUnit",
               [request, response](Call& call) { return registry::UpdateReportingUnit(call, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::SetAllowedIndicators(grpc::CallbackServerContext* context,
    const v1::SetAllowedIndicatorsRequest* request, v1::ReportingUnit* response) {
  return Write(context, "SetAllowedIndicators",
               [request, response](Call& call) { return registry::SetAllowedIndicators(call, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::IssueToken(grpc::CallbackServerContext* context,
    const v1::IssueTokenRequest* request, v1::IssueTokenResponse* response) {
  return Write(context, "IssueToken",
               [request, response](Call& call) { return registry::IssueToken(call, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::RevokeToken(grpc::CallbackServerContext* context,
    const v1::RevokeTokenRequest* request, v1::ReportingToken* response) {
  return Write(context, "RevokeToken",
               [request, response](Call& call) { return registry::RevokeToken(call, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::GetPlan(grpc::CallbackServerContext* context,
    const v1::GetPlanRequest* request, v1::Plan* response) {
  return Read(context,
              [this, request, response] { return registry::GetPlan(state_, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::ListPlans(grpc::CallbackServerContext* context,
    const v1::ListPlansRequest* request, v1::ListPlansResponse* response) {
  return Read(context,
              [this, request, response] { return registry::ListPlans(state_, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::GetIndicator(grpc::CallbackServerContext* context,
    const v1::GetIndicatorRequest* request, v1::Indicator* response) {
  return Read(context,
              [this, request, response] { return registry::GetIndicator(state_, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::ListIndicators(grpc::CallbackServerContext* context,
    const v1::ListIndicatorsRequest* request, v1::ListIndicatorsResponse* response) {
  return Read(context,
              [this, request, response] { return registry::ListIndicators(state_, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::GetTarget(grpc::CallbackServerContext* context,
    const v1::GetTargetRequest* request, v1::Target* response) {
  return Read(context,
              [this, request, response] { return registry::GetTarget(state_, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::ListTargets(grpc::CallbackServerContext* context,
    const v1::ListTargetsRequest* request, v1::ListTargetsResponse* response) {
  return Read(context,
              [this, request, response] { return registry::ListTargets(state_, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::GetEnterprise(grpc::CallbackServerContext* context,
    const v1::GetEnterpriseRequest* request, v1::Enterprise* response) {
  return Read(context,
              [this, request, response] { return registry::GetEnterprise(state_, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::ListEnterprises(grpc::CallbackServerContext* context,
    const v1::ListEnterprisesRequest* request, v1::ListEnterprisesResponse* response) {
  return Read(context,
              [this, request, response] { return registry::ListEnterprises(state_, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::GetPublicService(grpc::CallbackServerContext* context,
    const v1::GetPublicServiceRequest* request, v1::PublicService* response) {
  return Read(context,
              [this, request, response] { return registry::GetPublicService(state_, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::ListPublicServices(grpc::CallbackServerContext* context,
    const v1::ListPublicServicesRequest* request, v1::ListPublicServicesResponse* response) {
  return Read(context,
              [this, request, response] { return registry::ListPublicServices(state_, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::GetReportingUnit(grpc::CallbackServerContext* context,
    const v1::GetReportingUnitRequest* request, v1::ReportingUnit* response) {
  return Read(context,
              [this, request, response] { return registry::GetReportingUnit(state_, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::ListReportingUnits(grpc::CallbackServerContext* context,
    const v1::ListReportingUnitsRequest* request, v1::ListReportingUnitsResponse* response) {
  return Read(context,
              [this, request, response] { return registry::ListReportingUnits(state_, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::ListTokens(grpc::CallbackServerContext* context,
    const v1::ListTokensRequest* request, v1::ListTokensResponse* response) {
  return Read(context,
              [this, request, response] { return registry::ListTokens(state_, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::GetAdministrativeUnit(grpc::CallbackServerContext* context,
    const v1::GetAdministrativeUnitRequest* request, v1::AdministrativeUnit* response) {
  return Read(context,
              [this, request, response] { return registry::GetAdministrativeUnit(state_, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::ListAdministrativeUnits(grpc::CallbackServerContext* context,
    const v1::ListAdministrativeUnitsRequest* request, v1::ListAdministrativeUnitsResponse* response) {
  return Read(context,
              [this, request, response] { return registry::ListAdministrativeUnits(state_, *request, *response); });
}

grpc::ServerReadReactor<v1::ImportEnterprisesRequest>* RegistryService::ImportEnterprises(
    grpc::CallbackServerContext* context, v1::ImportEnterprisesResponse* response) {
  return new ImportReactor<v1::ImportEnterprisesRequest, v1::ImportEnterprisesResponse>(
      state_, executor_, context, response, EnterpriseRules(), "ImportEnterprises");
}

grpc::ServerReadReactor<v1::ImportPublicServicesRequest>* RegistryService::ImportPublicServices(
    grpc::CallbackServerContext* context, v1::ImportPublicServicesResponse* response) {
  return new ImportReactor<v1::ImportPublicServicesRequest, v1::ImportPublicServicesResponse>(
      state_, executor_, context, response, PublicServiceRules(), "ImportPublicServices");
}

}  // namespace tiendo::registry
