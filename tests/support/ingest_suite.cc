#include "tests/support/ingest_suite.h"

#include <signal.h>

#include <algorithm>
#include <random>

#include <grpcpp/generic/generic_stub.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/planfile/plan_file_loader.h"
#include "services/common/status/check.h"
#include "tests/support/http_get.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/metric_series.h"
#include "tests/support/source_file.h"

namespace tiendo::testing {
namespace {

namespace iv1 = ingest::v1;
namespace rv1 = registry::v1;

constexpr absl::Duration kStartTimeout = absl::Seconds(60);
constexpr absl::Duration kPropagationTimeout = absl::Seconds(30);
constexpr char kSubmitBatch[] = "/tiendo.ingest.v1.MetricsIngest/SubmitBatch";

absl::Status FromGrpc(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

bool Serving(const std::string& address) {
  absl::StatusOr<ServingStatus> status = HealthStatus(address);
  return status.ok() && *status == grpc::health::v1::HealthCheckResponse::SERVING;
}

// Stops `service`: SIGTERM, or SIGKILL when `kill`; waits until it has exited.
absl::Status Stop(ServiceUnderTest& service, bool kill) {
  if (service.process == nullptr) return absl::OkStatus();
  service.process->Signal(kill ? SIGKILL : SIGTERM);
  if (!service.process->WaitForExit(absl::Seconds(30)).has_value()) {
    return absl::DeadlineExceededError(absl::StrCat(service.name, " did not exit within 30 s"));
  }
  return absl::OkStatus();
}

std::string LogOf(const ServiceUnderTest& service) {
  return service.process != nullptr ? service.process->Log() : std::string();
}

std::optional<double> MetricOf(const ServiceUnderTest& service, const std::string& series) {
  absl::StatusOr<HttpResult> metrics = HttpGet(service.admin_port, "/metrics");
  if (!metrics.ok()) return std::nullopt;
  return MetricSeries(metrics->body, series);
}

}  // namespace

absl::StatusOr<std::unique_ptr<IngestSuite>> IngestSuite::Start(IngestSuiteOptions options) {
  std::unique_ptr<IngestSuite> suite(new IngestSuite(std::move(options)));
  absl::StatusOr<std::string> bootstrap = SharedBrokerBootstrap();
  if (!bootstrap.ok()) return bootstrap.status();
  suite->bootstrap_ = *bootstrap;
  std::random_device random;
  suite->prefix_ = absl::StrCat("it.ingest.", suite->options_.name, ".", random() % 1000000, ".");
  suite->dir_ = MakeTempDir(absl::StrCat("ingest-", suite->options_.name));
  if (suite->dir_.empty()) return absl::InternalError("no temporary directory");
  if (absl::Status started = suite->StartRegistry(); !started.ok()) return started;
  if (absl::Status applied = suite->ApplySeedPlan(); !applied.ok()) return applied;
  if (absl::Status started = suite->StartIngest(); !started.ok()) return started;
  for (const std::string& unit : suite->options_.token_units) {
    absl::StatusOr<IssuedToken> token = suite->IssueToken(unit);
    if (!token.ok()) return token.status();
    suite->tokens_[unit] = *std::move(token);
  }
  if (!suite->options_.evaluator_binary.empty()) {
    if (absl::Status started = suite->StartEvaluator(); !started.ok()) return started;
  }
  return suite;
}

IngestSuite::~IngestSuite() {
  // Leave the consumer groups cleanly when the test did not stop the services itself.
  for (ServiceUnderTest* service : {&evaluator_, &ingest_, &second_ingest_}) {
    if (service->process != nullptr && service->process->running()) {
      (void)Stop(*service, /*kill=*/false);
    }
  }
}

kafka::KafkaOptions IngestSuite::kafka_options() const {
  kafka::KafkaOptions options;
  options.bootstrap_servers = bootstrap_;
  options.topic_prefix = prefix_;
  return options;
}

std::string IngestSuite::TopicName(kafka::Topic topic) const {
  return kafka::TopicName(kafka_options(), topic);
}

absl::Status IngestSuite::StartAndAwait(const std::string& binary, const std::string& name,
                                        const std::vector<std::string>& flags,
                                        ServiceUnderTest& service) {
  absl::StatusOr<ServiceUnderTest> started =
      StartService(binary, name, bootstrap_, prefix_, dir_, flags);
  if (!started.ok()) return started.status();
  service = *std::move(started);
  if (!WaitUntil([&] { return Serving(service.address()); }, kStartTimeout)) {
    return absl::DeadlineExceededError(
        absl::StrCat(name, " never reported SERVING; log:\n", service.process->Log()));
  }
  return absl::OkStatus();
}

absl::Status IngestSuite::StartRegistry() {
  if (absl::Status started = StartAndAwait(
          options_.registry_binary, "tiendo-registry",
          {"--shutdown-timeout=10s", absl::StrCat("--database=", dir_, "/registry.db")},
          registry_);
      !started.ok()) {
    return started;
  }
  registry_stub_ = rv1::Registry::NewStub(
      grpc::CreateChannel(registry_.address(), grpc::InsecureChannelCredentials()));
  return absl::OkStatus();
}

std::unique_ptr<grpc::ClientContext> IngestSuite::RegistryContext(absl::Duration timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  context->AddMetadata("tiendo-actor", "it:ingest-test");
  return context;
}

std::optional<double> IngestSuite::RegistryMetric(const std::string& series) const {
  return MetricOf(registry_, series);
}

rv1::PlanFile IngestSuite::SeedPlanFile() {
  planfile::LoadedPlanFile file =
      planfile::LoadPlanFile(ReadSourceFile("plans/brvt-63-kh-ubnd.yaml"));
  TIENDO_CHECK(file.plan_file.has_value(), "plans/brvt-63-kh-ubnd.yaml does not load");
  return *std::move(file.plan_file);
}

absl::Status IngestSuite::ApplyPlan(const rv1::PlanFile& plan_file) {
  rv1::ApplyPlanRequest request;
  *request.mutable_plan_file() = plan_file;
  rv1::ApplyPlanResponse response;
  return FromGrpc(registry_stub_->ApplyPlan(RegistryContext().get(), request, &response),
                  absl::StrCat("ApplyPlan of ", plan_file.plan().id()));
}

absl::Status IngestSuite::ApplySeedPlan() {
  if (absl::Status applied = ApplyPlan(SeedPlanFile()); !applied.ok()) return applied;
  // Ingest judges items against what it read up to the topic's end at its start: the plan
  // must be there by then.
  if (!WaitUntil([&] { return RegistryMetric("tiendo_registry_outbox_pending_records") == 0; },
                 kStartTimeout)) {
    return absl::DeadlineExceededError(absl::StrCat(
        "the registry's outbox never drained; log:\n", registry_.process->Log()));
  }
  return absl::OkStatus();
}

std::vector<std::string> IngestSuite::IngestFlags() const {
  // The raw path's consumer group defaults to the topic prefix's, so each test has its own:
  // a member of another test's killed ingest would hold up a shared group's rebalance.
  std::vector<std::string> flags = {"--shutdown-timeout=10s"};
  flags.insert(flags.end(), options_.ingest_flags.begin(), options_.ingest_flags.end());
  return flags;
}

absl::Status IngestSuite::StartIngest() {
  return StartAndAwait(options_.ingest_binary, "tiendo-metrics-ingest", IngestFlags(), ingest_);
}

absl::Status IngestSuite::StartSecondIngest() {
  return StartAndAwait(options_.ingest_binary, "tiendo-metrics-ingest-2", IngestFlags(),
                       second_ingest_);
}

std::string IngestSuite::SecondIngestLog() const { return LogOf(second_ingest_); }

absl::Status IngestSuite::StopIngest(bool kill) { return Stop(ingest_, kill); }

std::string IngestSuite::IngestLog() const { return LogOf(ingest_); }

absl::Status IngestSuite::StartEvaluator(const std::vector<std::string>& flags) {
  // The same static member id across restarts: a restarted evaluator takes its partitions
  // back at once, as a StatefulSet pod does.
  std::vector<std::string> all = {"--shutdown-timeout=10s",
                                  absl::StrCat("--instance-id=", prefix_, "1")};
  // And the same state directory, as a StatefulSet pod keeps its volume.
  if (std::none_of(flags.begin(), flags.end(), [](const std::string& flag) {
        return absl::StartsWith(flag, "--state-dir");
      })) {
    all.push_back(absl::StrCat("--state-dir=", EvaluatorStateDir()));
  }
  all.insert(all.end(), flags.begin(), flags.end());
  return StartAndAwait(options_.evaluator_binary, "tiendo-target-evaluator", all, evaluator_);
}

std::string IngestSuite::EvaluatorStateDir() const { return absl::StrCat(dir_, "/evaluator-state"); }

absl::Status IngestSuite::StopEvaluator(bool kill) { return Stop(evaluator_, kill); }

std::string IngestSuite::EvaluatorLog() const { return LogOf(evaluator_); }

std::unique_ptr<evaluator::v1::TargetEvaluator::Stub> IngestSuite::EvaluatorStub() const {
  return evaluator::v1::TargetEvaluator::NewStub(
      grpc::CreateChannel(evaluator_.address(), grpc::InsecureChannelCredentials()));
}

std::optional<double> IngestSuite::EvaluatorMetric(const std::string& series) const {
  return MetricOf(evaluator_, series);
}

std::unique_ptr<iv1::MetricsIngest::Stub> IngestSuite::IngestStub(
    const std::string& address) const {
  return iv1::MetricsIngest::NewStub(grpc::CreateChannel(
      address.empty() ? ingest_.address() : address, grpc::InsecureChannelCredentials()));
}

std::unique_ptr<grpc::ClientContext> IngestSuite::IngestContext(const std::string& bearer,
                                                                absl::Duration timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  if (!bearer.empty()) context->AddMetadata("authorization", absl::StrCat("Bearer ", bearer));
  return context;
}

grpc::Status IngestSuite::Submit(const std::string& bearer, const iv1::SubmitBatchRequest& request,
                                 iv1::SubmitBatchResponse* response,
                                 const std::string& address) const {
  return IngestStub(address)->SubmitBatch(IngestContext(bearer).get(), request, response);
}

grpc::Status IngestSuite::SubmitLenient(const std::string& bearer,
                                        const iv1::LenientSubmitBatchRequest& request,
                                        iv1::SubmitBatchResponse* response) const {
  return SubmitBytes(bearer, request.SerializeAsString(), response);
}

grpc::Status IngestSuite::SubmitBytes(const std::string& bearer, const std::string& bytes,
                                      iv1::SubmitBatchResponse* response) const {
  grpc::GenericStub stub(
      grpc::CreateChannel(ingest_.address(), grpc::InsecureChannelCredentials()));
  grpc::Slice slice(bytes);
  const grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer reply;
  std::unique_ptr<grpc::ClientContext> context = IngestContext(bearer);
  absl::Notification done;
  grpc::Status status;
  stub.UnaryCall(context.get(), kSubmitBatch, grpc::StubOptions(), &request, &reply,
                 [&](grpc::Status finished) {
                   status = std::move(finished);
                   done.Notify();
                 });
  done.WaitForNotification();
  if (!status.ok()) return status;
  std::vector<grpc::Slice> slices;
  std::string answer;
  if (!reply.Dump(&slices).ok()) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "unreadable response");
  }
  for (const grpc::Slice& part : slices) {
    answer.append(reinterpret_cast<const char*>(part.begin()), part.size());
  }
  if (!response->ParseFromString(answer)) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "the response is not a SubmitBatchResponse");
  }
  return status;
}

