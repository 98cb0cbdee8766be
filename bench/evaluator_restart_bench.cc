// Issue 6's benchmark (c): the target evaluator's restart-to-serving time with 1,000,000
// cells in its state, goal <= 2 s and not growing with the length of the log. Starts its own
// Kafka broker, the registry with the seed plan and metrics-ingest (bench/bench_suite.h);
// writes AcceptedSubmission events for 1,000,000 cells straight to tiendo.submissions.v1 (every
// indicator, period and district the seed plan allows a reporting unit, for as many synthetic
// reporting units as that takes), keyed by indicator as ingest writes them. Then:
//   1. an evaluator with a state directory applies them all and is stopped (SIGTERM: it
//      writes its snapshot), and is started again: the time from starting the process to
//      every partition live (tiendo_evaluator_partitions_live) is the restart time over a log
//      of 1,000,000 records;
//   2. each cell is corrected twice (2,000,000 more records), the evaluator applies them and
//      stops, and the restart is timed again, over a log of 3,000,000 records and the same
//      1,000,000 cells;
//   3. the state directory is deleted and the restart timed once more: the replay from the
//      beginning that the snapshot saves.
// Prints each restart (to SERVING, to every partition live, records read again), the
// snapshot's size and write time, and whether the goal is met.
//
//   build/release/bench/evaluator_restart_bench
#include <benchmark/benchmark.h>

#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "bench/bench_suite.h"
#include "bench/seed_submissions.h"
#include "bench/service_metric.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/core/administrative_units.h"
#include "services/common/core/period.h"
#include "services/common/kafka/topics.h"
#include "tests/support/seed_sample.h"
#include "tiendo/events/v1/submission_event.pb.h"

namespace tiendo {
namespace {

using google::protobuf::util::TimeUtil;

constexpr size_t kCells = 1'000'000;
constexpr double kGoalSeconds = 2.0;
constexpr absl::Duration kPhaseTimeout = absl::Minutes(10);
constexpr absl::Duration kPoll = absl::Milliseconds(10);
constexpr char kRecordsMetric[] = "tiendo_evaluator_submission_records_total";
constexpr char kLiveMetric[] = "tiendo_evaluator_partitions_live";

// One cell a reporting unit may fill, short of the unit.
struct CellShape {
  std::string indicator_id;
  std::string period;
  std::string district;  // "" for the undisaggregated cell
};

// The cells the plan allows one reporting unit: for each reported indicator, every period of
// an allowed granularity inside the plan's horizon, undisaggregated and for every unit of the
// dimension's administrative level valid throughout the period.
std::vector<CellShape> AllowedCells(const registry::v1::PlanFile& plan_file) {
  core::AdministrativeUnits units;
  for (const registry::v1::AdministrativeUnit& unit : plan_file.administrative_units()) {
    (void)units.Upsert(unit);
  }
  absl::CivilDay start;
  absl::CivilDay end;
  (void)absl::ParseCivilTime(plan_file.plan().horizon_start(), &start);
  (void)absl::ParseCivilTime(plan_file.plan().horizon_end(), &end);
  std::vector<CellShape> shapes;
  for (const registry::v1::Indicator& indicator : plan_file.plan().indicators()) {
    if (!indicator.has_reported()) continue;
    std::vector<std::string> districts;
    for (const registry::v1::DisaggregationDimension& dimension :
         indicator.reported().disaggregation_dimensions()) {
      for (const registry::v1::AdministrativeUnit& unit : plan_file.administrative_units()) {
        if (unit.level() == dimension.administrative_level()) districts.push_back(unit.code());
      }
    }
    for (const int granularity : indicator.reported().allowed_granularities()) {
      const core::Granularity g =
          *core::GranularityFromProto(static_cast<common::v1::PeriodGranularity>(granularity));
      const int per_year = g == core::Granularity::kMonth     ? 12
                           : g == core::Granularity::kQuarter ? 4
                           : g == core::Granularity::kHalf    ? 2
                                                              : 1;
      for (int year = static_cast<int>(start.year()); year <= end.year(); ++year) {
        for (int index = 1; index <= per_year; ++index) {
          const core::Period period = *core::Period::Of(g, year, index);
          if (period.FirstDay() < start || period.LastDay() > end) continue;
          shapes.push_back({indicator.id(), period.ToString(), ""});
          for (const std::string& district : districts) {
            if (units.ValidThroughout(district, period).ok()) {
              shapes.push_back({indicator.id(), period.ToString(), district});
            }
          }
        }
      }
    }
  }
  return shapes;
}

// Writes one event per cell (`pass` varies the figures and the ids) to the suite's
// tiendo.submissions.v1 and waits until Kafka has them all.
absl::Status WriteCells(const bench::BenchSuite& suite, const std::vector<CellShape>& shapes,
                        int pass) {
  events::v1::AcceptedSubmission event;
  event.set_token_id(suite.token().token().token_id());
  event.set_ingest_path(events::v1::INGEST_PATH_GRPC);
  ingest::v1::Submission& submission = *event.mutable_submission();
  submission.set_kind(ingest::v1::SUBMISSION_KIND_REPORT);
  submission.mutable_ratio()->set_denominator(100);
  return bench::WriteSubmissionRecords(
             suite.kafka_options(), kCells,
             [&](size_t cell, kafka::OutgoingRecord& record) {
               const CellShape& shape = shapes[cell % shapes.size()];
               submission.set_reporting_unit_id(
                   absl::StrFormat("district-office-%04d", cell / shapes.size()));
               submission.set_submission_id(absl::StrCat("restart-bench-", pass, "-", cell));
               submission.set_indicator_id(shape.indicator_id);
               submission.set_period(shape.period);
               submission.mutable_disaggregation()->clear();
               if (!shape.district.empty()) {
                 (*submission.mutable_disaggregation())["district"] = shape.district;
               }
               submission.mutable_ratio()->set_numerator(static_cast<double>((cell + pass) % 90));
               *event.mutable_accepted_at() =
                   TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
               record.key = shape.indicator_id;
               record.value = event.SerializeAsString();
             })
      .status();
}

// An evaluator of the suite's with its state directory.
class Evaluator {
 public:
  Evaluator(bench::BenchSuite& suite, std::string state_dir)
      : suite_(suite), state_dir_(std::move(state_dir)) {}

