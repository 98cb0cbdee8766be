// The target evaluator's throughput and latency (issue 6's performance figures (a) and (b);
// (c), restart from a snapshot, is bench/evaluator_restart_bench.cc). Starts its own Kafka
// broker, the registry with the seed plan, a token for dept-st and metrics-ingest
// (bench/bench_suite.h);
// then, on that broker:
//   (a) a plain producer writes kReplayed AcceptedSubmission events (bench/seed_submissions.h:
//       dept-st's procedure_results_digitised, 432 cells taken in turn, as ingest writes them)
//       straight to tiendo.submissions.v1. A plain kafka::Consumer reads them all
//       kWarmUpReads times to warm the broker (after one read the next still ran at half
//       speed); then kRounds rounds, each of: (1) the plain consumer reading them all from
//       offset 0 in batches of 1,000 without headers, as the evaluator's reader does:
//       records/s from the first record in hand to the last; (2) a fresh evaluator (a consumer
//       group of its own; the last round's stays up for (b)) replaying them: its
//       tiendo_evaluator_submission_records_total (/metrics) is read every kMetricPoll from
//       its start, records/s from the first reading that shows records applied to the first
//       that shows them all, so process start, Kafka connections, catching up with the
//       registry and progress topics and joining the group are left out (printed apart). Each
//       round gives a ratio of the two; the median round's decides (its rates are the ones
//       reported as counters), since the machine's speed drifts between runs and the two
//       halves of a round see the same. Before the rounds, the same records are parsed,
//       decoded and applied to a tracker of the seed plan on one thread without Kafka: with
//       the plain consumer's read, that is the least the evaluator can cost a record, and
//       gives each round's ceiling, the most evaluator/plain could be on this machine.
//   (b) with the evaluator live, a WatchProgress stream of the seed plan is open while
//       metrics-ingest gets one submission a SubmitBatch call, a call started every
//       millisecond on a fixed schedule (1,000 submissions/s, open loop: a late answer does
//       not delay the next call), for kWarmUp (not counted) and then kSteady. Each is dept-st's
//       total for 2024-Q4, the period that gives T7 its current value, with a numerator one
//       more than the last, so each one changes T7's progress. A submission's latency runs
//       from the start of its call to the arrival of the first T7 update that reaches its
//       offset on tiendo.submissions.v1 (the offset ingest answered with; an update's cause
//       names the submissions it applied, the first 100 by position and the rest as a count):
//       the evaluator applies the partition in order and publishes one update per batch for
//       all the batch's submissions, so that update is the first that reflects it. Through
//       ingest rather than straight onto the topic because that is the path a department
//       system's submission takes to a dashboard; ingest's own answer time is printed beside
//       it.
// Prints the figures, the goals and whether each is met, and the CPU used: by the plain
// consumer, by the evaluator (in all and by thread) and by the broker.
//
//   build/release/bench/evaluator_bench
#include <benchmark/benchmark.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/bench_suite.h"
#include "bench/cpu_usage.h"
#include "bench/rounds.h"
#include "bench/seed_submissions.h"
#include "bench/service_metric.h"
#include "services/common/core/progress_tracker.h"
#include "services/common/kafka/consumer.h"
#include "services/common/kafka/producer.h"
#include "services/common/kafka/topics.h"
#include "services/target-evaluator/submission_batch.h"
#include "tests/support/seed_sample.h"
#include "tiendo/evaluator/v1/evaluator.grpc.pb.h"
#include "tiendo/ingest/v1/ingest.grpc.pb.h"

