// Bearer tokens of reporting units: `tdo1.<token_id>.<secret>`, with a 16-character base32
// token id (80 random bits) and a 43-character base64url secret (256 random bits). The
// registry mints them and keeps only the SHA-256 of the whole string; metrics-ingest finds
// the hash by the id embedded in the presented token and compares hashes in constant time.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tiendo::auth {

struct MintedToken {
  std::string token_id;  // e.g. "k3v7q2mx9adf4hzp"
  std::string text;      // the whole bearer token, shown to its owner once
};

// A fresh token from the operating system's random source. UNAVAILABLE if that fails.
absl::StatusOr<MintedToken> MintToken();

// SHA-256 of the token's bytes (32 bytes).
std::string TokenSha256(absl::string_view text);

// The token id inside `text`; INVALID_ARGUMENT (without echoing the secret) when `text` is
// not a tiendo bearer token.
absl::StatusOr<std::string> TokenIdOf(absl::string_view text);

// True if the two byte strings are equal, in time that depends only on their lengths.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

// The first 12 characters, safe to show in lists and logs.
std::string DisplayPrefix(absl::string_view text);

}  // namespace tiendo::auth
