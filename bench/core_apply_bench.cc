// Applying submissions to a tracker that holds 1,000,000 cells, and updating
// the progress of the targets each one touches. Prints submissions/s and the
// bytes of state per cell (heap in use, measured with mallinfo2); and the time
// to encode the whole state as a snapshot, and to decode it again.
//
// Target (issue 3): >= 500,000 submissions/s on one core; <= 256 bytes/cell.
#include <malloc.h>

#include <cstdio>
#include <memory>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"
#include "services/common/core/progress_tracker.h"
#include "services/common/core/tracker_snapshot.h"

namespace tiendo::core {
namespace {

constexpr int kUnits = 50;
constexpr int kDisaggregations = 100;
constexpr int kIndicators = 2;
constexpr int kYears = 6;      // 2022..2027: 19 periods a year (year, halves, quarters, months)
constexpr int kPeriods = 100;  // the first 100 of them
const absl::CivilDay kAsOf(2026, 6, 30);

std::vector<std::string> AllPeriods() {
  std::vector<std::string> periods;
  for (int year = 2022; year < 2022 + kYears; ++year) {
    periods.push_back(absl::StrCat(year));
    for (int h = 1; h <= 2; ++h) periods.push_back(absl::StrCat(year, "-H", h));
    for (int q = 1; q <= 4; ++q) periods.push_back(absl::StrCat(year, "-Q", q));
    for (int m = 1; m <= 12; ++m) periods.push_back(absl::StrFormat("%d-%02d", year, m));
  }
  periods.resize(kPeriods);
  return periods;
}

struct World {
  std::unique_ptr<ProgressTracker> tracker;
  std::vector<CellKey> keys;
  double bytes_per_cell = 0;
};

// Builds the tracker with kUnits × kIndicators × kPeriods × kDisaggregations
// = 1,000,000 cells, each filled by one submission.
// Heap in use: small blocks plus the large ones malloc maps directly (the
// hash table's slot array is one of those).
size_t HeapInUse() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

World& TheWorld() {
  static World* world = [] {
    auto* w = new World();
    const size_t heap_before = HeapInUse();
    w->tracker = std::make_unique<ProgressTracker>();
    for (int i = 0; i < kIndicators; ++i) {
      registry::v1::Indicator indicator;
      indicator.set_id(absl::StrCat("indicator_", i));
      indicator.set_unit(registry::v1::INDICATOR_UNIT_PERCENT);
      indicator.set_version(1);
      registry::v1::ReportedSource& reported = *indicator.mutable_reported();
      reported.set_aggregation(registry::v1::AGGREGATION_RATIO_OF_SUMS);
      reported.set_time_aggregation(registry::v1::TIME_AGGREGATION_RATIO_OF_SUMS);
      // Every length the cells have: each period's owners (unit and disaggregation) also
      // roll up into the longer periods above it.
      for (const common::v1::PeriodGranularity granularity :
           {common::v1::PERIOD_GRANULARITY_YEAR, common::v1::PERIOD_GRANULARITY_HALF,
            common::v1::PERIOD_GRANULARITY_QUARTER, common::v1::PERIOD_GRANULARITY_MONTH}) {
        reported.add_allowed_granularities(granularity);
      }
      (void)w->tracker->UpsertIndicator(indicator);
      registry::v1::Target target;
      target.set_id(absl::StrCat("target_", i));
      target.set_indicator_id(indicator.id());
      target.set_comparator(registry::v1::COMPARATOR_AT_LEAST);
      target.set_version(1);
      target.add_milestones()->set_value(100);
      target.mutable_milestones(0)->set_deadline("2030-12-31");
      (void)w->tracker->UpsertTarget(target);
    }
    const std::vector<std::string> periods = AllPeriods();
    int64_t sequence = 0;
    ingest::v1::Submission s;
    for (int i = 0; i < kIndicators; ++i) {
      s.set_indicator_id(absl::StrCat("indicator_", i));
      for (int u = 0; u < kUnits; ++u) {
        const std::string unit = absl::StrCat("unit-", u);
        for (const std::string& period : periods) {
          s.set_period(period);
          for (int d = 0; d < kDisaggregations; ++d) {
            s.mutable_disaggregation()->clear();
            (*s.mutable_disaggregation())["district"] = absl::StrCat(700 + d);
            s.set_submission_id(absl::StrCat("seed-", sequence));
            s.mutable_ratio()->set_numerator(static_cast<double>(d % 10));
            s.mutable_ratio()->set_denominator(10);
            absl::StatusOr<CellSubmission> decoded = w->tracker->Decode(s, unit, ++sequence);
            w->tracker->Apply(*decoded);
            w->keys.push_back(decoded->key);
          }
        }
      }
    }
    const size_t heap_after = HeapInUse();
    // The key list is the benchmark's, not the state's.
    const size_t keys_bytes = w->keys.capacity() * sizeof(CellKey);
    w->bytes_per_cell = static_cast<double>(heap_after - heap_before - keys_bytes) /
                        static_cast<double>(w->tracker->cells().size());
    return w;
  }();
  return *world;
}

// A correction to a random existing cell, then every affected target's
// progress recomputed.
void BM_ApplyCorrectionAndUpdateTargets(benchmark::State& state) {
  World& world = TheWorld();
  std::mt19937_64 random(42);
  int64_t sequence = 10'000'000;
  uint64_t fingerprint = 1;
  int64_t statuses = 0;
  for (auto _ : state) {
    CellSubmission submission;
    submission.key = world.keys[random() % world.keys.size()];
    submission.fingerprint = ++fingerprint * 0x9E3779B97F4A7C15ULL;
    submission.reading = Reading{static_cast<int64_t>(random() % 10) * 1'000'000, 10'000'000,
                                 ++sequence};
    ProgressTracker::Applied applied = world.tracker->Apply(submission);
    for (uint32_t target : applied.affected_targets) {
      statuses += world.tracker->Assess(target, kAsOf).status;
    }
  }
  benchmark::DoNotOptimize(statuses);
  state.SetItemsProcessed(state.iterations());
  state.counters["cells"] = static_cast<double>(world.tracker->cells().size());
  state.counters["bytes_per_cell"] = world.bytes_per_cell;
  state.counters["submissions_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ApplyCorrectionAndUpdateTargets)->MinTime(2.0);

// The same, starting from the wire form: period parsing, name interning and
// id fingerprinting included.
void BM_DecodeApplyAndUpdateTargets(benchmark::State& state) {
  World& world = TheWorld();
  std::mt19937_64 random(7);
  const std::vector<std::string> periods = AllPeriods();
  int64_t sequence = 50'000'000;
  int64_t statuses = 0;
  ingest::v1::Submission s;
  std::vector<std::string> units;
  for (int u = 0; u < kUnits; ++u) units.push_back(absl::StrCat("unit-", u));
  for (auto _ : state) {
    s.set_indicator_id(random() % 2 == 0 ? "indicator_0" : "indicator_1");
    s.set_period(periods[random() % periods.size()]);
    s.mutable_disaggregation()->clear();
    (*s.mutable_disaggregation())["district"] = absl::StrCat(700 + random() % kDisaggregations);
    s.set_submission_id(absl::StrCat("bench-", ++sequence));
    s.mutable_ratio()->set_numerator(static_cast<double>(random() % 10));
    s.mutable_ratio()->set_denominator(10);
    absl::StatusOr<CellSubmission> decoded =
        world.tracker->Decode(s, units[random() % units.size()], sequence);
    ProgressTracker::Applied applied = world.tracker->Apply(*decoded);
    for (uint32_t target : applied.affected_targets) {
      statuses += world.tracker->Assess(target, kAsOf).status;
    }
  }
  benchmark::DoNotOptimize(statuses);
  state.SetItemsProcessed(state.iterations());
  state.counters["submissions_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DecodeApplyAndUpdateTargets)->MinTime(2.0);

// Encoding the whole state as the evaluator's snapshot does: how long the evaluator holds its
// engine (no submission applied, no progress read) each time it takes a snapshot.
void BM_EncodeSnapshot(benchmark::State& state) {
  World& world = TheWorld();
  const InputOffsets offsets = {{"tiendo.submissions.v1", {{0, 1'000'000}, {1, 1'000'000}}}};
  size_t bytes = 0;
  for (auto _ : state) {
    bytes = EncodeTrackerSnapshot(*world.tracker, offsets, "bench").size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["cells"] = static_cast<double>(world.tracker->cells().size());
  state.counters["snapshot_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_EncodeSnapshot)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// Decoding it again, as the evaluator does when it restarts: the cells, their aggregates and
// roll-ups rebuilt.
void BM_DecodeSnapshot(benchmark::State& state) {
  World& world = TheWorld();
  const std::string bytes = EncodeTrackerSnapshot(*world.tracker, {}, "bench");
  for (auto _ : state) {
    absl::StatusOr<TrackerSnapshot> decoded = DecodeTrackerSnapshot(bytes, "bench");
    if (!decoded.ok()) {
      state.SkipWithError(decoded.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(decoded->tracker.get());
  }
  state.counters["cells"] = static_cast<double>(world.tracker->cells().size());
}
BENCHMARK(BM_DecodeSnapshot)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace tiendo::core

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  const tiendo::core::World& world = tiendo::core::TheWorld();
  std::printf("state: %zu cells, %.1f bytes per cell (target <= 256)\n",
              world.tracker->cells().size(), world.bytes_per_cell);
  benchmark::Shutdown();
  return 0;
}
