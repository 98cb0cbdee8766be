#include "services/common/kafka/topics.h"

#include "absl/strings/str_cat.h"

namespace tiendo::kafka {

const std::vector<Topic>& AllTopics() {
  static const std::vector<Topic> topics = {Topic::kRegistry, Topic::kSubmissionsRaw,
                                            Topic::kSubmissions, Topic::kSubmissionsRejected,
                                            Topic::kSubmissionsLedger, Topic::kProgress};
  return topics;
}

absl::string_view BaseName(Topic topic) {
  switch (topic) {
    case Topic::kRegistry:
      return "tiendo.registry.v1";
    case Topic::kSubmissionsRaw:
      return "tiendo.submissions.raw.v1";
    case Topic::kSubmissions:
      return "tiendo.submissions.v1";
    case Topic::kSubmissionsRejected:
      return "tiendo.submissions.rejected.v1";
    case Topic::kSubmissionsLedger:
      return "tiendo.submissions.ledger.v1";
    case Topic::kProgress:
      return "tiendo.progress.v1";
  }
  return "";
}

std::string TopicName(const KafkaOptions& options, Topic topic) {
  return absl::StrCat(options.topic_prefix, BaseName(topic));
}

TopicSpec SpecFor(const KafkaOptions& options, Topic topic) {
  TopicSpec spec{TopicName(options, topic), static_cast<int>(options.topic_partitions),
                 static_cast<int>(options.topic_replication_factor), {}};
  constexpr absl::string_view kHour = "3600000";
  constexpr absl::string_view kDay = "86400000";
  constexpr absl::string_view kWeek = "604800000";
  constexpr absl::string_view kThirtyDays = "2592000000";
  switch (topic) {
    case Topic::kRegistry:
    case Topic::kProgress:
      // Latest value per key is the state; keep it forever.
      spec.configs = {{"cleanup.policy", "compact"}};
      break;
    case Topic::kSubmissions:
      // Progress is a function of the whole submission log: replaying it from
      // offset zero must stay possible, so nothing expires.
      spec.configs = {{"cleanup.policy", "delete"}, {"retention.ms", "-1"},
                      {"retention.bytes", "-1"}};
      break;
    case Topic::kSubmissionsRaw:
      spec.configs = {{"cleanup.policy", "delete"}, {"retention.ms", std::string(kWeek)}};
      break;
    case Topic::kSubmissionsRejected:
      spec.configs = {{"cleanup.policy", "delete"}, {"retention.ms", std::string(kThirtyDays)}};
      break;
    case Topic::kSubmissionsLedger:
      // Read from the start by every ingest replica as it starts (besides
      // tiendo.submissions.v1, which holds every id for good): a day is plenty, in segments
      // of an hour so that it is deleted as it ages.
      spec.configs = {{"cleanup.policy", "delete"}, {"retention.ms", std::string(kDay)},
                      {"segment.ms", std::string(kHour)}};
      break;
  }
  return spec;
}

}  // namespace tiendo::kafka
