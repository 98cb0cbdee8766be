// ServiceHost: everything the three services share around their own logic.
//
// Start() binds the gRPC port (with grpc.health.v1 and server reflection) and
// the admin HTTP port (/metrics, /healthz, /readyz), reporting NOT_SERVING,
// then keeps trying Kafka in the background: once the brokers answer, the
// suite's topics exist and the application's Kafka clients are up, every
// service turns SERVING. If the brokers stop answering later, health goes
// NOT_SERVING again until they are back.
//
// Shutdown() is the SIGTERM sequence: NOT_SERVING, stop accepting RPCs and
// drain those in flight, stop the application's background work, flush the
// producer, close consumers, stop the admin server — all within the shutdown
// timeout.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/common/admin/admin_server.h"
#include "services/common/config/flag_set.h"
#include "services/common/grpc/application.h"
#include "services/common/kafka/kafka_admin.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/kafka/producer.h"
#include "services/common/metrics/metric_registry.h"

namespace tiendo::server {

struct HostOptions {
  std::string listen_host = "0.0.0.0";
  int grpc_port = 0;
  int admin_port = 0;
  absl::Duration shutdown_timeout = absl::Seconds(20);
  absl::Duration kafka_retry_interval = absl::Seconds(2);
  std::string log_level = "info";
  kafka::KafkaOptions kafka;
};

// Registers the flags every service takes. `options` holds the service's
// default ports on entry.
void RegisterHostFlags(config::FlagSet& flags, HostOptions* options);

class ServiceHost {
 public:
  // `name` is the program name, e.g. "tiendo-registry". `application` must
  // outlive the host.
  ServiceHost(std::string name, HostOptions options, Application* application);
  ~ServiceHost();
  ServiceHost(const ServiceHost&) = delete;
  ServiceHost& operator=(const ServiceHost&) = delete;

  // Binds both ports and starts serving (NOT_SERVING until Kafka is up).
  // Fails, naming the address, when a port cannot be bound.
  absl::Status Start();

  // Runs the shutdown sequence; returns once everything stopped or the
  // shutdown timeout passed. Idempotent.
  void Shutdown();

  int grpc_port() const { return grpc_port_; }
  int admin_port() const { return admin_ ? admin_->port() : 0; }
  bool serving() const { return serving_.load(); }
  metrics::MetricRegistry& metrics() { return metrics_; }

 private:
  void WatchKafka();
  // One attempt to connect: brokers answer, topics exist, clients started.
  absl::Status ConnectKafka();
  void SetServing(bool serving);

  // What the application said it waits for when last not ready; empty when ready.
  std::string last_readiness_;
  const std::string name_;
  const std::string instance_;  // host:pid
  const HostOptions options_;
  Application* const application_;
  metrics::MetricRegistry metrics_;
  metrics::Counter* kafka_attempts_ = nullptr;
  metrics::Counter* kafka_failures_ = nullptr;

  std::unique_ptr<grpc::Server> server_;
  int grpc_port_ = 0;
  std::unique_ptr<admin::AdminServer> admin_;
  std::unique_ptr<kafka::KafkaAdmin> kafka_admin_;
  std::unique_ptr<kafka::Producer> producer_;
  bool kafka_started_ = false;  // touched only by the watcher thread
  std::atomic<bool> serving_{false};
  std::atomic<bool> shutting_down_{false};
  absl::Notification stop_watching_;
  std::thread watcher_;
  bool shut_down_ = false;
};

}  // namespace tiendo::server
