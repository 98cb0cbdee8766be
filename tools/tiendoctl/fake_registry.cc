#include "tools/tiendoctl/fake_registry.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/grpc/grpc_status.h"
#include "tools/tiendoctl/loopback_server.h"
#include "tools/tiendoctl/registry_connection.h"

namespace tiendo::ctl::testing {
namespace {

using registry::v1::ImportRowResult;

std::string RowKey(const registry::v1::EnterpriseImportRow& row) {
  return row.enterprise().tax_code();
}
std::string RowKey(const registry::v1::PublicServiceImportRow& row) {
  return row.public_service().id();
}

// One page of `items` from the offset in `page_token`, and the next token.
template <typename Item, typename Request, typename Response>
void ServePage(const std::vector<Item>& items, const Request& request,
               google::protobuf::RepeatedPtrField<Item>* page, Response* response) {
  size_t offset = 0;
  if (!request.page_token().empty()) {
    (void)absl::SimpleAtoi(request.page_token(), &offset);
  }
  const size_t size = request.page_size() > 0 ? static_cast<size_t>(request.page_size()) : 100;
  const size_t end = std::min(items.size(), offset + size);
  for (size_t i = offset; i < end; ++i) *page->Add() = items[i];
  if (end < items.size()) response->set_next_page_token(absl::StrCat(end));
}

grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context, grpc::Status status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(std::move(status));
  return reactor;
}

}  // namespace

// Reads a whole import stream, recording each message, and answers with a result per row.
template <typename Request, typename Response>
class FakeRegistry::ImportReactor : public grpc::ServerReadReactor<Request> {
 public:
  ImportReactor(FakeRegistry* registry, grpc::Status status, Response* response,
                std::string key_field, std::function<void(const Request&)> record)
      : registry_(registry),
        status_(std::move(status)),
        response_(response),
        key_field_(std::move(key_field)),
        record_(std::move(record)) {
    this->StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      this->Finish(status_);
      return;
    }
    record_(request_);
    for (const auto& row : request_.rows()) {
      ImportRowResult result = registry_->ImportRow(row.row_number(), RowKey(row), key_field_);
      registry::v1::ImportSummary& summary = *response_->mutable_summary();
      summary.set_rows_received(summary.rows_received() + 1);
      if (result.outcome() == registry::v1::IMPORT_OUTCOME_REJECTED) {
        summary.set_rows_rejected(summary.rows_rejected() + 1);
        *response_->add_results() = std::move(result);
      } else {
        summary.set_rows_created(summary.rows_created() + 1);
      }
    }
    request_.Clear();
    this->StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  FakeRegistry* registry_;
  grpc::Status status_;
  Response* response_;
  std::string key_field_;
  std::function<void(const Request&)> record_;
  Request request_;
};

FakeRegistry::FakeRegistry() : server_(StartLoopbackServer(this, &address_)) {}

FakeRegistry::~FakeRegistry() { server_->Shutdown(); }

void FakeRegistry::FailWith(absl::Status status) {
  absl::MutexLock lock(&mutex_);
  failure_ = std::move(status);
}

void FakeRegistry::SetApplyPlanResponse(registry::v1::ApplyPlanResponse response) {
  absl::MutexLock lock(&mutex_);
  apply_plan_response_ = std::move(response);
}

void FakeRegistry::SetEnterprises(std::vector<registry::v1::Enterprise> enterprises) {
  absl::MutexLock lock(&mutex_);
  enterprises_ = std::move(enterprises);
}

void FakeRegistry::SetReportingUnits(std::vector<registry::v1::ReportingUnit> units) {
  absl::MutexLock lock(&mutex_);
  units_ = std::move(units);
}

void FakeRegistry::RejectImportKeys(std::set<std::string> keys) {
  absl::MutexLock lock(&mutex_);
  rejected_keys_ = std::move(keys);
}

void FakeRegistry::SetIssueTokenResponse(registry::v1::IssueTokenResponse response) {
  absl::MutexLock lock(&mutex_);
  issue_token_response_ = std::move(response);
}