namespace tiendo {
namespace {

namespace ev1 = evaluator::v1;
namespace iv1 = ingest::v1;

constexpr int kReplayed = 1000000;
constexpr char kReplayedIds[] = "evaluator-bench:replayed";  // their ids' prefix
constexpr int kRounds = 5;
constexpr int kWarmUpReads = 2;
constexpr absl::Duration kMetricPoll = absl::Milliseconds(10);
constexpr char kRecordsMetric[] = "tiendo_evaluator_submission_records_total";
constexpr double kRateGoal = 0.5;

constexpr char kPlan[] = "brvt-63-kh-ubnd";
// T7, the seed plan's target on bench::kIndicator.
constexpr char kTarget[] = "brvt-63-kh-ubnd.t7";
constexpr int kPerSecond = 1000;
constexpr absl::Duration kWarmUp = absl::Seconds(3);
constexpr absl::Duration kSteady = absl::Seconds(15);
constexpr double kP50GoalMs = 10;
constexpr double kP99GoalMs = 50;

constexpr absl::Duration kPhaseTimeout = absl::Minutes(5);

const char* Verdict(bool met) { return met ? "met" : "NOT met"; }

// Writes `events` (of the items ItemId(kReplayedIds, i)) to tiendo.submissions.v1 as ingest
// would and waits until Kafka has them all; the seconds it took.
absl::StatusOr<double> WriteEvents(const kafka::KafkaOptions& options,
                                   const std::vector<std::string>& events) {
  return bench::WriteSubmissionRecords(
      options, events.size(), [&events](size_t i, kafka::OutgoingRecord& record) {
        record.value = events[i];
      });
}

struct PlainRead {
  double total_seconds = 0;    // from assignment to the last record
  double reading_seconds = 0;  // from the first record in hand to the last
  // In that last window: this process's (the consumer: librdkafka's threads and the reading
  // loop) and the broker's.
  double consumer_cpu_seconds = 0;
  double broker_cpu_seconds = 0;
};

// Reads `count` records of tiendo.submissions.v1 from offset 0 with a standalone consumer;
// `broker` is the broker's process.
absl::StatusOr<PlainRead> ReadPlain(const kafka::KafkaOptions& options, int count,
                                    pid_t broker) {
  absl::StatusOr<std::unique_ptr<kafka::Consumer>> consumer =
      kafka::Consumer::Create(options, "evaluator-bench-reader", "");
  if (!consumer.ok()) return consumer.status();
  (*consumer)->IgnoreHeaders();  // as the evaluator's submission reader
  const absl::Time start = absl::Now();
  if (absl::Status assigned = (*consumer)->AssignFromBeginning(
          kafka::TopicName(options, kafka::Topic::kSubmissions), absl::Seconds(10));
      !assigned.ok()) {
    return assigned;
  }
  absl::Time first;
  double first_own_cpu = 0;
  double first_broker_cpu = 0;
  kafka::RecordBatch batch;  // read as the evaluator's reader reads, batch after batch
  for (int read = 0; read < count;) {
    if (absl::Status polled = (*consumer)->PollBatch(batch, 1000, absl::Seconds(10));
        !polled.ok()) {
      return polled;
    }
    if (batch.empty()) {
      return absl::DeadlineExceededError(absl::StrCat("only ", read, " of ", count, " read"));
    }
    if (read == 0) {
      first = absl::Now();
      first_own_cpu = bench::OwnCpuSeconds();
      first_broker_cpu = bench::ProcessCpuSeconds(broker);
    }
    read += static_cast<int>(batch.size());
  }
  const absl::Time last = absl::Now();
  return PlainRead{absl::ToDoubleSeconds(last - start), absl::ToDoubleSeconds(last - first),
                   bench::OwnCpuSeconds() - first_own_cpu,
                   bench::ProcessCpuSeconds(broker) - first_broker_cpu};
}

// CPU seconds a record costs in the two steps the evaluator cannot do without.
struct ParseAndApply {
  double parse = 0;
  double apply = 0;  // decoding included
  double total() const { return parse + apply; }
};

// The two steps on one thread and without Kafka: parsing each record (SubmissionBatch, 1,000
// records at a time, as the reader does) and decoding and applying it to a tracker of the
// seed plan (core::ProgressTracker, as the applier does; testing::LoadSeedRegistry). The
// records are filled in untimed, as a consumer hands them over.
absl::StatusOr<ParseAndApply> ParseAndApplyCpuPerRecord(const std::vector<std::string>& events) {
  core::ProgressTracker tracker;
  if (absl::Status loaded = testing::LoadSeedRegistry(tracker); !loaded.ok()) return loaded;
  constexpr size_t kBatch = 1000;
  std::vector<kafka::ConsumedRecord> records(kBatch);
  evaluator::SubmissionBatch batch;
  std::vector<core::CellSubmission> decoded;
  ParseAndApply seconds;
  size_t applied = 0;
  for (size_t first = 0; first < events.size(); first += kBatch) {
    const size_t count = std::min(kBatch, events.size() - first);
    for (size_t i = 0; i < count; ++i) {
      records[i].position.partition = 0;
      records[i].position.offset = static_cast<int64_t>(first + i);
      records[i].value = events[first + i];
    }
    const double start = bench::ThisThreadCpuSeconds();
    batch.Parse(absl::MakeConstSpan(records.data(), count));
    const double parsed = bench::ThisThreadCpuSeconds();
    seconds.parse += parsed - start;
    decoded.clear();
    for (const evaluator::SubmissionBatch::Entry& entry : batch.entries()) {
      if (!entry.parsed) continue;
      const core::SubmissionFields& submission = entry.event.submission;
      absl::StatusOr<core::CellSubmission> cell =
          tracker.Decode(submission, submission.reporting_unit_id, entry.position.offset);
      if (cell.ok()) decoded.push_back(*cell);
    }
    tracker.ApplyAll(decoded, [&](size_t, const core::ProgressTracker::Applied&) { ++applied; });
    seconds.apply += bench::ThisThreadCpuSeconds() - parsed;
  }
  if (applied != events.size()) {
    return absl::InternalError(
        absl::StrCat("only ", applied, " of ", events.size(), " records decoded"));
  }
  const double records_count = static_cast<double>(events.size());
  return ParseAndApply{seconds.parse / records_count, seconds.apply / records_count};
}

struct EvaluatorReplay {
  double to_first_seconds = 0;  // process start to the first reading with records applied
  double first_count = 0;       // records applied at that reading
  double seconds = 0;           // from that reading to the first that shows them all
  // In that window: the evaluator's CPU, in all and by thread name; the broker's; the share
  // of the machine's CPUs busy.
  double cpu_seconds = 0;
  std::map<std::string, double> thread_cpu_seconds;
  double broker_cpu_seconds = 0;
  double machine_busy = 0;
};

// Follows the evaluator started at `started` through its records metric until it has
// applied `count` records; `broker` is the broker's process.
absl::StatusOr<EvaluatorReplay> FollowReplay(const testing::ServiceUnderTest& evaluator,
                                             absl::Time started, int count, pid_t broker) {
  const pid_t pid = evaluator.process->pid();
  EvaluatorReplay replay;
  absl::Time first;
  double first_cpu = 0;
  double first_broker_cpu = 0;
  std::map<std::string, double> first_threads;
  bench::MachineCpu first_machine;
  for (double applied = 0; applied < count;) {
    if (!evaluator.process->running() || absl::Now() - started > kPhaseTimeout) {
      return absl::DeadlineExceededError(absl::StrCat(
          "the evaluator applied ", applied, " of ", count, " records; see ",
          evaluator.process->log_path()));
    }
    absl::SleepFor(kMetricPoll);
    applied = bench::Metric(evaluator, kRecordsMetric);
    if (applied > 0 && replay.first_count == 0) {
      first = absl::Now();
      first_cpu = bench::ProcessCpuSeconds(pid);
      first_threads = bench::ThreadCpuSeconds(pid);
      first_broker_cpu = bench::ProcessCpuSeconds(broker);
      first_machine = bench::MachineCpuNow();
      replay.to_first_seconds = absl::ToDoubleSeconds(first - started);
      replay.first_count = applied;
    }
  }
  replay.seconds = absl::ToDoubleSeconds(absl::Now() - first);
  replay.cpu_seconds = bench::ProcessCpuSeconds(pid) - first_cpu;
  replay.broker_cpu_seconds = bench::ProcessCpuSeconds(broker) - first_broker_cpu;
  replay.machine_busy = bench::BusyShareSince(first_machine);
  replay.thread_cpu_seconds = bench::ThreadCpuSince(pid, first_threads);
  if (replay.first_count >= count) {
    return absl::FailedPreconditionError(
        "every record was applied before the metric was first read: nothing to time");
  }
  return replay;
}

// One round of (a): the plain consumer's read, then a fresh evaluator's replay.
struct Round {
  PlainRead plain;
  EvaluatorReplay replay;

