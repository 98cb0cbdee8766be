// IngestSuite: the registry and metrics-ingest (and, when asked, the target evaluator) as
// their integration tests run them — the real binaries against the run's shared broker under
// a topic prefix of their own, the registry on a fresh database with the seed plan
// (plans/brvt-63-kh-ubnd.yaml) applied and relayed before ingest starts — with what those
// tests do to them: issue and revoke tokens, change a unit's status and wait until ingest
// sees it, submit (also as raw bytes), read the services' metrics, stop, kill and restart
// ingest and the evaluator, and run a second ingest replica.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/kafka/producer.h"
#include "services/common/kafka/record.h"
#include "services/common/kafka/topics.h"
#include "tests/support/service_under_test.h"
#include "tiendo/evaluator/v1/evaluator.grpc.pb.h"
#include "tiendo/ingest/v1/ingest.grpc.pb.h"
#include "tiendo/ingest/v1/lenient_submission.pb.h"
#include "tiendo/registry/v1/registry.grpc.pb.h"

namespace tiendo::testing {

struct IngestSuiteOptions {
  std::string registry_binary;  // TIENDO_REGISTRY_BINARY
  std::string ingest_binary;    // TIENDO_INGEST_BINARY
  // Names the test in the topic prefix and the temporary directory, e.g. "validation".
  std::string name;
  // Units to issue a token for once ingest serves (see IngestSuite::token).
  std::vector<std::string> token_units;
  // Flags for metrics-ingest beyond the ports, the broker and the prefix.
  std::vector<std::string> ingest_flags;
  // TIENDO_EVALUATOR_BINARY, to start the target evaluator after ingest; empty: none.
  std::string evaluator_binary;
};

// A token Registry.IssueToken returned.
struct IssuedToken {
  std::string reporting_unit_id;
  std::string token_id;
  std::string bearer;  // the token string, without "Bearer "
};

class IngestSuite {
 public:
  static absl::StatusOr<std::unique_ptr<IngestSuite>> Start(IngestSuiteOptions options);
  // The token issued at the start for `unit` (one of IngestSuiteOptions.token_units).
  const IssuedToken& token(const std::string& unit) const { return tokens_.at(unit); }
  // Stops ingest and the evaluator with SIGTERM if they still run (the registry is simply
  // killed).
  ~IngestSuite();

  const std::string& bootstrap() const { return bootstrap_; }
  const std::string& prefix() const { return prefix_; }
  const std::string& dir() const { return dir_; }
  kafka::KafkaOptions kafka_options() const;
  // The full name of `topic` under the suite's prefix.
  std::string TopicName(kafka::Topic topic) const;

  // --- registry
  registry::v1::Registry::Stub& registry() { return *registry_stub_; }
  static std::unique_ptr<grpc::ClientContext> RegistryContext(
      absl::Duration timeout = absl::Seconds(30));
  // Issues a token for `unit` (a lifetime of `ttl` if not zero) and waits until ingest knows
  // it (GetCallerIdentity answers for it).
  absl::StatusOr<IssuedToken> IssueToken(const std::string& unit,
                                         absl::Duration ttl = absl::ZeroDuration());
  // Revokes `token` and waits until ingest refuses it.
  absl::Status RevokeToken(const IssuedToken& token);
  // Sets the status of reporting unit `unit` in the registry (ingest learns it through
  // tiendo.registry.v1; see WaitUntilDryRun to wait for that).
  absl::Status SetUnitStatus(const std::string& unit, registry::v1::ReportingUnitStatus status);
  // The seed plan file, plans/brvt-63-kh-ubnd.yaml, as the suite applies it at the start.
  static registry::v1::PlanFile SeedPlanFile();
  // Registry.ApplyPlan of `plan_file`.
  absl::Status ApplyPlan(const registry::v1::PlanFile& plan_file);

