// Plans, indicators and targets: apply a plan file, get and list.
#include <algorithm>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/common/core/plan_validation.h"
#include "services/common/status/field_violations.h"
#include "services/common/status/status_macros.h"
#include "services/registry/entity_list.h"
#include "services/registry/registry_calls.h"

namespace tiendo::registry {
namespace {

// Every committed entity of `kind`, parsed.
template <typename Entity>
absl::StatusOr<std::vector<Entity>> LoadAll(RegistryStore& store, v1::EntityKind kind) {
  std::vector<Entity> entities;
  absl::Status parsed = absl::OkStatus();
  RETURN_IF_ERROR(store.Scan(kind, "", [&](absl::string_view key, const StoredEntity& stored) {
    if (!entities.emplace_back().ParseFromString(stored.body)) {
      parsed = absl::DataLossError(absl::StrCat("stored ", KindName(kind), " ", key,
                                                " does not parse"));
      return false;
    }
    return true;
  }));
  RETURN_IF_ERROR(parsed);
  return entities;
}

// The targets of `plan_id`, by id.
absl::StatusOr<std::vector<v1::Target>> TargetsOf(RegistryStore& store,
                                                  absl::string_view plan_id) {
  ASSIGN_OR_RETURN(std::vector<v1::Target> targets,
                   LoadAll<v1::Target>(store, v1::ENTITY_KIND_TARGET));
  targets.erase(std::remove_if(targets.begin(), targets.end(),
                               [&](const v1::Target& target) {
                                 return target.plan_id() != plan_id;
                               }),
                targets.end());
  return targets;
}

// Ids of the indicators the targets of `plan_id` measure.
absl::StatusOr<std::set<std::string>> IndicatorsOf(RegistryStore& store,
                                                   absl::string_view plan_id) {
  ASSIGN_OR_RETURN(std::vector<v1::Target> targets, TargetsOf(store, plan_id));
  std::set<std::string> ids;
  for (const v1::Target& target : targets) ids.insert(target.indicator_id());
  return ids;
}

absl::Status ValidatePlan(RegistryStore& store, const v1::PlanFile& file) {
  ASSIGN_OR_RETURN(auto units,
                   LoadAll<v1::AdministrativeUnit>(store, v1::ENTITY_KIND_ADMINISTRATIVE_UNIT));
  ASSIGN_OR_RETURN(auto reporting_units,
                   LoadAll<v1::ReportingUnit>(store, v1::ENTITY_KIND_REPORTING_UNIT));
  ASSIGN_OR_RETURN(auto indicators, LoadAll<v1::Indicator>(store, v1::ENTITY_KIND_INDICATOR));
  core::KnownEntities known;
  known.administrative_units = units;
  known.reporting_units = reporting_units;
  known.indicators = indicators;
  std::vector<common::v1::FieldViolation> violations;
  for (const core::Problem& problem : core::ValidatePlanFile(file, known)) {
    if (problem.severity == core::Severity::kError) {
      violations.push_back(core::ToFieldViolation(problem));
    }
  }
  // A target id is unique across plans: applying it would move another plan's target here.
  ASSIGN_OR_RETURN(auto targets, LoadAll<v1::Target>(store, v1::ENTITY_KIND_TARGET));
  absl::flat_hash_map<std::string, std::string> plan_of;
  for (const v1::Target& target : targets) plan_of[target.id()] = target.plan_id();
  const std::string& plan_id = file.plan().id();
  for (int i = 0; i < file.plan().targets_size(); ++i) {
    const std::string& id = file.plan().targets(i).id();
    const auto owner = plan_of.find(id);
    if (owner == plan_of.end() || owner->second == plan_id) continue;
    violations.push_back(status::Violation(
        absl::StrCat("plan.targets[", i, "].id"), "duplicate",
        absl::StrCat("target ", id, " belongs to plan ", owner->second,
                     "; a target id is unique across plans: give this one another id, or "
                     "take it out of plan ",
                     owner->second, " first")));
  }
  if (violations.empty()) return absl::OkStatus();
  return status::InvalidArgumentWithViolations(
      violations, absl::StrCat("plan file has ", violations.size(),
                               violations.size() == 1 ? " error" : " errors",
                               "; nothing was applied. First: ", violations[0].field(), ": ",
                               violations[0].description()));
}

}  // namespace

absl::Status ApplyPlan(Call& call, const v1::ApplyPlanRequest& request,
                       v1::ApplyPlanResponse& response) {
  if (!request.has_plan_file()) {
    return status::InvalidArgumentWithViolations(
        {status::Violation("plan_file", "required", "plan_file is required")});
  }
  const v1::PlanFile& file = request.plan_file();
  RegistryStore& store = call.command().store;
  const std::string& plan_id = file.plan().id();
  response.set_plan_id(plan_id);
  response.set_dry_run(request.dry_run());
  return store.Write(call.command().write, request.dry_run(), [&](RegistryWrite& write) {
    // Validated against, and compared with, what is committed while this write holds the
    // store's write lock: read before it, a concurrent apply could commit in between (and
    // a target it created would then escape deletion).
    RETURN_IF_ERROR(ValidatePlan(store, file));
    ASSIGN_OR_RETURN(std::vector<v1::Target> stored_targets, TargetsOf(store, plan_id));
    EntityWriter writer(write);
    // `at`: where the plan file holds the entity, for a refusal's field.
    auto put = [&](v1::EntityKind kind, const std::string& key,
                   google::protobuf::Message& entity, const std::string& at) -> absl::Status {
      ASSIGN_OR_RETURN(*response.add_changes(), writer.Put(kind, key, entity, at));
      return absl::OkStatus();
    };
    v1::Plan plan = file.plan();
    plan.clear_indicators();
    plan.clear_targets();
    RETURN_IF_ERROR(put(v1::ENTITY_KIND_PLAN, plan.id(), plan, "plan"));
    for (int i = 0; i < file.plan().indicators_size(); ++i) {
      v1::Indicator indicator = file.plan().indicators(i);
      RETURN_IF_ERROR(put(v1::ENTITY_KIND_INDICATOR, indicator.id(), indicator,
                          absl::StrCat("plan.indicators[", i, "]")));
    }
    absl::flat_hash_set<std::string> listed;
    for (int i = 0; i < file.plan().targets_size(); ++i) {
      v1::Target target = file.plan().targets(i);
      target.set_plan_id(plan_id);
      listed.insert(target.id());
      RETURN_IF_ERROR(
          put(v1::ENTITY_KIND_TARGET, target.id(), target, absl::StrCat("plan.targets[", i, "]")));
    }
    for (int i = 0; i < file.reporting_units_size(); ++i) {
      v1::ReportingUnit unit = file.reporting_units(i);
      ReportingUnitRules().Normalize(unit);
      RETURN_IF_ERROR(put(v1::ENTITY_KIND_REPORTING_UNIT, unit.id(), unit,
                          absl::StrCat("reporting_units[", i, "]")));
    }
    for (int i = 0; i < file.administrative_units_size(); ++i) {
      v1::AdministrativeUnit unit = file.administrative_units(i);
      RETURN_IF_ERROR(put(v1::ENTITY_KIND_ADMINISTRATIVE_UNIT, unit.code(), unit,
                          absl::StrCat("administrative_units[", i, "]")));
    }
    for (const v1::Target& target : stored_targets) {
      if (listed.contains(target.id())) continue;
      ASSIGN_OR_RETURN(*response.add_changes(),
                       writer.Delete(v1::ENTITY_KIND_TARGET, target.id()));
    }
    return absl::OkStatus();
  });
}

absl::Status GetPlan(RegistryState& state, const v1::GetPlanRequest& request,
                     v1::Plan& response) {
  RETURN_IF_ERROR(GetEntity(state.store, v1::ENTITY_KIND_PLAN, request.id(), response));
  if (request.view() == v1::PLAN_VIEW_BASIC) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::vector<v1::Target> targets, TargetsOf(state.store, request.id()));
  std::set<std::string> indicator_ids;
  for (v1::Target& target : targets) {
    indicator_ids.insert(target.indicator_id());
    *response.add_targets() = std::move(target);
  }
  for (const std::string& id : indicator_ids) {
    v1::Indicator indicator;
    ASSIGN_OR_RETURN(std::optional<StoredEntity> found,
                     state.store.Get(v1::ENTITY_KIND_INDICATOR, id));
    if (found.has_value() && !found->deleted && indicator.ParseFromString(found->body)) {
      *response.add_indicators() = std::move(indicator);
    }
  }
  return absl::OkStatus();
}

