#include "services/registry/registry_application.h"

namespace tiendo::registry {

std::vector<grpc::Service*> RegistryApplication::GrpcServices() {
  return {&service_};
}

}  // namespace tiendo::registry
