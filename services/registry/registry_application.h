// The registry service: system of record for plans, indicators, targets,
// registry entities and reporting units (tiendo.registry.v1.Registry).
//
// Walking skeleton: the service is registered (health, reflection, metrics,
// Kafka readiness and shutdown all work) and every RPC answers UNIMPLEMENTED;
// storage and the outbox relay come with the registry issue.
#pragma once

#include <memory>
#include <vector>

#include "services/common/grpc/application.h"
#include "tiendo/registry/v1/registry.grpc.pb.h"

namespace tiendo::registry {

class RegistryApplication final : public server::Application {
 public:
  std::vector<grpc::Service*> GrpcServices() override;

 private:
  v1::Registry::CallbackService service_;
};

}  // namespace tiendo::registry
