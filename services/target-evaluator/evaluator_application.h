// The target-evaluator service: keeps the progress of every target up to date as submissions
// and registry changes stream in, publishes it to tiendo.progress.v1 and serves it
// (tiendo.evaluator.v1.TargetEvaluator).
//
// Once Kafka is up it reads tiendo.progress.v1 into the read model and tiendo.registry.v1
// into a registry view (both whole, on every replica), loads the registry into the engine
// and then reads its share of tiendo.submissions.v1 in the evaluators' consumer group. It
// reports NOT_SERVING until the read model and the registry have caught up.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/common/config/flag_set.h"
#include "services/common/grpc/application.h"
#include "services/common/registry_view/registry_follower.h"
#include "services/target-evaluator/evaluator_service.h"
#include "services/target-evaluator/progress_engine.h"
#include "services/target-evaluator/progress_read_model.h"
#include "services/target-evaluator/snapshot_store.h"
#include "services/target-evaluator/submission_reader.h"

namespace tiendo::evaluator {

struct EvaluatorOptions {
  // Empty: "<topic prefix>tiendo-target-evaluator".
  std::string group_id;
  // Static group membership (group.instance.id); empty: dynamic membership.
  std::string instance_id;
  // How long the group waits for a silent replica before moving its partitions.
  absl::Duration session_timeout = absl::Seconds(10);
  // Read the current time from this file (file_clock.h); empty: the system clock.
  std::string clock_file;
  // Where snapshots are kept (snapshot_store.h); empty: none, every start replays.
  std::string state_dir;
  // A snapshot every this many submission records or this long, whichever comes first.
  int64_t snapshot_every_records = 100000;
  absl::Duration snapshot_interval = absl::Seconds(60);
};

// --group-id, --instance-id, --session-timeout, --clock-file, --state-dir,
// --snapshot-every-records, --snapshot-interval.
void RegisterEvaluatorFlags(config::FlagSet& flags, EvaluatorOptions* options);

class EvaluatorApplication final : public server::Application {
 public:
  // The errors of SnapshotStore::Open (the state directory cannot be made, or another process
  // uses it).
  static absl::StatusOr<std::unique_ptr<EvaluatorApplication>> Create(EvaluatorOptions options);

  std::vector<grpc::Service*> GrpcServices() override;
  // Progress events leave at once (linger.ms=0): they are few, small, and a dashboard waits
  // for them.
  std::map<std::string, std::string> ProducerSettings() const override;
  absl::Status StartKafka(const server::KafkaContext& kafka) override;
  absl::Status Readiness() override;
  void EndStreams() override;
  void StopWork() override;
  void CloseConsumers() override;

 private:
  EvaluatorApplication(EvaluatorOptions options, std::unique_ptr<SnapshotStore> snapshots);
  // What the replica still waits for before it can answer; OK when it can.
  absl::Status Waiting() const;

  const EvaluatorOptions options_;
  const std::unique_ptr<SnapshotStore> snapshots_;
  const std::function<absl::Time()> clock_;
  EvaluatorService service_;
  std::unique_ptr<ProgressReadModel> read_model_;
  std::unique_ptr<ProgressEngine> engine_;
  std::unique_ptr<registry_view::RegistryFollower> registry_;
  std::unique_ptr<SubmissionReader> reader_;
  // Set once StartKafka has made all of the above, which stay as they are from then on:
  // Waiting() runs on gRPC's threads too, and reads them only after this.
  std::atomic<bool> started_{false};
};

}  // namespace tiendo::evaluator
