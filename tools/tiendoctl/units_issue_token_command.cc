// tiendoctl units issue-token UNIT_ID: issues a bearer token for a reporting unit and prints
// it — the only time anyone sees it — with a warning to store it now, and the metadata that
// identifies it later (token id, display prefix, expiry). With --token-file the token goes
// into a file only its owner can read instead, and only the metadata is printed.
#include <sys/stat.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "tools/tiendoctl/command.h"
#include "tools/tiendoctl/registry_connection.h"
#include "tools/tiendoctl/rpc_failure.h"
#include "tools/tiendoctl/secret_file.h"

namespace tiendo::ctl {
namespace {

// A lifetime: `365d` (days), an Abseil duration of at least a second (`12h`, `90m`; whole
// seconds, a fraction rounded up), or `0`/`never` for a token that never expires (zero).
// nullopt when the text is none of these: `0s` or `500ms` would otherwise ask for the
// shortest lifetime and get a token that never expires.
std::optional<absl::Duration> ParseTtl(absl::string_view text) {
  if (text == "never" || text == "0") return absl::ZeroDuration();
  int64_t days = 0;
  if (absl::ConsumeSuffix(&text, "d")) {
    if (!absl::SimpleAtoi(text, &days) || days <= 0) return std::nullopt;
    return absl::Hours(24) * days;
  }
  absl::Duration duration;
  if (!absl::ParseDuration(text, &duration) || duration <= absl::ZeroDuration()) {
    return std::nullopt;
  }
  return std::max(absl::Ceil(duration, absl::Seconds(1)), absl::Seconds(1));
}

int Run(const std::vector<std::string>& args, Io& io) {
  RegistryConnection connection;
  std::string description;
  std::string ttl_text = "365d";
  std::string token_file;
  bool force = false;
  config::FlagSet flags(
      "tiendoctl units issue-token UNIT_ID",
      "Issues a new bearer token for an active reporting unit and prints it once: the "
      "registry keeps only its hash, so store it in the department system's secret store "
      "straight away. Also prints the token id (for revoke-token), its display prefix and "
      "its expiry. With --token-file the token is written to that file (mode 0600) and not "
      "shown. Exits 0 when issued, 1 when refused or the call failed, 2 on bad usage.");
  RegisterRegistryFlags(flags, io.env, &connection);
  flags.AddString("description", "",
                  "What the token is for, e.g. \"DKKD connector, production\". Required.",
                  &description);
  flags.AddString("ttl", "",
                  "Lifetime from now, at most ten years: days as 365d, or a duration as 12h "
                  "or 90m (whole seconds, rounded up); 0 or never for a token that does not "
                  "expire.",
                  &ttl_text);
  flags.AddString("token-file", "",
                  "Write the token to this file (mode 0600, parent directories created) and "
                  "print only its metadata. An existing file is refused unless --force.",
                  &token_file);
  flags.AddBool("force", "", "With --token-file: replace an existing file.", &force);
  registry::v1::IssueTokenRequest request;
  if (int code = ParseCommandFlagsAndArgument(flags, args, io, "units issue-token", "UNIT_ID",
                                              request.mutable_reporting_unit_id());
      code >= 0) {
    return code;
  }
  if (description.empty()) {
    io.err << "tiendoctl units issue-token: missing --description (see tiendoctl units "
              "issue-token --help)\n";
    return 2;
  }
  const std::optional<absl::Duration> ttl = ParseTtl(ttl_text);
  if (!ttl.has_value()) {
    io.err << "tiendoctl: --ttl: \"" << ttl_text
           << "\" is not a lifetime (write it like 365d, 12h, or never; a duration of "
              "zero is not \"never\")\n";
    return 2;
  }
  struct stat existing;
  if (!token_file.empty() && !force && ::stat(token_file.c_str(), &existing) == 0) {
    // Checked before the call, so that no token is issued that cannot be stored.
    io.err << "tiendoctl units issue-token: " << token_file
           << " exists; give --force to replace it (no token was issued)\n";
    return 1;
  }
  request.set_description(description);
  if (*ttl > absl::ZeroDuration()) {
    request.mutable_ttl()->set_seconds(absl::ToInt64Seconds(*ttl));
  }

  registry::v1::IssueTokenResponse response;
  const absl::Status status =
      CallRegistry(connection, &registry::v1::Registry::Stub::IssueToken, request, &response);
  if (!status.ok()) {
    PrintRpcFailure("units issue-token " + request.reporting_unit_id(), status,
                    connection.address, io.err);
    return 1;
  }
  const registry::v1::ReportingToken& token = response.token();
  if (token_file.empty()) {
    io.out << response.bearer_token() << "\n"
           << "WARNING: this is the only time this token is shown; store it now in the "
              "department system's secret store.\n";
  } else if (absl::Status written =
                 WriteSecretFile(token_file, response.bearer_token() + "\n", force);
             written.ok()) {
    io.out << "token written to " << token_file << " (mode 0600)\n";
  } else {
    io.err << "tiendoctl units issue-token: token " << token.token_id()
           << " was issued but not stored: " << written.message()
           << "\n  revoke it with: tiendoctl units revoke-token " << token.token_id() << "\n";
    return 1;
  }
  io.out << "token id:  " << token.token_id() << "\n"
         << "prefix:    " << token.display_prefix() << "\n"
         << "unit:      " << token.reporting_unit_id() << "\n"
         << "expires:   "
         << (token.has_expires_at() ? google::protobuf::util::TimeUtil::ToString(token.expires_at())
                                    : "never")
         << "\n";
  return 0;
}

}  // namespace

Command UnitsIssueTokenCommand() {
  return {"units issue-token", "Issue a bearer token for a reporting unit (shown once).", Run};
}

}  // namespace tiendo::ctl