  // --- metrics-ingest
  // "127.0.0.1:port" of the running ingest (a restart changes it).
  std::string ingest_address() const { return ingest_.address(); }
  ServiceUnderTest& ingest() { return ingest_; }
  // A stub for the ingest at `address` (empty: the first).
  std::unique_ptr<ingest::v1::MetricsIngest::Stub> IngestStub(
      const std::string& address = "") const;
  // A call context with `authorization: Bearer <bearer>` (none if `bearer` is empty).
  static std::unique_ptr<grpc::ClientContext> IngestContext(
      const std::string& bearer, absl::Duration timeout = absl::Seconds(30));
  // SubmitBatch through the generated stub, to the ingest at `address` (empty: the first).
  grpc::Status Submit(const std::string& bearer, const ingest::v1::SubmitBatchRequest& request,
                      ingest::v1::SubmitBatchResponse* response,
                      const std::string& address = "") const;
  // SubmitBatch with a request that may hold strings that are not UTF-8 (the lenient message
  // is wire-compatible with SubmitBatchRequest), through a generic stub.
  grpc::Status SubmitLenient(const std::string& bearer,
                             const ingest::v1::LenientSubmitBatchRequest& request,
                             ingest::v1::SubmitBatchResponse* response) const;
  // SubmitBatch with `bytes` as the request message, whatever they are.
  grpc::Status SubmitBytes(const std::string& bearer, const std::string& bytes,
                           ingest::v1::SubmitBatchResponse* response) const;
  // Waits until a dry run of `item` from `bearer` is answered with `outcome` (and `reason`)
  // by the ingest at `address` (empty: the first): how a test knows ingest has seen a
  // registry change, or an id another replica accepted.
  absl::Status WaitUntilDryRun(const std::string& bearer, const ingest::v1::Submission& item,
                               ingest::v1::SubmissionOutcome outcome,
                               ingest::v1::RejectionReason reason,
                               const std::string& address = "");
  // The value of `series` (a metric name with its labels exactly as rendered, e.g.
  // `tiendo_ingest_items_total{outcome="accepted"}`) on ingest's /metrics; nullopt if absent.
  std::optional<double> IngestMetric(const std::string& series) const;

  // --- the raw topic
  // Produces a record to tiendo.submissions.raw.v1 and waits for Kafka's acknowledgement.
  absl::StatusOr<kafka::RecordPosition> ProduceRaw(const std::string& key,
                                                   std::optional<std::string> value,
                                                   const std::vector<kafka::Header>& headers);
  // The headers a department system sends with a batch: its token and the schema name.
  static std::vector<kafka::Header> RawHeaders(const std::string& bearer);

  // Starts metrics-ingest (again) on new ports and waits until it reports SERVING.
  absl::Status StartIngest();
  // Stops it: SIGTERM, or SIGKILL when `kill`; waits until it has exited.
  absl::Status StopIngest(bool kill = false);
  std::string IngestLog() const;

  // Starts a second metrics-ingest replica beside the first (the same topics and flags, ports
  // and log of its own) and waits until it reports SERVING; the suite stops it at the end.
  absl::Status StartSecondIngest();
  // "127.0.0.1:port" of the second replica.
  std::string second_ingest_address() const { return second_ingest_.address(); }
  std::string SecondIngestLog() const;

  // --- target-evaluator
  // Starts it (again) on new ports, with `flags` besides the usual ones (among them
  // --state-dir=EvaluatorStateDir() unless `flags` name one), and waits until it reports
  // SERVING.
  absl::Status StartEvaluator(const std::vector<std::string>& flags = {});
  // The evaluator's state directory, the same for every start (its snapshots).
  std::string EvaluatorStateDir() const;
  // Stops it: SIGTERM, or SIGKILL when `kill`; waits until it has exited.
  absl::Status StopEvaluator(bool kill = false);
  std::string EvaluatorLog() const;
  // "127.0.0.1:port" of the running evaluator (a restart changes it).
  std::string evaluator_address() const { return evaluator_.address(); }
  std::unique_ptr<evaluator::v1::TargetEvaluator::Stub> EvaluatorStub() const;
  // As IngestMetric, on the evaluator's /metrics.
  std::optional<double> EvaluatorMetric(const std::string& series) const;

 private:
  explicit IngestSuite(IngestSuiteOptions options) : options_(std::move(options)) {}
  absl::Status StartRegistry();
  // The flags of every metrics-ingest the suite starts.
  std::vector<std::string> IngestFlags() const;
  // Starts `binary` as `service` with `flags` and waits until it reports SERVING.
  absl::Status StartAndAwait(const std::string& binary, const std::string& name,
                             const std::vector<std::string>& flags, ServiceUnderTest& service);
  absl::Status ApplySeedPlan();
  std::optional<double> RegistryMetric(const std::string& series) const;

  const IngestSuiteOptions options_;
  std::string bootstrap_;
  std::string prefix_;
  std::string dir_;
  ServiceUnderTest registry_;
  std::unique_ptr<registry::v1::Registry::Stub> registry_stub_;
  ServiceUnderTest ingest_;
  ServiceUnderTest second_ingest_;
  ServiceUnderTest evaluator_;
  std::unique_ptr<kafka::Producer> raw_producer_;
  std::map<std::string, IssuedToken> tokens_;
};

// The common item of the tests: `indicator` for `period`, numerator/denominator as given.
ingest::v1::Submission RatioSubmission(const std::string& submission_id,
                                       const std::string& indicator, const std::string& period,
                                       double numerator, double denominator);

}  // namespace tiendo::testing
