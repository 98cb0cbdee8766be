// How tiendoctl talks to tiendo-metrics-ingest: the address and deadline flags, where the
// reporting unit's bearer token comes from (--token, TIENDO_TOKEN, --token-file, or
// --token-dir with one `<reporting_unit_id>.token` file per unit), the stub, and the per-call
// context that carries the deadline and the `authorization: Bearer <token>` metadata.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/config/flag_set.h"
#include "tiendo/ingest/v1/ingest.grpc.pb.h"

namespace tiendo::ctl {

inline constexpr char kAuthorizationMetadataKey[] = "authorization";

struct IngestConnection {
  std::string address = "localhost:7102";
  // Deadline of each call; a stream of batches gets this much per batch it carries.
  absl::Duration timeout = absl::Seconds(30);
};

// Registers --ingest (TIENDO_INGEST_ADDRESS) and --timeout, described by `timeout_help`.
void RegisterIngestFlags(config::FlagSet& flags, IngestConnection* connection,
                         absl::string_view timeout_help);

// Which token flags a command takes.
enum class TokenFlags {
  kOneToken,          // --token and --token-file
  kOneTokenOrPerUnit,  // also --token-dir
};

// Where the token comes from: exactly one of these is set after ResolveTokenSource.
struct TokenSource {
  std::string token;       // --token, else $TIENDO_TOKEN
  std::string token_file;  // --token-file
  std::string token_dir;   // --token-dir: the token of each row's own reporting unit
  TokenFlags offered = TokenFlags::kOneToken;  // set by RegisterTokenFlags, for messages
};

// Registers the token flags `which` names. TIENDO_TOKEN is read by ResolveTokenSource, only
// when no flag is given.
void RegisterTokenFlags(config::FlagSet& flags, TokenSource* source, TokenFlags which);

// Checks that exactly one source is given (falling back to TIENDO_TOKEN) and, for
// --token-file, reads the token. INVALID_ARGUMENT naming the flags for several, or for a
// token that is not one word of printable ASCII; the file's problem otherwise.
absl::Status ResolveTokenSource(const config::EnvLookup& env, TokenSource* source);

// The token in `path`: its text without surrounding whitespace. The OS's reason when it
// cannot be read; INVALID_ARGUMENT when it is empty or not one word of printable ASCII.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path);

// Where the token of a call came from, for the hint when it is refused: `token_path` (the
// unit's file under --token-dir) if given, else the resolved `source`.
std::string TokenOrigin(const TokenSource& source, absl::string_view token_path = "");

// `<dir>/<unit>.token`.
std::string UnitTokenPath(absl::string_view dir, absl::string_view unit);

// A stub on a new insecure channel to `connection.address`.
std::unique_ptr<ingest::v1::MetricsIngest::Stub> NewIngestStub(
    const IngestConnection& connection);

// Sets the deadline (now + `timeout`) and the bearer token on a fresh `context`.
void PrepareIngestCall(absl::Duration timeout, absl::string_view token,
                       grpc::ClientContext& context);

}  // namespace tiendo::ctl