#define TIENDO_FAKE_GETTER(type, name, member) \
  std::vector<type> FakeRegistry::name() const { \
    absl::MutexLock lock(&mutex_);               \
    return member;                               \
  }
TIENDO_FAKE_GETTER(std::string, actors, actors_)
TIENDO_FAKE_GETTER(registry::v1::ApplyPlanRequest, apply_plan_requests, apply_plan_requests_)
TIENDO_FAKE_GETTER(registry::v1::ImportEnterprisesRequest, import_enterprises_messages,
                   import_enterprises_)
TIENDO_FAKE_GETTER(registry::v1::ImportPublicServicesRequest, import_public_services_messages,
                   import_public_services_)
TIENDO_FAKE_GETTER(registry::v1::ListEnterprisesRequest, list_enterprises_requests,
                   list_enterprises_)
TIENDO_FAKE_GETTER(registry::v1::GetEnterpriseRequest, get_enterprise_requests, get_enterprise_)
TIENDO_FAKE_GETTER(registry::v1::CreateReportingUnitRequest, create_unit_requests, create_unit_)
TIENDO_FAKE_GETTER(registry::v1::ListReportingUnitsRequest, list_units_requests, list_units_)
TIENDO_FAKE_GETTER(registry::v1::IssueTokenRequest, issue_token_requests, issue_token_)
TIENDO_FAKE_GETTER(registry::v1::RevokeTokenRequest, revoke_token_requests, revoke_token_)
#undef TIENDO_FAKE_GETTER

grpc::Status FakeRegistry::Begin(grpc::CallbackServerContext* context) {
  absl::MutexLock lock(&mutex_);
  const auto& metadata = context->client_metadata();
  auto actor = metadata.find(kBinaryActorMetadataKey);
  if (actor == metadata.end()) actor = metadata.find(kActorMetadataKey);
  actors_.push_back(actor == metadata.end()
                        ? "(none)"
                        : std::string(actor->second.data(), actor->second.size()));
  return failure_.has_value() ? server::ToGrpcStatus(*failure_) : grpc::Status::OK;
}

ImportRowResult FakeRegistry::ImportRow(int64_t row_number, const std::string& key,
                                        const std::string& key_field) const {
  absl::MutexLock lock(&mutex_);
  ImportRowResult result;
  result.set_row_number(row_number);
  result.set_key(key);
  if (rejected_keys_.contains(key)) {
    result.set_outcome(registry::v1::IMPORT_OUTCOME_REJECTED);
    common::v1::FieldViolation* violation = result.add_field_violations();
    violation->set_field(key_field);
    violation->set_description(absl::StrCat(key, ": check digit is wrong"));
    violation->set_rule("check_digit");
  } else {
    result.set_outcome(registry::v1::IMPORT_OUTCOME_CREATED);
    result.set_version(1);
  }
  return result;
}

grpc::ServerUnaryReactor* FakeRegistry::ApplyPlan(grpc::CallbackServerContext* context,
                                                  const registry::v1::ApplyPlanRequest* request,
                                                  registry::v1::ApplyPlanResponse* response) {
  grpc::Status status = Begin(context);
  absl::MutexLock lock(&mutex_);
  apply_plan_requests_.push_back(*request);
  *response = apply_plan_response_;
  return Finish(context, std::move(status));
}

grpc::ServerReadReactor<registry::v1::ImportEnterprisesRequest>* FakeRegistry::ImportEnterprises(
    grpc::CallbackServerContext* context, registry::v1::ImportEnterprisesResponse* response) {
  return new ImportReactor<registry::v1::ImportEnterprisesRequest,
                           registry::v1::ImportEnterprisesResponse>(
      this, Begin(context), response, "tax_code",
      [this](const registry::v1::ImportEnterprisesRequest& message) {
        absl::MutexLock lock(&mutex_);
        import_enterprises_.push_back(message);
      });
}