  // Starts it and waits until every partition is live; the start's figures.
  struct Start {
    double serving_seconds = 0;  // process start to SERVING
    double live_seconds = 0;     // process start to every partition live
    double records_read = 0;     // records of the log it read to get there
  };
  absl::StatusOr<Start> StartAndAwaitLive() {
    const absl::Time started = absl::Now();
    absl::StatusOr<testing::ServiceUnderTest> service = suite_.StartService(
        TIENDO_EVALUATOR_BINARY, "tiendo-target-evaluator",
        {absl::StrCat("--state-dir=", state_dir_), "--instance-id=restart-bench"});
    if (!service.ok()) return service.status();
    service_ = *std::move(service);
    Start start;
    const double partitions = static_cast<double>(suite_.kafka_options().topic_partitions);
    while (true) {
      if (!service_.process->running() || absl::Now() - started > kPhaseTimeout) {
        return absl::DeadlineExceededError(absl::StrCat(
            "the evaluator did not take every partition live; see ", service_.process->log_path()));
      }
      if (start.serving_seconds == 0) {
        absl::StatusOr<testing::ServingStatus> health = testing::HealthStatus(service_.address());
        if (health.ok() && *health == grpc::health::v1::HealthCheckResponse::SERVING) {
          start.serving_seconds = absl::ToDoubleSeconds(absl::Now() - started);
        }
      }
      if (start.serving_seconds > 0 && bench::Metric(service_, kLiveMetric) == partitions) break;
      absl::SleepFor(kPoll);
    }
    start.live_seconds = absl::ToDoubleSeconds(absl::Now() - started);
    start.records_read = bench::Metric(service_, kRecordsMetric);
    return start;
  }