absl::Status ListPlans(RegistryState& state, const v1::ListPlansRequest& request,
                       v1::ListPlansResponse& response) {
  std::function<bool(const v1::Plan&)> keep = [&](const v1::Plan& plan) {
    return (request.statuses().empty() ||
            std::find(request.statuses().begin(), request.statuses().end(), plan.status()) !=
                request.statuses().end()) &&
           (request.jurisdiction_code().empty() ||
            plan.jurisdiction_code() == request.jurisdiction_code() ||
            plan.transferred_to_jurisdiction_code() == request.jurisdiction_code());
  };
  ASSIGN_OR_RETURN(*response.mutable_next_page_token(),
                   ListEntities(state.store, v1::ENTITY_KIND_PLAN, request, keep,
                                response.mutable_plans()));
  if (request.view() != v1::PLAN_VIEW_FULL) return absl::OkStatus();
  for (v1::Plan& plan : *response.mutable_plans()) {
    v1::GetPlanRequest full;
    full.set_id(plan.id());
    RETURN_IF_ERROR(GetPlan(state, full, plan));
  }
  return absl::OkStatus();
}

absl::Status GetIndicator(RegistryState& state, const v1::GetIndicatorRequest& request,
                          v1::Indicator& response) {
  RETURN_IF_ERROR(GetEntity(state.store, v1::ENTITY_KIND_INDICATOR, request.id(), response));
  return absl::OkStatus();
}

