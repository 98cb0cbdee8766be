// WrittenOffsets: where Kafka put this replica's writes to tiendo.submissions.v1, kept until
// the ledger's follower reads past them. The ledger learns of each of those writes from its
// delivery report, so the follower need not unpack the record (its headers, its value) when
// it reads it back; nearly every record it reads is one of them.
//
// One producer writes them, idempotently: Kafka reports a partition's writes in offset
// order, and the follower reads a partition in offset order too. So each partition holds a
// queue of offset ranges, extended at the back by reports and consumed at the front by the
// follower. A record the follower reaches before its report is not found here; the
// follower then reads it as it reads any other writer's.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <deque>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace tiendo::ingest {

class WrittenOffsets {
 public:
  // Kafka reported a write at `offset` of `partition`. Offsets a partition's reports name
  // only grow; one that does not is ignored (its record is then read in full).
  void Add(int32_t partition, int64_t offset);

  // Whether the record the follower reads at `offset` of `partition` is one Kafka reported
  // as this replica's write. Forgets the writes before it: the follower has read past them.
  bool Take(int32_t partition, int64_t offset);

  // Ranges of offsets held, over all partitions (for tests).
  size_t ranges() const;

 private:
  struct Range {
    int64_t first;
    int64_t last;
  };
  mutable absl::Mutex mu_;
  absl::flat_hash_map<int32_t, std::deque<Range>> partitions_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tiendo::ingest