grpc::ServerReadReactor<registry::v1::ImportPublicServicesRequest>*
FakeRegistry::ImportPublicServices(grpc::CallbackServerContext* context,
                                   registry::v1::ImportPublicServicesResponse* response) {
  return new ImportReactor<registry::v1::ImportPublicServicesRequest,
                           registry::v1::ImportPublicServicesResponse>(
      this, Begin(context), response, "id",
      [this](const registry::v1::ImportPublicServicesRequest& message) {
        absl::MutexLock lock(&mutex_);
        import_public_services_.push_back(message);
      });
}

grpc::ServerUnaryReactor* FakeRegistry::ListEnterprises(
    grpc::CallbackServerContext* context, const registry::v1::ListEnterprisesRequest* request,
    registry::v1::ListEnterprisesResponse* response) {
  grpc::Status status = Begin(context);
  absl::MutexLock lock(&mutex_);
  list_enterprises_.push_back(*request);
  ServePage(enterprises_, *request, response->mutable_enterprises(), response);
  return Finish(context, std::move(status));
}

grpc::ServerUnaryReactor* FakeRegistry::GetEnterprise(
    grpc::CallbackServerContext* context, const registry::v1::GetEnterpriseRequest* request,
    registry::v1::Enterprise* response) {
  grpc::Status status = Begin(context);
  absl::MutexLock lock(&mutex_);
  get_enterprise_.push_back(*request);
  for (const registry::v1::Enterprise& enterprise : enterprises_) {
    if (enterprise.tax_code() == request->tax_code()) {
      *response = enterprise;
      return Finish(context, std::move(status));
    }
  }
  return Finish(context, status.ok() ? grpc::Status(grpc::StatusCode::NOT_FOUND,
                                                    "enterprise " + request->tax_code() +
                                                        " not found")
                                     : std::move(status));
}

grpc::ServerUnaryReactor* FakeRegistry::CreateReportingUnit(
    grpc::CallbackServerContext* context, const registry::v1::CreateReportingUnitRequest* request,
    registry::v1::ReportingUnit* response) {
  grpc::Status status = Begin(context);
  absl::MutexLock lock(&mutex_);
  create_unit_.push_back(*request);
  *response = request->reporting_unit();
  response->set_version(1);
  return Finish(context, std::move(status));
}

grpc::ServerUnaryReactor* FakeRegistry::ListReportingUnits(
    grpc::CallbackServerContext* context, const registry::v1::ListReportingUnitsRequest* request,
    registry::v1::ListReportingUnitsResponse* response) {
  grpc::Status status = Begin(context);
  absl::MutexLock lock(&mutex_);
  list_units_.push_back(*request);
  ServePage(units_, *request, response->mutable_reporting_units(), response);
  return Finish(context, std::move(status));
}

grpc::ServerUnaryReactor* FakeRegistry::IssueToken(grpc::CallbackServerContext* context,
                                                   const registry::v1::IssueTokenRequest* request,
                                                   registry::v1::IssueTokenResponse* response) {
  grpc::Status status = Begin(context);
  absl::MutexLock lock(&mutex_);
  issue_token_.push_back(*request);
  *response = issue_token_response_;
  return Finish(context, std::move(status));
}

grpc::ServerUnaryReactor* FakeRegistry::RevokeToken(
    grpc::CallbackServerContext* context, const registry::v1::RevokeTokenRequest* request,
    registry::v1::ReportingToken* response) {
  grpc::Status status = Begin(context);
  absl::MutexLock lock(&mutex_);
  revoke_token_.push_back(*request);
  response->set_token_id(request->token_id());
  response->set_reporting_unit_id("brvt-sokhcn");
  response->set_display_prefix("tdo1." + request->token_id().substr(0, 7));
  response->mutable_revoked_at()->set_seconds(1767225600);  // 2026-01-01T00:00:00Z
  response->set_revoked_by(actors_.back());
  return Finish(context, std::move(status));
}

}  // namespace tiendo::ctl::testing
