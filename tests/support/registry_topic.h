// Reading tiendo.registry.v1 the way a consumer rebuilds the registry: every event from the
// start, applied per key by entity version.
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tiendo/events/v1/registry_event.pb.h"

namespace tiendo::testing {

struct RegistryTopicContents {
  // Every record read, null values (tombstones) included.
  int records = 0;
  // Record key → number of events (non-null records) under it, per entity version:
  // key → (version → count).
  std::map<std::string, std::map<int64_t, int>> versions;
  // Record key → the event with the highest entity version.
  std::map<std::string, events::v1::RegistryEvent> latest;
};

// Reads the registry topic (with `topic_prefix`) from the start up to the end it has when
// called; DEADLINE_EXCEEDED if that takes longer than `timeout`.
absl::StatusOr<RegistryTopicContents> ReadRegistryTopic(const std::string& bootstrap,
                                                        const std::string& topic_prefix,
                                                        absl::Duration timeout);

}  // namespace tiendo::testing
