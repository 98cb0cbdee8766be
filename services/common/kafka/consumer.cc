#include "services/common/kafka/consumer.h"

#include <algorithm>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "services/common/logging/log.h"
#include "services/common/status/status_macros.h"

namespace tiendo::kafka {
namespace {

int TimeoutMs(absl::Duration timeout) {
  return static_cast<int>(absl::ToInt64Milliseconds(timeout));
}

struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;

// Errors of the client's own making that it recovers from.
bool Transient(rd_kafka_resp_err_t err) {
  return err == RD_KAFKA_RESP_ERR__TRANSPORT || err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN ||
         err == RD_KAFKA_RESP_ERR__PARTITION_EOF || err == RD_KAFKA_RESP_ERR__RESOLVE ||
         err == RD_KAFKA_RESP_ERR__TIMED_OUT;
}

// `text` into `into`, in the storage it has (std::string::assign reuses its capacity).
void AssignText(std::optional<std::string>& into, const void* text, size_t size) {
  if (text == nullptr) {
    into.reset();
    return;
  }
  if (!into.has_value()) into.emplace();
  into->assign(static_cast<const char*>(text), size);
}

// Fills `record` with `message` (its headers only if `with_headers`), overwriting what it
// held.
void FillRecord(const rd_kafka_message_t& message, bool with_headers, ConsumedRecord& record) {
  record.position.topic.assign(rd_kafka_topic_name(message.rkt));
  record.position.partition = message.partition;
  record.position.offset = message.offset;
  AssignText(record.key, message.key, message.key_len);
  AssignText(record.value, message.payload, message.len);
  size_t headers_read = 0;
  rd_kafka_headers_t* headers = nullptr;
  if (with_headers &&
      rd_kafka_message_headers(&message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* name = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    for (; rd_kafka_header_get_all(headers, headers_read, &name, &value, &size) ==
           RD_KAFKA_RESP_ERR_NO_ERROR;
         ++headers_read) {
      if (headers_read == record.headers.size()) record.headers.emplace_back();
      Header& header = record.headers[headers_read];
      header.key.assign(name);
      header.value.assign(value == nullptr ? "" : static_cast<const char*>(value),
                          value == nullptr ? 0 : size);
    }
  }
  record.headers.resize(headers_read);
  rd_kafka_timestamp_type_t type;
  const int64_t ms = rd_kafka_message_timestamp(&message, &type);
  record.timestamp = ms >= 0 ? absl::FromUnixMillis(ms) : absl::InfinitePast();
}

// How many partitions `topic` has; NOT_FOUND when it does not exist.
absl::StatusOr<int> PartitionCount(rd_kafka_t* handle, const std::string& topic,
                                   absl::Duration timeout) {
  rd_kafka_topic_t* topic_handle = rd_kafka_topic_new(handle, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  const rd_kafka_resp_err_t err =
      rd_kafka_metadata(handle, 0, topic_handle, &metadata, TimeoutMs(timeout));
  rd_kafka_topic_destroy(topic_handle);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::UnavailableError(
        absl::StrCat("metadata of topic ", topic, ": ", rd_kafka_err2str(err)));
  }
  const int partitions = metadata->topic_cnt == 1 && metadata->topics[0].err == 0
                             ? metadata->topics[0].partition_cnt
                             : 0;
  rd_kafka_metadata_destroy(metadata);
  if (partitions == 0) {
    return absl::NotFoundError(absl::StrCat("topic ", topic, " does not exist"));
  }
  return partitions;
}

std::vector<RecordPosition> ListedPositions(const rd_kafka_topic_partition_list_t& list) {
  std::vector<RecordPosition> positions;
  positions.reserve(list.cnt);
  for (int i = 0; i < list.cnt; ++i) {
    positions.push_back({list.elems[i].topic, list.elems[i].partition, list.elems[i].offset});
  }
  return positions;
}

void LogAssignmentError(rd_kafka_t* handle, rd_kafka_error_t* error, const char* what) {
  if (error == nullptr) return;
  log::Error("kafka consumer could not change its assignment",
             {{"client", rd_kafka_name(handle)}, {"change", what},
              {"error", rd_kafka_error_string(error)}});
  rd_kafka_error_destroy(error);
}

}  // namespace

struct Consumer::Rebalancing {
  RebalanceListener listener;

