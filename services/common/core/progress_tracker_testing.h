// Test support for the tracker's tests: registry builders, a random
// submission log over a small space of cells, and a text form of the
// reported state to compare trackers by. Included by tests only.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/core/period.h"
#include "services/common/core/progress_tracker.h"

namespace tiendo::core::testing_support {

// An indicator with no source yet (the caller gives it one).
inline registry::v1::Indicator IndicatorOf(const std::string& id,
                                           registry::v1::IndicatorUnit unit,
                                           int64_t version = 1) {
  registry::v1::Indicator indicator;
  indicator.set_id(id);
  indicator.set_unit(unit);
  indicator.set_version(version);
  return indicator;
}

inline registry::v1::Indicator Reported(const std::string& id, registry::v1::Aggregation rule,
                                        registry::v1::IndicatorUnit unit, int64_t version = 1) {
  registry::v1::Indicator indicator = IndicatorOf(id, unit, version);
  indicator.mutable_reported()->set_aggregation(rule);
  return indicator;
}

inline registry::v1::Target TargetOn(const std::string& id, const std::string& indicator,
                                     double value, const std::string& deadline,
                                     int64_t version = 1) {
  registry::v1::Target target;
  target.set_id(id);
  target.set_indicator_id(indicator);
  target.set_comparator(registry::v1::COMPARATOR_AT_LEAST);
  target.set_version(version);
  registry::v1::Milestone* milestone = target.add_milestones();
  milestone->set_value(value);
  milestone->set_deadline(deadline);
  return target;
}

inline ingest::v1::Submission Submission(const std::string& id, const std::string& indicator,
                                         const std::string& period, double value,
                                         const std::string& district = "") {
  ingest::v1::Submission s;
  s.set_submission_id(id);
  s.set_indicator_id(indicator);
  s.set_period(period);
  s.set_value(value);
  if (!district.empty()) (*s.mutable_disaggregation())["district"] = district;
  return s;
}

struct Event {
  ingest::v1::Submission submission;
  std::string unit;
  int64_t sequence;
};

// A random log over a small space of cells: reports, corrections,
// retractions, and resends of earlier events (duplicates).
inline std::vector<Event> RandomLog(uint32_t seed, int length) {
  std::mt19937 random(seed);
  const std::vector<std::string> indicators = {"sum_ind", "ratio_ind", "latest_ind"};
  const std::vector<std::string> units = {"u1", "u2", "u3"};
  const std::vector<std::string> periods = {"2024-Q1", "2024-Q2", "2024-06", "2024",
                                             "2024-H1", "2024-02", "2024-05"};
  const std::vector<std::string> districts = {"747", "748"};
  std::vector<Event> log;
  for (int i = 0; i < length; ++i) {
    if (!log.empty() && random() % 5 == 0) {
      Event resent = log[random() % log.size()];
      resent.sequence = i + 1;
      log.push_back(resent);
      continue;
    }
    const std::string indicator = indicators[random() % indicators.size()];
    ingest::v1::Submission s = Submission(absl::StrCat("s", i), indicator,
                                          periods[random() % periods.size()],
                                          static_cast<double>(random() % 1000) / 10.0,
                                          districts[random() % districts.size()]);
    if (random() % 6 == 0) {
      s.set_kind(ingest::v1::SUBMISSION_KIND_RETRACTION);
      s.clear_value();
    } else if (indicator == "ratio_ind") {
      const double denominator = 1 + random() % 200;
      s.mutable_ratio()->set_denominator(denominator);
      s.mutable_ratio()->set_numerator(static_cast<double>(random() % 100) / 100.0 * denominator);
    }
    log.push_back({s, units[random() % units.size()], i + 1});
  }
  return log;
}

// A tracker holding RandomLog's indicators: percentages, one per aggregation rule, each with
// the time aggregation that goes with it, allowed years, quarters and months (halves roll up
// through, taking no roll-ups).
inline ProgressTracker FreshTracker() {
  ProgressTracker tracker;
  for (const auto& [id, rule, over_time] :
       std::vector<std::tuple<std::string, registry::v1::Aggregation,
                              registry::v1::TimeAggregation>>{
           {"sum_ind", registry::v1::AGGREGATION_SUM, registry::v1::TIME_AGGREGATION_SUM},
           {"ratio_ind", registry::v1::AGGREGATION_RATIO_OF_SUMS,
            registry::v1::TIME_AGGREGATION_RATIO_OF_SUMS},
           {"latest_ind", registry::v1::AGGREGATION_LATEST,
            registry::v1::TIME_AGGREGATION_LATEST_PERIOD}}) {
    registry::v1::Indicator indicator = Reported(id, rule, registry::v1::INDICATOR_UNIT_PERCENT);
    registry::v1::ReportedSource& reported = *indicator.mutable_reported();
    reported.set_time_aggregation(over_time);
    for (const common::v1::PeriodGranularity granularity :
         {common::v1::PERIOD_GRANULARITY_YEAR, common::v1::PERIOD_GRANULARITY_QUARTER,
          common::v1::PERIOD_GRANULARITY_MONTH}) {
      reported.add_allowed_granularities(granularity);
    }
    EXPECT_TRUE(tracker.UpsertIndicator(indicator).ok());
  }
  return tracker;
}

inline void ApplyAll(ProgressTracker& tracker, const std::vector<Event>& log) {
  for (const Event& event : log) {
    auto decoded = tracker.Decode(event.submission, event.unit, event.sequence);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    tracker.Apply(*decoded);
  }
}

// Everything observable about the tracker's reported state, as text.
inline std::string Dump(const ProgressTracker& tracker) {
  std::string out;
  for (const char* id : {"sum_ind", "ratio_ind", "latest_ind"}) {
    const ReportedSeries* series = tracker.Series(id);
    absl::StrAppend(&out, id, ":");
    for (const char* text : {"2024", "2024-H1", "2024-Q1", "2024-Q2", "2024-02", "2024-05",
                             "2024-06"}) {
      const Period period = *Period::Parse(text);
      if (auto figure = series->FigureOf(period)) {
        absl::StrAppend(&out, " ", text, "=", figure->value, "/", figure->cells);
      }
    }
    for (size_t i = 0; i < series->points().size(); ++i) {
      absl::StrAppend(&out, " @", series->point_periods()[i].ToString(), "=",
                      series->points()[i].value);
    }
    absl::StrAppend(&out, "\n");
  }
  return out;
}

}  // namespace tiendo::core::testing_support
