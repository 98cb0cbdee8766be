// Ingest throughput against the broker's own (issue 5's performance goal: metrics-ingest
// accepts at least half as many items per second as a plain producer writes to the same
// broker). Starts its own Kafka broker, a registry with the seed plan and a token for dept-st,
// and metrics-ingest; sends one unmeasured pass of items through ingest to warm the broker
// and ingest; then, on that broker, kRounds rounds of:
//   (a) a plain producer with ingest's settings (services/common/kafka/producer.h defaults:
//       idempotent, acks=all, default linger) writes N AcceptedSubmission events like the ones
//       ingest writes, with the same key and headers (records of the same size), to a topic
//       of its own with the same spec, timed from the first produce to the last delivery
//       report;
//   (b) N valid items with submission ids new to ingest go to its SubmitBatch, 100 items a
//       call, several calls in flight, timed from the first call to the last ACCEPTED answer.
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
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "bench/bench_suite.h"
#include "bench/cpu_usage.h"
#include "bench/rounds.h"
#include "bench/seed_submissions.h"
#include "services/common/kafka/kafka_admin.h"
#include "services/common/kafka/producer.h"
#include "services/common/kafka/topics.h"
#include "tiendo/ingest/v1/ingest.grpc.pb.h"

namespace tiendo {
namespace {

namespace iv1 = ingest::v1;

constexpr int kItems = 100000;
constexpr int kRounds = 5;
constexpr int kItemsPerCall = 100;
constexpr int kCallsInFlight = 32;
// The plain producer's topic: ingest's output topic under another prefix.
constexpr char kRawTopicPrefix[] = "bench-raw.";
constexpr absl::Duration kPhaseTimeout = absl::Minutes(5);

// The records ingest writes for the items of a round: each event with its submission id.
struct Written {
  std::vector<std::string> events;
  std::vector<std::string> submission_ids;
};

// A plain producer's write: the seconds from the first produce to the last delivery report,
// and the CPU seconds of this process (the producer) and of the broker until every report
// was in.
struct PlainWrite {
  double seconds = 0;
  double producer_cpu = 0;
  double broker_cpu = 0;
};

// A plain producer writing `records` as ingest writes them (bench::SubmissionRecord), or an
// error. With `paced`, it writes them as ingest does: kCallsInFlight threads each produce
// kItemsPerCall records and wait for their reports before the next ones.
absl::StatusOr<PlainWrite> ProducePlain(const bench::BenchSuite& suite, const Written& records,
                                        bool paced) {
  const std::vector<std::string>& values = records.events;
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
  bench::SetLedgerKey(bench::kUnit, "ingest-bench:plain-warm-up", warm_up);
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
      bench::SetLedgerKey(bench::kUnit, records.submission_ids[i], record);
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

// How long ingest takes to answer every batch, or an error naming the first item not
// ACCEPTED.
absl::StatusOr<Submitted> SubmitAll(bench::BenchSuite& suite,
                                    const std::vector<iv1::SubmitBatchRequest>& batches) {
  const std::string& bearer = suite.token().bearer_token();
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
            suite.ingest().SubmitBatch(suite.CallContext(bearer).get(), batches[b], &response);
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
  std::vector<iv1::SubmitBatchRequest> warm_up(kItems / kItemsPerCall);
  std::vector<iv1::SubmitBatchRequest> dry_runs(kItems / kItemsPerCall);
  // Each round's items have ids of their own: a resent id would be answered DUPLICATE.
  std::vector<std::vector<iv1::SubmitBatchRequest>> batches(
      kRounds, std::vector<iv1::SubmitBatchRequest>(kItems / kItemsPerCall));
  Written written;
  written.events.reserve(kItems);
  written.submission_ids.reserve(kItems);
  for (int i = 0; i < kItems; ++i) {
    *warm_up[i / kItemsPerCall].add_submissions() =
        bench::Item("ingest-bench:warm-up", i, periods);
    *dry_runs[i / kItemsPerCall].add_submissions() =
        bench::Item("ingest-bench:dry-run", i, periods);
    for (int r = 0; r < kRounds; ++r) {
      iv1::Submission item =
          bench::Item(absl::StrCat("ingest-bench:round-", r + 1), i, periods);
      if (r == 0) {
        written.events.push_back(
            bench::AcceptedEvent(item, (*suite)->token().token().token_id()));
        written.submission_ids.push_back(item.submission_id());
      }
      *batches[r][i / kItemsPerCall].add_submissions() = std::move(item);
    }
  }
  for (iv1::SubmitBatchRequest& batch : dry_runs) batch.set_dry_run(true);
  size_t event_bytes = 0;
  for (const std::string& event : written.events) event_bytes += event.size();

  // A first pass of other items warms the broker (a JVM started seconds ago: the many small
  // produce and fetch requests of ingest run several times slower until its JIT has compiled
  // them, while the plain producer's few large requests hardly notice) and ingest.
  absl::StatusOr<Submitted> warmed = SubmitAll(**suite, warm_up);
  if (!warmed.ok()) {
    state.SkipWithError(absl::StrCat("warm-up: ", warmed.status().ToString()).c_str());
    return;
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
    std::printf("warm-up pass through metrics-ingest (not measured): %d items in %.2f s (%.0f "
                "items/s)\n",
                kItems, warmed->seconds, kItems / warmed->seconds);
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
        "(%.0f items/s)\n"
        "ceiling of ingest/plain on these %u CPUs, if ingest did nothing but what its dry run "
        "does and what the plain producer does (%.1f + that round's plain CPU-us an item): "
        "%s\n"
        "ingest/plain by round: %s; median %.2f (goal: >= 0.5, %s)\n",
        validated->seconds, kItems / validated->seconds, validated->mean_call_ms,
        dry_run_ingest_cpu_per_item * 1e6, dry_run_clients_cpu_per_item * 1e6,
        kCallsInFlight, kItemsPerCall, paced->seconds, kItems / paced->seconds, cpus,
        dry_run_cpu_per_item * 1e6, ceilings.c_str(),
        bench::RatiosByRound(rounds).c_str(), median.ratio(),
        median.ratio() >= 0.5 ? "met" : "NOT met");
  }
}
BENCHMARK(BM_IngestThroughput)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

}  // namespace
}  // namespace tiendo

BENCHMARK_MAIN();
