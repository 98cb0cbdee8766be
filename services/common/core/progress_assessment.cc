#include "services/common/core/progress_assessment.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "services/common/core/civil_date.h"

namespace tiendo::core {
namespace {

using evaluator::v1::ProgressStatus;

constexpr double kOnTrackRatio = 0.95;

// A day as a point in fractional years, at the end of the day: 2021-12-31 is
// exactly 2022.0, so year-end observations lie whole years apart as the SDG
// method counts them, leap years or not.
double YearPoint(absl::CivilDay day) {
  const absl::CivilYear year(day);
  const double days_in_year = static_cast<double>(absl::CivilDay(year + 1) - absl::CivilDay(year));
  return static_cast<double>(day.year()) + absl::GetYearDay(day) / days_in_year;
}

double YearsBetween(absl::CivilDay from, absl::CivilDay to) { return YearPoint(to) - YearPoint(from); }

ProgressStatus StatusForRatio(double ratio) {
  if (ratio >= kOnTrackRatio) return evaluator::v1::PROGRESS_STATUS_ON_TRACK;
  if (ratio >= 0) return evaluator::v1::PROGRESS_STATUS_AT_RISK;
  return evaluator::v1::PROGRESS_STATUS_OFF_TRACK;
}

// The last point on or before `day`.
std::optional<SeriesPoint> ValueAt(absl::Span<const SeriesPoint> series, absl::CivilDay day) {
  std::optional<SeriesPoint> found;
  for (const SeriesPoint& point : series) {
    if (point.day > day) break;
    found = point;
  }
  return found;
}

// Pace from `baseline` to `current` against the pace `milestone` requires.
void AssessPace(const Goal& goal, const SeriesPoint& baseline, const SeriesPoint& current,
                const Goal::Milestone& milestone, MilestoneAssessment& out) {
  const double elapsed = YearsBetween(baseline.day, current.day);
  const double span = YearsBetween(baseline.day, milestone.deadline);
  const double x0 = baseline.value;
  const double xt = current.value;
  const double target = milestone.value;
  if (target != x0) out.percent_of_way = (xt - x0) / (target - x0) * 100.0;
  if (elapsed <= 0 || span <= 0) return;  // no time has passed: no pace to judge

  bool compound = !goal.linear_pace && x0 > 0 && xt > 0 && target > 0;
  if (compound) {
    const double observed = std::pow(xt / x0, 1.0 / elapsed) - 1.0;
    const double required = std::pow(target / x0, 1.0 / span) - 1.0;
    const double projected = x0 * std::pow(1.0 + observed, span);
    // Over days, a growth of a few times is a yearly rate past what a double holds: judged
    // linearly instead, which stays finite.
    compound = std::isfinite(observed) && std::isfinite(required) && std::isfinite(projected);
    if (compound) {
      out.pace_method = evaluator::v1::PACE_METHOD_COMPOUND_GROWTH;
      out.observed_pace = observed;
      out.required_pace = required;
      out.projected_value = projected;
      if (required != 0) out.pace_ratio = observed / required;
    }
  }
  if (!compound) {
    out.pace_method = evaluator::v1::PACE_METHOD_LINEAR;
    const double observed = (xt - x0) / elapsed;
    const double required = (target - x0) / span;
    out.observed_pace = observed;
    out.required_pace = required;
    double projected = x0 + observed * span;
    if (goal.linear_pace && goal.cap > 0) projected = std::clamp(projected, 0.0, goal.cap);
    out.projected_value = projected;
    // Achievement so far over the share of the time used.
    if (required != 0) out.pace_ratio = ((xt - x0) / (target - x0)) / (elapsed / span);
  }
  // A milestone equal to the baseline asks only to hold the line; not
  // holding it (Holds was checked first) is off track.
  out.status = out.pace_ratio.has_value() ? StatusForRatio(*out.pace_ratio)
                                          : evaluator::v1::PROGRESS_STATUS_OFF_TRACK;
}

}  // namespace

bool Holds(registry::v1::Comparator comparator, double value, double target_value,
           double tolerance) {
  switch (comparator) {
    case registry::v1::COMPARATOR_AT_LEAST:
      return value >= target_value;
    case registry::v1::COMPARATOR_MORE_THAN:
      return value > target_value;
    case registry::v1::COMPARATOR_AT_MOST:
      return value <= target_value;
    case registry::v1::COMPARATOR_LESS_THAN:
      return value < target_value;
    case registry::v1::COMPARATOR_EQUAL:
      return std::fabs(value - target_value) <= tolerance;
    default:
      return false;
  }
}

absl::StatusOr<Goal> GoalFor(const registry::v1::Target& target,
                             const registry::v1::Indicator& indicator) {
  Goal goal;
  goal.comparator = target.comparator();
  goal.tolerance = target.has_tolerance() ? target.tolerance() : 0;
  goal.linear_pace = indicator.unit() == registry::v1::INDICATOR_UNIT_PERCENT;
  goal.cap = goal.linear_pace ? 100.0 : 0;
  if (target.has_baseline() && !target.baseline().date().empty()) {
    absl::StatusOr<absl::CivilDay> day = ParseCivilDate(target.baseline().date());
    if (!day.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("target ", target.id(), ": baseline.date: ", day.status().message()));
    }
    goal.baseline = SeriesPoint{*day, target.baseline().value()};
  }
  if (target.milestones().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("target ", target.id(), ": milestones: a target needs at least one"));
  }
  for (int i = 0; i < target.milestones_size(); ++i) {
    const registry::v1::Milestone& milestone = target.milestones(i);
    absl::StatusOr<absl::CivilDay> deadline = ParseCivilDate(milestone.deadline());
    if (!deadline.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("target ", target.id(), ": milestones[", i,
                                                     "].deadline: ", deadline.status().message()));
    }
    if (!goal.milestones.empty() && *deadline <= goal.milestones.back().deadline) {
      return absl::InvalidArgumentError(absl::StrCat(
          "target ", target.id(), ": milestones[", i, "].deadline ", milestone.deadline(),
          " is not after the previous milestone's deadline"));
    }
    goal.milestones.push_back({milestone.value(), *deadline});
  }
  return goal;
}