  double plain_rate() const { return (kReplayed - 1) / plain.reading_seconds; }
  double applied() const { return kReplayed - replay.first_count; }
  double evaluator_rate() const { return applied() / replay.seconds; }
  double ratio() const { return evaluator_rate() / plain_rate(); }
  // Reading a record as the plain consumer does: its CPU and the broker's.
  double plain_cpu_per_record() const {
    return (plain.consumer_cpu_seconds + plain.broker_cpu_seconds) / kReplayed;
  }
  // The most evaluator/plain could be on `cpus` CPUs if the evaluator cost no more than the
  // plain consumer's read plus `least` (ParseAndApplyCpuPerRecord), and the reader (which
  // parses) and the applier (which applies) each had a CPU of their own.
  double ratio_ceiling(const ParseAndApply& least, unsigned cpus) const {
    const double by_threads = 1 / std::max(least.parse, least.apply) / plain_rate();
    return std::min(
        bench::CpuCeiling(cpus, plain_cpu_per_record(), least.total(), plain_rate()),
        by_threads);
  }
};

void PrintRound(int number, const Round& round) {
  const PlainRead& plain = round.plain;
  const EvaluatorReplay& replay = round.replay;
  std::printf(
      "    round %d: plain kafka::Consumer from offset 0: first to last record in hand %.3f s "
      "= %.0f records/s (%.3f s from assignment); consumer %.2f CPU-s = %.2f us a record, "
      "broker %.2f CPU-s\n"
      "      target-evaluator started fresh: first records applied %.2f s after its start "
      "(%.0f of them); the remaining %.0f applied in %.3f s = %.0f records/s (%s read every "
      "%.0f ms); evaluator %.2f CPU-s = %.2f us a record, broker %.2f CPU-s, machine %.0f%% "
      "busy\n"
      "      evaluator threads, CPU-s (us a record): %s\n"
      "      evaluator/plain = %.2f\n",
      number, plain.reading_seconds, round.plain_rate(), plain.total_seconds,
      plain.consumer_cpu_seconds, plain.consumer_cpu_seconds * 1e6 / kReplayed,
      plain.broker_cpu_seconds, replay.to_first_seconds, replay.first_count, round.applied(),
      replay.seconds, round.evaluator_rate(), kRecordsMetric,
      absl::ToDoubleMilliseconds(kMetricPoll), replay.cpu_seconds,
      replay.cpu_seconds * 1e6 / round.applied(), replay.broker_cpu_seconds,
      replay.machine_busy * 100,
      bench::DescribeThreadCpu(replay.thread_cpu_seconds, round.applied(), "record").c_str(),
      round.ratio());
}

// One update of the watched target, as it arrived.
struct TargetUpdate {
  absl::Time arrived;
  // An offset on tiendo.submissions.v1 up to which it reflects the partition: its cause lists
  // the first 100 submissions it applied and counts the others, each at a higher offset, so
  // the highest listed plus the count is at most the last one it applied (exactly that while
  // every record is one that changed the target), and never below an earlier update's, as
  // the partition is applied in order.
  int64_t reach = -1;
  bool causes_omitted = false;
  int64_t skipped_versions = 0;
};

// A WatchProgress stream of the seed plan, read on a thread of its own; keeps kTarget's
// updates in arrival order and the submission ids their causes name.
class TargetWatch {
 public:
  explicit TargetWatch(const std::string& address)
      : stub_(ev1::TargetEvaluator::NewStub(
            grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))) {
    context_.set_deadline(absl::ToChronoTime(absl::Now() + kPhaseTimeout));
    ev1::WatchProgressRequest request;
    request.set_plan_id(kPlan);
    reader_ = stub_->WatchProgress(&context_, request);
    thread_ = std::thread([this] { Read(); });
  }
  ~TargetWatch() {
    context_.TryCancel();
    thread_.join();
  }

