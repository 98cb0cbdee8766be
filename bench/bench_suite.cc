#include "bench/bench_suite.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/seed_submissions.h"
#include "services/common/planfile/plan_file_loader.h"
#include "tests/support/source_file.h"

namespace tiendo::bench {
namespace {

namespace iv1 = ingest::v1;
namespace rv1 = registry::v1;

constexpr char kTopicPrefix[] = "bench.";
// testing::StartService creates the suite's topics with this many partitions.
constexpr int kPartitions = 2;
constexpr absl::Duration kStartTimeout = absl::Seconds(60);

bool Serving(const testing::ServiceUnderTest& service) {
  absl::StatusOr<testing::ServingStatus> status = testing::HealthStatus(service.address());
  return status.ok() && *status == grpc::health::v1::HealthCheckResponse::SERVING;
}

absl::Status FromGrpc(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

}  // namespace

void SkipKeepingFiles(benchmark::State& state, testing::RemovedAtEnd& files,
                      absl::string_view why) {
  state.SkipWithError(absl::StrCat(why, " (files kept in ", files.path, ")").c_str());
  files.Keep();
}

absl::StatusOr<std::unique_ptr<BenchSuite>> BenchSuite::Start(const std::string& name,
                                                             const std::string& registry_binary,
                                                             const std::string& ingest_binary) {
  std::unique_ptr<BenchSuite> suite(new BenchSuite(name));
  suite->dir_ = testing::MakeTempDir(absl::StrCat(name, "-bench"));
  if (suite->dir_.empty()) return absl::InternalError("no temporary directory");
  suite->removed_at_end_.path = suite->dir_;
  if (absl::Status started = suite->StartAll(registry_binary, ingest_binary); !started.ok()) {
    suite->removed_at_end_.Keep();
    return absl::Status(started.code(), absl::StrCat(started.message(), " (files kept in ",
                                                     suite->dir_, ")"));
  }
  return suite;
}

absl::Status BenchSuite::StartAll(const std::string& registry_binary,
                                  const std::string& ingest_binary) {
  absl::StatusOr<std::unique_ptr<testing::KafkaBroker>> broker =
      testing::KafkaBroker::Start(absl::StrCat(dir_, "/kafka"));
  if (!broker.ok()) return broker.status();
  broker_ = *std::move(broker);
  bootstrap_ = broker_->bootstrap();

  absl::StatusOr<testing::ServiceUnderTest> registry = StartAndAwait(
      registry_binary, "tiendo-registry", {absl::StrCat("--database=", dir_, "/registry.db")});
  if (!registry.ok()) return registry.status();
  registry_ = *std::move(registry);
  registry_stub_ = rv1::Registry::NewStub(
      grpc::CreateChannel(registry_.address(), grpc::InsecureChannelCredentials()));
  if (absl::Status applied = ApplySeedPlan(); !applied.ok()) return applied;

  absl::StatusOr<testing::ServiceUnderTest> ingest =
      StartAndAwait(ingest_binary, "tiendo-metrics-ingest", {});
  if (!ingest.ok()) return ingest.status();
  ingest_ = *std::move(ingest);
  // The clients stand in for department systems on machines of their own, so they should take
  // as little of this one's CPU as they can: without gRPC's retry support, which keeps a copy
  // of each request for a retry the benches never make (in ingest_bench, about 0.1 CPU-us an
  // item less in the clients: 0.7-0.8 where it was 0.8-0.9).
  grpc::ChannelArguments no_retries;
  no_retries.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
  ingest_channel_ = grpc::CreateCustomChannel(ingest_.address(),
                                              grpc::InsecureChannelCredentials(), no_retries);
  ingest_stub_ = iv1::MetricsIngest::NewStub(ingest_channel_);
  return AwaitIngestAcceptsEveryCell();
}

kafka::KafkaOptions BenchSuite::kafka_options() const {
  kafka::KafkaOptions options;
  options.bootstrap_servers = bootstrap_;
  options.topic_prefix = kTopicPrefix;
  options.topic_partitions = kPartitions;
  return options;
}

std::unique_ptr<grpc::ClientContext> BenchSuite::CallContext(const std::string& bearer) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  if (!bearer.empty()) context->AddMetadata("authorization", absl::StrCat("Bearer ", bearer));
  context->AddMetadata("tiendo-actor", absl::StrCat("bench:", name_));
  return context;
}

absl::StatusOr<testing::ServiceUnderTest> BenchSuite::StartService(
    const std::string& binary, const std::string& name, const std::vector<std::string>& flags) {
  std::vector<std::string> all = {"--log-level=warning"};
  all.insert(all.end(), flags.begin(), flags.end());
  return testing::StartService(binary, name, bootstrap_, kTopicPrefix, dir_, all);
}

absl::StatusOr<testing::ServiceUnderTest> BenchSuite::StartAndAwait(
    const std::string& binary, const std::string& name, const std::vector<std::string>& flags) {
  absl::StatusOr<testing::ServiceUnderTest> service = StartService(binary, name, flags);
  if (!service.ok()) return service.status();
  if (!testing::WaitUntil([&] { return Serving(*service); }, kStartTimeout)) {
    return absl::DeadlineExceededError(
        absl::StrCat(name, " never reported SERVING; see ", service->process->log_path()));
  }
  return service;
}

absl::Status BenchSuite::ApplySeedPlan() {
  planfile::LoadedPlanFile plan =
      planfile::LoadPlanFile(testing::ReadSourceFile("plans/brvt-63-kh-ubnd.yaml"));
  if (!plan.plan_file.has_value()) {
    return absl::FailedPreconditionError("plans/brvt-63-kh-ubnd.yaml does not load");
  }
  rv1::ApplyPlanRequest apply;
  *apply.mutable_plan_file() = *plan.plan_file;
  rv1::ApplyPlanResponse applied;
  if (absl::Status status =
          FromGrpc(registry_stub_->ApplyPlan(CallContext("").get(), apply, &applied),
                   "ApplyPlan of the seed plan");
      !status.ok()) {
    return status;
  }
  rv1::IssueTokenRequest issue;
  issue.set_reporting_unit_id(kUnit);
  issue.set_description(absl::StrCat(name_, " bench"));
  return FromGrpc(registry_stub_->IssueToken(CallContext("").get(), issue, &token_),
                  "IssueToken for dept-st");
}

// Ingest has followed the registry up to the plan and the token once a dry run of every
// cell is accepted.
absl::Status BenchSuite::AwaitIngestAcceptsEveryCell() {
  const std::vector<std::string> periods = Periods();
  const int cells = static_cast<int>(periods.size() * Districts().size());
  iv1::SubmitBatchRequest every_cell;
  every_cell.set_dry_run(true);
  for (int i = 0; i < cells; ++i) *every_cell.add_submissions() = Item("dry-run", i, periods);
  iv1::SubmitBatchResponse dry_run;
  if (!testing::WaitUntil(
          [&] {
            dry_run.Clear();
            return ingest_stub_
                       ->SubmitBatch(CallContext(token_.bearer_token()).get(), every_cell,
                                     &dry_run)
                       .ok() &&
                   dry_run.accepted_count() == cells;
          },
          kStartTimeout)) {
    return absl::DeadlineExceededError(absl::StrCat(
        "a dry run of every cell is not accepted: ", dry_run.ShortDebugString()));
  }
  return absl::OkStatus();
}

}  // namespace tiendo::bench
