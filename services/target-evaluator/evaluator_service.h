// EvaluatorService: tiendo.evaluator.v1.TargetEvaluator. Live progress comes from the read
// model, so any replica answers for any target; progress at a past as-of date is computed by
// the engine of the replica that owns the target (others answer UNAVAILABLE, naming the
// partition). WatchProgress, GetCellHistory and GetCompleteness are not served yet
// (UNIMPLEMENTED).
#pragma once

#include <functional>

#include "absl/status/status.h"
#include "services/target-evaluator/progress_engine.h"
#include "services/target-evaluator/progress_read_model.h"
#include "tiendo/evaluator/v1/evaluator.grpc.pb.h"

namespace tiendo::evaluator {

class EvaluatorService final : public v1::TargetEvaluator::CallbackService {
 public:
  // `ready` says whether the replica may answer (its inputs have caught up); `read_model` and
  // `engine` are set once Kafka is up (nullptr before).
  explicit EvaluatorService(std::function<absl::Status()> ready);
  void Attach(const ProgressReadModel* read_model, const ProgressEngine* engine);

  grpc::ServerUnaryReactor* GetProgress(grpc::CallbackServerContext* context,
                                        const v1::GetProgressRequest* request,
                                        v1::Progress* response) override;
  grpc::ServerUnaryReactor* ListProgress(grpc::CallbackServerContext* context,
                                         const v1::ListProgressRequest* request,
                                         v1::ListProgressResponse* response) override;

 private:
  // The day `as_of` names, or nullopt for live progress; INVALID_ARGUMENT for a bad or
  // future date.
  absl::StatusOr<std::optional<absl::CivilDay>> AsOf(const std::string& as_of,
                                                     const std::string& field) const;
  absl::Status List(const v1::ListProgressRequest& request,
                    v1::ListProgressResponse& response) const;

  const std::function<absl::Status()> ready_;
  std::atomic<const ProgressReadModel*> read_model_{nullptr};
  std::atomic<const ProgressEngine*> engine_{nullptr};
};

}  // namespace tiendo::evaluator
