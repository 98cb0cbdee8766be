#include "tests/support/mock_kafka_cluster.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

namespace tiendo::testing {

MockKafkaCluster::MockKafkaCluster() {
  char error[256];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "0", error, sizeof(error));
  owner_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  cluster_ = rd_kafka_mock_cluster_new(owner_, 1);
}

MockKafkaCluster::~MockKafkaCluster() {
  rd_kafka_mock_cluster_destroy(cluster_);
  rd_kafka_destroy(owner_);
}

std::string MockKafkaCluster::bootstrap() const {
  return rd_kafka_mock_cluster_bootstraps(cluster_);
}

void MockKafkaCluster::CreateTopic(const std::string& name, int partitions) {
  rd_kafka_mock_topic_create(cluster_, name.c_str(), partitions, 1);
}

void MockKafkaCluster::CreateRefusingTopic(const std::string& name) {
  rd_kafka_mock_topic_create(cluster_, name.c_str(), 1, 1);
  rd_kafka_mock_topic_set_error(cluster_, name.c_str(),
                                RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
}

}  // namespace tiendo::testing
