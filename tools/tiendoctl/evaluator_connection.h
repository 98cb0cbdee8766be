// How tiendoctl talks to tiendo-target-evaluator: the address and deadline flags, the stub,
// and the per-call context that carries the deadline.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "services/common/config/flag_set.h"
#include "tiendo/evaluator/v1/evaluator.grpc.pb.h"
#include "tools/tiendoctl/service_addresses.h"

namespace tiendo::ctl {

struct EvaluatorConnection {
  std::string address = ServiceAddresses().evaluator;
  // Deadline of each call (each page of a list).
  absl::Duration timeout = absl::Seconds(10);
};

// Registers --evaluator (TIENDO_EVALUATOR_ADDRESS) and --timeout.
void RegisterEvaluatorFlags(config::FlagSet& flags, EvaluatorConnection* connection);

// A stub on a new insecure channel to `address`.
std::unique_ptr<evaluator::v1::TargetEvaluator::Stub> NewEvaluatorStub(
    const std::string& address);

// Sets the deadline (now + timeout) on a fresh `context`.
void PrepareEvaluatorCall(const EvaluatorConnection& connection, grpc::ClientContext& context);

}  // namespace tiendo::ctl
