// librdkafka's mock cluster, for unit tests of the Kafka wrappers (integration tests use a
// real broker): an in-process cluster of one broker, owned by a handle of its own.
#pragma once

#include <string>

struct rd_kafka_s;
struct rd_kafka_mock_cluster_s;

namespace tiendo::testing {

class MockKafkaCluster {
 public:
  MockKafkaCluster();
  ~MockKafkaCluster();
  MockKafkaCluster(const MockKafkaCluster&) = delete;
  MockKafkaCluster& operator=(const MockKafkaCluster&) = delete;

  std::string bootstrap() const;
  void CreateTopic(const std::string& name, int partitions);
  // Creates topic `name` whose metadata answers Kafka's error TOPIC_AUTHORIZATION_FAILED: a
  // producer's records to it are never written (they fail at message.timeout.ms), while the
  // other topics take theirs.
  void CreateRefusingTopic(const std::string& name);

 private:
  rd_kafka_s* owner_;
  rd_kafka_mock_cluster_s* cluster_;
};

}  // namespace tiendo::testing
