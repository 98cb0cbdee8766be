#include "tools/tiendoctl/evaluator_connection.h"

#include "absl/time/clock.h"

namespace tiendo::ctl {

void RegisterEvaluatorFlags(config::FlagSet& flags, EvaluatorConnection* connection) {
  RegisterEvaluatorAddressFlag(flags, &connection->address);
  flags.AddDuration("timeout", "", "Deadline of each call to the evaluator.",
                    &connection->timeout);
}

std::unique_ptr<evaluator::v1::TargetEvaluator::Stub> NewEvaluatorStub(
    const std::string& address) {
  return evaluator::v1::TargetEvaluator::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
}

void PrepareEvaluatorCall(const EvaluatorConnection& connection, grpc::ClientContext& context) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + connection.timeout));
}

}  // namespace tiendo::ctl
