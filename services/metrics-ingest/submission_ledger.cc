#include "services/metrics-ingest/submission_ledger.h"

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "services/common/core/fingerprint.h"

namespace tiendo::ingest {

ContentFingerprint FingerprintOf(absl::string_view content) {
  return {core::Fingerprint(content), absl::Hash<absl::string_view>{}(content)};
}

std::string SubmissionLedger::Key(absl::string_view reporting_unit_id,
                                  absl::string_view submission_id) {
  // Unit ids are slugs without NUL, so the separator cannot be forged.
  return absl::StrCat(reporting_unit_id, absl::string_view("\0", 1), submission_id);
}

LedgerVerdict SubmissionLedger::Check(absl::string_view reporting_unit_id,
                                      absl::string_view submission_id,
                                      const ContentFingerprint& content) const {
  absl::ReaderMutexLock lock(&mu_);
  const auto found = accepted_.find(Key(reporting_unit_id, submission_id));
  if (found == accepted_.end()) return LedgerVerdict::kNew;
  return found->second == content ? LedgerVerdict::kDuplicate : LedgerVerdict::kConflict;
}

void SubmissionLedger::Record(absl::string_view reporting_unit_id,
                              absl::string_view submission_id,
                              const ContentFingerprint& content) {
  absl::MutexLock lock(&mu_);
  accepted_.try_emplace(Key(reporting_unit_id, submission_id), content);
}

int64_t SubmissionLedger::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return static_cast<int64_t>(accepted_.size());
}

}  // namespace tiendo::ingest
