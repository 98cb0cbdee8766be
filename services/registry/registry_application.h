// The registry service: system of record for plans, indicators, targets, enterprises,
// public services, reporting units and their tokens, and administrative units
// (tiendo.registry.v1.Registry), stored in SQLite and published to tiendo.registry.v1
// through the transactional outbox.
//
// The gRPC API serves as soon as the database is open (writes land in the outbox); the
// relay starts once Kafka is reachable and catches up with whatever was committed meanwhile.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/config/flag_set.h"
#include "services/common/grpc/application.h"
#include "services/common/grpc/blocking_executor.h"
#include "services/registry/outbox_relay.h"
#include "services/registry/registry_calls.h"
#include "services/registry/registry_lookups.h"
#include "services/registry/registry_service.h"
#include "services/registry/store/registry_store.h"

namespace tiendo::registry {

struct RegistryOptions {
  std::string database = "tiendo-registry.db";
  std::string durability = "full";
  int64_t worker_threads = 4;
};

// --database, --durability, --worker-threads.
void RegisterRegistryFlags(config::FlagSet& flags, RegistryOptions* options);

class RegistryApplication final : public server::Application {
 public:
  // Opens (or creates) the database and runs its schema migrations.
  static absl::StatusOr<std::unique_ptr<RegistryApplication>> Create(
      const RegistryOptions& options,
      std::function<absl::Time()> clock = [] { return absl::Now(); });

  std::vector<grpc::Service*> GrpcServices() override;
  absl::Status StartKafka(const server::KafkaContext& kafka) override;
  void StopWork() override;

  RegistryStore& store() { return *store_; }

 private:
  RegistryApplication(std::unique_ptr<RegistryStore> store, std::function<absl::Time()> clock,
                      int worker_threads);

  std::unique_ptr<RegistryStore> store_;
  AdministrativeUnitCache administrative_units_;
  RegistryState state_;
  server::BlockingExecutor executor_;
  RegistryService service_;
  std::unique_ptr<OutboxRelay> relay_;
};

}  // namespace tiendo::registry