absl::StatusOr<IssuedToken> IngestSuite::IssueToken(const std::string& unit, absl::Duration ttl) {
  rv1::IssueTokenRequest request;
  request.set_reporting_unit_id(unit);
  request.set_description(absl::StrCat("integration test token for ", unit));
  if (ttl > absl::ZeroDuration()) {
    *request.mutable_ttl() =
        google::protobuf::util::TimeUtil::MicrosecondsToDuration(absl::ToInt64Microseconds(ttl));
  }
  rv1::IssueTokenResponse response;
  if (absl::Status issued = FromGrpc(
          registry_stub_->IssueToken(RegistryContext().get(), request, &response),
          absl::StrCat("IssueToken for ", unit));
      !issued.ok()) {
    return issued;
  }
  IssuedToken token{unit, response.token().token_id(), response.bearer_token()};
  grpc::Status last;
  const bool known = WaitUntil(
      [&] {
        iv1::CallerIdentity identity;
        last = IngestStub()->GetCallerIdentity(IngestContext(token.bearer, absl::Seconds(5)).get(),
                                               iv1::GetCallerIdentityRequest(), &identity);
        return last.ok() && identity.reporting_unit_id() == unit;
      },
      kPropagationTimeout);
  if (!known) {
    return absl::DeadlineExceededError(absl::StrCat("ingest never accepted the token for ", unit,
                                                    ": ", last.error_message()));
  }
  return token;
}