  // librdkafka's rebalance callback: tells the listener, then makes the move (incrementally
  // under the cooperative protocol, wholesale under an eager one).
  static void Callback(rd_kafka_t* handle, rd_kafka_resp_err_t err,
                       rd_kafka_topic_partition_list_t* partitions, void* opaque) {
    const RebalanceListener& listener = static_cast<Rebalancing*>(opaque)->listener;
    const bool cooperative =
        std::string_view(rd_kafka_rebalance_protocol(handle)) == "COOPERATIVE";
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      if (listener.on_assigned) {
        std::vector<RecordPosition> assigned = ListedPositions(*partitions);
        for (RecordPosition& position : assigned) position.offset = kCommittedOffset;
        listener.on_assigned(assigned);
        for (int i = 0; i < partitions->cnt; ++i) {
          partitions->elems[i].offset = assigned[i].offset;
        }
      }
      if (cooperative) {
        LogAssignmentError(handle, rd_kafka_incremental_assign(handle, partitions), "assign");
      } else if (rd_kafka_assign(handle, partitions) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        log::Error("kafka consumer could not take its assignment",
                   {{"client", rd_kafka_name(handle)}});
      }
      return;
    }
    if (listener.on_revoked) listener.on_revoked(ListedPositions(*partitions));
    if (cooperative) {
      LogAssignmentError(handle, rd_kafka_incremental_unassign(handle, partitions), "revoke");
    } else {
      rd_kafka_assign(handle, nullptr);
    }
  }
};

void Consumer::QueueDeleter::operator()(rd_kafka_queue_t* queue) const {
  rd_kafka_queue_destroy(queue);
}

void Consumer::MessageDeleter::operator()(rd_kafka_message_t* message) const {
  rd_kafka_message_destroy(message);
}

Consumer::Consumer(HandlePtr handle, std::unique_ptr<Rebalancing> rebalancing)
    : rebalancing_(std::move(rebalancing)),
      handle_(std::move(handle)),
      queue_(rd_kafka_queue_get_consumer(handle_.get())) {}

absl::StatusOr<std::unique_ptr<Consumer>> Consumer::Create(
    const KafkaOptions& options, const std::string& client_id, const std::string& group_id,
    const std::map<std::string, std::string>& settings) {
  std::map<std::string, std::string> merged = {
      {"group.id", group_id.empty() ? absl::StrCat(client_id, ".standalone") : group_id},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", "earliest"},
      {"partition.assignment.strategy", "cooperative-sticky"},
  };
  for (const auto& [key, value] : settings) merged[key] = value;
  absl::StatusOr<ConfPtr> conf = MakeConf(options, client_id, merged);
  if (!conf.ok()) return conf.status();
  auto rebalancing = std::make_unique<Rebalancing>();
  rd_kafka_conf_set_opaque(conf->get(), rebalancing.get());
  rd_kafka_conf_set_rebalance_cb(conf->get(), &Rebalancing::Callback);
  char error[512];
  rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_CONSUMER, conf->get(), error, sizeof(error));
  if (handle == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("kafka consumer ", client_id, ": ", error));
  }
  conf->release();
  rd_kafka_poll_set_consumer(handle);
  return std::unique_ptr<Consumer>(new Consumer(HandlePtr(handle), std::move(rebalancing)));
}

Consumer::~Consumer() { Close(); }

absl::Status Consumer::Subscribe(const std::vector<std::string>& topics,
                                 RebalanceListener listener) {
  rebalancing_->listener = std::move(listener);
  PartitionList list(rd_kafka_topic_partition_list_new(static_cast<int>(topics.size())));
  for (const std::string& topic : topics) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  }
  if (rd_kafka_resp_err_t err = rd_kafka_subscribe(handle_.get(), list.get());
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::InvalidArgumentError(absl::StrCat("subscribe: ", rd_kafka_err2str(err)));
  }
  subscribed_ = true;
  return absl::OkStatus();
}

