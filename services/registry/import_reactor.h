// ImportReactor: one bulk import stream (ImportEnterprises, ImportPublicServices). Each
// request message's rows are validated one by one and committed in one transaction, off
// gRPC's threads, before the next message is read; so a broken stream leaves every earlier
// message committed and nothing of the one in progress. The response, after the client
// closes the stream, has the totals and the rejected rows (or every row, if asked).
//
// Options are read from the first message. A dry run rolls every message back, so rows of a
// later message do not see rows an earlier one would have created.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "services/common/grpc/blocking_executor.h"
#include "services/common/grpc/grpc_status.h"
#include "services/registry/entity_kinds.h"
#include "services/registry/registry_calls.h"
#include "tiendo/registry/v1/registry.pb.h"

namespace tiendo::registry {

inline const google::protobuf::Message& RowEntity(const v1::EnterpriseImportRow& row) {
  return row.enterprise();
}
inline const google::protobuf::Message& RowEntity(const v1::PublicServiceImportRow& row) {
  return row.public_service();
}

// The most bytes of row results one import's response lists: the rest are counted in
// ImportSummary.results_omitted, so that the response stays well within what a client takes
// (4 MiB by default) however many rows are rejected or reported.
inline constexpr size_t kMaxListedResultBytes = 2 * 1024 * 1024;

// Commits the rows of one request message and adds their results to `response`: to
// `results` while `listed_bytes` (the bytes of those listed so far, which it counts on)
// stays within kMaxListedResultBytes.
absl::Status ImportMessage(Call& call, const EntityRules& rules,
                           const v1::ImportOptions& options,
                           const std::vector<std::pair<int64_t, const google::protobuf::Message*>>& rows,
                           v1::ImportSummary& summary,
                           google::protobuf::RepeatedPtrField<v1::ImportRowResult>& results,
                           size_t& listed_bytes);

template <typename Request, typename Response>
class ImportReactor final : public grpc::ServerReadReactor<Request> {
 public:
  ImportReactor(RegistryState& state, server::BlockingExecutor& executor,
                grpc::CallbackServerContext* context, Response* response,
                const EntityRules& rules, absl::string_view operation)
      : executor_(executor), response_(response), rules_(rules) {
    absl::StatusOr<std::unique_ptr<Call>> call = Call::Begin(state, *context, operation);
    if (!call.ok()) {
      this->Finish(server::ToGrpcStatus(call.status()));
      return;
    }
    call_ = std::move(*call);
    this->StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client closed the stream (or it broke)
      this->Finish(grpc::Status::OK);
      return;
    }
    executor_.Post([this] {
      if (first_) options_ = request_.options();
      first_ = false;
      std::vector<std::pair<int64_t, const google::protobuf::Message*>> rows;
      rows.reserve(request_.rows_size());
      for (const auto& row : request_.rows()) rows.emplace_back(row.row_number(), &RowEntity(row));
      const absl::Status imported =
          ImportMessage(*call_, rules_, options_, rows, *response_->mutable_summary(),
                        *response_->mutable_results(), listed_bytes_);
      if (!imported.ok()) {
        this->Finish(server::ToGrpcStatus(imported));
        return;
      }
      this->StartRead(&request_);
    });
  }

  void OnDone() override { delete this; }

 private:
  server::BlockingExecutor& executor_;
  Response* response_;
  const EntityRules& rules_;
  std::unique_ptr<Call> call_;
  Request request_;
  v1::ImportOptions options_;
  bool first_ = true;
  size_t listed_bytes_ = 0;  // of the results in the response
};

}  // namespace tiendo::registry
