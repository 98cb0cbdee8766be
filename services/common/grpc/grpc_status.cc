#include "services/common/grpc/grpc_status.h"

#include <string>

#include "absl/strings/cord.h"
#include "services/common/status/field_violations.h"
#include "tiendo/common/v1/rpc_status.pb.h"

namespace tiendo::server {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  const std::string message(status.message());
  const absl::optional<absl::Cord> bad_request = status.GetPayload(status::kBadRequestTypeUrl);
  if (!bad_request.has_value()) return grpc::Status(code, message);
  common::v1::RpcStatus rich;
  rich.set_code(static_cast<int>(code));
  rich.set_message(message);
  common::v1::PackedDetail* detail = rich.add_details();
  detail->set_type_url(std::string(status::kBadRequestTypeUrl));
  detail->set_value(std::string(*bad_request));
  return grpc::Status(code, message, rich.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
  common::v1::RpcStatus rich;
  if (status.error_details().empty() || !rich.ParseFromString(status.error_details())) {
    return result;
  }
  for (const common::v1::PackedDetail& detail : rich.details()) {
    if (detail.type_url() == status::kBadRequestTypeUrl) {
      result.SetPayload(status::kBadRequestTypeUrl, absl::Cord(detail.value()));
    }
  }
  return result;
}

}  // namespace tiendo::server