  // Waits until the initial state is complete and the target has progress (published once
  // its partition went live).
  bool AwaitLive(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto live = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return ended_ || (initial_complete_ && target_seen_);
    };
    return mu_.AwaitWithTimeout(absl::Condition(&live), timeout) && !ended_;
  }
  // Waits until an update reaches `offset`.
  bool AwaitOffset(int64_t offset, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto reached = [this, offset]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return ended_ || (!updates_.empty() && updates_.back().reach >= offset);
    };
    return mu_.AwaitWithTimeout(absl::Condition(&reached), timeout) && !ended_;
  }
  std::vector<TargetUpdate> updates() const {
    absl::MutexLock lock(&mu_);
    return updates_;
  }
  bool Named(const std::string& submission_id) const {
    absl::MutexLock lock(&mu_);
    return named_.contains(submission_id);
  }

 private:
  void Read() {
    ev1::WatchProgressResponse response;
    while (reader_->Read(&response)) {
      const absl::Time arrived = absl::Now();
      absl::MutexLock lock(&mu_);
      if (response.has_initial_state_complete()) initial_complete_ = true;
      if (!response.has_update() || response.update().progress().target_id() != kTarget) {
        continue;
      }
      target_seen_ = true;
      const ev1::ProgressCause& cause = response.update().progress().cause();
      TargetUpdate update{arrived, updates_.empty() ? -1 : updates_.back().reach,
                          cause.omitted_count() > 0, response.update().skipped_versions()};
      int64_t listed = -1;
      for (const ev1::SubmissionRef& ref : cause.submissions()) {
        listed = std::max(listed, ref.position().offset());
        named_.insert(ref.submission_id());
      }
      if (listed >= 0) update.reach = std::max(update.reach, listed + cause.omitted_count());
      updates_.push_back(update);
    }
    (void)reader_->Finish();
    absl::MutexLock lock(&mu_);
    ended_ = true;
  }

  std::unique_ptr<ev1::TargetEvaluator::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<ev1::WatchProgressResponse>> reader_;
  std::thread thread_;

  mutable absl::Mutex mu_;
  bool initial_complete_ ABSL_GUARDED_BY(mu_) = false;
  bool target_seen_ ABSL_GUARDED_BY(mu_) = false;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<TargetUpdate> updates_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<std::string> named_ ABSL_GUARDED_BY(mu_);
};

