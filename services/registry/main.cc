// tiendo-registry: flags and signals; everything else is in the library.
#include <memory>

#include "services/common/grpc/run_service.h"
#include "services/registry/registry_application.h"

int main(int argc, char** argv) {
  return tiendo::server::RunService(
      {"tiendo-registry",
       "The tiendo registry: plans, indicators, targets, enterprises, public services, "
       "reporting units and administrative units, published to Kafka.",
       7101, 9101},
      argc, argv, [](tiendo::config::FlagSet&) {},
      [] { return std::make_unique<tiendo::registry::RegistryApplication>(); });
}
