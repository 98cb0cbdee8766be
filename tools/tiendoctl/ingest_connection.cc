#include "tools/tiendoctl/ingest_connection.h"

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "services/common/status/status_macros.h"
#include "tools/tiendoctl/file_text.h"
#include "tools/tiendoctl/metadata_value.h"
#include "tools/tiendoctl/service_addresses.h"

namespace tiendo::ctl {
namespace {

// The token flags `source`'s command takes, as messages list them.
absl::string_view OfferedFlags(const TokenSource& source) {
  return source.offered == TokenFlags::kOneToken ? "--token, --token-file"
                                                 : "--token, --token-file, --token-dir";
}

// OK when `token` can go in an authorization header, as one word: printable ASCII without
// spaces, as `units issue-token` writes it.
absl::Status CheckTokenText(absl::string_view token, absl::string_view origin) {
  const size_t bad = std::min(FirstUnsendableByte(token), token.find(' '));
  if (bad == absl::string_view::npos) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrFormat(
      "the token from %s has byte 0x%02X at position %d, which no token holds (a token is one "
      "word of printable ASCII, as tiendoctl units issue-token wrote it; was the file saved "
      "with a byte order mark, or given more than the token?)",
      origin, static_cast<unsigned char>(token[bad]), bad + 1));
}

}  // namespace

void RegisterIngestFlags(config::FlagSet& flags, IngestConnection* connection,
                         absl::string_view timeout_help) {
  RegisterIngestAddressFlag(flags, &connection->address);
  flags.AddDuration("timeout", "", std::string(timeout_help), &connection->timeout);
}

void RegisterTokenFlags(config::FlagSet& flags, TokenSource* source, TokenFlags which) {
  source->offered = which;
  flags.AddString("token", "",
                  "The reporting unit's bearer token (tiendoctl units issue-token). Prefer "
                  "TIENDO_TOKEN or --token-file: a flag shows in the process list. Default: "
                  "$TIENDO_TOKEN.",
                  &source->token);
  flags.AddString("token-file", "", "A file holding the bearer token.", &source->token_file);
  if (which == TokenFlags::kOneToken) return;
  flags.AddString("token-dir", "",
                  "A directory of <reporting_unit_id>.token files: each CSV row is sent with "
                  "the token of its own reporting_unit_id (for --file only).",
                  &source->token_dir);
}

absl::Status ResolveTokenSource(const config::EnvLookup& env, TokenSource* source) {
  const int given = (source->token.empty() ? 0 : 1) + (source->token_file.empty() ? 0 : 1) +
                    (source->token_dir.empty() ? 0 : 1);
  if (given > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("give the token one way, not several of ", OfferedFlags(*source)));
  }
  if (given == 0) {
    // With no token at all the call still goes out, so that the service itself answers
    // UNAUTHENTICATED (and says how to authenticate).
    const std::optional<std::string> from_env = env("TIENDO_TOKEN");
    if (from_env.has_value()) source->token = std::string(absl::StripAsciiWhitespace(*from_env));
    return CheckTokenText(source->token, "TIENDO_TOKEN");
  }
  if (!source->token_file.empty()) {
    absl::StatusOr<std::string> token = ReadTokenFile(source->token_file);
    if (!token.ok()) return token.status();
    source->token = *std::move(token);
  }
  return CheckTokenText(source->token, "--token");
}

absl::StatusOr<std::string> ReadTokenFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFileText(path);
  if (!text.ok()) {
    return absl::Status(text.status().code(),
                        absl::StrCat("cannot read token file ", path, ": ",
                                     text.status().message()));
  }
  const std::string token(absl::StripAsciiWhitespace(*text));
  if (token.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("token file ", path, " is empty"));
  }
  RETURN_IF_ERROR(CheckTokenText(token, absl::StrCat("file ", path)));
  return token;
}

std::string TokenOrigin(const TokenSource& source, absl::string_view token_path) {
  if (!token_path.empty()) return std::string(token_path);
  if (!source.token_file.empty()) return source.token_file;
  if (source.token.empty()) {
    return absl::StrCat("nowhere (no ", OfferedFlags(source), " or TIENDO_TOKEN)");
  }
  return "--token or TIENDO_TOKEN";
}

std::string UnitTokenPath(absl::string_view dir, absl::string_view unit) {
  return absl::StrCat(dir, absl::EndsWith(dir, "/") ? "" : "/", unit, ".token");
}

std::unique_ptr<ingest::v1::MetricsIngest::Stub> NewIngestStub(
    const IngestConnection& connection) {
  return ingest::v1::MetricsIngest::NewStub(
      grpc::CreateChannel(connection.address, grpc::InsecureChannelCredentials()));
}

void PrepareIngestCall(absl::Duration timeout, absl::string_view token,
                       grpc::ClientContext& context) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  if (!token.empty()) {
    context.AddMetadata(kAuthorizationMetadataKey, absl::StrCat("Bearer ", token));
  }
}

}  // namespace tiendo::ctl