absl::Status ListIndicators(RegistryState& state, const v1::ListIndicatorsRequest& request,
                            v1::ListIndicatorsResponse& response) {
  std::set<std::string> used;
  if (!request.plan_id().empty()) {
    ASSIGN_OR_RETURN(used, IndicatorsOf(state.store, request.plan_id()));
  }
  std::function<bool(const v1::Indicator&)> keep = [&](const v1::Indicator& indicator) {
    return request.plan_id().empty() || used.contains(indicator.id());
  };
  ASSIGN_OR_RETURN(*response.mutable_next_page_token(),
                   ListEntities(state.store, v1::ENTITY_KIND_INDICATOR, request, keep,
                                response.mutable_indicators()));
  return absl::OkStatus();
}

absl::Status GetTarget(RegistryState& state, const v1::GetTargetRequest& request,
                       v1::Target& response) {
  RETURN_IF_ERROR(GetEntity(state.store, v1::ENTITY_KIND_TARGET, request.id(), response));
  return absl::OkStatus();
}

absl::Status ListTargets(RegistryState& state, const v1::ListTargetsRequest& request,
                         v1::ListTargetsResponse& response) {
  std::function<bool(const v1::Target&)> keep = [&](const v1::Target& target) {
    return (request.plan_id().empty() || target.plan_id() == request.plan_id()) &&
           (request.indicator_id().empty() || target.indicator_id() == request.indicator_id());
  };
  ASSIGN_OR_RETURN(*response.mutable_next_page_token(),
                   ListEntities(state.store, v1::ENTITY_KIND_TARGET, request, keep,
                                response.mutable_targets()));
  return absl::OkStatus();
}

}  // namespace tiendo::registry