Assessment Assess(const Goal& goal, absl::Span<const SeriesPoint> series, absl::CivilDay as_of) {
  Assessment result;
  for (const SeriesPoint& point : series) {
    if (point.day > as_of) break;
    ++result.points_used;
    result.current = point;
  }
  result.baseline = goal.baseline;
  if (!result.baseline.has_value() && result.points_used > 0) result.baseline = series.front();
  // Two observations are needed for a pace: the baseline and a later point.
  const bool enough = result.baseline.has_value() && result.current.has_value() &&
                      result.current->day > result.baseline->day;

  result.milestone_in_force = static_cast<int>(goal.milestones.size()) - 1;
  for (size_t i = 0; i < goal.milestones.size(); ++i) {
    if (goal.milestones[i].deadline >= as_of) {
      result.milestone_in_force = static_cast<int>(i);
      break;
    }
  }

  for (const Goal::Milestone& milestone : goal.milestones) {
    MilestoneAssessment& out = result.milestones.emplace_back();
    if (milestone.deadline < as_of) {
      // The deadline has passed: judge by the value standing at the deadline.
      std::optional<SeriesPoint> at_deadline = ValueAt(series, milestone.deadline);
      if (!at_deadline.has_value()) continue;  // INSUFFICIENT_DATA
      out.value_at_deadline = at_deadline->value;
      out.final = true;
      out.status = Holds(goal.comparator, at_deadline->value, milestone.value, goal.tolerance)
                       ? evaluator::v1::PROGRESS_STATUS_ACHIEVED
                       : evaluator::v1::PROGRESS_STATUS_MISSED;
      if (result.baseline.has_value() && milestone.value != result.baseline->value) {
        out.percent_of_way = (at_deadline->value - result.baseline->value) /
                             (milestone.value - result.baseline->value) * 100.0;
      }
      continue;
    }
    if (result.current.has_value() &&
        Holds(goal.comparator, result.current->value, milestone.value, goal.tolerance)) {
      out.status = evaluator::v1::PROGRESS_STATUS_ACHIEVED;
      if (enough) AssessPace(goal, *result.baseline, *result.current, milestone, out);
      out.status = evaluator::v1::PROGRESS_STATUS_ACHIEVED;
      continue;
    }
    if (!enough) continue;  // INSUFFICIENT_DATA
    AssessPace(goal, *result.baseline, *result.current, milestone, out);
  }
  if (!result.milestones.empty()) {
    result.status = result.milestones[static_cast<size_t>(result.milestone_in_force)].status;
  }
  return result;
}

}  // namespace tiendo::core
