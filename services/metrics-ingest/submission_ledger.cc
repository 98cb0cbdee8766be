#include "services/metrics-ingest/submission_ledger.h"

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"

namespace tiendo::ingest {

std::string LedgerKey(absl::string_view reporting_unit_id, absl::string_view submission_id) {
  return absl::StrCat(reporting_unit_id, "/", submission_id);
}

SubmissionLedger::SubmissionLedger()
    : writer_([] {
        absl::BitGen random;
        return absl::StrCat(absl::Hex(absl::Uniform<uint64_t>(random), absl::kZeroPad16),
                            absl::Hex(absl::Uniform<uint64_t>(random), absl::kZeroPad16));
      }()) {}

LedgerVerdict SubmissionLedger::Shard::Compare(const Fingerprint& key,
                                               const ContentFingerprint& content) const {
  const auto found = accepted.find(key);
  if (found == accepted.end()) return LedgerVerdict::kNew;
  return found->second == content ? LedgerVerdict::kDuplicate : LedgerVerdict::kConflict;
}

void SubmissionLedger::Shard::Settle(const Fingerprint& key, bool written,
                                     std::vector<std::pair<Waiter, LedgerVerdict>>& told) {
  auto reservation = reserved.extract(key);
  if (reservation.empty()) return;
  if (written) accepted.try_emplace(key, reservation.mapped().content);
  for (Waiter& waiter : reservation.mapped().waiters) {
    const LedgerVerdict verdict = Compare(key, waiter.content);
    told.emplace_back(std::move(waiter), verdict);
  }
}

LedgerVerdict SubmissionLedger::Check(const Fingerprint& key,
                                      const ContentFingerprint& content) const {
  const Shard& shard = ShardOf(key);
  absl::ReaderMutexLock lock(&shard.mu);
  return shard.Compare(key, content);
}

template <typename Entry>
void SubmissionLedger::ByShard(absl::Span<const Entry> entries,
                               absl::FunctionRef<void(Shard&, absl::Span<const size_t>)> visit) {
  // A counting sort of the entries' indexes by shard, order kept within each.
  std::array<size_t, kShards + 1> starts{};
  for (const Entry& entry : entries) ++starts[ShardIndex(entry.key) + 1];
  for (size_t s = 0; s < kShards; ++s) starts[s + 1] += starts[s];
  std::vector<size_t> indexes(entries.size());
  std::array<size_t, kShards + 1> next = starts;  // where each shard's next index goes
  for (size_t i = 0; i < entries.size(); ++i) indexes[next[ShardIndex(entries[i].key)]++] = i;
  for (size_t s = 0; s < kShards; ++s) {
    if (starts[s] == starts[s + 1]) continue;
    visit(shards_[s], absl::MakeConstSpan(indexes).subspan(starts[s], starts[s + 1] - starts[s]));
  }
}

std::vector<LedgerVerdict> SubmissionLedger::Reserve(absl::Span<const Claim> claims,
                                                     Settled settled) {
  std::vector<LedgerVerdict> verdicts(claims.size());
  std::shared_ptr<const Settled> shared;
  ByShard(claims, [&](Shard& shard, absl::Span<const size_t> indexes) {
    absl::MutexLock lock(&shard.mu);
    for (size_t i : indexes) shard.accepted.prefetch(claims[i].key);
    for (size_t i : indexes) {
      const Claim& claim = claims[i];
      LedgerVerdict verdict = shard.Compare(claim.key, claim.content);
      if (verdict == LedgerVerdict::kNew) {
        const auto [reservation, inserted] = shard.reserved.try_emplace(claim.key);
        if (inserted) {
          reservation->second.content = claim.content;
        } else {
          if (shared == nullptr) shared = std::make_shared<const Settled>(settled);
          reservation->second.waiters.push_back({shared, i, claim.content});
          verdict = LedgerVerdict::kWaiting;
        }
      }
      verdicts[i] = verdict;
    }
  });
  return verdicts;
}

void SubmissionLedger::Tell(const std::vector<std::pair<Waiter, LedgerVerdict>>& told) {
  for (const auto& [waiter, verdict] : told) (*waiter.settled)(waiter.index, verdict);
}

void SubmissionLedger::Settle(absl::Span<const Settlement> settlements) {
  std::vector<std::pair<Waiter, LedgerVerdict>> told;
  ByShard(settlements, [&](Shard& shard, absl::Span<const size_t> indexes) {
    absl::MutexLock lock(&shard.mu);
    for (size_t i : indexes) shard.accepted.prefetch(settlements[i].key);
    for (size_t i : indexes) shard.Settle(settlements[i].key, settlements[i].written, told);
  });
  Tell(told);
}

void SubmissionLedger::Record(const Fingerprint& key, const ContentFingerprint& content) {
  Shard& shard = ShardOf(key);
  absl::MutexLock lock(&shard.mu);
  shard.accepted.try_emplace(key, content);
}

int64_t SubmissionLedger::size() const {
  int64_t accepted = 0;
  for (const Shard& shard : shards_) {
    absl::ReaderMutexLock lock(&shard.mu);
    accepted += static_cast<int64_t>(shard.accepted.size());
  }
  return accepted;
}

}  // namespace tiendo::ingest
