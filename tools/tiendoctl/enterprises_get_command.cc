// tiendoctl enterprises get TAX_CODE: shows one enterprise of the registry in full, as
// readable protobuf text or as one JSON object.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tools/tiendoctl/command.h"
#include "tools/tiendoctl/proto_output.h"
#include "tools/tiendoctl/registry_connection.h"
#include "tools/tiendoctl/rpc_failure.h"

namespace tiendo::ctl {
namespace {

int Run(const std::vector<std::string>& args, Io& io) {
  RegistryConnection connection;
  std::string output = "text";
  config::FlagSet flags("tiendoctl enterprises get TAX_CODE",
                        "Shows one enterprise, every field, by tax code (e.g. 0100233488 or "
                        "0314409058-002). Exits 0 when found, 1 when not found or the call "
                        "failed, 2 on bad usage.");
  RegisterRegistryFlags(flags, io.env, &connection);
  flags.AddChoice("output", "",
                  "text: protobuf text format; json: one JSON object with the proto field "
                  "names.",
                  {"text", "json"}, &output);
  registry::v1::GetEnterpriseRequest request;
  if (int code = ParseCommandFlagsAndArgument(flags, args, io, "enterprises get", "TAX_CODE",
                                              request.mutable_tax_code());
      code >= 0) {
    return code;
  }
  registry::v1::Enterprise enterprise;
  const absl::Status status =
      CallRegistry(connection, &registry::v1::Registry::Stub::GetEnterprise, request, &enterprise);
  if (!status.ok()) {
    PrintRpcFailure(absl::StrCat("enterprises get ", request.tax_code()), status,
                    connection.address, io.err);
    return 1;
  }
  io.out << (output == "json" ? JsonLine(enterprise) + "\n" : ReadableText(enterprise));
  return 0;
}

}  // namespace

Command EnterprisesGetCommand() {
  return {"enterprises get", "Show one enterprise by tax code.", Run};
}

}  // namespace tiendo::ctl
