// SubmissionLedger: every submission id each reporting unit has had accepted, with a
// fingerprint of its content, so that a resend is answered DUPLICATE and a reuse of the id
// for other content REJECTED (CONFLICT); and the ids this replica is writing right now.
//
// It learns from the items this replica had acknowledged by Kafka, and from what other
// replicas and earlier runs accepted (SubmissionLogFollower).
//
// An id is reserved while its batch is being written (Reserve), so that two overlapping
// batches on one replica never both write it: the later one waits for the write to settle
// (Settle) and is then answered as if it came after. Two replicas accepting the same new id
// before either hears of the other's write may both write it; the evaluator recognises the
// second as a duplicate of its cell, so nothing is counted twice.
//
// Thread-safe. Ids are spread over shards, each with its own lock, so that batches and
// reports touching different ids seldom wait for each other, and a shard's table growing (a
// copy of every id it holds) pauses only the few ids of that shard.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "services/metrics-ingest/fingerprint.h"

namespace tiendo::ingest {

// "dept-st/7f3a": a submission id within its reporting unit. Unit ids are slugs and
// submission ids hold no '/' (submission_rules.h), so the separator cannot be forged. The
// ledger holds ids by the fingerprint of this text.
std::string LedgerKey(absl::string_view reporting_unit_id, absl::string_view submission_id);

enum class LedgerVerdict {
  kNew,        // neither accepted nor being written
  kDuplicate,  // accepted before, with the same content
  kConflict,   // accepted before, with other content
  kWaiting,    // being written by another batch (Reserve)
};

class SubmissionLedger {
 public:
  SubmissionLedger();

  // Names this ledger (random, new in every run of the process, unlike host:pid) on the ids
  // it tells other replicas of (tiendo.submissions.ledger.v1).
  const std::string& writer() const { return writer_; }

  // An item about to be written: the fingerprints of its LedgerKey and of its content.
  struct Claim {
    Fingerprint key;
    ContentFingerprint content;
  };
  // Called once for each of a batch's claims answered kWaiting, with its index among the
  // claims and the verdict once the other write settled: kDuplicate or kConflict if it was
  // accepted, kNew if it failed (then the claim is not reserved: the caller's batch must be
  // resent). Runs on the thread that calls Settle, outside the ledger's locks, for a batch's
  // claims in no particular order.
  using Settled = std::function<void(size_t index, LedgerVerdict verdict)>;

  // What the ledger knows of an accepted id; ids being written count as kNew (dry runs
  // write nothing, so they need not wait).
  LedgerVerdict Check(const Fingerprint& key, const ContentFingerprint& content) const;

  // One verdict per claim, in order: kNew claims are now reserved by the caller, who must
  // Settle each of them; kWaiting ones are reserved by another batch and answered through
  // `settled`. Claims must hold distinct keys. Each claim is decided on its own (shard by
  // shard), not the batch at once: two overlapping batches may each reserve some of the ids
  // they share and wait for the other's write of the rest.
  std::vector<LedgerVerdict> Reserve(absl::Span<const Claim> claims, Settled settled);

  // Ends the reservation of each key that has one: if `written` the id is accepted,
  // otherwise released for a resend; then tells the batches waiting on it. Whoever reserved
  // it settles it when Kafka reports the write (a batch settles its writes together, once
  // all are reported).
  struct Settlement {
    Fingerprint key;
    bool written = false;
  };
  void Settle(absl::Span<const Settlement> settlements);

  // Records a submission accepted by another replica or an earlier run. The first content
  // recorded for an id stays: a later conflicting record (two replicas that accepted one id
  // with different contents before either heard of the other) does not replace it.
  void Record(const Fingerprint& key, const ContentFingerprint& content);

  // Accepted ids.
  int64_t size() const;

 private:
  struct Waiter {
    std::shared_ptr<const Settled> settled;
    size_t index;
    ContentFingerprint content;
  };
  struct Reservation {
    ContentFingerprint content;
    std::vector<Waiter> waiters;
  };
  // Each on cache lines of its own, so that threads locking neighbouring shards do not
  // contend for one line.
  struct alignas(ABSL_CACHELINE_SIZE) Shard {
    LedgerVerdict Compare(const Fingerprint& key, const ContentFingerprint& content) const
        ABSL_SHARED_LOCKS_REQUIRED(mu);
    // Settles `key` (as Settle), adding the batches waiting on it to `told`.
    void Settle(const Fingerprint& key, bool written,
                std::vector<std::pair<Waiter, LedgerVerdict>>& told)
        ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);

    mutable absl::Mutex mu;
    absl::flat_hash_map<Fingerprint, ContentFingerprint> accepted ABSL_GUARDED_BY(mu);
    absl::flat_hash_map<Fingerprint, Reservation> reserved ABSL_GUARDED_BY(mu);
  };
  // 16 shards: a ledger of ten million ids grows a shard of about 600,000 at a time.
  static constexpr size_t kShards = 16;

  static size_t ShardIndex(const Fingerprint& key) { return key.first % kShards; }
  Shard& ShardOf(const Fingerprint& key) { return shards_[ShardIndex(key)]; }
  const Shard& ShardOf(const Fingerprint& key) const { return shards_[ShardIndex(key)]; }
  // Calls `visit` once for each shard some of `entries` (each with a `key`) fall in, with
  // their indexes, in order. A batch's entries are thus handled under one lock a shard, and
  // the lookups of a shard's entries are started together: in a ledger of a million ids
  // nearly every one misses the cache.
  template <typename Entry>
  void ByShard(absl::Span<const Entry> entries,
               absl::FunctionRef<void(Shard&, absl::Span<const size_t>)> visit);
  // Tells the waiters, outside the locks.
  static void Tell(const std::vector<std::pair<Waiter, LedgerVerdict>>& told);

  const std::string writer_;
  std::array<Shard, kShards> shards_;
};

}  // namespace tiendo::ingest
