// The one place absl::Status and grpc::Status meet. Codes map one to one; a status that
// carries field violations (status/field_violations.h) travels as a google.rpc.Status-shaped
// RpcStatus in the gRPC status details with a BadRequest detail, so grpcurl and other
// generic clients show each field and rule, and tiendo clients get the violations back.
#pragma once

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"

namespace tiendo::server {

// Server side: the status to finish a call with.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Client side: the status a call ended with, violations restored.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace tiendo::server
