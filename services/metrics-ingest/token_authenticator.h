// Who is submitting: the bearer token of a call (gRPC metadata `authorization`) or of a raw
// record (header `authorization`), checked against the token hashes the registry publishes.
// The hash of the presented token is compared in constant time; the secret is never logged
// or echoed.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/registry_view/registry_view.h"

namespace tiendo::ingest {

// The authenticated sender.
struct Caller {
  std::string reporting_unit_id;
  std::string token_id;
};

// The caller `authorization` (the whole header value, `Bearer <token>`) identifies at `now`.
// UNAUTHENTICATED, naming what is wrong but never the secret, for a missing or malformed
// value, an unknown token, a wrong secret, a revoked or expired token, or a token whose
// reporting unit the registry does not know.
absl::StatusOr<Caller> Authenticate(absl::string_view authorization,
                                    const registry_view::RegistryView& view, absl::Time now);

}  // namespace tiendo::ingest
