#include "tests/support/registry_topic.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/kafka/consumer.h"
#include "services/common/kafka/topics.h"

namespace tiendo::testing {

absl::StatusOr<RegistryTopicContents> ReadRegistryTopic(const std::string& bootstrap,
                                                        const std::string& topic_prefix,
                                                        int expected_records,
                                                        absl::Duration timeout,
                                                        absl::Duration quiet) {
  kafka::KafkaOptions options;
  options.bootstrap_servers = bootstrap;
  options.topic_prefix = topic_prefix;
  std::random_device random;
  absl::StatusOr<std::unique_ptr<kafka::Consumer>> consumer =
      kafka::Consumer::Create(options, absl::StrCat("registry-topic-reader-", random()), "");
  if (!consumer.ok()) return consumer.status();
  const std::string topic = kafka::TopicName(options, kafka::Topic::kRegistry);
  if (absl::Status assigned = (*consumer)->AssignFromBeginning(topic, absl::Seconds(10));
      !assigned.ok()) {
    return assigned;
  }
  RegistryTopicContents contents;
  const absl::Time deadline = absl::Now() + timeout;
  absl::Time last_record = absl::Now();
  while (absl::Now() < deadline) {
    if (contents.records >= expected_records && absl::Now() - last_record >= quiet) break;
    absl::StatusOr<std::optional<kafka::ConsumedRecord>> record =
        (*consumer)->Poll(absl::Milliseconds(100));
    if (!record.ok()) return record.status();
    if (!record->has_value()) continue;
    last_record = absl::Now();
    ++contents.records;
    const kafka::ConsumedRecord& consumed = **record;
    if (!consumed.value.has_value()) continue;
    events::v1::RegistryEvent event;
    if (!event.ParseFromString(*consumed.value)) {
      return absl::DataLossError(absl::StrCat("record at offset ", consumed.position.offset,
                                              " is not a RegistryEvent"));
    }
    const std::string key = consumed.key.value_or("");
    ++contents.versions[key][event.entity_version()];
    auto& latest = contents.latest[key];
    if (event.entity_version() > latest.entity_version()) latest = event;
  }
  (*consumer)->Close();
  return contents;
}

}  // namespace tiendo::testing
