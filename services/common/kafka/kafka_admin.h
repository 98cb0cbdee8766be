// KafkaAdmin: cluster-level operations the suite needs: checking that the
// brokers answer, and creating its topics idempotently.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/kafka/topics.h"

namespace tiendo::kafka {

enum class TopicOutcome { kCreated, kAlreadyExisted };

struct EnsuredTopic {
  std::string name;
  TopicOutcome outcome;
};

class KafkaAdmin {
 public:
  static absl::StatusOr<std::unique_ptr<KafkaAdmin>> Create(const KafkaOptions& options,
                                                            const std::string& client_id);

  // OK once a metadata request to the cluster succeeds within `timeout`;
  // UNAVAILABLE naming the bootstrap servers otherwise.
  absl::Status CheckConnection(absl::Duration timeout);

  // Creates each topic that does not exist yet with its spec; a topic that
  // already exists is left as it is. Fails on the first topic the cluster
  // refuses, naming it and the broker's reason.
  absl::StatusOr<std::vector<EnsuredTopic>> EnsureTopics(const std::vector<TopicSpec>& specs,
                                                         absl::Duration timeout);

  // The number of partitions of `topic`, or NOT_FOUND.
  absl::StatusOr<int> PartitionCount(const std::string& topic, absl::Duration timeout);

 private:
  KafkaAdmin(HandlePtr handle, std::string bootstrap)
      : handle_(std::move(handle)), bootstrap_(std::move(bootstrap)) {}

  HandlePtr handle_;
  std::string bootstrap_;
};

// Every topic of the suite, as configured by `options`.
std::vector<TopicSpec> SuiteTopics(const KafkaOptions& options);

}  // namespace tiendo::kafka
