// Ingest throughput against the broker's own (issue 5's performance goal: metrics-ingest
// accepts at least half as many items per second as a plain producer writes to the same
// broker). Starts its own Kafka broker, a registry with the seed plan and a token for dept-st,
// and metrics-ingest; sends kWarmUpPasses unmeasured passes of items through ingest and as
// many through the plain producer, in turn, to warm the broker and ingest; then, on that
// broker, kRounds rounds of:
//   (a) a plain producer with ingest's settings (services/common/kafka/producer.h defaults:
//       idempotent, acks=all, default linger) writes N AcceptedSubmission events like the ones
//       ingest writes, with the same key and headers (records of the same size), to a topic
//       of its own with the same spec, timed from the first produce to the last delivery
//       report;
//   (b) N valid items with submission ids new to ingest go to its SubmitBatch, 100 items a
//       call, several calls in flight (requests serialized beforehand, as the plain
//       producer's records are, and sent with gRPC's callback API: the clients, standing in
//       for department systems elsewhere, take little of this machine's CPU, and read an
//       answer's results only when its count of accepted items falls short), timed from the
//       first call to the last ACCEPTED answer.
// Each round gives a ratio of the two; the median round's decides (bench/rounds.h; its rates
// are the ones reported as counters). Prints the rates, the ratios and the goal, and to tell
// where ingest's time goes when the goal is missed: CPU used by ingest (in all and by
// thread), by this process, by the broker and by the whole machine, and once after the
// rounds the plain producer paced like ingest (batches of 100 awaiting their reports) and as
// many other items as dry runs (no Kafka), with their CPU. From those it prints each round's
// ceiling: the ratio ingest would reach on this machine's CPUs if it cost no more than its
// dry run and the plain producer's write together (Round::ratio_ceiling).
//
//   build/release/bench/ingest_bench [--benchmark_counters_tabular=true]
#include <benchmark/benchmark.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "bench/bench_suite.h"
#include "bench/cpu_usage.h"
#include "bench/rounds.h"
#include "bench/seed_submissions.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "services/common/kafka/kafka_admin.h"
#include "services/common/kafka/producer.h"
#include "services/common/kafka/topics.h"
#include "tiendo/ingest/v1/ingest.grpc.pb.h"

namespace tiendo {
namespace {

namespace iv1 = ingest::v1;

constexpr int kItems = 100000;
constexpr int kRounds = 7;
constexpr int kWarmUpPasses = 5;
constexpr int kItemsPerCall = 100;
static_assert(kItems % kItemsPerCall == 0, "every call carries kItemsPerCall items");
constexpr int kCallsInFlight = 32;
// The plain producer's topic: ingest's output topic under another prefix.
constexpr char kRawTopicPrefix[] = "bench-raw.";
constexpr absl::Duration kPhaseTimeout = absl::Minutes(5);

// A plain producer's write: the seconds from the first produce to the last delivery report,
// and the CPU seconds of this process (the producer) and of the broker until every report
// was in.
struct PlainWrite {
  double seconds = 0;
  double producer_cpu = 0;
  double broker_cpu = 0;
};

// A plain producer writing `values` (events ingest writes for the items of a round) as ingest
// writes them (bench::SubmissionRecord), or an error. With `paced`, it writes them as ingest
// does: kCallsInFlight threads each produce kItemsPerCall records and wait for their reports
// before the next ones.
absl::StatusOr<PlainWrite> ProducePlain(const bench::BenchSuite& suite,
                                        const std::vector<std::string>& values, bool paced) {
  const pid_t broker = suite.broker_pid();
  kafka::KafkaOptions options = suite.kafka_options();
  options.topic_prefix = kRawTopicPrefix;
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
  kafka::OutgoingRecord warm_up = bench::SubmissionRecord(options);
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
  const double producer_cpu = bench::OwnCpuSeconds();
  const double broker_cpu = bench::ProcessCpuSeconds(broker);
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
  // Every report is in: the CPU of the write, without the producer's set-up and teardown.
  const double producer_cpu_used = bench::OwnCpuSeconds() - producer_cpu;
  const double broker_cpu_used = bench::ProcessCpuSeconds(broker) - broker_cpu;
  absl::MutexLock lock(&mu);
  if (!written.ok()) return written;
  if (!failure.ok()) return failure;
  return PlainWrite{absl::ToDoubleSeconds(last_report - start), producer_cpu_used,
                    broker_cpu_used};
}

struct Submitted {
  double seconds = 0;       // first call to last answer
  double mean_call_ms = 0;  // one call, from the client's side
};

// The kItems items of a pass (ids "`id_prefix`:i"), kItemsPerCall a batch, serialized: built
// before the clock starts, as the plain producer's records are. The clients stand in for
// department systems on machines of their own; here they should cost no more than sending
// and reading. With `events`, also the events ingest writes for the items, accepted under
// `token_id`.
std::vector<grpc::ByteBuffer> Pass(absl::string_view id_prefix,
                                   const std::vector<std::string>& periods, bool dry_run,
                                   const std::string& token_id,
                                   std::vector<std::string>* events) {
  std::vector<grpc::ByteBuffer> batches;
  batches.reserve(kItems / kItemsPerCall);
  iv1::SubmitBatchRequest batch;
  for (int i = 0; i < kItems; ++i) {
    iv1::Submission& item = *batch.add_submissions() = bench::Item(id_prefix, i, periods);
    if (events != nullptr) events->push_back(bench::AcceptedEvent(item, token_id));
    if (batch.submissions_size() == kItemsPerCall) {
      batch.set_dry_run(dry_run);
      grpc::Slice bytes(batch.SerializeAsString());
      batches.emplace_back(&bytes, 1);
      batch.Clear();
    }
  }
  return batches;
}

// The accepted_count of a SubmitBatchResponse (`answer`, left as it is), read past the results
// before it without decoding them; nullopt if the answer does not hold one.
std::optional<int> AcceptedCount(grpc::ByteBuffer& answer) {
  using google::protobuf::internal::WireFormatLite;
  grpc::ProtoBufferReader reader(&answer);
  google::protobuf::io::CodedInputStream in(&reader);
  std::optional<int> count;
  for (uint32_t tag = in.ReadTag(); tag != 0; tag = in.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) ==
            iv1::SubmitBatchResponse::kAcceptedCountFieldNumber &&
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_VARINT) {
      uint32_t value = 0;
      if (!in.ReadVarint32(&value)) return std::nullopt;
      count = static_cast<int>(value);
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return std::nullopt;
    }
  }
  return count;
}

