// Consumer: a Kafka consumer owned by one thread (the one that calls Poll).
// Either a member of a consumer group (Subscribe) or standalone, reading
// whole topics from the beginning (AssignFromBeginning), as a global table
// reader does. Offsets are never committed automatically: the service that
// owns the consumer decides what its durable state covers.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/kafka/record.h"

namespace tiendo::kafka {

// The first offset still in a partition and the offset the next record
// written to it will get (its high watermark). low == high: it holds nothing.
struct Watermarks {
  int64_t low = 0;
  int64_t high = 0;
};

// Where a partition newly assigned to a group member starts: its committed offset (or
// auto.offset.reset when it has none), or an explicit offset.
inline constexpr int64_t kCommittedOffset = RD_KAFKA_OFFSET_STORED;
inline constexpr int64_t kFirstOffset = RD_KAFKA_OFFSET_BEGINNING;

// What a group member hears about partitions moving to and from it. Both run on the polling
// thread, inside Poll (or Close), before the move takes effect: with cooperative assignment,
// only the partitions that move are named.
struct RebalanceListener {
  // Partitions gained; each starts at kCommittedOffset unless the listener sets its offset.
  std::function<void(std::vector<RecordPosition>& assigned)> on_assigned;
  // Partitions revoked or lost; nothing more is read from them.
  std::function<void(const std::vector<RecordPosition>& revoked)> on_revoked;
};

class Consumer {
 public:
  // `group_id` empty: a standalone consumer (a group id is still needed by
  // librdkafka and is derived from the client id, but never committed to).
  static absl::StatusOr<std::unique_ptr<Consumer>> Create(
      const KafkaOptions& options, const std::string& client_id, const std::string& group_id,
      const std::map<std::string, std::string>& settings = {});
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Joins the group for `topics` (cooperative-sticky assignment), telling `listener` (if
  // given) of every partition that moves.
  absl::Status Subscribe(const std::vector<std::string>& topics,
                         RebalanceListener listener = {});

  // Reads every partition of `topic` from offset zero, outside any group.
  absl::Status AssignFromBeginning(const std::string& topic, absl::Duration metadata_timeout);

  // Reads exactly these partitions, each from its offset, outside any group (replacing what
  // was assigned before).
  absl::Status Assign(const std::vector<RecordPosition>& from);

  // The watermarks of every partition of `topic`, by partition, as the
  // partition leaders report them now. UNAVAILABLE when a leader does not
  // answer within `timeout` (for all partitions together); NOT_FOUND for a
  // topic that does not exist.
  absl::StatusOr<std::map<int32_t, Watermarks>> QueryWatermarks(const std::string& topic,
                                                                absl::Duration timeout);

  // The offset of the next record this consumer will read, per partition of
  // `topic` assigned to it, from the records Poll has returned. A partition
  // from which nothing has been returned yet is absent. Local: no broker
  // round trip. Call from the thread that polls.
  absl::StatusOr<std::map<int32_t, int64_t>> Positions(const std::string& topic);

  // Whether Poll has returned every record of `topic` below `ends` (its watermarks as
  // QueryWatermarks gave them): each partition that held records then is read up to its high
  // watermark. Local, as Positions.
  absl::StatusOr<bool> ReadUpTo(const std::string& topic,
                                const std::map<int32_t, Watermarks>& ends);

  // Takes out of `ends` (as ReadUpTo takes them) the partitions whose records below their end
  // are all gone since (retention, or a deletion): nothing is left there to read. ReadUpTo
  // cannot see that alone, as a consumer whose next offset was deleted skips past it with no
  // position until a new record comes. Asks the leader of each partition not yet read to its
  // end, within `timeout` in all; for after a poll that brought nothing. UNAVAILABLE when a
  // leader does not answer (`ends` then keeps what was not asked).
  absl::Status ForgetDeleted(const std::string& topic, std::map<int32_t, Watermarks>& ends,
                             absl::Duration timeout);

  // The next record, or nullopt when none arrived within `timeout`. Errors
  // the client recovers from by itself (a broker restarting) are logged, not
  // returned; a returned error is fatal for this consumer.
  absl::StatusOr<std::optional<ConsumedRecord>> Poll(absl::Duration timeout);

  // Records come without their headers from now on, for a reader that never looks at them:
  // librdkafka then does not unpack them (a large share of a small record's reading cost).
  void IgnoreHeaders() { read_headers_ = false; }

  // Refills `batch` with up to `max` records: waits up to `timeout` for the first, then
  // takes what has already arrived without waiting. An empty batch when nothing came. On an
  // error (as Poll's) the batch holds the records read before it; those behind it come with
  // the next poll. librdkafka 2.0's batch call must not overlap a seek, pause or resume from
  // another thread (messages could be lost); rebalances run inside it, on this thread.
  absl::Status PollBatch(RecordBatch& batch, size_t max, absl::Duration timeout);

  // Commits, for the group, where reading resumes: per partition the offset of the next
  // record to read (the last record handled + 1). Waits for the coordinator's answer;
  // an error means the offsets may not be stored and the records may be read again.
  absl::Status Commit(const std::vector<RecordPosition>& next_offsets);

  // Leaves the group (if any) and closes the connection. Idempotent.
  void Close();

 private:
  struct Rebalancing;
  Consumer(HandlePtr handle, std::unique_ptr<Rebalancing> rebalancing);
  struct QueueDeleter {
    void operator()(rd_kafka_queue_t* queue) const;
  };
  struct MessageDeleter {
    void operator()(rd_kafka_message_t* message) const;
  };
  using MessagePtr = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;

  // The watermarks of one partition as its leader reports them, asked before `deadline`.
  absl::StatusOr<Watermarks> PartitionWatermarks(const std::string& topic, int32_t partition,
                                                 absl::Time deadline);

  // Takes into unread_ what the consumer queue holds, up to `max` messages, waiting up to
  // `timeout` for the first.
  void Fetch(size_t max, absl::Duration timeout);

  std::unique_ptr<Rebalancing> rebalancing_;  // the rebalance callback's opaque
  HandlePtr handle_;
  std::unique_ptr<rd_kafka_queue_t, QueueDeleter> queue_;  // the consumer queue
  // Messages taken from the queue together and not yet returned: those behind an error go
  // out with the next poll. librdkafka hands them over in one call (one clock reading, one
  // poll bookkeeping), where rd_kafka_consumer_poll costs that for each.
  std::deque<MessagePtr> unread_;
  std::vector<rd_kafka_message_t*> taken_;  // rd_kafka_consume_batch_queue's array
  bool subscribed_ = false;
  bool closed_ = false;
  bool read_headers_ = true;
};

}  // namespace tiendo::kafka
