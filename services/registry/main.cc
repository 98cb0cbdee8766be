// tiendo-registry: flags and signals; everything else is in the library.
#include <memory>

#include "services/common/grpc/run_service.h"
#include "services/registry/registry_application.h"

int main(int argc, char** argv) {
  tiendo::registry::RegistryOptions options;
  return tiendo::server::RunService(
      {"tiendo-registry",
       "The tiendo registry: plans, indicators, targets, enterprises, public services, "
       "reporting units and administrative units, stored in SQLite and published to Kafka "
       "through a transactional outbox.",
       7101, 9101},
      argc, argv,
      [&](tiendo::config::FlagSet& flags) {
        tiendo::registry::RegisterRegistryFlags(flags, &options);
      },
      [&]() -> absl::StatusOr<std::unique_ptr<tiendo::server::Application>> {
        auto application = tiendo::registry::RegistryApplication::Create(options);
        if (!application.ok()) return application.status();
        return std::unique_ptr<tiendo::server::Application>(std::move(*application));
      });
}
