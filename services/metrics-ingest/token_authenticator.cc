#include "services/metrics-ingest/token_authenticator.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/auth/bearer_token.h"

namespace tiendo::ingest {
namespace {

// Saturating: a registry event's timestamp out of range cannot wrap around.
absl::Time ToTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

}  // namespace

absl::StatusOr<Caller> Authenticate(absl::string_view authorization,
                                    const registry_view::RegistryView& view, absl::Time now) {
  if (authorization.empty()) {
    return absl::UnauthenticatedError(
        "no bearer token: send 'Bearer <token>' as the authorization metadata (gRPC) or "
        "record header (raw topic), with the token issued to your reporting unit (tiendoctl "
        "units issue-token)");
  }
  constexpr absl::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size() ||
      !absl::StartsWithIgnoreCase(authorization, kScheme)) {
    return absl::UnauthenticatedError(
        "the authorization value must be 'Bearer <token>'");
  }
  const absl::string_view token =
      absl::StripAsciiWhitespace(authorization.substr(kScheme.size()));
  absl::StatusOr<std::string> token_id = auth::TokenIdOf(token);
  if (!token_id.ok()) return absl::UnauthenticatedError(token_id.status().message());
  const registry::v1::ReportingTokenCredential* credential = view.FindToken(*token_id);
  if (credential == nullptr ||
      !auth::ConstantTimeEquals(auth::TokenSha256(token), credential->secret_sha256())) {
    // One answer for both: an unknown id and a wrong secret must look alike.
    return absl::UnauthenticatedError(absl::StrCat(
        "token ", auth::DisplayPrefix(token), "… is not a valid token (unknown, or mistyped)"));
  }
  const registry::v1::ReportingToken& metadata = credential->token();
  if (metadata.has_revoked_at()) {
    return absl::UnauthenticatedError(absl::StrCat("token ", metadata.display_prefix(),
                                                   "… was revoked; ask for a new one"));
  }
  if (metadata.has_expires_at() && ToTime(metadata.expires_at()) <= now) {
    return absl::UnauthenticatedError(absl::StrCat(
        "token ", metadata.display_prefix(), "… expired at ",
        absl::FormatTime(absl::RFC3339_sec, ToTime(metadata.expires_at()), absl::UTCTimeZone()),
        "; ask for a new one"));
  }
  if (view.FindReportingUnit(metadata.reporting_unit_id()) == nullptr) {
    return absl::UnauthenticatedError(absl::StrCat("token ", metadata.display_prefix(),
                                                   "… belongs to reporting unit ",
                                                   metadata.reporting_unit_id(),
                                                   ", which the registry does not know"));
  }
  return Caller{metadata.reporting_unit_id(), metadata.token_id()};
}

}  // namespace tiendo::ingest