absl::Status IngestSuite::RevokeToken(const IssuedToken& token) {
  rv1::RevokeTokenRequest request;
  request.set_token_id(token.token_id);
  rv1::ReportingToken revoked;
  if (absl::Status done = FromGrpc(
          registry_stub_->RevokeToken(RegistryContext().get(), request, &revoked), "RevokeToken");
      !done.ok()) {
    return done;
  }
  const bool refused = WaitUntil(
      [&] {
        iv1::CallerIdentity identity;
        return IngestStub()
                   ->GetCallerIdentity(IngestContext(token.bearer, absl::Seconds(5)).get(),
                                       iv1::GetCallerIdentityRequest(), &identity)
                   .error_code() == grpc::StatusCode::UNAUTHENTICATED;
      },
      kPropagationTimeout);
  if (!refused) return absl::DeadlineExceededError("ingest never refused the revoked token");
  return absl::OkStatus();
}

absl::Status IngestSuite::SetUnitStatus(const std::string& unit,
                                        rv1::ReportingUnitStatus status) {
  rv1::GetReportingUnitRequest get;
  get.set_id(unit);
  rv1::ReportingUnit current;
  if (absl::Status got = FromGrpc(
          registry_stub_->GetReportingUnit(RegistryContext().get(), get, &current),
          absl::StrCat("GetReportingUnit ", unit));
      !got.ok()) {
    return got;
  }
  rv1::UpdateReportingUnitRequest update;
  update.mutable_reporting_unit()->set_id(unit);
  update.mutable_reporting_unit()->set_status(status);
  update.mutable_update_mask()->add_paths("status");
  update.set_expected_version(current.version());
  rv1::ReportingUnit updated;
  return FromGrpc(registry_stub_->UpdateReportingUnit(RegistryContext().get(), update, &updated),
                  absl::StrCat("UpdateReportingUnit ", unit));
}

