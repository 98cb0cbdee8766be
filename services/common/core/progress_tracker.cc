#include "services/common/core/progress_tracker.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/core/entity_match.h"
#include "services/common/core/fingerprint.h"
#include "services/common/core/micros.h"
#include "services/common/core/period.h"
#include "services/common/status/check.h"
#include "services/common/status/status_macros.h"

namespace tiendo::core {
namespace {

// Matching against an empty filter reads every date of the entity.
absl::Status DatesReadable(const registry::v1::Enterprise& enterprise,
                           const AdministrativeUnits& units) {
  return MatchingDays(enterprise, registry::v1::EnterpriseFilter(), units).status();
}
absl::Status DatesReadable(const registry::v1::PublicService& service,
                           const AdministrativeUnits& units) {
  return MatchingDays(service, registry::v1::PublicServiceFilter(), units).status();
}

}  // namespace

absl::StatusOr<UpsertOutcome> ProgressTracker::UpsertIndicator(
    const registry::v1::Indicator& indicator) {
  const uint32_t id = indicator_ids_.Intern(indicator.id());
  if (id == indicators_.size()) indicators_.emplace_back();
  IndicatorState& state = indicators_[id];
  const bool created = state.definition.id().empty();
  if (!created && indicator.version() <= state.definition.version()) return UpsertOutcome::kStale;
  if (indicator.has_derived()) {
    auto derived = std::make_unique<DerivedSeries>(indicator);
    if (absl::Status counted = CountAllEntities(*derived); !counted.ok()) return counted;
    state.derived = std::move(derived);
  } else {
    state.derived.reset();
  }
  if (indicator.has_reported()) {
    const SeriesRules rules = SeriesRules::For(indicator);
    if (state.series == nullptr) {
      state.series = std::make_unique<ReportedSeries>(rules);
    } else if (state.series->rules() != rules) {
      RebuildSeries(id, rules);
    }
  }
  state.definition = indicator;
  for (uint32_t target : state.targets) {
    TargetState& target_state = targets_[target];
    absl::StatusOr<Goal> goal = GoalFor(target_state.definition, indicator);
    // The target decoded when it was upserted, and GoalFor reads only the
    // indicator's unit, which cannot make it fail.
    TIENDO_CHECK(goal.ok(), goal.status().ToString());
    target_state.goal = *std::move(goal);
  }
  return created ? UpsertOutcome::kCreated : UpsertOutcome::kUpdated;
}

template <typename Visit>
absl::Status ProgressTracker::ForEachEntity(const Visit& visit) const {
  for (const auto& [key, enterprise] : enterprises_) RETURN_IF_ERROR(visit(key, enterprise));
  for (const auto& [key, service] : public_services_) RETURN_IF_ERROR(visit(key, service));
  return absl::OkStatus();
}

absl::Status ProgressTracker::CountAllEntities(DerivedSeries& derived) const {
  return ForEachEntity([&](const std::string& key, const auto& entity) {
    return derived.Update(key, &entity, administrative_units_).status();
  });
}

template <typename Entity>
absl::StatusOr<ProgressTracker::EntityApplied> ProgressTracker::UpsertEntity(
    absl::flat_hash_map<std::string, Entity>& entities, const std::string& key,
    const Entity& entity) {
  auto it = entities.find(key);
  const bool created = it == entities.end();
  if (!created && entity.version() <= it->second.version()) {
    return EntityApplied{UpsertOutcome::kStale, {}};
  }
  // Count under the new state first, so a bad date leaves everything as it was.
  EntityApplied applied{created ? UpsertOutcome::kCreated : UpsertOutcome::kUpdated, {}};
  if (absl::Status readable = DatesReadable(entity, administrative_units_); !readable.ok()) {
    return readable;
  }
  for (IndicatorState& indicator : indicators_) {
    if (indicator.derived == nullptr) continue;
    absl::StatusOr<bool> counts = indicator.derived->Update(key, &entity, administrative_units_);
    if (counts.ok() && *counts) {
      applied.affected_targets.insert(applied.affected_targets.end(), indicator.targets.begin(),
                                      indicator.targets.end());
    }
  }
  entities[key] = entity;
  return applied;
}

absl::StatusOr<UpsertOutcome> ProgressTracker::UpsertAdministrativeUnit(
    const registry::v1::AdministrativeUnit& unit) {
  const registry::v1::AdministrativeUnit* held = administrative_units_.Find(unit.code());
  if (held != nullptr && unit.version() <= held->version()) return UpsertOutcome::kStale;
  // What area filters follow: where the unit lies, what it was formed from, when it ended.
  const bool moved =
      held == nullptr || held->parent_code() != unit.parent_code() ||
      !std::equal(held->predecessor_codes().begin(), held->predecessor_codes().end(),
                  unit.predecessor_codes().begin(), unit.predecessor_codes().end()) ||
      held->valid_to() != unit.valid_to();
  const UpsertOutcome outcome = held == nullptr ? UpsertOutcome::kCreated : UpsertOutcome::kUpdated;
  if (absl::Status upserted = administrative_units_.Upsert(unit); !upserted.ok()) return upserted;
  if (outcome == UpsertOutcome::kCreated) administrative_unit_codes_.push_back(unit.code());
  units_moved_ = units_moved_ || moved;
  return outcome;
}

std::vector<uint32_t> ProgressTracker::RecountIfUnitsMoved() {
  std::vector<uint32_t> affected;
  if (!std::exchange(units_moved_, false)) return affected;
  for (IndicatorState& indicator : indicators_) {
    if (indicator.derived == nullptr) continue;
    bool moved = false;
    (void)ForEachEntity([&](const std::string& key, const auto& entity) {
      // Its dates were readable when it was upserted, and the units do not change that.
      absl::StatusOr<bool> counted =
          indicator.derived->Update(key, &entity, administrative_units_);
      moved = moved || (counted.ok() && *counted);
      return absl::OkStatus();
    });
    if (moved) affected.insert(affected.end(), indicator.targets.begin(), indicator.targets.end());
  }
  return affected;
}

absl::StatusOr<ProgressTracker::EntityApplied> ProgressTracker::UpsertEnterprise(
    const registry::v1::Enterprise& enterprise) {
  return UpsertEntity(enterprises_, enterprise.tax_code(), enterprise);
}

absl::StatusOr<ProgressTracker::EntityApplied> ProgressTracker::UpsertPublicService(
    const registry::v1::PublicService& service) {
  return UpsertEntity(public_services_, service.id(), service);
}

absl::StatusOr<UpsertOutcome> ProgressTracker::UpsertTarget(const registry::v1::Target& target) {
  const std::optional<uint32_t> indicator = indicator_ids_.Find(target.indicator_id());
  if (!indicator.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat("target ", target.id(), ": indicator_id ",
                                                   target.indicator_id(), " is not known"));
  }
  absl::StatusOr<Goal> goal = GoalFor(target, indicators_[*indicator].definition);
  if (!goal.ok()) return goal.status();

