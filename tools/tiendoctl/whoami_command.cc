// tiendoctl whoami: who metrics-ingest takes a token for (GetCallerIdentity): the reporting
// unit, the token's id and expiry, the indicators the unit may report and ingest's limits.
// With --wait it keeps asking while the token is refused, for a token just issued: ingest
// learns tokens from tiendo.registry.v1, a moment after the registry issued them.
#include <grpcpp/grpcpp.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "services/common/grpc/grpc_status.h"
#include "tools/tiendoctl/command.h"
#include "tools/tiendoctl/ingest_connection.h"
#include "tools/tiendoctl/progress_text.h"
#include "tools/tiendoctl/proto_output.h"
#include "tools/tiendoctl/rpc_failure.h"

namespace tiendo::ctl {
namespace {

constexpr absl::Duration kRetryPause = absl::Milliseconds(250);

void PrintIdentity(const ingest::v1::CallerIdentity& identity, std::ostream& out) {
  out << "reporting unit  " << identity.reporting_unit_id();
  if (!identity.reporting_unit_name_vi().empty()) {
    out << " (" << identity.reporting_unit_name_vi() << ")";
  }
  out << "\ntoken           " << identity.token_id()
      << (identity.has_token_expires_at()
              ? absl::StrCat(", expires ", VietnamMinute(identity.token_expires_at()),
                             " (Vietnam time)")
              : ", never expires")
      << "\nmay report      "
      << (identity.allowed_indicator_ids().empty()
              ? std::string("no indicator")
              : absl::StrJoin(identity.allowed_indicator_ids(), ", "))
      << "\nlimits          " << identity.max_items_per_batch() << " items a batch, "
      << identity.max_message_bytes() << " bytes a message\n";
}

int Run(const std::vector<std::string>& args, Io& io) {
  IngestConnection connection;
  TokenSource token;
  std::string output = "text";
  absl::Duration wait = absl::ZeroDuration();
  config::FlagSet flags(
      "tiendoctl whoami",
      "Shows whom metrics-ingest takes the token for: the reporting unit, the token's id and "
      "expiry, the indicators the unit may report and ingest's limits. Exits 0 when the "
      "token is known, 1 when it is refused or the call failed, 2 on bad usage.");
  RegisterIngestFlags(flags, &connection,
                      "Deadline of each call to metrics-ingest (with --wait, of each try).");
  RegisterTokenFlags(flags, &token, TokenFlags::kOneToken);
  flags.AddChoice("output", "",
                  "text: one line per fact; json: the CallerIdentity as one JSON object with "
                  "the proto field names.",
                  {"text", "json"}, &output);
  flags.AddDuration("wait", "",
                    "keep asking while the token is refused, up to this long: a token just "
                    "issued is known to metrics-ingest once it has read it from "
                    "tiendo.registry.v1 (0: ask once)",
                    &wait);
  if (int code = ParseCommandFlags(flags, args, io); code >= 0) return code;
  if (absl::Status resolved = ResolveTokenSource(io.env, &token); !resolved.ok()) {
    io.err << "tiendoctl whoami: " << resolved.message() << "\n";
    return 2;
  }

  const std::unique_ptr<ingest::v1::MetricsIngest::Stub> stub = NewIngestStub(connection);
  const absl::Time give_up = absl::Now() + wait;
  while (true) {
    grpc::ClientContext context;
    PrepareIngestCall(connection.timeout, token.token, context);
    ingest::v1::CallerIdentity identity;
    const absl::Status status = server::FromGrpcStatus(
        stub->GetCallerIdentity(&context, ingest::v1::GetCallerIdentityRequest(), &identity));
    if (status.ok()) {
      if (output == "json") {
        io.out << JsonLine(identity) << "\n";
      } else {
        PrintIdentity(identity, io.out);
      }
      return 0;
    }
    if (!absl::IsUnauthenticated(status) || absl::Now() + kRetryPause > give_up) {
      PrintIngestFailure("whoami", status, connection.address, TokenOrigin(token), io.err);
      return 1;
    }
    std::this_thread::sleep_for(absl::ToChronoMilliseconds(kRetryPause));
  }
}

}  // namespace

Command WhoamiCommand() {
  return {"whoami", "Show whom metrics-ingest takes a token for (--wait for a new token).", Run};
}

}  // namespace tiendo::ctl