absl::Status IngestSuite::WaitUntilDryRun(const std::string& bearer, const iv1::Submission& item,
                                          iv1::SubmissionOutcome outcome,
                                          iv1::RejectionReason reason,
                                          const std::string& address) {
  iv1::SubmitBatchRequest request;
  *request.add_submissions() = item;
  request.set_dry_run(true);
  iv1::SubmitBatchResponse response;
  grpc::Status last;
  const bool seen = WaitUntil(
      [&] {
        response.Clear();
        last = Submit(bearer, request, &response, address);
        return last.ok() && response.results_size() == 1 &&
               response.results(0).outcome() == outcome && response.results(0).reason() == reason;
      },
      kPropagationTimeout);
  if (!seen) {
    return absl::DeadlineExceededError(absl::StrCat(
        "a dry run of ", item.submission_id(), " never got ", iv1::SubmissionOutcome_Name(outcome),
        " ", iv1::RejectionReason_Name(reason), "; last: ", last.error_message(), " ",
        response.ShortDebugString()));
  }
  return absl::OkStatus();
}

std::optional<double> IngestSuite::IngestMetric(const std::string& series) const {
  return MetricOf(ingest_, series);
}

absl::StatusOr<kafka::RecordPosition> IngestSuite::ProduceRaw(
    const std::string& key, std::optional<std::string> value,
    const std::vector<kafka::Header>& headers) {
  if (raw_producer_ == nullptr) {
    absl::StatusOr<std::unique_ptr<kafka::Producer>> producer =
        kafka::Producer::Create(kafka_options(), "ingest-test-department-system");
    if (!producer.ok()) return producer.status();
    raw_producer_ = *std::move(producer);
  }
  kafka::OutgoingRecord record;
  record.topic = TopicName(kafka::Topic::kSubmissionsRaw);
  record.key = key;
  record.value = std::move(value);
  record.headers = headers;
  return raw_producer_->ProduceAndWait(record, absl::Seconds(30));
}

std::vector<kafka::Header> IngestSuite::RawHeaders(const std::string& bearer) {
  return {{"authorization", absl::StrCat("Bearer ", bearer)},
          {std::string(kafka::kSchemaHeader), "tiendo.events.v1.RawSubmissionBatch"}};
}

iv1::Submission RatioSubmission(const std::string& submission_id, const std::string& indicator,
                                const std::string& period, double numerator, double denominator) {
  iv1::Submission item;
  item.set_submission_id(submission_id);
  item.set_indicator_id(indicator);
  item.set_period(period);
  item.mutable_ratio()->set_numerator(numerator);
  item.mutable_ratio()->set_denominator(denominator);
  item.set_source_system("ingest-integration-test/1");
  return item;
}

}  // namespace tiendo::testing