// OK if batch `batch` was answered with every item ACCEPTED (`answer`, consumed); otherwise
// what went wrong, naming the first item not accepted. The clients stand in for department
// systems elsewhere: they take the count of accepted items from the answer and read its
// results only when the count falls short.
absl::Status CheckAnswer(size_t batch, const grpc::Status& status, grpc::ByteBuffer& answer) {
  if (!status.ok()) {
    return absl::UnavailableError(
        absl::StrCat("batch ", batch, ": SubmitBatch failed: ", status.error_message()));
  }
  if (AcceptedCount(answer) == kItemsPerCall) return absl::OkStatus();
  iv1::SubmitBatchResponse response;
  if (!grpc::SerializationTraits<iv1::SubmitBatchResponse>::Deserialize(&answer, &response)
           .ok()) {
    return absl::DataLossError(absl::StrCat("batch ", batch, ": the answer does not decode"));
  }
  for (const iv1::SubmissionResult& result : response.results()) {
    if (result.outcome() == iv1::SUBMISSION_OUTCOME_ACCEPTED) continue;
    return absl::FailedPreconditionError(absl::StrCat(
        "item ", result.submission_id(), " not accepted: ",
        iv1::SubmissionOutcome_Name(result.outcome()), " ",
        iv1::RejectionReason_Name(result.reason()), " ", result.message()));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "batch ", batch, ": ", response.accepted_count(), " of ", kItemsPerCall,
      " items accepted"));
}

