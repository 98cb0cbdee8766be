// tiendoctl health: asks each service's grpc.health.v1 endpoint whether it
// is SERVING; optionally waits until all are.
#include <grpcpp/grpcpp.h>

#include <iomanip>
#include <thread>

#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tools/tiendoctl/command.h"
#include "tools/tiendoctl/service_addresses.h"

namespace tiendo::ctl {
namespace {

struct Answer {
  bool serving = false;
  std::string text;  // SERVING, NOT_SERVING, or UNREACHABLE (reason)
};

Answer Check(const std::string& address, absl::Duration timeout) {
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) {
    return {false, "UNREACHABLE (" + status.error_message() + ")"};
  }
  return {response.status() == grpc::health::v1::HealthCheckResponse::SERVING,
          grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status())};
}

int Run(const std::vector<std::string>& args, Io& io) {
  ServiceAddresses addresses;
  absl::Duration timeout = absl::Seconds(3);
  absl::Duration wait = absl::ZeroDuration();
  config::FlagSet flags("tiendoctl health",
                        "Checks the gRPC health (grpc.health.v1) of every tiendo service and "
                        "prints one line per service. Exits 0 when all are SERVING, 1 "
                        "otherwise.");
  RegisterAddressFlags(flags, &addresses);
  flags.AddDuration("timeout", "", "Deadline of each health check.", &timeout);
  flags.AddDuration("wait", "",
                    "Keep checking until every service is SERVING or this much time passed "
                    "(0: check once).",
                    &wait);
  if (int code = ParseCommandFlags(flags, args, io); code >= 0) return code;

  const absl::Time give_up = absl::Now() + wait;
  std::vector<std::pair<NamedAddress, Answer>> answers;
  while (true) {
    answers.clear();
    bool all_serving = true;
    for (const NamedAddress& service : AllServices(addresses)) {
      answers.emplace_back(service, Check(service.address, timeout));
      all_serving = all_serving && answers.back().second.serving;
    }
    if (all_serving || absl::Now() >= give_up) {
      io.out << std::left << std::setw(25) << "SERVICE" << std::setw(22) << "ADDRESS"
             << "STATUS\n";
      for (const auto& [service, answer] : answers) {
        io.out << std::left << std::setw(25) << service.service << std::setw(22)
               << service.address << answer.text << "\n";
      }
      return all_serving ? 0 : 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

}  // namespace

Command HealthCommand() {
  return {"health", "Check that every service is up and SERVING.", Run};
}

}  // namespace tiendo::ctl
