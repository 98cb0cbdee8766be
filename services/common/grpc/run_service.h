// RunService: the whole life of a service process, shared by the three
// mains: flags (with environment fallbacks), logging, start, wait for SIGTERM
// or SIGINT, the shutdown sequence, the exit code.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/config/flag_set.h"
#include "services/common/grpc/application.h"

namespace tiendo::server {

struct ServiceDescription {
  std::string name;     // program name, e.g. "tiendo-registry"
  std::string summary;  // first paragraph of --help
  int default_grpc_port = 0;
  int default_admin_port = 0;
};

// Parses flags (the service's own through `add_flags`, then the shared ones),
// creates the application with `create` and runs it until SIGTERM/SIGINT.
// Returns the process exit code: 0 after a clean shutdown or --help, 2 for a
// bad flag, 1 when the service cannot start.
int RunService(const ServiceDescription& description, int argc, char** argv,
               const std::function<void(config::FlagSet&)>& add_flags,
               const std::function<absl::StatusOr<std::unique_ptr<Application>>()>& create);

}  // namespace tiendo::server
