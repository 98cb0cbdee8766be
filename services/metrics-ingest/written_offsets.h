// WrittenOffsets: where Kafka put this replica's writes to tiendo.submissions.v1, each with
// its ledger key, kept until the ledger's follower reads past them. The follower need not
// unpack such a record (its headers, its value) when it reads it back: it knows the record's
// id from here, and settles it in the ledger as it would on reading it (nearly every record
// it reads is one of these).
//
// One thread serves the producer's delivery reports, and Kafka reports a partition's writes
// in offset order; the follower reads a partition in offset order too. So each partition
// holds a queue, appended to by reports and consumed at the front by the follower. A report
// that comes out of order (reports served by a flush at shutdown) is ignored, and so is a
// record the follower reaches before its report: either is then read as any other writer's
// record is. An offset names one record for good: a topic deleted and created again under
// the same name while ingest runs, or a log truncated after it acknowledged a write, would
// make the follower skip another writer's record there until the next restart.
//
// Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "services/metrics-ingest/submission_ledger.h"

namespace tiendo::ingest {

class WrittenOffsets {
 public:
  // Kafka reported the write of ledger key `key` at `offset` of `partition`.
  void Add(int32_t partition, int64_t offset, const Fingerprint& key);

  // The ledger key of the record the follower reads at `offset` of `partition`, if it is
  // one Kafka reported as this replica's write. Forgets the writes before it: the follower
  // has read past them.
  std::optional<Fingerprint> Take(int32_t partition, int64_t offset);

  // Writes held, over all partitions.
  size_t size() const;

 private:
  struct Write {
    int64_t offset;
    Fingerprint key;
  };
  mutable absl::Mutex mu_;
  absl::flat_hash_map<int32_t, std::deque<Write>> partitions_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tiendo::ingest
