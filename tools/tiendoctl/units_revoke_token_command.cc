// tiendoctl units revoke-token TOKEN_ID: revokes a reporting unit's bearer token; ingest
// refuses it from the moment it sees the revocation. Revoking a revoked token changes
// nothing and says when it was revoked.
#include <string>
#include <vector>

#include "google/protobuf/util/time_util.h"
#include "tools/tiendoctl/command.h"
#include "tools/tiendoctl/registry_connection.h"
#include "tools/tiendoctl/rpc_failure.h"

namespace tiendo::ctl {
namespace {

int Run(const std::vector<std::string>& args, Io& io) {
  RegistryConnection connection;
  config::FlagSet flags("tiendoctl units revoke-token TOKEN_ID",
                        "Revokes a bearer token by its token id (as printed by issue-token). "
                        "Exits 0 when the token is revoked (now or before), 1 when it is "
                        "unknown or the call failed, 2 on bad usage.");
  RegisterRegistryFlags(flags, io.env, &connection);
  registry::v1::RevokeTokenRequest request;
  if (int code = ParseCommandFlagsAndArgument(flags, args, io, "units revoke-token",
                                              "TOKEN_ID", request.mutable_token_id());
      code >= 0) {
    return code;
  }
  registry::v1::ReportingToken token;
  const absl::Status status =
      CallRegistry(connection, &registry::v1::Registry::Stub::RevokeToken, request, &token);
  if (!status.ok()) {
    PrintRpcFailure("units revoke-token " + request.token_id(), status, connection.address,
                    io.err);
    return 1;
  }
  io.out << "revoked token " << token.token_id() << " (" << token.display_prefix()
         << ") of reporting unit " << token.reporting_unit_id();
  if (token.has_revoked_at()) {
    io.out << " at " << google::protobuf::util::TimeUtil::ToString(token.revoked_at());
  }
  if (!token.revoked_by().empty()) io.out << " by " << token.revoked_by();
  io.out << "\n";
  return 0;
}

}  // namespace

Command UnitsRevokeTokenCommand() {
  return {"units revoke-token", "Revoke a reporting unit's bearer token.", Run};
}

}  // namespace tiendo::ctl