  // Waits until it has read `records` records since it started.
  absl::Status AwaitRead(double records) {
    const absl::Time deadline = absl::Now() + kPhaseTimeout;
    while (bench::Metric(service_, kRecordsMetric) < records) {
      if (!service_.process->running() || absl::Now() > deadline) {
        return absl::DeadlineExceededError(absl::StrCat(
            "the evaluator did not read ", records, " records; see ",
            service_.process->log_path()));
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    return absl::OkStatus();
  }

  // SIGTERM, which writes the snapshot, and waits for the exit; the snapshot's size.
  absl::StatusOr<double> Stop() {
    service_.process->Signal(SIGTERM);
    if (service_.process->WaitForExit(kPhaseTimeout) != 0) {
      return absl::InternalError(
          absl::StrCat("the evaluator did not stop cleanly; see ", service_.process->log_path()));
    }
    return static_cast<double>(std::filesystem::file_size(
        std::filesystem::path(state_dir_) / "target-evaluator.snapshot"));
  }

 private:
  bench::BenchSuite& suite_;
  const std::string state_dir_;
  testing::ServiceUnderTest service_;
};

struct Figures {
  std::vector<std::pair<std::string, Evaluator::Start>> restarts;
  double snapshot_mb = 0;
  bool measured = false;
};

Figures& TheFigures() {
  static Figures* figures = new Figures();
  return *figures;
}

void BM_RestartToServing(benchmark::State& state) {
  absl::StatusOr<std::unique_ptr<bench::BenchSuite>> suite = bench::BenchSuite::Start(
      "evaluator-restart", TIENDO_REGISTRY_BINARY, TIENDO_INGEST_BINARY);
  if (!suite.ok()) {
    state.SkipWithError(suite.status().ToString().c_str());
    return;
  }
  const absl::StatusOr<registry::v1::PlanFile> plan_file = testing::SeedPlanFile();
  if (!plan_file.ok()) {
    state.SkipWithError(absl::StrCat("seed plan: ", plan_file.status().ToString()).c_str());
    return;
  }
  const std::vector<CellShape> shapes = AllowedCells(*plan_file);
  Evaluator evaluator(**suite, absl::StrCat((*suite)->dir(), "/evaluator-state"));
  Figures& figures = TheFigures();
  auto fail = [&state, &suite](absl::string_view step, const absl::Status& status) {
    (*suite)->Fail(state, absl::StrCat(step, ": ", status.ToString()));
  };
  // Applies `passes` more passes over the cells with a running evaluator, then stops it.
  auto apply_and_stop = [&](int first_pass, int passes) -> absl::Status {
    for (int pass = first_pass; pass < first_pass + passes; ++pass) {
      if (absl::Status written = WriteCells(**suite, shapes, pass); !written.ok()) return written;
    }
    absl::StatusOr<Evaluator::Start> started = evaluator.StartAndAwaitLive();
    if (!started.ok()) return started.status();
    if (absl::Status read = evaluator.AwaitRead(static_cast<double>(kCells) * passes);
        !read.ok()) {
      return read;
    }
    absl::StatusOr<double> stopped = evaluator.Stop();
    if (!stopped.ok()) return stopped.status();
    figures.snapshot_mb = *stopped / 1e6;
    return absl::OkStatus();
  };
  auto restart = [&](const std::string& what) -> absl::Status {
    absl::StatusOr<Evaluator::Start> started = evaluator.StartAndAwaitLive();
    if (!started.ok()) return started.status();
    figures.restarts.emplace_back(what, *started);
    return evaluator.Stop().status();
  };
  for (auto _ : state) {
    if (absl::Status done = apply_and_stop(0, 1); !done.ok()) return fail("first log", done);
    if (absl::Status done = restart("snapshot, log of 1,000,000 records"); !done.ok()) {
      return fail("restart", done);
    }
    if (absl::Status done = apply_and_stop(1, 2); !done.ok()) return fail("corrections", done);
    if (absl::Status done = restart("snapshot, log of 3,000,000 records"); !done.ok()) {
      return fail("restart", done);
    }
    std::filesystem::remove_all(absl::StrCat((*suite)->dir(), "/evaluator-state"));
    if (absl::Status done = restart("no snapshot, log of 3,000,000 records"); !done.ok()) {
      return fail("restart", done);
    }
  }
  figures.measured = true;
}
BENCHMARK(BM_RestartToServing)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace tiendo

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  const tiendo::Figures& figures = tiendo::TheFigures();
  bool met = figures.measured;
  for (const auto& [what, start] : figures.restarts) {
    std::printf("restart with 1,000,000 cells (%s): SERVING after %.2f s, every partition live "
                "after %.2f s, %.0f records read again\n",
                what.c_str(), start.serving_seconds, start.live_seconds, start.records_read);
    if (what.rfind("snapshot", 0) == 0) met = met && start.live_seconds <= tiendo::kGoalSeconds;
  }
  std::printf("snapshot: %.1f MB\n", figures.snapshot_mb);
  std::printf("goal: restart-to-serving <= %.0f s with 1,000,000 cells, whatever the log's "
              "length: %s\n",
              tiendo::kGoalSeconds, met ? "met" : "NOT met (or not measured)");
  benchmark::Shutdown();
  return 0;
}