  const uint32_t id = target_ids_.Intern(target.id());
  if (id == targets_.size()) targets_.emplace_back();
  TargetState& state = targets_[id];
  const bool created = state.definition.id().empty();
  if (!created && target.version() <= state.definition.version()) return UpsertOutcome::kStale;
  if (!created && state.indicator != *indicator) {
    std::vector<uint32_t>& old = indicators_[state.indicator].targets;
    old.erase(std::remove(old.begin(), old.end(), id), old.end());
  }
  if (created || state.indicator != *indicator) {
    std::vector<uint32_t>& targets = indicators_[*indicator].targets;
    targets.insert(std::upper_bound(targets.begin(), targets.end(), id), id);
  }
  state.definition = target;
  state.goal = *std::move(goal);
  state.indicator = *indicator;
  return created ? UpsertOutcome::kCreated : UpsertOutcome::kUpdated;
}

absl::StatusOr<CellSubmission> ProgressTracker::Decode(const SubmissionFields& submission,
                                                       absl::string_view reporting_unit_id,
                                                       int64_t sequence) {
  const std::optional<uint32_t> indicator = indicator_ids_.Find(submission.indicator_id);
  if (!indicator.has_value() || indicators_[*indicator].reported() == nullptr) {
    return absl::NotFoundError(absl::StrCat("submission ", submission.submission_id,
                                            ": indicator ", submission.indicator_id,
                                            " is not a known reported indicator"));
  }
  absl::StatusOr<Period> period = Period::Parse(submission.period);
  if (!period.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("submission ", submission.submission_id,
                                                   ": period: ", period.status().message()));
  }
  CellSubmission decoded;
  decoded.key = {reporting_units_.Intern(reporting_unit_id), *indicator, period->Pack(),
                 disaggregations_.Intern(CanonicalDisaggregation(submission.disaggregation))};
  decoded.fingerprint = Fingerprint(submission.submission_id);
  decoded.reading.sequence = sequence;
  if (submission.kind == ingest::v1::SUBMISSION_KIND_RETRACTION) {
    decoded.kind = SubmissionKind::kRetraction;
    return decoded;
  }
  if (submission.figure == SubmissionFields::Figure::kNone) {
    return absl::InvalidArgumentError(absl::StrCat(
        "submission ", submission.submission_id, ": a report needs a value or a ratio"));
  }
  const absl::StatusOr<int64_t> value = ToMicros(submission.value);
  const absl::StatusOr<int64_t> denominator = ToMicros(submission.denominator);
  for (const absl::StatusOr<int64_t>* part : {&value, &denominator}) {
    if (!part->ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("submission ", submission.submission_id, ": ", part->status().message()));
    }
  }
  decoded.reading.value = *value;
  decoded.reading.denominator = *denominator;
  return decoded;
}