// One SubmitBatch call of the steady stream.
struct Call {
  std::unique_ptr<grpc::ClientContext> context;
  iv1::SubmitBatchRequest request;
  iv1::SubmitBatchResponse response;
  grpc::Status status;
  absl::Time sent;
  absl::Time answered;
};

// Submission `i` of the steady stream: dept-st's 2024-Q4 total, the numerator one more each
// time, so that each changes T7's value and no batch of them leaves it where it was.
iv1::Submission SteadyItem(int i) {
  iv1::Submission item = bench::Item("evaluator-bench:steady", i, bench::Periods());
  item.set_period("2024-Q4");
  item.clear_disaggregation();
  item.mutable_ratio()->set_numerator(1 + i);
  item.mutable_ratio()->set_denominator(100000);
  return item;
}

// Starts call i at start + i / kPerSecond whatever the answers to earlier ones, and waits
// for every answer.
void SendSteadily(bench::BenchSuite& suite, std::vector<Call>& calls) {
  absl::BlockingCounter answers(static_cast<int>(calls.size()));
  const absl::Duration interval = absl::Seconds(1) / kPerSecond;
  const absl::Time start = absl::Now();
  for (size_t i = 0; i < calls.size(); ++i) {
    const absl::Duration wait = start + interval * static_cast<double>(i) - absl::Now();
    if (wait > absl::ZeroDuration()) absl::SleepFor(wait);
    Call& call = calls[i];
    call.context = suite.CallContext(suite.token().bearer_token());
    call.sent = absl::Now();
    suite.ingest().async()->SubmitBatch(call.context.get(), &call.request, &call.response,
                                        [&call, &answers](grpc::Status status) {
                                          call.answered = absl::Now();
                                          call.status = std::move(status);
                                          answers.DecrementCount();
                                        });
  }
  answers.Wait();
}

