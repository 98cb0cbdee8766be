// EvaluatorService: tiendo.evaluator.v1.TargetEvaluator. Live progress comes from the read
// model, so any replica answers for any target; progress at a past as-of date is computed by
// the engine of the replica that owns the target (others answer UNAVAILABLE, naming the
// partition). WatchProgress streams from the read model (progress_watch.h). GetCellHistory
// is answered by the replica holding the cell's partition, which reads the records back from
// Kafka (cell_history.h) on a thread of its own. GetCompleteness is answered from the
// reports the engine holds, so by the replica holding the selected indicators' partitions
// (others answer UNAVAILABLE, naming the indicators).
#pragma once

#include <atomic>
#include <functional>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "services/common/grpc/blocking_executor.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/registry_view/registry_follower.h"
#include "services/target-evaluator/progress_engine.h"
#include "services/target-evaluator/progress_read_model.h"
#include "services/target-evaluator/progress_watch.h"
#include "tiendo/evaluator/v1/evaluator.grpc.pb.h"

namespace tiendo::evaluator {

class EvaluatorService final : public v1::TargetEvaluator::CallbackService {
 public:
  // `ready` says whether the replica may answer (its inputs have caught up); the read model,
  // engine and registry are attached once Kafka is up, with the Kafka settings to read
  // submission records back with.
  explicit EvaluatorService(std::function<absl::Status()> ready);
  void Attach(ProgressReadModel* read_model, const ProgressEngine* engine,
              const registry_view::RegistryFollower* registry, const kafka::KafkaOptions& kafka);

  grpc::ServerUnaryReactor* GetProgress(grpc::CallbackServerContext* context,
                                        const v1::GetProgressRequest* request,
                                        v1::Progress* response) override;
  grpc::ServerUnaryReactor* ListProgress(grpc::CallbackServerContext* context,
                                         const v1::ListProgressRequest* request,
                                         v1::ListProgressResponse* response) override;
  grpc::ServerWriteReactor<v1::WatchProgressResponse>* WatchProgress(
      grpc::CallbackServerContext* context, const v1::WatchProgressRequest* request) override;
  grpc::ServerUnaryReactor* GetCellHistory(grpc::CallbackServerContext* context,
                                           const v1::GetCellHistoryRequest* request,
                                           v1::GetCellHistoryResponse* response) override;
  grpc::ServerUnaryReactor* GetCompleteness(grpc::CallbackServerContext* context,
                                            const v1::GetCompletenessRequest* request,
                                            v1::GetCompletenessResponse* response) override;

  // Ends every open watch with UNAVAILABLE (the replica is going away; clients resume
  // elsewhere from the versions they have).
  void EndWatches();

 private:
  // The day `as_of` names, or nullopt for live progress; INVALID_ARGUMENT for a bad or
  // future date.
  absl::StatusOr<std::optional<absl::CivilDay>> AsOf(const std::string& as_of,
                                                     const std::string& field) const;
  absl::Status List(const v1::ListProgressRequest& request,
                    v1::ListProgressResponse& response) const;
  // NOT_FOUND when `plan_id` is not empty and the registry has no such plan.
  absl::Status CheckPlanKnown(const std::string& plan_id) const;

  const std::function<absl::Status()> ready_;
  absl::Mutex watches_mu_;
  absl::flat_hash_set<ProgressWatch*> watches_ ABSL_GUARDED_BY(watches_mu_);
  bool ending_ ABSL_GUARDED_BY(watches_mu_) = false;
  std::atomic<ProgressReadModel*> read_model_{nullptr};
  std::atomic<const ProgressEngine*> engine_{nullptr};
  const registry_view::RegistryFollower* registry_ = nullptr;  // set by Attach before engine_
  kafka::KafkaOptions kafka_;                                   // likewise
  // Reads cell histories back from Kafka, off gRPC's threads; how many it holds.
  std::atomic<int> history_reads_{0};
  server::BlockingExecutor history_readers_{2};
};

}  // namespace tiendo::evaluator
