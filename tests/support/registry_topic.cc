#include "tests/support/registry_topic.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "services/common/kafka/topics.h"
#include "tests/support/topic_reader.h"

namespace tiendo::testing {

absl::StatusOr<RegistryTopicContents> ReadRegistryTopic(const std::string& bootstrap,
                                                        const std::string& topic_prefix,
                                                        absl::Duration timeout) {
  kafka::KafkaOptions options;
  options.topic_prefix = topic_prefix;
  absl::StatusOr<std::unique_ptr<TopicReader>> reader =
      TopicReader::Open(bootstrap, kafka::TopicName(options, kafka::Topic::kRegistry));
  if (!reader.ok()) return reader.status();
  if (absl::Status read = (*reader)->ReadToEnd(timeout); !read.ok()) return read;
  RegistryTopicContents contents;
  for (const kafka::ConsumedRecord& record : (*reader)->records()) {
    ++contents.records;
    if (!record.value.has_value()) continue;
    events::v1::RegistryEvent event;
    if (!event.ParseFromString(*record.value)) {
      return absl::DataLossError(absl::StrCat("record at offset ", record.position.offset,
                                              " is not a RegistryEvent"));
    }
    const std::string key = record.key.value_or("");
    ++contents.versions[key][event.entity_version()];
    auto& latest = contents.latest[key];
    if (event.entity_version() > latest.entity_version()) latest = event;
  }
  return contents;
}

}  // namespace tiendo::testing
