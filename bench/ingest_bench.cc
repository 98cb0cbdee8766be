// Ingest throughput against the broker's own (issue 5's performance goal: metrics-ingest
// accepts at least half as many items per second as a plain producer writes to the same
// broker). Starts its own Kafka broker, a registry with the seed plan and a token for dept-st,
// and metrics-ingest; sends one unmeasured pass of items through ingest to warm the broker
// and ingest; then, on that broker:
//   (a) a plain producer with ingest's settings (services/common/kafka/producer.h defaults:
//       idempotent, acks=all, default linger) writes N AcceptedSubmission events like the ones
//       ingest writes, to a topic of its own with the same spec and key, timed from the first
//       produce to the last delivery report;
//   (b) N valid items with distinct submission ids go to ingest's SubmitBatch, 100 items a
//       call, several calls in flight, timed from the first call to the last ACCEPTED answer.
// Prints both rates, their ratio and the goal, and to tell where ingest's time goes when the
// goal is missed: the plain producer paced like ingest (batches of 100 awaiting their
// reports), the same batches as dry runs (no Kafka), and CPU used by ingest, by this process
// and by the whole machine.
//
//   build/release/bench/ingest_bench [--benchmark_counters_tabular=true]
#include <benchmark/benchmark.h>
#include <grpcpp/grpcpp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/kafka/kafka_admin.h"
#include "services/common/kafka/producer.h"
#include "services/common/kafka/topics.h"
#include "services/common/planfile/plan_file_loader.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/service_under_test.h"
#include "tests/support/source_file.h"
#include "tiendo/events/v1/submission_event.pb.h"
#include "tiendo/ingest/v1/ingest.grpc.pb.h"
#include "tiendo/registry/v1/registry.grpc.pb.h"

namespace tiendo {
namespace {

namespace iv1 = ingest::v1;
namespace rv1 = registry::v1;

constexpr int kItems = 100000;
constexpr int kItemsPerCall = 100;
constexpr int kCallsInFlight = 32;
constexpr char kIndicator[] = "procedure_results_digitised";
constexpr char kUnit[] = "dept-st";
constexpr char kTopicPrefix[] = "bench.";
// The plain producer's topic: ingest's output topic under another prefix.
constexpr char kRawTopicPrefix[] = "bench-raw.";
// StartService creates the suite's topics with this many partitions.
constexpr int kPartitions = 2;
constexpr absl::Duration kStartTimeout = absl::Seconds(60);
constexpr absl::Duration kPhaseTimeout = absl::Minutes(5);

// The periods dept-st may report for the indicator in which every district below is valid:
// the months and quarters of 2023 and 2024.
std::vector<std::string> Periods() {
  std::vector<std::string> periods;
  for (int year : {2023, 2024}) {
    for (int month = 1; month <= 12; ++month) {
      periods.push_back(absl::StrFormat("%d-%02d", year, month));
    }
    for (int quarter = 1; quarter <= 4; ++quarter) {
      periods.push_back(absl::StrFormat("%d-Q%d", year, quarter));
    }
  }
  return periods;
}

// The districts of the seed plan valid throughout 2023-2024; "" is the undisaggregated total.
const std::vector<std::string>& Districts() {
  static const auto* districts = new std::vector<std::string>{
      "", "747", "748", "750", "751", "752", "753", "754", "755"};
  return *districts;
}

// Item `i` of a pass: its own submission id, cells taken in turn.
iv1::Submission Item(absl::string_view pass, int i, const std::vector<std::string>& periods) {
  const int cells = static_cast<int>(periods.size() * Districts().size());
  const int cell = i % cells;
  iv1::Submission item;
  item.set_submission_id(absl::StrCat("ingest-bench:", pass, ":", i));
  item.set_indicator_id(kIndicator);
  item.set_period(periods[cell / Districts().size()]);
  const std::string& district = Districts()[cell % Districts().size()];
  if (!district.empty()) (*item.mutable_disaggregation())["district"] = district;
  item.mutable_ratio()->set_numerator(1000 + i % 997);
  item.mutable_ratio()->set_denominator(2000);
  *item.mutable_submitted_at() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
      absl::ToUnixSeconds(absl::FromCivil(absl::CivilSecond(2025, 1, 15, 9, 0, 0),
                                          absl::UTCTimeZone())));
  item.set_source_system("ingest_bench/1");
  return item;
}

// The event ingest writes for `item` (see services/metrics-ingest/submission_intake.cc).
std::string AcceptedEvent(const iv1::Submission& item, const std::string& token_id) {
  events::v1::AcceptedSubmission event;
  *event.mutable_submission() = item;
  event.mutable_submission()->set_reporting_unit_id(kUnit);
  event.mutable_submission()->set_kind(iv1::SUBMISSION_KIND_REPORT);
  event.set_token_id(token_id);
  *event.mutable_accepted_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
  event.set_ingest_path(events::v1::INGEST_PATH_GRPC);
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  event.set_ingest_instance(absl::StrCat(host, ":", getpid()));
  return event.SerializeAsString();
}

std::unique_ptr<grpc::ClientContext> CallContext(const std::string& bearer) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  if (!bearer.empty()) context->AddMetadata("authorization", absl::StrCat("Bearer ", bearer));
  context->AddMetadata("tiendo-actor", "bench:ingest");
  return context;
}