// How long ingest takes to answer every batch, kCallsInFlight calls at a time (each answer
// starts the next call), or an error naming the first item not ACCEPTED.
absl::StatusOr<Submitted> SubmitAll(bench::BenchSuite& suite,
                                    const std::vector<grpc::ByteBuffer>& batches) {
  grpc::GenericStub stub(suite.ingest_channel());
  const std::string method =
      absl::StrCat("/", iv1::MetricsIngest::service_full_name(), "/SubmitBatch");
  const std::string& bearer = suite.token().bearer_token();
  struct Call {
    std::unique_ptr<grpc::ClientContext> context;
    grpc::ByteBuffer response;
    size_t batch = 0;
    absl::Time started;
  };
  std::vector<Call> calls(std::min<size_t>(kCallsInFlight, batches.size()));
  absl::Mutex mu;
  size_t next = 0;         // the next batch to send
  size_t calls_ended = 0;  // calls that found no batch left to send
  absl::Status failure;
  absl::Duration in_calls;

  // Sends the next batch on `call`, or ends it; runs again on gRPC's thread when answered.
  std::function<void(Call&)> send = [&](Call& call) {
    {
      absl::MutexLock lock(&mu);
      if (next == batches.size()) {
        ++calls_ended;
        return;
      }
      call.batch = next++;
    }
    call.context = suite.CallContext(bearer);
    call.started = absl::Now();
    stub.UnaryCall(
        call.context.get(), method, grpc::StubOptions(), &batches[call.batch], &call.response,
        [&](grpc::Status status) {
          const absl::Duration took = absl::Now() - call.started;
          const absl::Status problem = CheckAnswer(call.batch, status, call.response);
          {
            absl::MutexLock lock(&mu);
            in_calls += took;
            if (!problem.ok()) {
              if (failure.ok()) failure = problem;
              next = batches.size();  // the other calls end once answered
            }
          }
          // Last: once the last call has ended, SubmitAll returns and its locals are gone.
          send(call);
        });
  };

  const absl::Time start = absl::Now();
  for (Call& call : calls) send(call);
  absl::MutexLock lock(&mu);
  const auto all_ended = [&] { return calls_ended == calls.size(); };
  mu.Await(absl::Condition(&all_ended));
  const absl::Time end = absl::Now();
  if (!failure.ok()) return failure;
  return Submitted{absl::ToDoubleSeconds(end - start),
                   absl::ToDoubleMilliseconds(in_calls) / static_cast<double>(batches.size())};
}

// One round: the plain producer, then ingest, each with the CPU it used.
struct Round {
  PlainWrite plain;
  double plain_busy = 0;  // share of the machine's CPUs
  Submitted ingest;
  double ingest_cpu = 0;
  std::map<std::string, double> ingest_threads;
  double clients_cpu = 0;  // this process's: the gRPC clients
  double ingest_broker_cpu = 0;
  double ingest_busy = 0;

  double plain_rate() const { return kItems / plain.seconds; }
  double ingest_rate() const { return kItems / ingest.seconds; }
  double ratio() const { return ingest_rate() / plain_rate(); }
  // Writing an item as the plain producer does: its CPU and the broker's.
  double plain_cpu_per_item() const {
    return (plain.producer_cpu + plain.broker_cpu) / kItems;
  }
  // The most ingest/plain could be on `cpus` CPUs: ingest does at least what its dry run
  // does (`dry_run_cpu_per_item`: the call, its checks and its answer, in ingest and in the
  // clients) and what the plain producer does (the write, in the producer and the broker).
  double ratio_ceiling(double dry_run_cpu_per_item, unsigned cpus) const {
    return bench::CpuCeiling(cpus, plain_cpu_per_item(), dry_run_cpu_per_item, plain_rate());
  }
};

void PrintRound(int number, const Round& round, double event_bytes) {
  std::printf(
      "round %d: plain producer: %d events of %.0f bytes, with ingest's key and headers, in "
      "%.2f s (%.0f items/s; producer %.2f CPU-s, broker %.2f CPU-s, machine %.0f%% busy)\n"
      "    metrics-ingest: %d items, %d a call, %d calls in flight, all ACCEPTED in %.2f s "
      "(%.0f items/s; %.1f ms a call; ingest %.2f CPU-s = %.1f us an item, clients %.2f "
      "CPU-s, broker %.2f CPU-s, machine %.0f%% busy)\n"
      "    ingest threads, CPU-s (us an item): %s\n"
      "    ingest/plain = %.2f\n",
      number, kItems, event_bytes, round.plain.seconds, round.plain_rate(),
      round.plain.producer_cpu, round.plain.broker_cpu, round.plain_busy * 100, kItems,
      kItemsPerCall, kCallsInFlight, round.ingest.seconds, round.ingest_rate(),
      round.ingest.mean_call_ms, round.ingest_cpu, round.ingest_cpu * 1e6 / kItems,
      round.clients_cpu, round.ingest_broker_cpu, round.ingest_busy * 100,
      bench::DescribeThreadCpu(round.ingest_threads, kItems, "item").c_str(), round.ratio());
}

