#include "services/registry/registry_application.h"

#include "services/common/kafka/topics.h"
#include "services/common/logging/log.h"
#include "services/common/status/status_macros.h"

namespace tiendo::registry {

void RegisterRegistryFlags(config::FlagSet& flags, RegistryOptions* options) {
  flags.AddString("database", "TIENDO_REGISTRY_DATABASE",
                  "SQLite database file of the registry; created, with its schema, if missing. "
                  "Keep it on a persistent volume and back it up: it is the system of record.",
                  &options->database);
  flags.AddChoice("durability", "TIENDO_REGISTRY_DURABILITY",
                  "full: every commit is fsynced before the call answers (survives power loss); "
                  "normal: survives a crash of the process, may lose the last commits on "
                  "power loss, and writes faster",
                  {"full", "normal"}, &options->durability);
  flags.AddInt("worker-threads", "TIENDO_REGISTRY_WORKER_THREADS",
               "threads that run RPCs against the database (writes are serialised; reads run "
               "beside them)",
               1, 64, &options->worker_threads);
}

absl::StatusOr<std::unique_ptr<RegistryApplication>> RegistryApplication::Create(
    const RegistryOptions& options, std::function<absl::Time()> clock) {
  StoreOptions store_options;
  store_options.path = options.database;
  store_options.durability =
      options.durability == "normal" ? Durability::kNormal : Durability::kFull;
  store_options.clock = clock;
  ASSIGN_OR_RETURN(std::unique_ptr<RegistryStore> store, RegistryStore::Open(store_options));
  ASSIGN_OR_RETURN(int64_t pending, store->OutboxSize());
  log::Info("registry database open", {{"database", options.database},
                                       {"durability", options.durability},
                                       {"outbox_pending", pending}});
  return std::unique_ptr<RegistryApplication>(new RegistryApplication(
      std::move(store), std::move(clock), static_cast<int>(options.worker_threads)));
}

RegistryApplication::RegistryApplication(std::unique_ptr<RegistryStore> store,
                                         std::function<absl::Time()> clock, int worker_threads)
    : store_(std::move(store)),
      administrative_units_(*store_),
      state_{*store_, administrative_units_, std::move(clock)},
      executor_(worker_threads),
      service_(state_, executor_) {}

std::vector<grpc::Service*> RegistryApplication::GrpcServices() { return {&service_}; }

absl::Status RegistryApplication::StartKafka(const server::KafkaContext& kafka) {
  if (relay_ != nullptr) return absl::OkStatus();
  RelayOptions options;
  options.topic = kafka::TopicName(kafka.options, kafka::Topic::kRegistry);
  kafka.metrics.AddGaugeCallback(
      "tiendo_registry_outbox_pending_records",
      "Registry events committed but not yet acknowledged by Kafka.", [this] {
        absl::StatusOr<int64_t> size = store_->OutboxSize();
        return size.ok() ? static_cast<double>(*size) : -1.0;
      });
  relay_ = std::make_unique<OutboxRelay>(*store_, kafka.producer, options, kafka.metrics);
  relay_->Start();
  return absl::OkStatus();
}

void RegistryApplication::StopWork() {
  if (relay_ != nullptr) relay_->Stop();
}

}  // namespace tiendo::registry
