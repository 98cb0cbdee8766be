// Who is calling the registry, for its audit trail: the request metadata `tiendo-actor`
// (e.g. "ops:nguyen.van.a", set by tiendoctl from --actor) or, for a name that is not
// printable ASCII (e.g. "ops:Nguyễn Văn A"), `tiendo-actor-bin`; when a client sends
// neither, "anonymous" with the peer address so that the change can still be traced.
#pragma once

#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"

namespace tiendo::registry {

// INVALID_ARGUMENT for an actor longer than 200 bytes, not UTF-8, or with control
// characters.
absl::StatusOr<std::string> CallerIdentity(const grpc::CallbackServerContext& context);

}  // namespace tiendo::registry
