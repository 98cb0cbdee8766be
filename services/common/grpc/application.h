// Application: what one service plugs into the ServiceHost — its gRPC
// services and its Kafka work. The host owns what the services share: ports,
// health, metrics, readiness, the service's Kafka producer and the shutdown
// sequence.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/kafka/producer.h"
#include "services/common/metrics/metric_registry.h"

namespace tiendo::server {

// What an application gets once Kafka is reachable.
struct KafkaContext {
  const kafka::KafkaOptions& options;
  // The service's idempotent producer (acks=all), flushed by the host on
  // shutdown after StopWork().
  kafka::Producer& producer;
  metrics::MetricRegistry& metrics;
  // Who this process is, host:pid, for the events it publishes (diagnostic).
  const std::string& instance;
};

class Application {
 public:
  virtual ~Application() = default;

  // The gRPC services to register; they must outlive the host.
  virtual std::vector<grpc::Service*> GrpcServices() = 0;

  // Settings of the gRPC server beyond the host's own, e.g. the largest message it takes.
  virtual void ConfigureServer(grpc::ServerBuilder&) {}

  // Settings of the service's producer beyond kafka::Producer's defaults (--kafka-properties
  // still win), e.g. a shorter linger for a service whose records are latency-bound.
  virtual std::map<std::string, std::string> ProducerSettings() const { return {}; }

  // Called once the brokers answer and the suite's topics exist: start
  // consumers and background work. An error is logged and the call retried.
  virtual absl::Status StartKafka(const KafkaContext&) { return absl::OkStatus(); }

  // Whether the application can serve, once Kafka is up: e.g. not until it has read the
  // registry topic to its end. A status that is not OK says what it is waiting for; the
  // service reports NOT_SERVING meanwhile. Called again every probe interval.
  virtual absl::Status Readiness() { return absl::OkStatus(); }

  // Shutdown, before the gRPC server drains: end streams that would otherwise stay open
  // until the drain deadline (e.g. watches, telling clients to reconnect elsewhere).
  virtual void EndStreams() {}

  // Shutdown, after the gRPC server drained: stop background work that
  // produces records. The host flushes the producer next.
  virtual void StopWork() {}

  // Shutdown, after the producer was flushed: close consumers.
  virtual void CloseConsumers() {}
};

}  // namespace tiendo::server
