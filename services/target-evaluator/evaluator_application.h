// The target-evaluator service: progress of every target, recomputed as
// submissions and registry changes stream in
// (tiendo.evaluator.v1.TargetEvaluator).
//
// Walking skeleton: the service is registered (health, reflection, metrics,
// Kafka readiness and shutdown all work) and every RPC answers UNIMPLEMENTED;
// consumption and progress come with the evaluator issue.
#pragma once

#include <memory>
#include <vector>

#include "services/common/grpc/application.h"
#include "tiendo/evaluator/v1/evaluator.grpc.pb.h"

namespace tiendo::evaluator {

class EvaluatorApplication final : public server::Application {
 public:
  std::vector<grpc::Service*> GrpcServices() override;

 private:
  v1::TargetEvaluator::CallbackService service_;
};

}  // namespace tiendo::evaluator
