// SubmissionLedger: every submission id each reporting unit has had accepted, with a
// fingerprint of its content, so that a resend is answered DUPLICATE and a reuse of the id
// for other content REJECTED (CONFLICT).
//
// It learns from two sources: the items this replica just had acknowledged by Kafka, and
// tiendo.submissions.v1 read from the start (what other replicas and earlier runs accepted).
// Two replicas accepting the same new id at the same moment may both write it; the
// evaluator recognises the second as a duplicate of its cell, so nothing is counted twice.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace tiendo::ingest {

// What a submission's content hashes to (two independent 64-bit hashes of the core's
// SubmissionContent).
using ContentFingerprint = std::pair<uint64_t, uint64_t>;

ContentFingerprint FingerprintOf(absl::string_view content);

enum class LedgerVerdict {
  kNew,        // never accepted
  kDuplicate,  // accepted before, with the same content
  kConflict,   // accepted before, with other content
};

class SubmissionLedger {
 public:
  LedgerVerdict Check(absl::string_view reporting_unit_id, absl::string_view submission_id,
                      const ContentFingerprint& content) const;

  // Records an accepted submission. The first content recorded for an id stays: a later
  // conflicting record (which ingest never writes) does not replace it.
  void Record(absl::string_view reporting_unit_id, absl::string_view submission_id,
              const ContentFingerprint& content);

  int64_t size() const;

 private:
  static std::string Key(absl::string_view reporting_unit_id, absl::string_view submission_id);

  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, ContentFingerprint> accepted_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tiendo::ingest
