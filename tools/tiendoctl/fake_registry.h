// FakeRegistry: an in-process tiendo.registry.v1.Registry for tiendoctl's tests (the real
// service is tested on its own). It listens on a loopback port the kernel picks, records
// every request with the `tiendo-actor` metadata it came with, and answers from what the
// test set: an error for every call, canned responses, enterprises and units to page
// through, import rows to reject.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "tiendo/registry/v1/registry.grpc.pb.h"

namespace tiendo::ctl::testing {

class FakeRegistry : public registry::v1::Registry::CallbackService {
 public:
  // Starts serving on 127.0.0.1:0.
  FakeRegistry();
  ~FakeRegistry() override;

  // "127.0.0.1:PORT".
  const std::string& address() const { return address_; }

  // --- What the test sets (before running a command) -----------------------------------
  // Every call fails with this status (violations kept) when set.
  void FailWith(absl::Status status);
  void SetApplyPlanResponse(registry::v1::ApplyPlanResponse response);
  // Served by ListEnterprises / ListReportingUnits in pages of the requested size, the page
  // token being the offset.
  void SetEnterprises(std::vector<registry::v1::Enterprise> enterprises);
  void SetReportingUnits(std::vector<registry::v1::ReportingUnit> units);
  // Import rows with these keys (tax code, public service id) are REJECTED with a violation
  // of rule `check_digit` on `tax_code` / `id`; every other row is CREATED at version 1.
  void RejectImportKeys(std::set<std::string> keys);
  void SetIssueTokenResponse(registry::v1::IssueTokenResponse response);

  // --- What the commands sent --------------------------------------------------------------
  std::vector<std::string> actors() const;
  std::vector<registry::v1::ApplyPlanRequest> apply_plan_requests() const;
  std::vector<registry::v1::ImportEnterprisesRequest> import_enterprises_messages() const;
  std::vector<registry::v1::ImportPublicServicesRequest> import_public_services_messages() const;
  std::vector<registry::v1::ListEnterprisesRequest> list_enterprises_requests() const;
  std::vector<registry::v1::GetEnterpriseRequest> get_enterprise_requests() const;
  std::vector<registry::v1::CreateReportingUnitRequest> create_unit_requests() const;
  std::vector<registry::v1::ListReportingUnitsRequest> list_units_requests() const;
  std::vector<registry::v1::IssueTokenRequest> issue_token_requests() const;
  std::vector<registry::v1::RevokeTokenRequest> revoke_token_requests() const;

  // --- The service -------------------------------------------------------------------------
  grpc::ServerUnaryReactor* ApplyPlan(grpc::CallbackServerContext* context,
                                      const registry::v1::ApplyPlanRequest* request,
                                      registry::v1::ApplyPlanResponse* response) override;
  grpc::ServerReadReactor<registry::v1::ImportEnterprisesRequest>* ImportEnterprises(
      grpc::CallbackServerContext* context,
      registry::v1::ImportEnterprisesResponse* response) override;
  grpc::ServerReadReactor<registry::v1::ImportPublicServicesRequest>* ImportPublicServices(
      grpc::CallbackServerContext* context,
      registry::v1::ImportPublicServicesResponse* response) override;
  grpc::ServerUnaryReactor* ListEnterprises(
      grpc::CallbackServerContext* context, const registry::v1::ListEnterprisesRequest* request,
      registry::v1::ListEnterprisesResponse* response) override;
  grpc::ServerUnaryReactor* GetEnterprise(grpc::CallbackServerContext* context,
                                          const registry::v1::GetEnterpriseRequest* request,
                                          registry::v1::Enterprise* response) override;
  grpc::ServerUnaryReactor* CreateReportingUnit(
      grpc::CallbackServerContext* context,
      const registry::v1::CreateReportingUnitRequest* request,
      registry::v1::ReportingUnit* response) override;
  grpc::ServerUnaryReactor* ListReportingUnits(
      grpc::CallbackServerContext* context,
      const registry::v1::ListReportingUnitsRequest* request,
      registry::v1::ListReportingUnitsResponse* response) override;
  grpc::ServerUnaryReactor* IssueToken(grpc::CallbackServerContext* context,
                                       const registry::v1::IssueTokenRequest* request,
                                       registry::v1::IssueTokenResponse* response) override;
  grpc::ServerUnaryReactor* RevokeToken(grpc::CallbackServerContext* context,
                                        const registry::v1::RevokeTokenRequest* request,
                                        registry::v1::ReportingToken* response) override;

 private:
  template <typename Request, typename Response>
  class ImportReactor;

  // Records the caller's actor; the status to answer with (OK unless FailWith).
  grpc::Status Begin(grpc::CallbackServerContext* context) ABSL_LOCKS_EXCLUDED(mutex_);
  // The result of one imported row with `key`.
  registry::v1::ImportRowResult ImportRow(int64_t row_number, const std::string& key,
                                          const std::string& key_field) const
      ABSL_LOCKS_EXCLUDED(mutex_);

  mutable absl::Mutex mutex_;
  std::optional<absl::Status> failure_ ABSL_GUARDED_BY(mutex_);
  registry::v1::ApplyPlanResponse apply_plan_response_ ABSL_GUARDED_BY(mutex_);
  std::vector<registry::v1::Enterprise> enterprises_ ABSL_GUARDED_BY(mutex_);
  std::vector<registry::v1::ReportingUnit> units_ ABSL_GUARDED_BY(mutex_);
  std::set<std::string> rejected_keys_ ABSL_GUARDED_BY(mutex_);
  registry::v1::IssueTokenResponse issue_token_response_ ABSL_GUARDED_BY(mutex_);

  std::vector<std::string> actors_ ABSL_GUARDED_BY(mutex_);
  std::vector<registry::v1::ApplyPlanRequest> apply_plan_requests_ ABSL_GUARDED_BY(mutex_);
  std::vector<registry::v1::ImportEnterprisesRequest> import_enterprises_
      ABSL_GUARDED_BY(mutex_);
  std::vector<registry::v1::ImportPublicServicesRequest> import_public_services_
      ABSL_GUARDED_BY(mutex_);
  std::vector<registry::v1::ListEnterprisesRequest> list_enterprises_ ABSL_GUARDED_BY(mutex_);
  std::vector<registry::v1::GetEnterpriseRequest> get_enterprise_ ABSL_GUARDED_BY(mutex_);
  std::vector<registry::v1::CreateReportingUnitRequest> create_unit_ ABSL_GUARDED_BY(mutex_);
  std::vector<registry::v1::ListReportingUnitsRequest> list_units_ ABSL_GUARDED_BY(mutex_);
  std::vector<registry::v1::IssueTokenRequest> issue_token_ ABSL_GUARDED_BY(mutex_);
  std::vector<registry::v1::RevokeTokenRequest> revoke_token_ ABSL_GUARDED_BY(mutex_);

  std::string address_;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace tiendo::ctl::testing
