#include "google/rpc/error_details.pb.h"
#include "services/common/grpc/service_host.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.pb.h"
#include "services/common/grpc/request_metrics.h"
#include "services/common/logging/log.h"
#include "services/common/process/thread_name.h"

namespace tiendo::server {
namespace {

// How often a connected service re-checks that the brokers answer.
constexpr absl::Duration kProbeInterval = absl::Seconds(5);
constexpr absl::Duration kProbeTimeout = absl::Seconds(3);
constexpr absl::Duration kTopicTimeout = absl::Seconds(15);

// host:pid: which process published an event.
std::string InstanceName() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return absl::StrCat(host, ":", getpid());
}

std::string HostPort(const std::string& host, int port) {
  return host.find(':') != std::string::npos ? absl::StrCat("[", host, "]:", port)
                                             : absl::StrCat(host, ":", port);
}

}  // namespace

void RegisterHostFlags(config::FlagSet& flags, HostOptions* options) {
  flags.AddString("listen-host", "TIENDO_LISTEN_HOST",
                  "Address the gRPC and admin servers bind to (0.0.0.0: every interface).",
                  &options->listen_host);
  flags.AddPort("grpc-port", "TIENDO_GRPC_PORT", "Port of the gRPC server (0: any free port).",
                &options->grpc_port);
  flags.AddPort("admin-port", "TIENDO_ADMIN_PORT",
                "Port of the admin HTTP server: /metrics, /healthz, /readyz (0: any free port).",
                &options->admin_port);
  flags.AddDuration("shutdown-timeout", "TIENDO_SHUTDOWN_TIMEOUT",
                    "On SIGTERM, the time allowed to drain RPCs and flush Kafka producers "
                    "before the process exits anyway.",
                    &options->shutdown_timeout);
  flags.AddDuration("kafka-retry-interval", "TIENDO_KAFKA_RETRY_INTERVAL",
                    "Pause between attempts to reach Kafka while it is unreachable.",
                    &options->kafka_retry_interval);
  flags.AddChoice("log-level", "TIENDO_LOG_LEVEL", "Least severe log level written.",
                  {"debug", "info", "warning", "error"}, &options->log_level);
  kafka::RegisterKafkaFlags(flags, &options->kafka);
}

ServiceHost::ServiceHost(std::string name, HostOptions options, Application* application)
    : name_(std::move(name)),
      instance_(InstanceName()),
      options_(std::move(options)),
      application_(application) {
  kafka_attempts_ = &metrics_.AddCounter("tiendo_kafka_connect_attempts_total",
                                         "Attempts to reach Kafka and set up the topics.");
  kafka_failures_ = &metrics_.AddCounter("tiendo_kafka_connect_failures_total",
                                         "Attempts to reach Kafka that failed.");
  metrics_.AddGauge("tiendo_build_info", "The running program and version (value 1).",
                    {{"service", name_}, {"version", TIENDO_VERSION}})
      .Set(1);
  metrics_.AddGauge("process_start_time_seconds", "Start time of the process, Unix seconds.")
      .Set(absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch()));
  metrics_.AddGaugeCallback("tiendo_serving", "1 while the service reports SERVING, else 0.",
                            [this] { return serving_.load() ? 1.0 : 0.0; });
}

ServiceHost::~ServiceHost() { Shutdown(); }

absl::Status ServiceHost::Start() {
  grpc::EnableDefaultHealthCheckService(true);
  // gRPC's built-in health service is not generated from the protobuf
  // definition, so server reflection could not describe grpc.health.v1 to
  // clients such as grpcurl; touching the generated descriptor links it in.
  // The same holds for the BadRequest detail of INVALID_ARGUMENT errors.
  grpc::health::v1::HealthCheckRequest::descriptor();
  google::rpc::BadRequest::descriptor();
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  const std::string address = HostPort(options_.listen_host, options_.grpc_port);
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &grpc_port_);
  for (grpc::Service* service : application_->GrpcServices()) builder.RegisterService(service);
  application_->ConfigureServer(builder);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(RequestMetricsFactory(metrics_));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || grpc_port_ == 0) {
    server_.reset();
    return absl::UnavailableError(absl::StrCat(
        "cannot listen for gRPC on ", address,
        " (is the port in use, or the host not an address of this machine? see --grpc-port "
        "and --listen-host)"));
  }
  SetServing(false);

  absl::StatusOr<std::unique_ptr<admin::AdminServer>> admin = admin::AdminServer::Start(
      options_.listen_host, options_.admin_port,
      {{"/metrics",
        [this] {
          return admin::HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8",
                                     metrics_.Render()};
        }},
       {"/healthz",
        [this] {
          return shutting_down_ ? admin::HttpResponse{503, "text/plain", "shutting down\n"}
                                : admin::HttpResponse{200, "text/plain", "ok\n"};
        }},
       {"/readyz", [this] {
          return serving_ ? admin::HttpResponse{200, "text/plain", "SERVING\n"}
                          : admin::HttpResponse{503, "text/plain", "NOT_SERVING\n"};
        }}});
  if (!admin.ok()) {
    server_->Shutdown();
    server_.reset();
    return absl::Status(admin.status().code(),
                        absl::StrCat(admin.status().message(), " (see --admin-port)"));
  }
  admin_ = *std::move(admin);

  absl::StatusOr<std::unique_ptr<kafka::KafkaAdmin>> kafka_admin =
      kafka::KafkaAdmin::Create(options_.kafka, absl::StrCat(name_, ".admin"));
  if (!kafka_admin.ok()) return kafka_admin.status();
  kafka_admin_ = *std::move(kafka_admin);

  log::Info("listening", {{"grpc", HostPort(options_.listen_host, grpc_port_)},
                          {"admin", HostPort(options_.listen_host, admin_->port())},
                          {"kafka", options_.kafka.bootstrap_servers},
                          {"topic_prefix", options_.kafka.topic_prefix}});
  watcher_ = std::thread([this] {
    process::NameThisThread("kafka-watcher");
    WatchKafka();
  });
  return absl::OkStatus();
}