ProgressTracker::Applied ProgressTracker::Apply(const CellSubmission& submission) {
  Applied applied = ApplyToState(submission);
  RefreshSeries();
  return applied;
}

void ProgressTracker::ApplyAll(
    absl::Span<const CellSubmission> submissions,
    absl::FunctionRef<void(size_t index, const Applied& applied)> applied) {
  for (size_t i = 0; i < submissions.size(); ++i) applied(i, ApplyToState(submissions[i]));
  RefreshSeries();
}

ProgressTracker::Applied ProgressTracker::ApplyToState(const CellSubmission& submission) {
  TIENDO_CHECK(submission.key.indicator < indicators_.size() &&
                   indicators_[submission.key.indicator].series != nullptr,
               "Apply needs a decoded submission of a known reported indicator");
  Applied applied{cells_.Apply(submission), {}};
  if (!applied.change.changed()) return applied;
  UpdateSeries(submission.key, applied.change.before, applied.change.after);
  const std::vector<uint32_t>& targets = indicators_[submission.key.indicator].targets;
  applied.affected_targets.assign(targets.begin(), targets.end());
  return applied;
}

void ProgressTracker::UpdateSeries(const CellKey& key, const std::optional<Reading>& before,
                                   const std::optional<Reading>& after) {
  ReportedSeries& series = *indicators_[key.indicator].series;
  if (!series.stale()) updated_series_.push_back(key.indicator);
  FeedSeries(series, key, before, after);
}

void ProgressTracker::FeedSeries(ReportedSeries& series, const CellKey& key,
                                 const std::optional<Reading>& before,
                                 const std::optional<Reading>& after) const {
  series.Update({key.reporting_unit, key.disaggregation}, Period::Unpack(key.period), before,
                after, ReadingsOf(key.indicator));
}

void ProgressTracker::DeferCarryUps() {
  for (IndicatorState& state : indicators_) {
    if (state.series != nullptr) state.series->DeferCarryUps();
  }
}

void ProgressTracker::CarryUpDeferred() {
  for (uint32_t id = 0; id < indicators_.size(); ++id) {
    if (indicators_[id].series == nullptr) continue;
    indicators_[id].series->CarryUpDeferred(ReadingsOf(id));
  }
}

