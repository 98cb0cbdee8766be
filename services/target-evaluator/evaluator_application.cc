#include "services/target-evaluator/evaluator_application.h"

namespace tiendo::evaluator {

std::vector<grpc::Service*> EvaluatorApplication::GrpcServices() {
  return {&service_};
}

}  // namespace tiendo::evaluator
