#include "tools/tiendoctl/registry_connection.h"

#include <unistd.h>

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tools/tiendoctl/metadata_value.h"

namespace tiendo::ctl {

std::string DefaultActor(const config::EnvLookup& env) {
  std::optional<std::string> user = env("USER");
  if (!user.has_value() || user->empty()) user = env("LOGNAME");
  if (!user.has_value() || user->empty()) user = "unknown";
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') {
    return absl::StrCat(*user, "@localhost");
  }
  return absl::StrCat(*user, "@", host);
}

void RegisterRegistryFlags(config::FlagSet& flags, const config::EnvLookup& env,
                           RegistryConnection* connection) {
  if (connection->actor.empty()) connection->actor = DefaultActor(env);
  flags.AddString("registry", "TIENDO_REGISTRY_ADDRESS", "gRPC address of tiendo-registry.",
                  &connection->address);
  flags.AddDuration("timeout", "", "Deadline of the call to the registry.",
                    &connection->timeout);
  flags.AddString("actor", "TIENDO_ACTOR",
                  "Who is making the change, sent as gRPC metadata tiendo-actor (tiendo-actor-bin "
                  "when not printable ASCII) and recorded in the registry's audit fields, e.g. "
                  "ops:nguyen.van.a.",
                  &connection->actor);
}

std::unique_ptr<registry::v1::Registry::Stub> NewRegistryStub(
    const RegistryConnection& connection) {
  return registry::v1::Registry::NewStub(
      grpc::CreateChannel(connection.address, grpc::InsecureChannelCredentials()));
}

void PrepareCall(const RegistryConnection& connection, grpc::ClientContext& context) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + connection.timeout));
  const bool plain = FirstUnsendableByte(connection.actor) == absl::string_view::npos;
  context.AddMetadata(plain ? kActorMetadataKey : kBinaryActorMetadataKey, connection.actor);
}

}  // namespace tiendo::ctl
