// The suite's services as integration tests run them: the real binaries on
// free ports, talking to a real broker, checked through grpc.health.v1.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.pb.h"
#include "tests/support/child_process.h"

namespace tiendo::testing {

using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

struct ServiceUnderTest {
  std::string name;  // e.g. "tiendo-registry"
  int grpc_port = 0;
  int admin_port = 0;
  std::unique_ptr<ChildProcess> process;

  std::string address() const;
};

// Starts `binary` on free ports with its log at `log_dir`/NAME.log.
absl::StatusOr<ServiceUnderTest> StartService(const std::string& binary, const std::string& name,
                                              const std::string& bootstrap,
                                              const std::string& topic_prefix,
                                              const std::string& log_dir,
                                              const std::vector<std::string>& extra_flags = {});

// The overall serving status (service "") of the server at `address`.
absl::StatusOr<ServingStatus> HealthStatus(const std::string& address,
                                           absl::Duration timeout = absl::Seconds(2));

// Polls `condition` every 50 ms until it holds or `timeout` passes.
bool WaitUntil(const std::function<bool()>& condition, absl::Duration timeout);

}  // namespace tiendo::testing