absl::Status Consumer::AssignFromBeginning(const std::string& topic,
                                           absl::Duration metadata_timeout) {
  absl::StatusOr<int> partitions = PartitionCount(handle_.get(), topic, metadata_timeout);
  if (!partitions.ok()) return partitions.status();
  PartitionList list(rd_kafka_topic_partition_list_new(*partitions));
  for (int p = 0; p < *partitions; ++p) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset =
        RD_KAFKA_OFFSET_BEGINNING;
  }
  if (rd_kafka_resp_err_t assign_err = rd_kafka_assign(handle_.get(), list.get());
      assign_err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::InternalError(
        absl::StrCat("assign ", topic, ": ", rd_kafka_err2str(assign_err)));
  }
  return absl::OkStatus();
}

absl::Status Consumer::Assign(const std::vector<RecordPosition>& from) {
  PartitionList list(rd_kafka_topic_partition_list_new(static_cast<int>(from.size())));
  for (const RecordPosition& position : from) {
    rd_kafka_topic_partition_list_add(list.get(), position.topic.c_str(), position.partition)
        ->offset = position.offset;
  }
  if (rd_kafka_resp_err_t assign_err = rd_kafka_assign(handle_.get(), list.get());
      assign_err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::InternalError(absl::StrCat("assign: ", rd_kafka_err2str(assign_err)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::map<int32_t, Watermarks>> Consumer::QueryWatermarks(
    const std::string& topic, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::StatusOr<int> partitions = PartitionCount(handle_.get(), topic, timeout);
  if (!partitions.ok()) return partitions.status();
  std::map<int32_t, Watermarks> watermarks;
  for (int32_t p = 0; p < *partitions; ++p) {
    absl::StatusOr<Watermarks> partition = PartitionWatermarks(topic, p, deadline);
    if (!partition.ok()) return partition.status();
    watermarks[p] = *partition;
  }
  return watermarks;
}

absl::StatusOr<Watermarks> Consumer::PartitionWatermarks(const std::string& topic,
                                                         int32_t partition,
                                                         absl::Time deadline) {
  const absl::Duration left = std::max(deadline - absl::Now(), absl::ZeroDuration());
  Watermarks marks;
  if (rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
          handle_.get(), topic.c_str(), partition, &marks.low, &marks.high, TimeoutMs(left));
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::UnavailableError(absl::StrCat("watermarks of ", topic, " partition ", partition,
                                               ": ", rd_kafka_err2str(err)));
  }
  return marks;
}

absl::StatusOr<std::map<int32_t, int64_t>> Consumer::Positions(const std::string& topic) {
  rd_kafka_topic_partition_list_t* assigned = nullptr;
  if (rd_kafka_resp_err_t err = rd_kafka_assignment(handle_.get(), &assigned);
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::InternalError(absl::StrCat("assignment: ", rd_kafka_err2str(err)));
  }
  PartitionList list(assigned);
  if (rd_kafka_resp_err_t err = rd_kafka_position(handle_.get(), list.get());
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::InternalError(absl::StrCat("positions: ", rd_kafka_err2str(err)));
  }
  std::map<int32_t, int64_t> positions;
  for (int i = 0; i < list->cnt; ++i) {
    const rd_kafka_topic_partition_t& partition = list->elems[i];
    if (topic != partition.topic || partition.offset < 0) continue;
    positions[partition.partition] = partition.offset;
  }
  // librdkafka counts what it handed over in one go, including what this consumer holds
  // back for the next poll (unread_, in the order read).
  for (const MessagePtr& message : unread_) {
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    if (topic != rd_kafka_topic_name(message->rkt)) continue;
    auto found = positions.find(message->partition);
    if (found != positions.end() && message->offset < found->second) {
      found->second = message->offset;
    }
  }
  return positions;
}

absl::StatusOr<bool> Consumer::ReadUpTo(const std::string& topic,
                                        const std::map<int32_t, Watermarks>& ends) {
  absl::StatusOr<std::map<int32_t, int64_t>> positions = Positions(topic);
  if (!positions.ok()) return positions.status();
  for (const auto& [partition, marks] : ends) {
    if (marks.high <= marks.low) continue;  // nothing to read there
    const auto position = positions->find(partition);
    if (position == positions->end() || position->second < marks.high) return false;
  }
  return true;
}

absl::Status Consumer::ForgetDeleted(const std::string& topic,
                                     std::map<int32_t, Watermarks>& ends,
                                     absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::StatusOr<std::map<int32_t, int64_t>> positions = Positions(topic);
  if (!positions.ok()) return positions.status();
  for (auto& [partition, end] : ends) {
    if (end.high <= end.low) continue;  // nothing to read there
    const auto position = positions->find(partition);
    if (position != positions->end() && position->second >= end.high) continue;  // read
    absl::StatusOr<Watermarks> now = PartitionWatermarks(topic, partition, deadline);
    if (!now.ok()) return now.status();
    if (now->low >= end.high) end.low = end.high;
  }
  return absl::OkStatus();
}

void Consumer::Fetch(size_t max, absl::Duration timeout) {
  taken_.resize(max);
  auto take = [this](size_t count, int timeout_ms) {
    const ssize_t taken =
        rd_kafka_consume_batch_queue(queue_.get(), timeout_ms, taken_.data(), count);
    for (ssize_t i = 0; i < taken; ++i) unread_.emplace_back(taken_[i]);
  };
  // Given a timeout, librdkafka waits until it has `count` messages: what is there is taken
  // without waiting, and only the first is waited for.
  take(max, 0);
  if (!unread_.empty() || timeout <= absl::ZeroDuration()) return;
  take(1, TimeoutMs(timeout));
  if (!unread_.empty() && max > 1) take(max - 1, 0);
}

absl::StatusOr<std::optional<ConsumedRecord>> Consumer::Poll(absl::Duration timeout) {
  RecordBatch batch;
  RETURN_IF_ERROR(PollBatch(batch, 1, timeout));
  if (batch.empty()) return std::nullopt;
  return std::move(batch.slots_.front());
}

absl::Status Consumer::PollBatch(RecordBatch& batch, size_t max, absl::Duration timeout) {
  batch.Clear();
  if (max == 0) return absl::OkStatus();
  if (unread_.empty()) Fetch(max, timeout);
  while (!unread_.empty() && batch.size() < max) {
    const MessagePtr message = std::move(unread_.front());
    unread_.pop_front();
    if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      FillRecord(*message, read_headers_, batch.Spare());
      batch.KeepSpare();
      continue;
    }
    if (!Transient(message->err)) {
      return absl::UnavailableError(absl::StrCat("kafka consumer ",
                                                 rd_kafka_name(handle_.get()), ": ",
                                                 rd_kafka_message_errstr(message.get())));
    }
    if (message->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      log::Warning("kafka consumer error; the client retries",
                   {{"client", rd_kafka_name(handle_.get())},
                    {"error", rd_kafka_message_errstr(message.get())}});
    }
  }
  return absl::OkStatus();
}

absl::Status Consumer::Commit(const std::vector<RecordPosition>& next_offsets) {
  if (next_offsets.empty()) return absl::OkStatus();
  PartitionList list(rd_kafka_topic_partition_list_new(static_cast<int>(next_offsets.size())));
  for (const RecordPosition& next : next_offsets) {
    rd_kafka_topic_partition_list_add(list.get(), next.topic.c_str(), next.partition)->offset =
        next.offset;
  }
  if (rd_kafka_resp_err_t err = rd_kafka_commit(handle_.get(), list.get(), /*async=*/0);
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::UnavailableError(absl::StrCat("kafka consumer ", rd_kafka_name(handle_.get()),
                                               ": commit: ", rd_kafka_err2str(err)));
  }
  return absl::OkStatus();
}

void Consumer::Close() {
  if (closed_) return;
  closed_ = true;
  // librdkafka 2.0's consumer_close() revokes a cooperative member's partitions but sends no
  // LeaveGroup, so the group would wait session.timeout.ms (45 s) before giving them to
  // another member. unsubscribe() does leave; serving the queue lets the revocation finish.
  if (subscribed_) {
    rd_kafka_unsubscribe(handle_.get());
    const absl::Time deadline = absl::Now() + absl::Seconds(5);
    while (absl::Now() < deadline) {
      rd_kafka_topic_partition_list_t* assigned = nullptr;
      if (rd_kafka_assignment(handle_.get(), &assigned) != RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (PartitionList(assigned)->cnt == 0) break;
      rd_kafka_message_t* message = rd_kafka_consumer_poll(handle_.get(), 50);
      if (message != nullptr) rd_kafka_message_destroy(message);
    }
  }
  unread_.clear();
  rd_kafka_consumer_close(handle_.get());
}

}  // namespace tiendo::kafka
