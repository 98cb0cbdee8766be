#include "services/common/auth/bearer_token.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace tiendo::auth {
namespace {

constexpr absl::string_view kScheme = "tdo1";
constexpr size_t kTokenIdLength = 16;
constexpr size_t kSecretBytes = 32;
constexpr absl::string_view kBase32 = "abcdefghijklmnopqrstuvwxyz234567";

// `bytes` random bytes, or UNAVAILABLE.
absl::StatusOr<std::string> RandomBytes(size_t bytes) {
  std::string buffer(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(buffer.data()), static_cast<int>(bytes)) !=
      1) {
    return absl::UnavailableError("the system's random source failed; no token was issued");
  }
  return buffer;
}

}  // namespace

absl::StatusOr<MintedToken> MintToken() {
  absl::StatusOr<std::string> id_bits = RandomBytes(kTokenIdLength);
  if (!id_bits.ok()) return id_bits.status();
  absl::StatusOr<std::string> secret = RandomBytes(kSecretBytes);
  if (!secret.ok()) return secret.status();
  MintedToken token;
  for (const char c : *id_bits) {
    token.token_id.push_back(kBase32[static_cast<unsigned char>(c) % kBase32.size()]);
  }
  token.text = absl::StrCat(kScheme, ".", token.token_id, ".", absl::WebSafeBase64Escape(*secret));
  return token;
}

std::string TokenSha256(absl::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

absl::StatusOr<std::string> TokenIdOf(absl::string_view text) {
  const std::vector<absl::string_view> parts = absl::StrSplit(text, '.');
  if (parts.size() != 3 || parts[0] != kScheme || parts[1].size() != kTokenIdLength ||
      parts[1].find_first_not_of(kBase32) != absl::string_view::npos || parts[2].empty()) {
    return absl::InvalidArgumentError(
        "the bearer token is not a tiendo token (expected tdo1.<token id>.<secret>, as "
        "issued by 'tiendoctl units issue-token')");
  }
  return std::string(parts[1]);
}

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string DisplayPrefix(absl::string_view text) { return std::string(text.substr(0, 12)); }

}  // namespace tiendo::auth
