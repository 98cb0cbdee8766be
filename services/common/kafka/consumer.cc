#include "services/common/kafka/consumer.h"

#include "absl/strings/str_cat.h"
#include "services/common/logging/log.h"

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

struct MessageDeleter {
  void operator()(rd_kafka_message_t* message) const { rd_kafka_message_destroy(message); }
};

// Errors of the client's own making that it recovers from.
bool Transient(rd_kafka_resp_err_t err) {
  return err == RD_KAFKA_RESP_ERR__TRANSPORT || err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN ||
         err == RD_KAFKA_RESP_ERR__PARTITION_EOF || err == RD_KAFKA_RESP_ERR__RESOLVE ||
         err == RD_KAFKA_RESP_ERR__TIMED_OUT;
}

ConsumedRecord ToRecord(const rd_kafka_message_t& message) {
  ConsumedRecord record;
  record.position = {rd_kafka_topic_name(message.rkt), message.partition, message.offset};
  if (message.key != nullptr) {
    record.key = std::string(static_cast<const char*>(message.key), message.key_len);
  }
  if (message.payload != nullptr) {
    record.value = std::string(static_cast<const char*>(message.payload), message.len);
  }
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(&message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* name = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    for (size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) ==
                       RD_KAFKA_RESP_ERR_NO_ERROR;
         ++i) {
      record.headers.push_back(
          {name, value == nullptr ? "" : std::string(static_cast<const char*>(value), size)});
    }
  }
  rd_kafka_timestamp_type_t type;
  const int64_t ms = rd_kafka_message_timestamp(&message, &type);
  record.timestamp = ms >= 0 ? absl::FromUnixMillis(ms) : absl::InfinitePast();
  return record;
}

}  // namespace

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
  char error[512];
  rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_CONSUMER, conf->get(), error, sizeof(error));
  if (handle == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("kafka consumer ", client_id, ": ", error));
  }
  conf->release();
  rd_kafka_poll_set_consumer(handle);
  return std::unique_ptr<Consumer>(new Consumer(HandlePtr(handle)));
}

Consumer::~Consumer() { Close(); }

absl::Status Consumer::Subscribe(const std::vector<std::string>& topics) {
  PartitionList list(rd_kafka_topic_partition_list_new(static_cast<int>(topics.size())));
  for (const std::string& topic : topics) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  }
  if (rd_kafka_resp_err_t err = rd_kafka_subscribe(handle_.get(), list.get());
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::InvalidArgumentError(absl::StrCat("subscribe: ", rd_kafka_err2str(err)));
  }
  return absl::OkStatus();
}

absl::Status Consumer::AssignFromBeginning(const std::string& topic,
                                           absl::Duration metadata_timeout) {
  rd_kafka_topic_t* handle = rd_kafka_topic_new(handle_.get(), topic.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  const rd_kafka_resp_err_t err =
      rd_kafka_metadata(handle_.get(), 0, handle, &metadata, TimeoutMs(metadata_timeout));
  rd_kafka_topic_destroy(handle);
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
  PartitionList list(rd_kafka_topic_partition_list_new(partitions));
  for (int p = 0; p < partitions; ++p) {
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

absl::StatusOr<std::optional<ConsumedRecord>> Consumer::Poll(absl::Duration timeout) {
  std::unique_ptr<rd_kafka_message_t, MessageDeleter> message(
      rd_kafka_consumer_poll(handle_.get(), TimeoutMs(timeout)));
  if (message == nullptr) return std::nullopt;
  if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (Transient(message->err)) {
      if (message->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        log::Warning("kafka consumer error; the client retries",
                     {{"client", rd_kafka_name(handle_.get())},
                      {"error", rd_kafka_message_errstr(message.get())}});
      }
      return std::nullopt;
    }
    return absl::UnavailableError(absl::StrCat("kafka consumer ", rd_kafka_name(handle_.get()),
                                               ": ", rd_kafka_message_errstr(message.get())));
  }
  return ToRecord(*message);
}

void Consumer::Close() {
  if (closed_) return;
  closed_ = true;
  rd_kafka_consumer_close(handle_.get());
}

}  // namespace tiendo::kafka
