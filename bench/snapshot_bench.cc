// Restarting the evaluator from a snapshot (issue 6, benchmark c: restart-to-serving time with
// 1,000,000 cells in state, goal <= 2 s and not growing with the length of the log). Builds a
// tracker holding the seed plan (plans/brvt-63-kh-ubnd.yaml) and 1,000,000 reported cells —
// every indicator, period and district the plan allows a reporting unit, for as many synthetic
// reporting units as that takes — once from a log of 1,000,000 submissions and once from a log
// of 3,000,000 (each cell corrected twice). For each it times the replay of the log from the
// start (decode and apply, what a restart without a snapshot costs at the least), writing the
// snapshot (atomic and durable, under $TMPDIR) and loading it back into a tracker ready to
// serve, from the page cache and with the file evicted from it first. Prints the figures, the
// file sizes and whether the goal is met.
//
//   build/release/bench/snapshot_bench [--benchmark_counters_tabular=true]
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "benchmark/benchmark.h"
#include "services/common/core/administrative_units.h"
#include "services/common/core/period.h"
#include "services/common/core/progress_report.h"
#include "services/common/core/progress_tracker.h"
#include "services/common/core/tracker_snapshot.h"
#include "services/common/files/durable_file.h"
#include "services/common/planfile/plan_file_loader.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/source_file.h"

