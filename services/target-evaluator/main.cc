// tiendo-target-evaluator: flags and signals; everything else is in the library.
#include <memory>

#include "services/common/grpc/run_service.h"
#include "services/target-evaluator/evaluator_application.h"

int main(int argc, char** argv) {
  tiendo::evaluator::EvaluatorOptions options;
  return tiendo::server::RunService(
      {"tiendo-target-evaluator",
       "The tiendo target evaluator: keeps the progress of every target up to date as "
       "submissions and registry changes stream in, and serves it.",
       7103, 9103},
      argc, argv,
      [&](tiendo::config::FlagSet& flags) {
        tiendo::evaluator::RegisterEvaluatorFlags(flags, &options);
      },
      [&]() -> absl::StatusOr<std::unique_ptr<tiendo::server::Application>> {
        return tiendo::evaluator::EvaluatorApplication::Create(options);
      });
}
