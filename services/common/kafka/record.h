// Kafka records as the suite sees them: what is produced and what is read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/time/time.h"

namespace tiendo::kafka {

struct Header {
  std::string key;
  std::string value;
};

// Header that names the protobuf schema of an event's value, e.g.
// "tiendo.events.v1.RegistryEvent".
inline constexpr absl::string_view kSchemaHeader = "tiendo-schema";

struct OutgoingRecord {
  std::string topic;
  std::string key;
  std::optional<std::string> value;  // absent: a tombstone (deletes the key on compaction)
  std::vector<Header> headers;
};

// Where a record landed, or was read from.
struct RecordPosition {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
};

struct ConsumedRecord {
  RecordPosition position;
  std::optional<std::string> key;    // absent for a null key
  std::optional<std::string> value;  // absent for a tombstone
  std::vector<Header> headers;
  absl::Time timestamp;

  // The value of the first header named `name`, if any.
  std::optional<absl::string_view> HeaderValue(absl::string_view name) const;
};

}  // namespace tiendo::kafka
