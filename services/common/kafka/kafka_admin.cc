#include "services/common/kafka/kafka_admin.h"

#include <memory>

#include "absl/time/clock.h"

#include "absl/strings/str_cat.h"

namespace tiendo::kafka {
namespace {

constexpr absl::Duration kProbeTimeout = absl::Seconds(2);

int TimeoutMs(absl::Duration timeout) {
  return static_cast<int>(absl::ToInt64Milliseconds(timeout));
}

struct NewTopicDeleter {
  void operator()(rd_kafka_NewTopic_t* topic) const { rd_kafka_NewTopic_destroy(topic); }
};
struct AdminOptionsDeleter {
  void operator()(rd_kafka_AdminOptions_t* options) const {
    rd_kafka_AdminOptions_destroy(options);
  }
};
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* queue) const { rd_kafka_queue_destroy(queue); }
};
struct EventDeleter {
  void operator()(rd_kafka_event_t* event) const { rd_kafka_event_destroy(event); }
};
struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* metadata) const { rd_kafka_metadata_destroy(metadata); }
};

}  // namespace

std::vector<TopicSpec> SuiteTopics(const KafkaOptions& options) {
  std::vector<TopicSpec> specs;
  for (Topic topic : AllTopics()) specs.push_back(SpecFor(options, topic));
  return specs;
}

absl::StatusOr<std::unique_ptr<KafkaAdmin>> KafkaAdmin::Create(const KafkaOptions& options,
                                                               const std::string& client_id) {
  absl::StatusOr<ConfPtr> conf = MakeConf(options, client_id);
  if (!conf.ok()) return conf.status();
  char error[512];
  // A producer handle carries admin requests; it never produces.
  rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf->get(), error, sizeof(error));
  if (handle == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("kafka admin client: ", error));
  }
  conf->release();  // owned by the handle now
  return std::unique_ptr<KafkaAdmin>(
      new KafkaAdmin(HandlePtr(handle), options.bootstrap_servers));
}

absl::Status KafkaAdmin::CheckConnection(absl::Duration timeout) {
  const rd_kafka_metadata_t* metadata = nullptr;
  const rd_kafka_resp_err_t err =
      rd_kafka_metadata(handle_.get(), /*all_topics=*/0, nullptr, &metadata, TimeoutMs(timeout));
  std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter> owned(metadata);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::UnavailableError(absl::StrCat("kafka brokers ", bootstrap_,
                                               " did not answer a metadata request within ",
                                               absl::FormatDuration(timeout), ": ",
                                               rd_kafka_err2str(err)));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> KafkaAdmin::PartitionCount(const std::string& topic, absl::Duration timeout) {
  rd_kafka_topic_t* handle = rd_kafka_topic_new(handle_.get(), topic.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  const rd_kafka_resp_err_t err =
      rd_kafka_metadata(handle_.get(), 0, handle, &metadata, TimeoutMs(timeout));
  rd_kafka_topic_destroy(handle);
  std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter> owned(metadata);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::UnavailableError(
        absl::StrCat("metadata of topic ", topic, ": ", rd_kafka_err2str(err)));
  }
  if (metadata->topic_cnt != 1 || metadata->topics[0].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::NotFoundError(absl::StrCat("topic ", topic, " does not exist"));
  }
  return metadata->topics[0].partition_cnt;
}

absl::StatusOr<std::vector<EnsuredTopic>> KafkaAdmin::EnsureTopics(
    const std::vector<TopicSpec>& specs, absl::Duration timeout) {
  char error[512];
  std::vector<std::unique_ptr<rd_kafka_NewTopic_t, NewTopicDeleter>> topics;
  std::vector<rd_kafka_NewTopic_t*> raw;
  for (const TopicSpec& spec : specs) {
    rd_kafka_NewTopic_t* topic = rd_kafka_NewTopic_new(
        spec.name.c_str(), spec.partitions, spec.replication_factor, error, sizeof(error));
    if (topic == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("topic ", spec.name, ": ", error));
    }
    topics.emplace_back(topic);
    raw.push_back(topic);
    for (const auto& [key, value] : spec.configs) {
      if (rd_kafka_resp_err_t err = rd_kafka_NewTopic_set_config(topic, key.c_str(), value.c_str());
          err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        return absl::InvalidArgumentError(absl::StrCat("topic ", spec.name, " config ", key, "=",
                                                       value, ": ", rd_kafka_err2str(err)));
      }
    }
  }

  std::unique_ptr<rd_kafka_AdminOptions_t, AdminOptionsDeleter> options(
      rd_kafka_AdminOptions_new(handle_.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS));
  rd_kafka_AdminOptions_set_request_timeout(options.get(), TimeoutMs(timeout), error,
                                            sizeof(error));
  rd_kafka_AdminOptions_set_operation_timeout(options.get(), TimeoutMs(timeout), error,
                                              sizeof(error));
  std::unique_ptr<rd_kafka_queue_t, QueueDeleter> queue(rd_kafka_queue_new(handle_.get()));
  rd_kafka_CreateTopics(handle_.get(), raw.data(), raw.size(), options.get(), queue.get());

  // The result arrives on the queue; allow a margin past the request timeout.
  std::unique_ptr<rd_kafka_event_t, EventDeleter> event(
      rd_kafka_queue_poll(queue.get(), TimeoutMs(timeout + absl::Seconds(5))));
  if (event == nullptr) {
    return absl::DeadlineExceededError(absl::StrCat("creating topics on ", bootstrap_,
                                                    ": no answer within ",
                                                    absl::FormatDuration(timeout)));
  }
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::UnavailableError(absl::StrCat("creating topics on ", bootstrap_, ": ",
                                               rd_kafka_event_error_string(event.get())));
  }
  const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event.get());
  size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(result, &count);
  std::vector<EnsuredTopic> ensured;
  const absl::Time deadline = absl::Now() + timeout;
  for (size_t i = 0; i < count; ++i) {
    const std::string name = rd_kafka_topic_result_name(results[i]);
    const rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      // The controller has committed the topic; the brokers' metadata may
      // lag. Callers go on to use it, so wait until it is visible.
      while (true) {
        absl::StatusOr<int> partitions = PartitionCount(name, kProbeTimeout);
        if (partitions.ok()) break;
        if (absl::Now() >= deadline) {
          return absl::DeadlineExceededError(absl::StrCat(
              "topic ", name, " was created but is not in the cluster metadata after ",
              absl::FormatDuration(timeout)));
        }
        absl::SleepFor(absl::Milliseconds(50));
      }
      ensured.push_back({name, TopicOutcome::kCreated});
    } else if (err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      ensured.push_back({name, TopicOutcome::kAlreadyExisted});
    } else {
      const char* message = rd_kafka_topic_result_error_string(results[i]);
      return absl::FailedPreconditionError(absl::StrCat(
          "creating topic ", name, ": ", message != nullptr ? message : rd_kafka_err2str(err)));
    }
  }
  return ensured;
}

}  // namespace tiendo::kafka
