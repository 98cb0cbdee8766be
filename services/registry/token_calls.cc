// Reporting tokens: issue (the only time the token string is shown), revoke and list.
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/auth/bearer_token.h"
#include "services/common/core/utf8_text.h"
#include "services/common/status/field_violations.h"
#include "services/common/status/status_macros.h"
#include "services/registry/entity_list.h"
#include "services/registry/registry_calls.h"

namespace tiendo::registry {
namespace {

using google::protobuf::util::TimeUtil;

// The longest a token may be issued for: ten years (of 365 days).
constexpr int64_t kMaxTtlSeconds = int64_t{10} * 365 * 24 * 60 * 60;
constexpr size_t kMaxDescriptionCharacters = 200;

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

bool Active(const v1::ReportingToken& token, absl::Time now) {
  return !token.has_revoked_at() &&
         (!token.has_expires_at() || ToTimestamp(now) < token.expires_at());
}

}  // namespace

absl::Status IssueToken(Call& call, const v1::IssueTokenRequest& request,
                        v1::IssueTokenResponse& response) {
  std::vector<common::v1::FieldViolation> violations;
  if (request.reporting_unit_id().empty()) {
    violations.push_back(status::Violation(
        "reporting_unit_id", "required",
        "reporting_unit_id is required: the unit whose systems will send with the token"));
  }
  if (request.description().empty()) {
    violations.push_back(status::Violation(
        "description", "required",
        "description is required: say what the token is for, e.g. \"DKKD connector, "
        "production\""));
  } else if (const std::optional<size_t> characters = core::Utf8Length(request.description());
             !characters.has_value()) {
    violations.push_back(
        status::Violation("description", "format", "description is not valid UTF-8"));
  } else if (*characters > kMaxDescriptionCharacters) {
    violations.push_back(status::Violation(
        "description", "too_long",
        absl::StrCat("description has ", *characters, " characters; at most ",
                     kMaxDescriptionCharacters, ": say briefly what the token is for")));
  }
  // Whole seconds: a lifetime under one would be an expiry that has passed before the token
  // is handed over, and dropping its nanos would make it one that never comes.
  const google::protobuf::Duration& ttl = request.ttl();
  if (ttl.seconds() < 0 || ttl.nanos() < 0) {
    violations.push_back(status::Violation("ttl", "out_of_range",
                                           "ttl must not be negative (0 = never expires)"));
  } else if (ttl.nanos() != 0) {
    violations.push_back(status::Violation(
        "ttl", "out_of_range",
        absl::StrCat("ttl is ", TimeUtil::ToString(ttl),
                     "; a token lives whole seconds (at least 1s), or 0 for never")));
  } else if (ttl.seconds() > kMaxTtlSeconds) {
    violations.push_back(status::Violation(
        "ttl", "out_of_range",
        absl::StrCat("ttl is ", ttl.seconds(), "s; at most ", kMaxTtlSeconds,
                     "s (ten years), or 0 for a token that never expires")));
  }
  if (!violations.empty()) return status::InvalidArgumentWithViolations(violations);
  ASSIGN_OR_RETURN(auth::MintedToken minted, auth::MintToken());
  v1::ReportingTokenCredential credential;
  v1::ReportingToken& token = *credential.mutable_token();
  token.set_token_id(minted.token_id);
  token.set_reporting_unit_id(request.reporting_unit_id());
  token.set_description(request.description());
  token.set_display_prefix(auth::DisplayPrefix(minted.text));
  credential.set_secret_sha256(auth::TokenSha256(minted.text));
  RETURN_IF_ERROR(call.command().store.Write(
      call.command().write, /*dry_run=*/false, [&](RegistryWrite& write) -> absl::Status {
        // Read in the write, as it commits: a suspension committed just before is seen.
        EntityWriter writer(write);
        v1::ReportingUnit unit;
        ASSIGN_OR_RETURN(bool exists, writer.Load(v1::ENTITY_KIND_REPORTING_UNIT,
                                                  request.reporting_unit_id(), unit));
        if (!exists) {
          return absl::NotFoundError(
              absl::StrCat("reporting unit ", request.reporting_unit_id(), " does not exist"));
        }
        // An ended (merged or closed) unit keeps the right to correct the periods it covered,
        // so it may still hold a token; ingest refuses its periods after valid_to.
        if (unit.status() == v1::REPORTING_UNIT_STATUS_SUSPENDED) {
          return absl::FailedPreconditionError(absl::StrCat(
              "reporting unit ", unit.id(), " is suspended; no token is issued until it is "
              "active again"));
        }
        token.set_created_by(write.context().actor);
        *token.mutable_created_at() = ToTimestamp(write.committed_at());
        if (ttl.seconds() > 0) {
          *token.mutable_expires_at() =
              ToTimestamp(write.committed_at() + absl::Seconds(ttl.seconds()));
        }
        return writer.Put(v1::ENTITY_KIND_REPORTING_TOKEN, token.token_id(), credential)
            .status();
      }));
  *response.mutable_token() = credential.token();
  response.set_bearer_token(minted.text);
  return absl::OkStatus();
}

absl::Status RevokeToken(Call& call, const v1::RevokeTokenRequest& request,
                         v1::ReportingToken& response) {
  if (request.token_id().empty()) {
    return status::InvalidArgumentWithViolations({status::Violation(
        "token_id", "required", "token_id is required: the token to revoke (tiendoctl units "
                                "tokens lists them)")});
  }
  return call.command().store.Write(
      call.command().write, /*dry_run=*/false, [&](RegistryWrite& write) -> absl::Status {
        EntityWriter writer(write);
        v1::ReportingTokenCredential credential;
        ASSIGN_OR_RETURN(bool exists, writer.Load(v1::ENTITY_KIND_REPORTING_TOKEN,
                                                  request.token_id(), credential));
        if (!exists) {
          return absl::NotFoundError(
              absl::StrCat("reporting token ", request.token_id(), " does not exist"));
        }
        if (!credential.token().has_revoked_at()) {
          *credential.mutable_token()->mutable_revoked_at() = ToTimestamp(write.committed_at());
          credential.mutable_token()->set_revoked_by(write.context().actor);
          RETURN_IF_ERROR(
              writer.Put(v1::ENTITY_KIND_REPORTING_TOKEN, request.token_id(), credential)
                  .status());
        }
        response = credential.token();
        return absl::OkStatus();
      });
}

absl::Status ListTokens(RegistryState& state, const v1::ListTokensRequest& request,
                        v1::ListTokensResponse& response) {
  const absl::Time now = state.clock();
  google::protobuf::RepeatedPtrField<v1::ReportingTokenCredential> page;
  std::function<bool(const v1::ReportingTokenCredential&)> keep =
      [&](const v1::ReportingTokenCredential& credential) {
        return (request.reporting_unit_id().empty() ||
                credential.token().reporting_unit_id() == request.reporting_unit_id()) &&
               (request.include_inactive() || Active(credential.token(), now));
      };
  ASSIGN_OR_RETURN(*response.mutable_next_page_token(),
                   ListEntities(state.store, v1::ENTITY_KIND_REPORTING_TOKEN, request, keep,
                                &page));
  for (const v1::ReportingTokenCredential& credential : page) {
    *response.add_tokens() = credential.token();  // never the hash
  }
  return absl::OkStatus();
}

}  // namespace tiendo::registry