// CPU seconds (user + system) process `pid` has used so far, from /proc; -1 if unreadable.
double ProcessCpuSeconds(pid_t pid) {
  std::ifstream file(absl::StrCat("/proc/", pid, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const size_t name_end = stat.rfind(')');  // the command name may hold spaces
  if (name_end == std::string::npos) return -1;
  std::istringstream fields(stat.substr(name_end + 2));
  std::string field;
  double ticks = 0;
  // After the name: state is field 3; utime and stime are fields 14 and 15.
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU seconds this process (the clients and the plain producer) has used so far.
double OwnCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return absl::ToDoubleSeconds(absl::DurationFromTimeval(usage.ru_utime) +
                               absl::DurationFromTimeval(usage.ru_stime));
}

// Busy and total CPU time of the whole machine so far, in clock ticks (/proc/stat).
struct MachineCpu {
  double busy = 0;
  double total = 0;
};
MachineCpu MachineCpuNow() {
  std::ifstream file("/proc/stat");
  std::string label;
  file >> label;  // "cpu": the sum over all CPUs
  MachineCpu cpu;
  double ticks = 0;
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  for (int i = 0; i < 8 && file >> ticks; ++i) {
    cpu.total += ticks;
    if (i != 3 && i != 4) cpu.busy += ticks;
  }
  return cpu;
}

// The share of the machine's CPUs busy between `before` and now.
double BusyShareSince(const MachineCpu& before) {
  const MachineCpu now = MachineCpuNow();
  const double total = now.total - before.total;
  return total > 0 ? (now.busy - before.busy) / total : -1;
}

bool Serving(const testing::ServiceUnderTest& service) {
  absl::StatusOr<testing::ServingStatus> status = testing::HealthStatus(service.address());
  return status.ok() && *status == grpc::health::v1::HealthCheckResponse::SERVING;
}

// The seconds a plain producer takes to write `values` (first produce to last delivery
// report), or an error. With `paced`, it writes them as ingest does: kCallsInFlight threads
// each produce kItemsPerCall records and wait for their reports before the next ones.
absl::StatusOr<double> ProducePlain(const std::string& bootstrap,
                                    const std::vector<std::string>& values, bool paced) {
  kafka::KafkaOptions options;
  options.bootstrap_servers = bootstrap;
  options.topic_prefix = kRawTopicPrefix;
  options.topic_partitions = kPartitions;
  absl::StatusOr<std::unique_ptr<kafka::KafkaAdmin>> admin =
      kafka::KafkaAdmin::Create(options, "ingest-bench-admin");
  if (!admin.ok()) return admin.status();
  if (auto created = (*admin)->EnsureTopics(
          {kafka::SpecFor(options, kafka::Topic::kSubmissions)}, absl::Seconds(30));
      !created.ok()) {
    return created.status();
  }
  // Declared before the producer: its destructor reports what is still queued.
  absl::Mutex mu;
  absl::Status failure;
  absl::Time last_report;
  absl::StatusOr<std::unique_ptr<kafka::Producer>> producer =
      kafka::Producer::Create(options, "ingest-bench-plain");
  if (!producer.ok()) return producer.status();
  kafka::OutgoingRecord warm_up;
  warm_up.topic = kafka::TopicName(options, kafka::Topic::kSubmissions);
  warm_up.key = kIndicator;
  warm_up.headers.push_back(
      {std::string(kafka::kSchemaHeader), "tiendo.events.v1.AcceptedSubmission"});
  // Warm up: metadata and the idempotent producer id, as ingest has them before it serves.
  warm_up.value = values.front();
  if (auto warm = (*producer)->ProduceAndWait(warm_up, absl::Seconds(30)); !warm.ok()) {
    return warm.status();
  }

  // Produces values[first, last) and waits for their reports.
  auto write = [&](size_t first, size_t last) -> absl::Status {
    kafka::OutgoingRecord record = warm_up;
    auto reported = std::make_shared<std::atomic<size_t>>(0);
    auto all_reported = std::make_shared<absl::Notification>();
    const size_t total = last - first;
    for (size_t i = first; i < last; ++i) {
      record.value = values[i];
      auto delivered = [&, reported, all_reported, total](
                           absl::StatusOr<kafka::RecordPosition> position) {
        if (!position.ok()) {
          absl::MutexLock lock(&mu);
          if (failure.ok()) failure = position.status();
        }
        if (reported->fetch_add(1) + 1 == total) {
          absl::MutexLock lock(&mu);
          last_report = std::max(last_report, absl::Now());
          all_reported->Notify();
        }
      };
      absl::Status queued;
      while (absl::IsResourceExhausted(queued = (*producer)->Produce(record, delivered))) {
        absl::SleepFor(absl::Milliseconds(1));  // the queue drains as reports come in
      }
      if (!queued.ok()) return queued;
    }
    if (!all_reported->WaitForNotificationWithTimeout(kPhaseTimeout)) {
      return absl::DeadlineExceededError(
          absl::StrCat(total - reported->load(), " records without a delivery report"));
    }
    return absl::OkStatus();
  };

  const absl::Time start = absl::Now();
  last_report = start;
  absl::Status written;
  if (!paced) {
    written = write(0, values.size());
  } else {
    std::atomic<size_t> next{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < kCallsInFlight; ++w) {
      writers.emplace_back([&] {
        for (size_t first = next.fetch_add(kItemsPerCall); first < values.size();
             first = next.fetch_add(kItemsPerCall)) {
          absl::Status batch = write(first, std::min(first + kItemsPerCall, values.size()));
          if (!batch.ok()) {
            absl::MutexLock lock(&mu);
            if (failure.ok()) failure = batch;
            return;
          }
        }
      });
    }
    for (std::thread& writer : writers) writer.join();
  }
  absl::MutexLock lock(&mu);
  if (!written.ok()) return written;
  if (!failure.ok()) return failure;
  return absl::ToDoubleSeconds(last_report - start);
}

struct Submitted {
  double seconds = 0;       // first call to last answer
  double mean_call_ms = 0;  // one call, from the client's side
};

// How long ingest takes to answer every batch, or an error naming the first item not
// ACCEPTED.
absl::StatusOr<Submitted> SubmitAll(iv1::MetricsIngest::Stub& stub, const std::string& bearer,
                                 const std::vector<iv1::SubmitBatchRequest>& batches) {
  std::atomic<size_t> next{0};
  absl::Mutex mu;
  absl::Status failure;
  absl::Duration in_calls;
  std::vector<std::thread> clients;
  const absl::Time start = absl::Now();
  for (int c = 0; c < kCallsInFlight; ++c) {
    clients.emplace_back([&] {
      absl::Duration own_calls;
      for (size_t b = next++; b < batches.size(); b = next++) {
        iv1::SubmitBatchResponse response;
        const absl::Time called = absl::Now();
        const grpc::Status status =
            stub.SubmitBatch(CallContext(bearer).get(), batches[b], &response);
        own_calls += absl::Now() - called;
        absl::Status problem;
        if (!status.ok()) {
          problem = absl::UnavailableError(
              absl::StrCat("batch ", b, ": SubmitBatch failed: ", status.error_message()));
        } else if (response.accepted_count() != batches[b].submissions_size()) {
          for (const iv1::SubmissionResult& result : response.results()) {
            if (result.outcome() == iv1::SUBMISSION_OUTCOME_ACCEPTED) continue;
            problem = absl::FailedPreconditionError(absl::StrCat(
                "item ", result.submission_id(), " not accepted: ",
                iv1::SubmissionOutcome_Name(result.outcome()), " ",
                iv1::RejectionReason_Name(result.reason()), " ", result.message()));
            break;
          }
        }
        if (!problem.ok()) {
          absl::MutexLock lock(&mu);
          if (failure.ok()) failure = problem;
          next = batches.size();  // the others stop after their current call
          return;
        }
      }
      absl::MutexLock lock(&mu);
      in_calls += own_calls;
    });
  }
  for (std::thread& client : clients) client.join();
  const absl::Time end = absl::Now();
  absl::MutexLock lock(&mu);
  if (!failure.ok()) return failure;
  return Submitted{absl::ToDoubleSeconds(end - start),
                   absl::ToDoubleMilliseconds(in_calls) / static_cast<double>(batches.size())};
}

void BM_IngestThroughput(benchmark::State& state) {
  const std::string dir = testing::MakeTempDir("ingest-bench");
  auto broker = testing::KafkaBroker::Start(absl::StrCat(dir, "/kafka"));
  if (!broker.ok()) {
    state.SkipWithError(absl::StrCat("kafka: ", broker.status().ToString()).c_str());
    return;
  }
  const std::string bootstrap = (*broker)->bootstrap();
  auto registry = testing::StartService(
      TIENDO_REGISTRY_BINARY, "tiendo-registry", bootstrap, kTopicPrefix, dir,
      {absl::StrCat("--database=", dir, "/registry.db"), "--log-level=warning"});
  if (!registry.ok() || !testing::WaitUntil([&] { return Serving(*registry); }, kStartTimeout)) {
    state.SkipWithError("the registry did not start");
    return;
  }
  auto registry_stub = rv1::Registry::NewStub(
      grpc::CreateChannel(registry->address(), grpc::InsecureChannelCredentials()));
  planfile::LoadedPlanFile plan =
      planfile::LoadPlanFile(testing::ReadSourceFile("plans/brvt-63-kh-ubnd.yaml"));
  rv1::ApplyPlanRequest apply;
  *apply.mutable_plan_file() = *plan.plan_file;
  rv1::ApplyPlanResponse applied;
  if (!registry_stub->ApplyPlan(CallContext("").get(), apply, &applied).ok()) {
    state.SkipWithError("the seed plan was not applied");
    return;
  }
  rv1::IssueTokenRequest issue;
  issue.set_reporting_unit_id(kUnit);
  issue.set_description("ingest_bench");
  rv1::IssueTokenResponse token;
  if (!registry_stub->IssueToken(CallContext("").get(), issue, &token).ok()) {
    state.SkipWithError("no token for dept-st");
    return;
  }
  auto ingest = testing::StartService(TIENDO_INGEST_BINARY, "tiendo-metrics-ingest", bootstrap,
                                      kTopicPrefix, dir, {"--log-level=warning"});
  if (!ingest.ok() || !testing::WaitUntil([&] { return Serving(*ingest); }, kStartTimeout)) {
    state.SkipWithError("metrics-ingest did not start");
    return;
  }
  auto ingest_stub = iv1::MetricsIngest::NewStub(
      grpc::CreateChannel(ingest->address(), grpc::InsecureChannelCredentials()));

  // Everything built before the clocks start: the benchmark measures Kafka and ingest.
  const std::vector<std::string> periods = Periods();
  std::vector<iv1::SubmitBatchRequest> warm_up(kItems / kItemsPerCall);
  std::vector<iv1::SubmitBatchRequest> batches(kItems / kItemsPerCall);
  std::vector<std::string> events;
  events.reserve(kItems);
  for (int i = 0; i < kItems; ++i) {
    *warm_up[i / kItemsPerCall].add_submissions() = Item("warm-up", i, periods);
    iv1::Submission item = Item("measured", i, periods);
    events.push_back(AcceptedEvent(item, token.token().token_id()));
    *batches[i / kItemsPerCall].add_submissions() = std::move(item);
  }
  // Ingest has followed the registry up to the token and the plan once a dry run of every
  // cell is accepted.
  iv1::SubmitBatchRequest every_cell;
  every_cell.set_dry_run(true);
  const int cells = static_cast<int>(periods.size() * Districts().size());
  for (int i = 0; i < cells; ++i) *every_cell.add_submissions() = Item("dry-run", i, periods);
  iv1::SubmitBatchResponse dry_run;
  if (!testing::WaitUntil(
          [&] {
            dry_run.Clear();
            return ingest_stub->SubmitBatch(CallContext(token.bearer_token()).get(), every_cell,
                                            &dry_run)
                       .ok() &&
                   dry_run.accepted_count() == cells;
          },
          kStartTimeout)) {
    state.SkipWithError(
        absl::StrCat("a dry run of every cell is not accepted: ", dry_run.ShortDebugString())
            .c_str());
    return;
  }
  size_t event_bytes = 0;
  for (const std::string& event : events) event_bytes += event.size();

  // A first pass of other items warms the broker (a JVM started seconds ago: the many small
  // produce and fetch requests of ingest run several times slower until its JIT has compiled
  // them, while the plain producer's few large requests hardly notice) and ingest.
  absl::StatusOr<Submitted> warmed = SubmitAll(*ingest_stub, token.bearer_token(), warm_up);
  if (!warmed.ok()) {
    state.SkipWithError(absl::StrCat("warm-up: ", warmed.status().ToString()).c_str());
    return;
  }

  for (auto _ : state) {
    double own_cpu = OwnCpuSeconds();
    MachineCpu machine = MachineCpuNow();
    absl::StatusOr<double> plain = ProducePlain(bootstrap, events, /*paced=*/false);
    if (!plain.ok()) {
      state.SkipWithError(absl::StrCat("plain producer: ", plain.status().ToString()).c_str());
      return;
    }
    const double plain_own_cpu = OwnCpuSeconds() - own_cpu;
    const double plain_busy = BusyShareSince(machine);
    absl::StatusOr<double> paced = ProducePlain(bootstrap, events, /*paced=*/true);
    if (!paced.ok()) {
      state.SkipWithError(absl::StrCat("paced producer: ", paced.status().ToString()).c_str());
      return;
    }

    // The same batches as dry runs: validation and answers without Kafka, to tell the two
    // apart when the goal is missed.
    std::vector<iv1::SubmitBatchRequest> dry_runs = batches;
    for (iv1::SubmitBatchRequest& batch : dry_runs) batch.set_dry_run(true);
    absl::StatusOr<Submitted> validated = SubmitAll(*ingest_stub, token.bearer_token(), dry_runs);
    if (!validated.ok()) {
      state.SkipWithError(absl::StrCat("dry run: ", validated.status().ToString()).c_str());
      return;
    }

    own_cpu = OwnCpuSeconds();
    machine = MachineCpuNow();
    const double ingest_cpu = ProcessCpuSeconds(ingest->process->pid());
    absl::StatusOr<Submitted> submitted = SubmitAll(*ingest_stub, token.bearer_token(), batches);
    if (!submitted.ok()) {
      state.SkipWithError(absl::StrCat("ingest: ", submitted.status().ToString()).c_str());
      return;
    }
    const double ingest_used_cpu = ProcessCpuSeconds(ingest->process->pid()) - ingest_cpu;
    const double clients_cpu = OwnCpuSeconds() - own_cpu;
    const double ingest_busy = BusyShareSince(machine);

    const double plain_rate = kItems / *plain;
    const double ingest_rate = kItems / submitted->seconds;
    const double ratio = ingest_rate / plain_rate;
    state.SetIterationTime(submitted->seconds);
    state.counters["items"] = kItems;
    state.counters["event_bytes"] = static_cast<double>(event_bytes) / kItems;
    state.counters["plain_items_per_s"] = plain_rate;
    state.counters["ingest_items_per_s"] = ingest_rate;
    state.counters["ingest_to_plain"] = ratio;
    state.counters["call_ms"] = submitted->mean_call_ms;
    state.counters["dry_run_items_per_s"] = kItems / validated->seconds;
    state.counters["paced_items_per_s"] = kItems / *paced;
    state.counters["ingest_cpu_us_per_item"] = ingest_used_cpu * 1e6 / kItems;
    std::printf(
        "warm-up pass through metrics-ingest (not measured): %d items in %.2f s (%.0f items/s)\n"
        "plain producer: %d events of %.0f bytes in %.2f s (%.0f items/s; producer %.2f CPU-s, "
        "machine %.0f%% busy)\n"
        "metrics-ingest: %d items, %d a call, %d calls in flight, all ACCEPTED in %.2f s "
        "(%.0f items/s; %.1f ms a call; ingest %.2f CPU-s = %.1f us an item, clients %.2f "
        "CPU-s, machine %.0f%% busy)\n"
        "metrics-ingest dry runs of the same batches (no Kafka): %.2f s (%.0f items/s; %.1f ms "
        "a call)\n"
        "plain producer paced like ingest (%d writers, %d records then their reports): %.2f s "
        "(%.0f items/s)\n"
        "ingest/plain = %.2f (goal: >= 0.5, %s)\n",
        kItems, warmed->seconds, kItems / warmed->seconds, kItems,
        static_cast<double>(event_bytes) / kItems, *plain, plain_rate, plain_own_cpu,
        plain_busy * 100, kItems, kItemsPerCall, kCallsInFlight, submitted->seconds,
        ingest_rate, submitted->mean_call_ms, ingest_used_cpu, ingest_used_cpu * 1e6 / kItems,
        clients_cpu, ingest_busy * 100, validated->seconds, kItems / validated->seconds,
        validated->mean_call_ms, kCallsInFlight, kItemsPerCall, *paced, kItems / *paced, ratio, ratio >= 0.5 ? "met" : "NOT met");
  }
}
BENCHMARK(BM_IngestThroughput)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

}  // namespace
}  // namespace tiendo

BENCHMARK_MAIN();