void BM_IngestThroughput(benchmark::State& state) {
  absl::StatusOr<std::unique_ptr<bench::BenchSuite>> suite =
      bench::BenchSuite::Start("ingest", TIENDO_REGISTRY_BINARY, TIENDO_INGEST_BINARY);
  if (!suite.ok()) {
    state.SkipWithError(suite.status().ToString().c_str());
    return;
  }
  const pid_t ingest_pid = (*suite)->ingest_service().process->pid();

  // Everything built before the clocks start: the benchmark measures Kafka and ingest.
  const std::vector<std::string> periods = bench::Periods();
  const std::string& token_id = (*suite)->token().token().token_id();
  const std::vector<grpc::ByteBuffer> dry_runs =
      Pass("ingest-bench:dry-run", periods, /*dry_run=*/true, token_id, nullptr);
  // Each round's items have ids of their own: a resent id would be answered DUPLICATE.
  std::vector<std::string> written;
  written.reserve(kItems);
  std::vector<std::vector<grpc::ByteBuffer>> batches;
  for (int r = 0; r < kRounds; ++r) {
    batches.push_back(Pass(absl::StrCat("ingest-bench:round-", r + 1), periods,
                           /*dry_run=*/false, token_id, r == 0 ? &written : nullptr));
  }
  size_t event_bytes = 0;
  for (const std::string& event : written) event_bytes += event.size();

  // Passes of other items through ingest and of the plain producer, in turn, warm the broker
  // and ingest. The broker is a JVM started seconds before: until its JIT has compiled what
  // each of them asks of it (ingest's many smaller produce and fetch requests, the plain
  // producer's few large ones), part of its work runs interpreted, and its compiler takes
  // CPU besides. Over the first passes its CPU in ingest's passes fell from about 0.4 to 0.2
  // CPU-s (per 100,000 items), where it stayed, while a broker in production runs for days.
  std::string warm_up_passes;
  for (int pass = 0; pass < kWarmUpPasses; ++pass) {
    const pid_t broker = (*suite)->broker_pid();
    const double broker_cpu = bench::ProcessCpuSeconds(broker);
    absl::StatusOr<Submitted> warmed = SubmitAll(
        **suite, Pass(absl::StrCat("ingest-bench:warm-up-", pass + 1), periods,
                      /*dry_run=*/false, token_id, nullptr));
    if (!warmed.ok()) {
      state.SkipWithError(absl::StrCat("warm-up: ", warmed.status().ToString()).c_str());
      return;
    }
    const double ingest_broker_cpu = bench::ProcessCpuSeconds(broker) - broker_cpu;
    absl::StatusOr<PlainWrite> plain = ProducePlain(**suite, written, /*paced=*/false);
    if (!plain.ok()) {
      state.SkipWithError(absl::StrCat("plain warm-up: ", plain.status().ToString()).c_str());
      return;
    }
    absl::StrAppend(&warm_up_passes, pass == 0 ? "" : "; ",
                    absl::StrFormat("%.0f and %.0f items/s (broker %.2f and %.2f CPU-s)",
                                    kItems / warmed->seconds, kItems / plain->seconds,
                                    ingest_broker_cpu, plain->broker_cpu));
  }

  for (auto _ : state) {
    const pid_t broker = (*suite)->broker_pid();
    std::vector<Round> rounds(kRounds);
    for (size_t r = 0; r < rounds.size(); ++r) {
      Round& round = rounds[r];
      bench::MachineCpu machine = bench::MachineCpuNow();
      absl::StatusOr<PlainWrite> plain = ProducePlain(**suite, written, /*paced=*/false);
      if (!plain.ok()) {
        state.SkipWithError(absl::StrCat("plain producer: ", plain.status().ToString()).c_str());
        return;
      }
      round.plain = *plain;
      round.plain_busy = bench::BusyShareSince(machine);

      const double own_cpu = bench::OwnCpuSeconds();
      machine = bench::MachineCpuNow();
      const double broker_cpu = bench::ProcessCpuSeconds(broker);
      const double ingest_cpu = bench::ProcessCpuSeconds(ingest_pid);
      const std::map<std::string, double> ingest_threads = bench::ThreadCpuSeconds(ingest_pid);
      absl::StatusOr<Submitted> submitted = SubmitAll(**suite, batches[r]);
      if (!submitted.ok()) {
        state.SkipWithError(absl::StrCat("ingest: ", submitted.status().ToString()).c_str());
        return;
      }
      round.ingest = *submitted;
      round.ingest_cpu = bench::ProcessCpuSeconds(ingest_pid) - ingest_cpu;
      round.ingest_threads = bench::ThreadCpuSince(ingest_pid, ingest_threads);
      round.ingest_broker_cpu = bench::ProcessCpuSeconds(broker) - broker_cpu;
      round.clients_cpu = bench::OwnCpuSeconds() - own_cpu;
      round.ingest_busy = bench::BusyShareSince(machine);
    }
    const Round& median = bench::MedianRound(rounds);

    // To tell where the time goes when the goal is missed: the plain producer writing as
    // ingest does, and validation and answers without Kafka (items of their own as dry runs:
    // those already accepted would be answered DUPLICATE).
    absl::StatusOr<PlainWrite> paced = ProducePlain(**suite, written, /*paced=*/true);
    if (!paced.ok()) {
      state.SkipWithError(absl::StrCat("paced producer: ", paced.status().ToString()).c_str());
      return;
    }
    const double dry_run_own_cpu = bench::OwnCpuSeconds();
    const double dry_run_ingest_cpu = bench::ProcessCpuSeconds(ingest_pid);
    absl::StatusOr<Submitted> validated = SubmitAll(**suite, dry_runs);
    if (!validated.ok()) {
      state.SkipWithError(absl::StrCat("dry run: ", validated.status().ToString()).c_str());
      return;
    }
    const double dry_run_ingest_cpu_per_item =
        (bench::ProcessCpuSeconds(ingest_pid) - dry_run_ingest_cpu) / kItems;
    const double dry_run_clients_cpu_per_item =
        (bench::OwnCpuSeconds() - dry_run_own_cpu) / kItems;
    const double dry_run_cpu_per_item =
        dry_run_ingest_cpu_per_item + dry_run_clients_cpu_per_item;
    const unsigned cpus = bench::UsableCpus();

    const double event_size = static_cast<double>(event_bytes) / kItems;
    state.SetIterationTime(median.ingest.seconds);
    state.counters["items"] = kItems;
    state.counters["event_bytes"] = event_size;
    state.counters["plain_items_per_s"] = median.plain_rate();
    state.counters["ingest_items_per_s"] = median.ingest_rate();
    state.counters["ingest_to_plain"] = median.ratio();
    state.counters["call_ms"] = median.ingest.mean_call_ms;
    state.counters["dry_run_items_per_s"] = kItems / validated->seconds;
    state.counters["paced_items_per_s"] = kItems / paced->seconds;
    state.counters["ingest_cpu_us_per_item"] = median.ingest_cpu * 1e6 / kItems;
    state.counters["ingest_to_plain_ceiling"] =
        median.ratio_ceiling(dry_run_cpu_per_item, cpus);
    std::printf("warm-up passes (not measured), metrics-ingest and the plain producer, %d items "
                "each: %s\n",
                kItems, warm_up_passes.c_str());
    for (size_t r = 0; r < rounds.size(); ++r) {
      PrintRound(static_cast<int>(r) + 1, rounds[r], event_size);
    }
    const std::string ceilings = bench::CeilingsByRound(
        rounds, [&](const Round& round) { return round.ratio_ceiling(dry_run_cpu_per_item, cpus); },
        [](const Round& round) { return round.plain_cpu_per_item(); }, "an item");
    std::printf(
        "metrics-ingest dry runs of as many other items (no Kafka): %.2f s (%.0f items/s; "
        "%.1f ms a call; ingest %.1f CPU-us an item, clients %.1f)\n"
        "plain producer paced like ingest (%d writers, %d records then their reports): %.2f s "
        "(%.0f items/s, %.2f of the median round's plain producer: as far as writing the way "
        "ingest's calls must, with no call and no checks, got)\n"
        "ceiling of ingest/plain on these %u CPUs, if ingest did nothing but what its dry run "
        "does and what the plain producer does (%.1f + that round's plain CPU-us an item): "
        "%s\n"
        "ingest/plain by round: %s; median %.2f (goal: >= 0.5, %s)\n",
        validated->seconds, kItems / validated->seconds, validated->mean_call_ms,
        dry_run_ingest_cpu_per_item * 1e6, dry_run_clients_cpu_per_item * 1e6,
        kCallsInFlight, kItemsPerCall, paced->seconds, kItems / paced->seconds,
        kItems / paced->seconds / median.plain_rate(), cpus,
        dry_run_cpu_per_item * 1e6, ceilings.c_str(),
        bench::RatiosByRound(rounds).c_str(), median.ratio(),
        median.ratio() >= 0.5 ? "met" : "NOT met");
  }
}
BENCHMARK(BM_IngestThroughput)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

}  // namespace
}  // namespace tiendo

BENCHMARK_MAIN();
