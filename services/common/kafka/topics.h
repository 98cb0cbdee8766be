// The suite's Kafka topics: names (with the environment's prefix) and the
// settings each is created with.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

#include "services/common/kafka/kafka_options.h"

namespace tiendo::kafka {

enum class Topic {
  kRegistry,              // registry changes, compacted, keyed by entity
  kSubmissionsRaw,        // department systems' batches, produced directly
  kSubmissions,           // accepted submissions, keyed by indicator
  kSubmissionsRejected,   // dead letters of the raw path, with the reason
  kSubmissionsLedger,     // ids ingest replicas accepted, keyed by the replica's ledger
  kProgress,              // target progress, compacted, keyed by target
};

// Every topic, in the order above.
const std::vector<Topic>& AllTopics();

// The base name, e.g. "tiendo.registry.v1".
absl::string_view BaseName(Topic topic);

// The name on the cluster: prefix + base name.
std::string TopicName(const KafkaOptions& options, Topic topic);

struct TopicSpec {
  std::string name;
  int partitions = 1;
  int replication_factor = -1;  // -1: the broker's default
  std::map<std::string, std::string> configs;
};

// What `topic` is created with under `options`.
TopicSpec SpecFor(const KafkaOptions& options, Topic topic);

}  // namespace tiendo::kafka