void ServiceHost::SetServing(bool serving) {
  serving_ = serving;
  if (server_ != nullptr && !shutting_down_) {
    server_->GetHealthCheckService()->SetServingStatus(serving);
  }
}

absl::Status ServiceHost::ConnectKafka() {
  if (absl::Status reachable = kafka_admin_->CheckConnection(kProbeTimeout); !reachable.ok()) {
    return reachable;
  }
  if (kafka_started_) return absl::OkStatus();
  absl::StatusOr<std::vector<kafka::EnsuredTopic>> topics =
      kafka_admin_->EnsureTopics(kafka::SuiteTopics(options_.kafka), kTopicTimeout);
  if (!topics.ok()) return topics.status();
  for (const kafka::EnsuredTopic& topic : *topics) {
    log::Info(topic.outcome == kafka::TopicOutcome::kCreated ? "created topic"
                                                             : "topic exists",
              {{"topic", topic.name}});
  }
  if (producer_ == nullptr) {
    absl::StatusOr<std::unique_ptr<kafka::Producer>> producer =
        kafka::Producer::Create(options_.kafka, name_, application_->ProducerSettings());
    if (!producer.ok()) return producer.status();
    producer_ = *std::move(producer);
  }
  if (absl::Status started = application_->StartKafka({options_.kafka, *producer_, metrics_, instance_});
      !started.ok()) {
    return started;
  }
  kafka_started_ = true;
  return absl::OkStatus();
}

void ServiceHost::WatchKafka() {
  while (!stop_watching_.HasBeenNotified()) {
    const bool was_serving = serving_;
    if (!was_serving) kafka_attempts_->Increment();
    const absl::Status status = ConnectKafka();
    if (stop_watching_.HasBeenNotified()) break;
    const absl::Status ready = status.ok() ? application_->Readiness() : absl::OkStatus();
    if (status.ok() && !ready.ok()) {
      SetServing(false);
      if (ready.message() != last_readiness_) {
        log::Info("not ready yet; NOT_SERVING", {{"waiting_for", std::string(ready.message())}});
      }
      last_readiness_ = std::string(ready.message());
    } else if (status.ok() && !was_serving) {
      SetServing(true);
      last_readiness_.clear();
      log::Info("kafka reachable; SERVING", {{"kafka", options_.kafka.bootstrap_servers}});
    } else if (!status.ok()) {
      if (!was_serving) kafka_failures_->Increment();
      SetServing(false);
      log::Warning(was_serving ? "lost kafka; NOT_SERVING until it is back"
                               : "kafka not reachable; NOT_SERVING, retrying",
                   {{"kafka", options_.kafka.bootstrap_servers},
                    {"error", std::string(status.message())},
                    {"retry_in", absl::FormatDuration(options_.kafka_retry_interval)}});
    }
    // While waiting for readiness, look again soon: catching up takes seconds, not minutes.
    stop_watching_.WaitForNotificationWithTimeout(
        serving_ ? kProbeInterval
                 : (!last_readiness_.empty() ? absl::Milliseconds(200)
                                             : options_.kafka_retry_interval));
  }
}

void ServiceHost::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  const absl::Time deadline = absl::Now() + options_.shutdown_timeout;
  log::Info("shutting down", {{"deadline", absl::FormatDuration(options_.shutdown_timeout)}});

  // 1. NOT_SERVING: load balancers and probes stop sending new work here.
  SetServing(false);
  shutting_down_ = true;
  if (server_ != nullptr) server_->GetHealthCheckService()->Shutdown();
  stop_watching_.Notify();
  if (watcher_.joinable()) watcher_.join();

  // 2. Stop accepting RPCs; those in flight get until half the budget, then
  //    are cancelled. The other half is for Kafka.
  if (server_ != nullptr) {
    application_->EndStreams();
    server_->Shutdown(absl::ToChronoTime(absl::Now() + (deadline - absl::Now()) / 2));
    server_->Wait();
    log::Info("gRPC server drained");
  }

  // 3. Background work stops, then everything it produced is flushed, then
  //    consumers close (so offsets never run ahead of what was written).
  if (kafka_started_) {
    application_->StopWork();
    if (absl::Status flushed = producer_->Flush(std::max(deadline - absl::Now(), absl::ZeroDuration()));
        !flushed.ok()) {
      log::Error("kafka producer not flushed before the shutdown deadline",
                 {{"error", std::string(flushed.message())}});
    } else {
      log::Info("kafka producer flushed");
    }
    application_->CloseConsumers();
  }

  // 4. Admin endpoints last, so they answer until the end.
  if (admin_ != nullptr) admin_->Stop();
  log::Info("stopped");
}

}  // namespace tiendo::server
