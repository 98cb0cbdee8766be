// KafkaOptions: how a tiendo program reaches the Kafka cluster, shared by
// every service and tiendoctl, and the librdkafka configuration built from it.
#pragma once

#include <librdkafka/rdkafka.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/config/flag_set.h"

namespace tiendo::kafka {

struct KafkaOptions {
  // Comma-separated host:port list of brokers to bootstrap from.
  std::string bootstrap_servers = "localhost:9092";
  // Prepended to every topic name, so environments and tests that share a
  // cluster keep apart ("" gives the plain tiendo.* names).
  std::string topic_prefix;
  // Partitions and replication factor for topics the suite creates.
  int64_t topic_partitions = 6;
  int64_t topic_replication_factor = 1;
  // Extra librdkafka properties (security.protocol, sasl.*, ssl.* ...) as
  // "key=value,key=value"; applied last, so they override the defaults.
  std::string extra_properties;
};

// Registers --kafka-bootstrap-servers, --kafka-topic-prefix,
// --kafka-topic-partitions, --kafka-topic-replication-factor and
// --kafka-properties with their TIENDO_KAFKA_* environment fallbacks.
void RegisterKafkaFlags(config::FlagSet& flags, KafkaOptions* options);

struct ConfDeleter {
  void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
};
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;

struct HandleDeleter {
  void operator()(rd_kafka_t* handle) const { rd_kafka_destroy(handle); }
};
using HandlePtr = std::unique_ptr<rd_kafka_t, HandleDeleter>;

// A librdkafka configuration with the bootstrap servers, `client_id`, logs
// routed to the JSON logger, then `settings`, then the extra properties.
// A property librdkafka refuses is an InvalidArgument naming it.
absl::StatusOr<ConfPtr> MakeConf(const KafkaOptions& options, const std::string& client_id,
                                 const std::map<std::string, std::string>& settings = {});

}  // namespace tiendo::kafka
