// The metrics-ingest service: authenticates reporting units, validates their submissions
// and publishes the accepted ones to tiendo.submissions.v1, over gRPC
// (tiendo.ingest.v1.MetricsIngest) and from the raw topic.
//
// Once Kafka is up it reads tiendo.registry.v1 into a registry view (tokens, units,
// indicators, administrative units, plans), and tiendo.submissions.v1 and
// tiendo.submissions.ledger.v1 into the ledger of accepted submission ids
// (SubmissionLogFollower), and reports NOT_SERVING until all three have caught up with the
// ends those topics had at start-up; then it serves gRPC and starts the raw path.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/config/flag_set.h"
#include "services/common/grpc/application.h"
#include "services/common/registry_view/registry_follower.h"
#include "services/metrics-ingest/ingest_service.h"
#include "services/metrics-ingest/ledger_announcer.h"
#include "services/metrics-ingest/raw_topic_ingester.h"
#include "services/metrics-ingest/submission_intake.h"
#include "services/metrics-ingest/submission_ledger.h"
#include "services/metrics-ingest/submission_log_follower.h"

namespace tiendo::ingest {

struct IngestOptions {
  IngestLimits limits;
  bool raw_path = true;
  // Empty: "<topic prefix>tiendo-metrics-ingest", so suites sharing a cluster keep apart.
  std::string raw_group_id;
};

// --max-items-per-batch, --max-message-bytes, --publish-timeout, --raw-path, --raw-group-id.
void RegisterIngestFlags(config::FlagSet& flags, IngestOptions* options);

class IngestApplication final : public server::Application {
 public:
  explicit IngestApplication(IngestOptions options,
                             std::function<absl::Time()> clock = [] { return absl::Now(); });

  std::vector<grpc::Service*> GrpcServices() override;
  void ConfigureServer(grpc::ServerBuilder& builder) override;
  absl::Status StartKafka(const server::KafkaContext& kafka) override;
  absl::Status Readiness() override;
  void StopWork() override;
  void CloseConsumers() override;

 private:
  // What the service still waits for before it can judge items; OK when it can.
  absl::Status Waiting() const;

  const IngestOptions options_;
  const std::function<absl::Time()> clock_;
  IngestService service_;
  SubmissionLedger ledger_;
  std::unique_ptr<registry_view::RegistryFollower> registry_;
  std::unique_ptr<SubmissionLogFollower> submission_log_;
  std::unique_ptr<LedgerAnnouncer> announcer_;  // before the intake, which uses it
  std::unique_ptr<SubmissionIntake> intake_;
  std::unique_ptr<RawTopicIngester> raw_;
  std::atomic<bool> raw_started_{false};
};

}  // namespace tiendo::ingest
