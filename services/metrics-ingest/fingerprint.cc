#include "services/metrics-ingest/fingerprint.h"

#include <cstring>

#include "absl/base/config.h"
#include "absl/numeric/bits.h"

namespace tiendo::ingest {
namespace {

static_assert(ABSL_IS_LITTLE_ENDIAN, "XXH64 reads its input as little-endian words");

constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr uint64_t kPrime3 = 0x165667B19E3779F9ULL;
constexpr uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
constexpr uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;
// The second half's seed: any fixed value other than the first's (0).
constexpr uint64_t kSecondSeed = 0x9E3779B97F4A7C15ULL;

uint64_t Word64(const char* at) {
  uint64_t word;
  std::memcpy(&word, at, sizeof(word));
  return word;
}

uint32_t Word32(const char* at) {
  uint32_t word;
  std::memcpy(&word, at, sizeof(word));
  return word;
}

uint64_t Round(uint64_t lane, uint64_t word) {
  return absl::rotl(lane + word * kPrime2, 31) * kPrime1;
}

uint64_t MergeLane(uint64_t hash, uint64_t lane) {
  return (hash ^ Round(0, lane)) * kPrime1 + kPrime4;
}

}  // namespace

uint64_t Xxh64(absl::string_view text, uint64_t seed) {
  const char* at = text.data();
  const char* const end = at + text.size();
  uint64_t hash;
  if (text.size() >= 32) {
    // Four lanes over 32-byte stripes.
    uint64_t lanes[4] = {seed + kPrime1 + kPrime2, seed + kPrime2, seed, seed - kPrime1};
    for (; end - at >= 32; at += 32) {
      for (int i = 0; i < 4; ++i) lanes[i] = Round(lanes[i], Word64(at + 8 * i));
    }
    hash = absl::rotl(lanes[0], 1) + absl::rotl(lanes[1], 7) + absl::rotl(lanes[2], 12) +
           absl::rotl(lanes[3], 18);
    for (uint64_t lane : lanes) hash = MergeLane(hash, lane);
  } else {
    hash = seed + kPrime5;
  }
  hash += text.size();
  for (; end - at >= 8; at += 8) {
    hash = absl::rotl(hash ^ Round(0, Word64(at)), 27) * kPrime1 + kPrime4;
  }
  if (end - at >= 4) {
    hash = absl::rotl(hash ^ (Word32(at) * kPrime1), 23) * kPrime2 + kPrime3;
    at += 4;
  }
  for (; at < end; ++at) {
    hash = absl::rotl(hash ^ (static_cast<uint8_t>(*at) * kPrime5), 11) * kPrime1;
  }
  // Avalanche.
  hash ^= hash >> 33;
  hash *= kPrime2;
  hash ^= hash >> 29;
  hash *= kPrime3;
  hash ^= hash >> 32;
  return hash;
}

Fingerprint FingerprintOf(absl::string_view text) {
  return {Xxh64(text, 0), Xxh64(text, kSecondSeed)};
}

}  // namespace tiendo::ingest
