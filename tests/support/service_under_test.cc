#include "tests/support/service_under_test.h"

#include <grpcpp/grpcpp.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/support/free_port.h"

namespace tiendo::testing {

std::string ServiceUnderTest::address() const { return absl::StrCat("127.0.0.1:", grpc_port); }

absl::StatusOr<ServiceUnderTest> StartService(const std::string& binary, const std::string& name,
                                              const std::string& bootstrap,
                                              const std::string& topic_prefix,
                                              const std::string& log_dir,
                                              const std::vector<std::string>& extra_flags) {
  absl::StatusOr<std::vector<int>> ports = FreePorts(2);
  if (!ports.ok()) return ports.status();
  ServiceUnderTest service{name, (*ports)[0], (*ports)[1], nullptr};
  std::vector<std::string> argv = {binary,
                                   "--listen-host=127.0.0.1",
                                   absl::StrCat("--grpc-port=", service.grpc_port),
                                   absl::StrCat("--admin-port=", service.admin_port),
                                   absl::StrCat("--kafka-bootstrap-servers=", bootstrap),
                                   absl::StrCat("--kafka-topic-prefix=", topic_prefix),
                                   "--kafka-topic-partitions=2"};
  argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
  absl::StatusOr<std::unique_ptr<ChildProcess>> process =
      ChildProcess::Start(argv, absl::StrCat(log_dir, "/", name, ".log"));
  if (!process.ok()) return process.status();
  service.process = *std::move(process);
  return service;
}

absl::StatusOr<ServingStatus> HealthStatus(const std::string& address, absl::Duration timeout) {
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) {
    return absl::UnavailableError(absl::StrCat("health check of ", address, ": ",
                                               status.error_message()));
  }
  return response.status();
}

bool WaitUntil(const std::function<bool()>& condition, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

}  // namespace tiendo::testing
