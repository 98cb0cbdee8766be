// How tiendoctl talks to tiendo-registry: the flags every registry command shares (--registry
// address, --timeout deadline, --actor identity), the stub, and the per-call context that
// carries the deadline and the `tiendo-actor` metadata the registry records in audit fields.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/common/config/flag_set.h"
#include "services/common/grpc/grpc_status.h"
#include "tiendo/registry/v1/registry.grpc.pb.h"

namespace tiendo::ctl {

// Metadata keys naming who makes a registry change: the plain one for a name of printable
// ASCII, the binary one (base64 on the wire) for any other, such as a Vietnamese name.
inline constexpr char kActorMetadataKey[] = "tiendo-actor";
inline constexpr char kBinaryActorMetadataKey[] = "tiendo-actor-bin";

struct RegistryConnection {
  std::string address = "localhost:7101";
  // Deadline of each call (of a whole import stream).
  absl::Duration timeout = absl::Seconds(10);
  // Recorded by the registry as the author of changes.
  std::string actor;
};

// `<user>@<host>` from $USER (else $LOGNAME, else "unknown") and the host name.
std::string DefaultActor(const config::EnvLookup& env);

// Registers --registry (TIENDO_REGISTRY_ADDRESS), --timeout and --actor (TIENDO_ACTOR) on
// `flags`, with `connection`'s values as defaults; the actor's default is DefaultActor(env).
void RegisterRegistryFlags(config::FlagSet& flags, const config::EnvLookup& env,
                           RegistryConnection* connection);

// A stub on a new insecure channel to `connection.address`.
std::unique_ptr<registry::v1::Registry::Stub> NewRegistryStub(
    const RegistryConnection& connection);

// Sets the deadline (now + timeout) and the actor metadata on a fresh `context`.
void PrepareCall(const RegistryConnection& connection, grpc::ClientContext& context);

// One unary call, e.g. CallRegistry(connection, &Registry::Stub::GetEnterprise, request,
// &enterprise), on a new stub with a prepared context; the status with its violations.
template <typename Request, typename Response>
absl::Status CallRegistry(const RegistryConnection& connection,
                          grpc::Status (registry::v1::Registry::Stub::*method)(
                              grpc::ClientContext*, const Request&, Response*),
                          const Request& request, Response* response) {
  grpc::ClientContext context;
  PrepareCall(connection, context);
  return server::FromGrpcStatus(
      (NewRegistryStub(connection).get()->*method)(&context, request, response));
}

}  // namespace tiendo::ctl