namespace tiendo {
namespace {

constexpr size_t kCells = 1'000'000;
constexpr double kGoalSeconds = 2.0;
constexpr absl::CivilDay kAsOf(2026, 6, 30);

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

// A tracker holding the seed plan.
std::unique_ptr<core::ProgressTracker> SeedPlanTracker(const registry::v1::PlanFile& plan_file) {
  auto tracker = std::make_unique<core::ProgressTracker>();
  for (registry::v1::AdministrativeUnit unit : plan_file.administrative_units()) {
    unit.set_version(1);
    (void)tracker->UpsertAdministrativeUnit(unit);
  }
  for (registry::v1::Indicator indicator : plan_file.plan().indicators()) {
    indicator.set_version(1);
    (void)tracker->UpsertIndicator(indicator);
  }
  for (registry::v1::Target target : plan_file.plan().targets()) {
    target.set_version(1);
    target.set_plan_id(plan_file.plan().id());
    (void)tracker->UpsertTarget(target);
  }
  return tracker;
}

// A tracker with kCells cells as a log of `submissions` made it, and its snapshot's figures.
struct World {
  std::unique_ptr<core::ProgressTracker> tracker;
  size_t submissions = 0;
  double replay_seconds = 0;
  std::string path;  // its snapshot
  uintmax_t snapshot_bytes = 0;
  double write_seconds = 0;
  double load_seconds = 0;
  double cold_load_seconds = 0;
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

const std::string& Directory() {
  static const std::string* directory = new std::string(testing::MakeTempDir("snapshot-bench"));
  return *directory;
}

// The worlds built so far, by submissions per cell.
std::map<int, World>& Worlds() {
  static std::map<int, World>* worlds = new std::map<int, World>();
  return *worlds;
}

// Builds the world of `passes` submissions per cell by replaying its log: every cell once,
// then every cell again for each correction.
World& TheWorld(int passes) {
  World& world = Worlds()[passes];
  if (world.tracker != nullptr) return world;
  planfile::LoadedPlanFile loaded =
      planfile::LoadPlanFile(testing::ReadSourceFile("plans/brvt-63-kh-ubnd.yaml"));
  const registry::v1::PlanFile& plan_file = *loaded.plan_file;
  const std::vector<CellShape> shapes = AllowedCells(plan_file);
  const size_t units = (kCells + shapes.size() - 1) / shapes.size();
  world.tracker = SeedPlanTracker(plan_file);
  world.path = absl::StrCat(Directory(), "/tracker-", passes, ".snapshot");

  const auto start = std::chrono::steady_clock::now();
  ingest::v1::Submission submission;
  int64_t sequence = 0;
  for (int pass = 0; pass < passes; ++pass) {
    size_t cells = 0;
    for (size_t unit = 0; unit < units && cells < kCells; ++unit) {
      const std::string unit_id = absl::StrFormat("district-office-%04d", unit);
      for (size_t s = 0; s < shapes.size() && cells < kCells; ++s, ++cells) {
        const CellShape& shape = shapes[s];
        submission.set_indicator_id(shape.indicator_id);
        submission.set_period(shape.period);
        submission.mutable_disaggregation()->clear();
        if (!shape.district.empty()) {
          (*submission.mutable_disaggregation())["district"] = shape.district;
        }
        submission.set_submission_id(absl::StrCat("bench-", sequence));
        submission.mutable_ratio()->set_numerator(static_cast<double>((cells + pass) % 90));
        submission.mutable_ratio()->set_denominator(100);
        absl::StatusOr<core::CellSubmission> decoded =
            world.tracker->Decode(submission, unit_id, sequence++);
        world.tracker->Apply(*decoded);
      }
    }
  }
  world.replay_seconds = SecondsSince(start);
  world.submissions = static_cast<size_t>(sequence);
  return world;
}

// Every target's progress at kAsOf, as text: what a served tracker shows.
std::string Progress(const core::ProgressTracker& tracker, const registry::v1::PlanFile& plan) {
  std::string out;
  for (const registry::v1::Target& target : plan.plan().targets()) {
    absl::StrAppend(&out, core::DescribeProgress(tracker, *tracker.FindTarget(target.id()), kAsOf)
                              .DebugString());
  }
  return out;
}

// Reads the snapshot at `path` back.
absl::StatusOr<core::TrackerSnapshot> ReadSnapshot(const std::string& path) {
  absl::StatusOr<std::string> bytes = files::ReadWholeFile(path);
  if (!bytes.ok()) return bytes.status();
  return core::DecodeTrackerSnapshot(*bytes, path);
}

// Writes the world's snapshot; OK or why not.
absl::Status WriteSnapshot(World& world) {
  const auto start = std::chrono::steady_clock::now();
  const absl::Status written = files::WriteFileDurably(
      world.path,
      core::EncodeTrackerSnapshot(
          *world.tracker,
          {{"tiendo.submissions.v1", {{0, static_cast<int64_t>(world.submissions)}}}}, ""));
  world.write_seconds = SecondsSince(start);
  if (written.ok()) world.snapshot_bytes = std::filesystem::file_size(world.path);
  return written;
}

void BM_WriteSnapshot(benchmark::State& state) {
  World& world = TheWorld(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    if (const absl::Status written = WriteSnapshot(world); !written.ok()) {
      state.SkipWithError(written.ToString().c_str());
      return;
    }
  }
  state.counters["cells"] = static_cast<double>(world.tracker->cells().size());
  state.counters["submissions"] = static_cast<double>(world.submissions);
  state.counters["file_MB"] = static_cast<double>(world.snapshot_bytes) / 1e6;
}

// Loads the world's snapshot; with range(1) set, after evicting the file from the page cache,
// as a restart on another machine would find it.
void BM_LoadSnapshot(benchmark::State& state) {
  World& world = TheWorld(static_cast<int>(state.range(0)));
  const bool cold = state.range(1) != 0;
  if (world.snapshot_bytes == 0) {
    if (const absl::Status written = WriteSnapshot(world); !written.ok()) {
      state.SkipWithError(written.ToString().c_str());
      return;
    }
  }
  for (auto _ : state) {
    if (cold) {
      const int fd = ::open(world.path.c_str(), O_RDONLY | O_CLOEXEC);
      ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
      ::close(fd);
    }
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<core::TrackerSnapshot> loaded = ReadSnapshot(world.path);
    (cold ? world.cold_load_seconds : world.load_seconds) = SecondsSince(start);
    if (!loaded.ok()) {
      state.SkipWithError(loaded.status().ToString().c_str());
      return;
    }
    state.PauseTiming();
    if (loaded->tracker->cells().size() != world.tracker->cells().size()) {
      state.SkipWithError("the loaded tracker holds other cells");
    }
    loaded->tracker.reset();  // freeing the state is not part of a restart
    state.ResumeTiming();
  }
}

BENCHMARK(BM_WriteSnapshot)->Arg(1)->Arg(3)->Iterations(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadSnapshot)
    ->Args({1, 0})
    ->Args({1, 1})
    ->Args({3, 0})
    ->Args({3, 1})
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tiendo

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  const tiendo::registry::v1::PlanFile plan_file =
      *tiendo::planfile::LoadPlanFile(
           tiendo::testing::ReadSourceFile("plans/brvt-63-kh-ubnd.yaml"))
           .plan_file;
  bool met = !tiendo::Worlds().empty();
  for (const auto& [submissions_per_cell, world] : tiendo::Worlds()) {
    absl::StatusOr<tiendo::core::TrackerSnapshot> loaded =
        tiendo::ReadSnapshot(world.path);
    const bool same = loaded.ok() && tiendo::Progress(*loaded->tracker, plan_file) ==
                                         tiendo::Progress(*world.tracker, plan_file);
    std::printf(
        "%zu cells from %zu submissions: replay %.2f s; snapshot %.1f MB written in %.2f s; "
        "loaded in %.2f s (page cache), %.2f s (evicted)%s\n",
        world.tracker->cells().size(), world.submissions, world.replay_seconds,
        static_cast<double>(world.snapshot_bytes) / 1e6, world.write_seconds, world.load_seconds,
        world.cold_load_seconds, same ? "" : "; PROGRESS DIFFERS after loading");
    met = met && same && world.load_seconds > 0 && world.cold_load_seconds > 0 &&
          std::max(world.load_seconds, world.cold_load_seconds) <= tiendo::kGoalSeconds;
  }
  std::printf("goal: load <= %.0f s with 1,000,000 cells, whatever the log's length: %s\n",
              tiendo::kGoalSeconds, met ? "met" : "NOT met (or not measured)");
  std::filesystem::remove_all(tiendo::Directory());
  benchmark::Shutdown();
  return 0;
}
