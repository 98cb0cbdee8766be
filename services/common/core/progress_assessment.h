// Progress assessment: where a target stands at an as-of date, given the
// indicator's series of data points — the status of each milestone, the
// pace observed against the pace required, and a projection to the deadline.
//
// Status follows the UN SDG progress methodology: the compound annual growth
// rate observed since the baseline against the rate the milestone requires
// (ratio >= 0.95 ON_TRACK, 0 to 0.95 AT_RISK, below 0 OFF_TRACK); capped
// percentages and baselines at or below zero use linear achievement against
// elapsed time instead. ACHIEVED when the comparator holds; once a deadline
// has passed, the verdict at the deadline (ACHIEVED or MISSED) is final and
// data for later periods does not change it.
//
// Pure: the as-of date is an argument, and equal inputs give equal outputs.
#pragma once

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"
#include "tiendo/evaluator/v1/progress.pb.h"
#include "tiendo/registry/v1/indicator.pb.h"
#include "tiendo/registry/v1/target.pb.h"

namespace tiendo::core {

// The indicator's value as of `day` (for reported indicators, the last day
// of the period it covers).
struct SeriesPoint {
  absl::CivilDay day;
  double value = 0;
};

// What a target asks for, decoded from its protos.
struct Goal {
  struct Milestone {
    double value = 0;
    absl::CivilDay deadline;
  };
  registry::v1::Comparator comparator = registry::v1::COMPARATOR_AT_LEAST;
  double tolerance = 0;      // for EQUAL
  bool linear_pace = false;  // capped percentage: linear method
  std::optional<SeriesPoint> baseline;  // unset: the first data point
  std::vector<Milestone> milestones;    // deadlines strictly increasing
  double cap = 0;  // projections are clamped to [0, cap] when linear_pace
};

// Decodes a target and its indicator; INVALID_ARGUMENT naming the target and
// field for a bad date, no milestones, or deadlines out of order.
absl::StatusOr<Goal> GoalFor(const registry::v1::Target& target,
                             const registry::v1::Indicator& indicator);

// Whether `value` satisfies the comparator against `target_value`.
bool Holds(registry::v1::Comparator comparator, double value, double target_value,
           double tolerance);

struct MilestoneAssessment {
  evaluator::v1::ProgressStatus status = evaluator::v1::PROGRESS_STATUS_INSUFFICIENT_DATA;
  bool final = false;  // the deadline passed: ACHIEVED or MISSED for good
  evaluator::v1::PaceMethod pace_method = evaluator::v1::PACE_METHOD_UNSPECIFIED;
  std::optional<double> percent_of_way;
  std::optional<double> required_pace;  // growth rate per year, or change per year (linear)
  std::optional<double> observed_pace;
  std::optional<double> pace_ratio;
  std::optional<double> projected_value;
  std::optional<double> value_at_deadline;
};

struct Assessment {
  std::optional<SeriesPoint> current;   // the latest point at the as-of date
  std::optional<SeriesPoint> baseline;  // the goal's, or the first point
  int points_used = 0;                  // data points at or before the as-of date
  int milestone_in_force = 0;           // first milestone not yet due (else the last)
  evaluator::v1::ProgressStatus status = evaluator::v1::PROGRESS_STATUS_INSUFFICIENT_DATA;
  std::vector<MilestoneAssessment> milestones;
};

// Assesses `goal` at `as_of`; `series` is ordered by day (points after
// `as_of` are ignored).
Assessment Assess(const Goal& goal, absl::Span<const SeriesPoint> series, absl::CivilDay as_of);

}  // namespace tiendo::core
