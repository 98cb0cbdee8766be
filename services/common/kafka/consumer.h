// Consumer: a Kafka consumer owned by one thread (the one that calls Poll).
// Either a member of a consumer group (Subscribe) or standalone, reading
// whole topics from the beginning (AssignFromBeginning), as a global table
// reader does. Offsets are never committed automatically: the service that
// owns the consumer decides what its durable state covers.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/kafka/record.h"

namespace tiendo::kafka {

class Consumer {
 public:
  // `group_id` empty: a standalone consumer (a group id is still needed by
  // librdkafka and is derived from the client id, but never committed to).
  static absl::StatusOr<std::unique_ptr<Consumer>> Create(
      const KafkaOptions& options, const std::string& client_id, const std::string& group_id,
      const std::map<std::string, std::string>& settings = {});
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Joins the group for `topics` (cooperative-sticky assignment).
  absl::Status Subscribe(const std::vector<std::string>& topics);

  // Reads every partition of `topic` from offset zero, outside any group.
  absl::Status AssignFromBeginning(const std::string& topic, absl::Duration metadata_timeout);

  // The next record, or nullopt when none arrived within `timeout`. Errors
  // the client recovers from by itself (a broker restarting) are logged, not
  // returned; a returned error is fatal for this consumer.
  absl::StatusOr<std::optional<ConsumedRecord>> Poll(absl::Duration timeout);

  // Leaves the group (if any) and closes the connection. Idempotent.
  void Close();

 private:
  explicit Consumer(HandlePtr handle) : handle_(std::move(handle)) {}

  HandlePtr handle_;
  bool closed_ = false;
};

}  // namespace tiendo::kafka