struct Distribution {
  size_t count = 0;
  double p50 = 0, p90 = 0, p99 = 0, max = 0;  // milliseconds
};

// Nearest-rank percentiles of `ms`.
Distribution Summarize(std::vector<double> ms) {
  Distribution summary;
  summary.count = ms.size();
  if (ms.empty()) return summary;
  std::sort(ms.begin(), ms.end());
  auto rank = [&ms](double q) {
    const size_t at = static_cast<size_t>(std::ceil(q * static_cast<double>(ms.size())));
    return ms[std::max<size_t>(at, 1) - 1];
  };
  summary.p50 = rank(0.50);
  summary.p90 = rank(0.90);
  summary.p99 = rank(0.99);
  summary.max = ms.back();
  return summary;
}

std::string Describe(const Distribution& d) {
  return absl::StrFormat("p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (%d submissions)",
                         d.p50, d.p90, d.p99, d.max, d.count);
}

void BM_EvaluatorThroughputAndLatency(benchmark::State& state) {
  absl::StatusOr<std::unique_ptr<bench::BenchSuite>> suite =
      bench::BenchSuite::Start("evaluator", TIENDO_REGISTRY_BINARY, TIENDO_INGEST_BINARY);
  if (!suite.ok()) {
    state.SkipWithError(suite.status().ToString().c_str());
    return;
  }
  const kafka::KafkaOptions options = (*suite)->kafka_options();

  // Everything built before the clocks start.
  const std::vector<std::string> periods = bench::Periods();
  std::vector<std::string> events;
  events.reserve(kReplayed);
  size_t event_bytes = 0;
  for (int i = 0; i < kReplayed; ++i) {
    events.push_back(bench::AcceptedEvent(bench::Item(kReplayedIds, i, periods),
                                          (*suite)->token().token().token_id()));
    event_bytes += events.back().size();
  }
  const int warm_up_calls = static_cast<int>(kWarmUp / absl::Seconds(1) * kPerSecond);
  std::vector<Call> calls(static_cast<size_t>((kWarmUp + kSteady) / absl::Seconds(1) *
                                              kPerSecond));
  for (size_t i = 0; i < calls.size(); ++i) {
    *calls[i].request.add_submissions() = SteadyItem(static_cast<int>(i));
  }

  // The least a record can cost the evaluator, measured first: a failure skips the rest.
  const absl::StatusOr<ParseAndApply> parse_and_apply = ParseAndApplyCpuPerRecord(events);
  if (!parse_and_apply.ok()) {
    state.SkipWithError(
        absl::StrCat("parsing and applying: ", parse_and_apply.status().ToString()).c_str());
    return;
  }
  const unsigned cpus = bench::UsableCpus();

  for (auto _ : state) {
    // (a) The log, then a plain consumer reading it, then the evaluator applying it.
    absl::StatusOr<double> written = WriteEvents(options, events);
    if (!written.ok()) {
      state.SkipWithError(absl::StrCat("writing: ", written.status().ToString()).c_str());
      return;
    }
    const pid_t broker = (*suite)->broker_pid();
    for (int warm_up = 0; warm_up < kWarmUpReads; ++warm_up) {
      if (absl::StatusOr<PlainRead> warm = ReadPlain(options, kReplayed, broker); !warm.ok()) {
        state.SkipWithError(absl::StrCat("plain consumer: ", warm.status().ToString()).c_str());
        return;
      }
    }
    std::vector<Round> rounds;
    std::optional<testing::ServiceUnderTest> evaluator;  // the last round's stays for (b)
    for (int r = 1; r <= kRounds; ++r) {
      if (evaluator.has_value()) {  // the last round's, gone before this round starts
        evaluator->process->Signal(SIGTERM);
        if (!evaluator->process->WaitForExit(absl::Seconds(30)).has_value()) {
          (*suite)->Fail(state, absl::StrCat("the evaluator of round ", r - 1,
                                             " did not stop within 30 s of SIGTERM; see ",
                                             evaluator->process->log_path()));
          return;
        }
        evaluator.reset();
      }
      absl::StatusOr<PlainRead> plain = ReadPlain(options, kReplayed, broker);
      if (!plain.ok()) {
        state.SkipWithError(absl::StrCat("plain consumer: ", plain.status().ToString()).c_str());
        return;
      }
      const absl::Time started = absl::Now();
      absl::StatusOr<testing::ServiceUnderTest> fresh = (*suite)->StartService(
          TIENDO_EVALUATOR_BINARY, absl::StrCat("tiendo-target-evaluator-", r),
          {absl::StrCat("--group-id=", options.topic_prefix, "evaluator-bench-round-", r)});
      if (!fresh.ok()) {
        (*suite)->Fail(state, absl::StrCat("evaluator: ", fresh.status().ToString()));
        return;
      }
      evaluator = *std::move(fresh);
      absl::StatusOr<EvaluatorReplay> replay =
          FollowReplay(*evaluator, started, kReplayed, broker);
      if (!replay.ok()) {
        (*suite)->Fail(state, absl::StrCat("evaluator: ", replay.status().ToString()));
        return;
      }
      rounds.push_back({*plain, *replay});
    }
    const Round& median = bench::MedianRound(rounds);

    // (b) Submissions through ingest at a steady rate, watched.
    TargetWatch watch(evaluator->address());
    if (!watch.AwaitLive(absl::Minutes(1))) {
      state.SkipWithError("the evaluator's watch never showed T7 live");
      return;
    }
    const pid_t pid = evaluator->process->pid();
    const double cpu_before = bench::ProcessCpuSeconds(pid);
    const bench::MachineCpu machine_before = bench::MachineCpuNow();
    SendSteadily(**suite, calls);
    std::vector<int64_t> offsets;
    for (const Call& call : calls) {
      if (call.status.ok() && call.response.accepted_count() == 1) {
        offsets.push_back(call.response.results(0).position().offset());
      }
    }
    const size_t not_accepted = calls.size() - offsets.size();
    const bool all_seen =
        !offsets.empty() &&
        watch.AwaitOffset(*std::max_element(offsets.begin(), offsets.end()), absl::Seconds(30));
    const double steady_cpu = bench::ProcessCpuSeconds(pid) - cpu_before;
    const double steady_busy = bench::BusyShareSince(machine_before);

    // Each submission: until the first update that reaches its offset.
    const std::vector<TargetUpdate> updates = watch.updates();
    std::vector<double> watched_warm_up, watched, answered;
    int named = 0, unreflected = 0;
    for (size_t i = 0; i < calls.size(); ++i) {
      const Call& call = calls[i];
      if (!call.status.ok() || call.response.accepted_count() != 1) continue;
      const int64_t offset = call.response.results(0).position().offset();
      auto update = std::lower_bound(
          updates.begin(), updates.end(), offset,
          [](const TargetUpdate& u, int64_t at) { return u.reach < at; });
      if (update == updates.end()) {
        ++unreflected;
        continue;
      }
      const double ms = absl::ToDoubleMilliseconds(update->arrived - call.sent);
      if (static_cast<int>(i) < warm_up_calls) {
        watched_warm_up.push_back(ms);
        continue;
      }
      watched.push_back(ms);
      answered.push_back(absl::ToDoubleMilliseconds(call.answered - call.sent));
      if (watch.Named(call.request.submissions(0).submission_id())) ++named;
    }
    int omitting = 0;
    int64_t skipped = 0;
    for (const TargetUpdate& update : updates) {
      omitting += update.causes_omitted ? 1 : 0;
      skipped += update.skipped_versions;
    }
    const Distribution latency = Summarize(watched);
    const bool latency_met = latency.p50 <= kP50GoalMs && latency.p99 <= kP99GoalMs;

    state.SetIterationTime(median.replay.seconds);
    state.counters["plain_records_per_s"] = median.plain_rate();
    state.counters["evaluator_records_per_s"] = median.evaluator_rate();
    state.counters["evaluator_to_plain"] = median.ratio();
    state.counters["evaluator_to_plain_ceiling"] = median.ratio_ceiling(*parse_and_apply, cpus);
    state.counters["watch_p50_ms"] = latency.p50;
    state.counters["watch_p99_ms"] = latency.p99;
    std::printf(
        "(a) %d AcceptedSubmission events of %.0f bytes written straight to "
        "tiendo.submissions.v1 by a plain producer in %.2f s; read %d times by a plain "
        "consumer to warm the broker; then %d rounds:\n",
        kReplayed, static_cast<double>(event_bytes) / kReplayed, *written, kWarmUpReads,
        kRounds);
    for (size_t r = 0; r < rounds.size(); ++r) {
      PrintRound(static_cast<int>(r) + 1, rounds[r]);
    }
    const std::string ceilings = bench::CeilingsByRound(
        rounds, [&](const Round& round) { return round.ratio_ceiling(*parse_and_apply, cpus); },
        [](const Round& round) { return round.plain_cpu_per_record(); }, "a record");
    std::printf(
        "    ceiling of evaluator/plain on these %u CPUs, if the evaluator cost no more than "
        "the plain consumer's read (in it and in the broker) and parsing, decoding and "
        "applying each record (%.2f CPU-us a record on one thread, without Kafka: parsing "
        "%.2f, decoding and applying %.2f), its reader and applier a CPU each at most: %s\n",
        cpus, parse_and_apply->total() * 1e6, parse_and_apply->parse * 1e6,
        parse_and_apply->apply * 1e6, ceilings.c_str());
    std::printf("    evaluator/plain by round: %s; median %.2f (goal: >= %.1f, %s)\n",
                bench::RatiosByRound(rounds).c_str(), median.ratio(), kRateGoal,
                Verdict(median.ratio() >= kRateGoal));
    std::printf(
        "(b) %zu submissions through metrics-ingest, one a call, %d calls/s on a fixed "
        "schedule: %zu not accepted, %d accepted never reflected on the watch; T7 watched on "
        "WatchProgress of the plan: %zu updates (%d with causes omitted, %lld versions "
        "skipped)%s\n"
        "    first %.0f s (warm-up, not counted): %s\n"
        "    submission-to-watch over the next %.0f s: %s; %d of them named in an update's "
        "cause\n"
        "    send-to-ACCEPTED (ingest's answer) of the same: %s\n"
        "    goal: p50 <= %.0f ms and p99 <= %.0f ms, %s; evaluator %.2f CPU-s (%.1f us a "
        "submission); machine %.0f%% busy\n",
        calls.size(), kPerSecond, not_accepted, unreflected, updates.size(), omitting,
        static_cast<long long>(skipped),
        all_seen ? "" : "; the last submission never showed on the watch",
        absl::ToDoubleSeconds(kWarmUp), Describe(Summarize(watched_warm_up)).c_str(),
        absl::ToDoubleSeconds(kSteady), Describe(latency).c_str(), named,
        Describe(Summarize(answered)).c_str(), kP50GoalMs, kP99GoalMs, Verdict(latency_met),
        steady_cpu, steady_cpu * 1e6 / static_cast<double>(calls.size()), steady_busy * 100);
  }
}
BENCHMARK(BM_EvaluatorThroughputAndLatency)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace tiendo

BENCHMARK_MAIN();
