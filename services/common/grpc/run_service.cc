#include "services/common/grpc/run_service.h"

#include <csignal>
#include <cstdio>

#include "absl/synchronization/mutex.h"
#include "services/common/grpc/service_host.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/logging/log.h"
#include "services/common/process/termination_signal.h"

namespace tiendo::server {

int RunService(const ServiceDescription& description, int argc, char** argv,
               const std::function<void(config::FlagSet&)>& add_flags,
               const std::function<absl::StatusOr<std::unique_ptr<Application>>()>& create) {
  process::BlockTerminationSignals();
#ifdef NDEBUG
  // Debian's abseil is built without NDEBUG, which leaves Mutex deadlock detection on: a
  // process-wide lock graph updated on every lock (2% of ingest's CPU under load). Release
  // builds turn it off, as abseil's own release builds do; debug and sanitizer builds keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif

  HostOptions options;
  options.grpc_port = description.default_grpc_port;
  options.admin_port = description.default_admin_port;
  config::FlagSet flags(description.name, description.summary);
  add_flags(flags);
  RegisterHostFlags(flags, &options);
  if (absl::Status parsed = flags.Parse(config::Arguments(argc, argv), config::ProcessEnv());
      !parsed.ok()) {
    std::fprintf(stderr, "%s: %s\n", description.name.c_str(),
                 std::string(parsed.message()).c_str());
    return 2;
  }
  if (flags.help_requested()) {
    std::fputs(flags.Usage().c_str(), stdout);
    return 0;
  }
  // The Kafka client settings are checked now, as every flag is, not once Kafka answers.
  if (absl::StatusOr<kafka::ConfPtr> conf = kafka::MakeConf(options.kafka, description.name);
      !conf.ok()) {
    std::fprintf(stderr, "%s: %s (see --kafka-properties, or TIENDO_KAFKA_PROPERTIES)\n",
                 description.name.c_str(), std::string(conf.status().message()).c_str());
    return 2;
  }

  log::Level level = log::Level::kInfo;
  log::ParseLevel(options.log_level, &level);
  log::Configure(description.name, level);
  log::CaptureGrpcLogs();

  absl::StatusOr<std::unique_ptr<Application>> application = create();
  if (!application.ok()) {
    log::Error("cannot start", {{"error", std::string(application.status().message())}});
    return 1;
  }
  ServiceHost host(description.name, options, application->get());
  if (absl::Status started = host.Start(); !started.ok()) {
    log::Error("cannot start", {{"error", std::string(started.message())}});
    return 1;
  }
  const int signal = process::AwaitTerminationSignal();
  log::Info("received signal", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
  host.Shutdown();
  return 0;
}

}  // namespace tiendo::server
