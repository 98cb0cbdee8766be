// Fingerprint: what ingest's ledger holds of a text (a submission's LedgerKey, or its
// content): two 64-bit hashes, so that the ledger's memory does not grow with the texts'
// lengths. Two different texts fingerprint alike with a chance of about 2^-128.
//
// Replicas tell each other the ids they accepted by fingerprint (tiendo.submissions.ledger.v1),
// so a fingerprint is the same in every process, on every build: both halves are XXH64
// (Yann Collet's xxHash, 64-bit variant, little-endian), under two fixed seeds.
#pragma once

#include <cstdint>
#include <utility>

#include "absl/strings/string_view.h"

namespace tiendo::ingest {

using Fingerprint = std::pair<uint64_t, uint64_t>;
// The fingerprint of the core's SubmissionContent of a submission.
using ContentFingerprint = Fingerprint;

Fingerprint FingerprintOf(absl::string_view text);

// XXH64 of `text` under `seed`; exposed for its test vectors.
uint64_t Xxh64(absl::string_view text, uint64_t seed);

}  // namespace tiendo::ingest
