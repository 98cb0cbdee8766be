// Kafka records as the suite sees them: what is produced and what is read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace tiendo::kafka {

struct Header {
  std::string key;
  std::string value;
};

// Header that names the protobuf schema of an event's value, e.g.
// "tiendo.events.v1.RegistryEvent".
inline constexpr absl::string_view kSchemaHeader = "tiendo-schema";

// A record's key and value at most, as the suite writes them: under librdkafka's default
// limit on a record (message.max.bytes, 1,000,000 bytes with its headers and framing), which
// the broker's is above. A larger record is never written: a writer that must deliver it
// would try for ever.
inline constexpr size_t kMaxRecordBytes = 900 * 1000;

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

// Records read together (Consumer::PollBatch). The batch keeps its records' storage from one
// poll to the next and refills it in place: once its strings have grown to the records'
// sizes, reading a batch allocates nothing.
class RecordBatch {
 public:
  absl::Span<const ConsumedRecord> records() const { return {slots_.data(), size_}; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  friend class Consumer;

  // Forgets the records, keeping their storage.
  void Clear() { size_ = 0; }
  // The slot the next record is read into, holding what an earlier poll left there; it joins
  // the batch once kept.
  ConsumedRecord& Spare() {
    if (size_ == slots_.size()) slots_.emplace_back();
    return slots_[size_];
  }
  void KeepSpare() { ++size_; }

  std::vector<ConsumedRecord> slots_;
  size_t size_ = 0;
};

}  // namespace tiendo::kafka