void ProgressTracker::RebuildSeries(uint32_t indicator, const SeriesRules& rules) {
  // Refreshed here, and so off the list of those to refresh (which may hold it).
  updated_series_.erase(std::remove(updated_series_.begin(), updated_series_.end(), indicator),
                        updated_series_.end());
  std::unique_ptr<ReportedSeries>& series = indicators_[indicator].series;
  series = std::make_unique<ReportedSeries>(rules);
  series->DeferCarryUps();
  cells_.ForEach([&](const CellKey& key, const std::optional<Reading>& reading,
                     absl::Span<const AppliedSubmission>) {
    if (key.indicator == indicator && reading.has_value()) {
      FeedSeries(*series, key, std::nullopt, *reading);
    }
  });
  series->CarryUpDeferred(ReadingsOf(indicator));
  series->Refresh();
}

void ProgressTracker::RefreshSeries() {
  for (uint32_t indicator : updated_series_) indicators_[indicator].series->Refresh();
  updated_series_.clear();
}

size_t ProgressTracker::DropSubmissions(
    absl::FunctionRef<bool(absl::string_view indicator_id)> dropped) {
  std::vector<bool> dropping(indicators_.size());
  for (uint32_t id = 0; id < indicators_.size(); ++id) {
    std::unique_ptr<ReportedSeries>& series = indicators_[id].series;
    if (series == nullptr || !dropped(indicator_ids_.Name(id))) continue;
    dropping[id] = true;
    series = std::make_unique<ReportedSeries>(series->rules());
  }
  // Only reported indicators have cells.
  return cells_.Drop([&](uint32_t indicator) { return dropping[indicator]; });
}

std::vector<AppliedSubmission> ProgressTracker::CellHistory(
    absl::string_view reporting_unit_id, absl::string_view indicator_id, const Period& period,
    absl::string_view disaggregation) const {
  const std::optional<uint32_t> unit = reporting_units_.Find(reporting_unit_id);
  const std::optional<uint32_t> indicator = indicator_ids_.Find(indicator_id);
  const std::optional<uint32_t> disaggregated = disaggregations_.Find(disaggregation);
  if (!unit.has_value() || !indicator.has_value() || !disaggregated.has_value()) return {};
  const absl::Span<const AppliedSubmission> history =
      cells_.History({*unit, *indicator, period.Pack(), *disaggregated});
  return {history.begin(), history.end()};
}

std::optional<uint32_t> ProgressTracker::FindTarget(absl::string_view target_id) const {
  return target_ids_.Find(target_id);
}

const registry::v1::Target& ProgressTracker::target(uint32_t target) const {
  return targets_.at(target).definition;
}

Assessment ProgressTracker::Assess(uint32_t target, absl::CivilDay as_of) const {
  const TargetState& state = targets_.at(target);
  const IndicatorState& indicator = indicators_[state.indicator];
  if (const ReportedSeries* series = indicator.reported()) {
    return core::Assess(state.goal, series->points(), as_of);
  }
  return core::Assess(state.goal, DerivedPoints(target, as_of), as_of);
}

std::vector<SeriesPoint> ProgressTracker::DerivedPoints(uint32_t target,
                                                        absl::CivilDay as_of) const {
  const TargetState& state = targets_.at(target);
  const DerivedSeries* derived = indicators_[state.indicator].derived.get();
  if (derived == nullptr) return {};
  std::vector<absl::CivilDay> deadlines;
  for (const Goal::Milestone& milestone : state.goal.milestones) {
    deadlines.push_back(milestone.deadline);
  }
  return derived->Sample(as_of, deadlines);
}

const registry::v1::Indicator* ProgressTracker::FindIndicator(
    absl::string_view indicator_id) const {
  const std::optional<uint32_t> id = indicator_ids_.Find(indicator_id);
  return id.has_value() ? &indicators_[*id].definition : nullptr;
}

const DerivedSeries* ProgressTracker::Derived(absl::string_view indicator_id) const {
  const std::optional<uint32_t> id = indicator_ids_.Find(indicator_id);
  return id.has_value() ? indicators_[*id].derived.get() : nullptr;
}

const ReportedSeries* ProgressTracker::Series(absl::string_view indicator_id) const {
  const std::optional<uint32_t> id = indicator_ids_.Find(indicator_id);
  return id.has_value() ? indicators_[*id].reported() : nullptr;
}

}  // namespace tiendo::core
