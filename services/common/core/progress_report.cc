#include "services/common/core/progress_report.h"

#include "services/common/core/civil_date.h"

namespace tiendo::core {
namespace {

void SetIfPresent(const std::optional<double>& value, void (evaluator::v1::MilestoneProgress::*set)(double),
                  evaluator::v1::MilestoneProgress& out) {
  if (value.has_value()) (out.*set)(*value);
}

}  // namespace

evaluator::v1::Progress DescribeProgress(const ProgressTracker& tracker, uint32_t target,
                                         absl::CivilDay as_of) {
  const registry::v1::Target& definition = tracker.target(target);
  const Assessment assessment = tracker.Assess(target, as_of);
  evaluator::v1::Progress progress;
  progress.set_target_id(definition.id());
  progress.set_plan_id(definition.plan_id());
  progress.set_indicator_id(definition.indicator_id());
  progress.set_target_code(definition.code());
  progress.set_as_of(FormatCivilDate(as_of));
  progress.set_comparator(definition.comparator());
  progress.set_target_version(definition.version());
  if (const registry::v1::Indicator* indicator = tracker.FindIndicator(definition.indicator_id())) {
    progress.set_unit(indicator->unit());
    progress.set_indicator_version(indicator->version());
  }

  // The data points at or before the as-of date, with what stands behind each.
  const ReportedSeries* reported = tracker.Series(definition.indicator_id());
  const DerivedSeries* derived = tracker.Derived(definition.indicator_id());
  if (reported != nullptr) {
    for (size_t i = 0; i < reported->points().size(); ++i) {
      const SeriesPoint& point = reported->points()[i];
      if (point.day > as_of) break;
      const Period period = reported->point_periods()[i];
      evaluator::v1::DataPoint* out = progress.add_data_points();
      out->set_period(period.ToString());
      out->set_date(FormatCivilDate(point.day));
      out->set_value(point.value);
      if (std::optional<AggregateFigure> figure = reported->FigureOf(period)) {
        out->set_cell_count(figure->cells);
        if (figure->numerator.has_value()) {
          out->mutable_ratio()->set_numerator(*figure->numerator);
          out->mutable_ratio()->set_denominator(*figure->denominator);
        }
      }
      progress.set_current_period(period.ToString());
    }
  } else if (derived != nullptr) {
    for (const SeriesPoint& point : tracker.DerivedPoints(target, as_of)) {
      evaluator::v1::DataPoint* out = progress.add_data_points();
      out->set_date(FormatCivilDate(point.day));
      out->set_value(point.value);
    }
  }

  if (assessment.current.has_value()) progress.set_current_value(assessment.current->value);
  if (assessment.baseline.has_value()) {
    progress.mutable_baseline()->set_value(assessment.baseline->value);
    progress.mutable_baseline()->set_date(FormatCivilDate(assessment.baseline->day));
    progress.mutable_baseline()->set_source(definition.has_baseline() &&
                                                    !definition.baseline().date().empty()
                                                ? definition.baseline().source()
                                                : "first data point");
  }
  for (size_t i = 0; i < assessment.milestones.size(); ++i) {
    const MilestoneAssessment& m = assessment.milestones[i];
    const registry::v1::Milestone& milestone = definition.milestones(static_cast<int>(i));
    evaluator::v1::MilestoneProgress* out = progress.add_milestones();
    out->set_index(static_cast<int32_t>(i));
    out->set_code(milestone.code());
    out->set_target_value(milestone.value());
    out->set_deadline(milestone.deadline());
    out->set_note(milestone.note());
    out->set_status(m.status);
    out->set_final(m.final);
    out->set_pace_method(m.pace_method);
    SetIfPresent(m.percent_of_way, &evaluator::v1::MilestoneProgress::set_percent_of_way, *out);
    SetIfPresent(m.required_pace, &evaluator::v1::MilestoneProgress::set_required_pace, *out);
    SetIfPresent(m.observed_pace, &evaluator::v1::MilestoneProgress::set_observed_pace, *out);
    SetIfPresent(m.pace_ratio, &evaluator::v1::MilestoneProgress::set_pace_ratio, *out);
    SetIfPresent(m.projected_value, &evaluator::v1::MilestoneProgress::set_projected_value, *out);
    SetIfPresent(m.value_at_deadline, &evaluator::v1::MilestoneProgress::set_value_at_deadline,
                 *out);
  }
  progress.set_milestone_in_force(assessment.milestone_in_force);
  progress.set_status(assessment.status);
  return progress;
}

}  // namespace tiendo::core
