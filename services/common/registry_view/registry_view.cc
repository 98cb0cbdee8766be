#include "services/common/registry_view/registry_view.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/core/civil_date.h"

namespace tiendo::registry_view {
namespace {

using events::v1::RegistryEvent;
using registry::v1::EntityKind;

// "registry record enterprise/0100233488 at tiendo.registry.v1[2]@17".
std::string Describe(const kafka::ConsumedRecord& record) {
  return absl::StrCat("registry record ", record.key.value_or("(null key)"), " at ",
                      record.position.topic, "[", record.position.partition, "]@",
                      record.position.offset);
}

// The kind named by the lower-case prefix of a record key, e.g. "public_service".
std::optional<EntityKind> ParseKindName(absl::string_view name) {
  EntityKind kind = registry::v1::ENTITY_KIND_UNSPECIFIED;
  if (name.empty() || name != absl::AsciiStrToLower(name) ||
      !registry::v1::EntityKind_Parse(absl::StrCat("ENTITY_KIND_", absl::AsciiStrToUpper(name)),
                                      &kind) ||
      kind == registry::v1::ENTITY_KIND_UNSPECIFIED) {
    return std::nullopt;
  }
  return kind;
}

// The kind whose entity the event's oneof holds.
EntityKind KindOfEntity(RegistryEvent::EntityCase entity) {
  switch (entity) {
    case RegistryEvent::kPlan: return registry::v1::ENTITY_KIND_PLAN;
    case RegistryEvent::kIndicator: return registry::v1::ENTITY_KIND_INDICATOR;
    case RegistryEvent::kTarget: return registry::v1::ENTITY_KIND_TARGET;
    case RegistryEvent::kEnterprise: return registry::v1::ENTITY_KIND_ENTERPRISE;
    case RegistryEvent::kPublicService: return registry::v1::ENTITY_KIND_PUBLIC_SERVICE;
    case RegistryEvent::kReportingUnit: return registry::v1::ENTITY_KIND_REPORTING_UNIT;
    case RegistryEvent::kReportingToken: return registry::v1::ENTITY_KIND_REPORTING_TOKEN;
    case RegistryEvent::kAdministrativeUnit: return registry::v1::ENTITY_KIND_ADMINISTRATIVE_UNIT;
    case RegistryEvent::ENTITY_NOT_SET: break;
  }
  return registry::v1::ENTITY_KIND_UNSPECIFIED;
}

// The key the entity an event carries gives itself (its id, code, tax code or token id).
std::string OwnKey(const RegistryEvent& event) {
  switch (event.entity_case()) {
    case RegistryEvent::kPlan: return event.plan().id();
    case RegistryEvent::kIndicator: return event.indicator().id();
    case RegistryEvent::kTarget: return event.target().id();
    case RegistryEvent::kEnterprise: return event.enterprise().tax_code();
    case RegistryEvent::kPublicService: return event.public_service().id();
    case RegistryEvent::kReportingUnit: return event.reporting_unit().id();
    case RegistryEvent::kReportingToken: return event.reporting_token().token().token_id();
    case RegistryEvent::kAdministrativeUnit: return event.administrative_unit().code();
    case RegistryEvent::ENTITY_NOT_SET: break;
  }
  return "";
}

template <typename T>
const T* FindIn(const absl::flat_hash_map<std::string, T>& table, absl::string_view key) {
  auto it = table.find(key);
  return it == table.end() ? nullptr : &it->second;
}

template <typename T>
void VisitAll(const absl::flat_hash_map<std::string, T>& table,
              absl::FunctionRef<void(const T&)> visit) {
  for (const auto& [key, entity] : table) visit(entity);
}

// Removes `id` from the set of `owner` in `index`, and the set once it is empty.
void EraseFromIndex(absl::flat_hash_map<std::string, std::set<std::string>>& index,
                    const std::string& owner, const std::string& id) {
  auto it = index.find(owner);
  if (it == index.end()) return;
  it->second.erase(id);
  if (it->second.empty()) index.erase(it);
}

// Parses a `YYYY-MM-DD` field; nullopt when empty or not a date.
std::optional<absl::CivilDay> Day(const std::string& text) {
  if (text.empty()) return std::nullopt;
  absl::StatusOr<absl::CivilDay> day = core::ParseCivilDate(text);
  if (!day.ok()) return std::nullopt;
  return *day;
}

void KeepEarliest(std::optional<absl::CivilDay>& held, std::optional<absl::CivilDay> day) {
  if (day.has_value() && (!held.has_value() || *day < *held)) held = day;
}

void KeepLatest(std::optional<absl::CivilDay>& held, std::optional<absl::CivilDay> day) {
  if (day.has_value() && (!held.has_value() || *day > *held)) held = day;
}

}  // namespace

absl::StatusOr<RegistryChange> RegistryView::Apply(const kafka::ConsumedRecord& record) {
  if (!record.key.has_value()) {
    return absl::DataLossError(absl::StrCat(Describe(record), ": a registry record needs a key"));
  }
  const size_t slash = record.key->find('/');
  const std::optional<EntityKind> kind =
      slash == std::string::npos ? std::nullopt
                                 : ParseKindName(absl::string_view(*record.key).substr(0, slash));
  if (!kind.has_value() || slash + 1 == record.key->size()) {
    return absl::DataLossError(
        absl::StrCat(Describe(record), ": the key is not <kind>/<key> with a kind of ",
                     "tiendo.registry.v1.EntityKind"));
  }
  const absl::string_view key = absl::string_view(*record.key).substr(slash + 1);
  if (!record.value.has_value()) return ApplyTombstone(record, *kind, key);
  return ApplyEvent(record, *kind, key);
}

absl::StatusOr<RegistryChange> RegistryView::ApplyEvent(const kafka::ConsumedRecord& record,
                                                        EntityKind kind, absl::string_view key) {
  RegistryEvent event;
  if (!event.ParseFromString(*record.value)) {
    return absl::DataLossError(
        absl::StrCat(Describe(record), ": the value does not parse as ", event.GetTypeName()));
  }
  if (event.entity_kind() != kind || event.entity_key() != key) {
    return absl::DataLossError(absl::StrCat(Describe(record), ": the event is about ",
                                            registry::v1::EntityKind_Name(event.entity_kind()),
                                            " ", event.entity_key()));
  }
  if (event.entity_version() <= 0) {
    return absl::DataLossError(absl::StrCat(Describe(record), ": entity version ",
                                            event.entity_version(), " is not positive"));
  }
  if (!event.deleted() && KindOfEntity(event.entity_case()) != kind) {
    return absl::DataLossError(absl::StrCat(Describe(record), ": the event carries no ",
                                            registry::v1::EntityKind_Name(kind)));
  }
  if (!event.deleted()) {
    if (const std::string own = OwnKey(event); own != key) {
      return absl::DataLossError(absl::StrCat(Describe(record), ": the ",
                                              registry::v1::EntityKind_Name(kind),
                                              " it carries is ", own, ", not ", key));
    }
  }
  RegistryChange change{kind, std::string(key), event.entity_version(), event.deleted(), false};
  auto held = keys_.find(*record.key);
  if (held != keys_.end() && held->second.version >= event.entity_version()) {
    held->second.stale_deletion = event.deleted();
    return change;
  }

  if (event.deleted()) {
    Remove(kind, change.key);
  } else if (absl::Status stored = Store(event, change.key); !stored.ok()) {
    return absl::Status(stored.code(), absl::StrCat(Describe(record), ": ", stored.message()));
  }
  keys_[*record.key] = {event.entity_version(), event.deleted(), record.position.partition,
                        record.position.offset};
  change.applied = true;
  return change;
}

RegistryChange RegistryView::ApplyTombstone(const kafka::ConsumedRecord& record, EntityKind kind,
                                            absl::string_view key) {
  RegistryChange change{kind, std::string(key), 0, true, false};
  KeyState& state = keys_[*record.key];
  change.version = state.version;
  if (state.deleted && state.partition >= 0) return change;
  // The pair of a deletion sent again after the entity was re-created: the deletion was
  // ignored, and so is its tombstone.
  if (std::exchange(state.stale_deletion, false)) return change;
  // A tombstone read again after the entity was re-created (same partition, earlier offset)
  // must not delete it.
  if (state.partition == record.position.partition && state.offset > record.position.offset) {
    return change;
  }
  change.applied = state.partition >= 0;
  Remove(kind, change.key);
  state.deleted = true;
  state.partition = record.position.partition;
  state.offset = record.position.offset;
  return change;
}

absl::Status RegistryView::Store(RegistryEvent& event, const std::string& key) {
  switch (event.entity_case()) {
    case RegistryEvent::kPlan:
      plans_[key] = std::move(*event.mutable_plan());
      break;
    case RegistryEvent::kIndicator:
      indicators_[key] = std::move(*event.mutable_indicator());
      break;
    case RegistryEvent::kTarget: {
      auto [it, inserted] = targets_.try_emplace(key);
      if (!inserted) UnindexTarget(it->second);
      it->second = std::move(*event.mutable_target());
      IndexTarget(it->second);
      break;
    }
    case RegistryEvent::kEnterprise:
      enterprises_[key] = std::move(*event.mutable_enterprise());
      break;
    case RegistryEvent::kPublicService:
      public_services_[key] = std::move(*event.mutable_public_service());
      break;
    case RegistryEvent::kReportingUnit:
      reporting_units_[key] = std::move(*event.mutable_reporting_unit());
      break;
    case RegistryEvent::kReportingToken:
      tokens_[key] = std::move(*event.mutable_reporting_token());
      break;
    case RegistryEvent::kAdministrativeUnit:
      if (absl::Status upserted = administrative_units_.Upsert(event.administrative_unit());
          !upserted.ok()) {
        return upserted;
      }
      administrative_unit_entities_[key] = std::move(*event.mutable_administrative_unit());
      break;
    case RegistryEvent::ENTITY_NOT_SET:
      break;
  }
  return absl::OkStatus();
}

void RegistryView::Remove(EntityKind kind, const std::string& key) {
  switch (kind) {
    case registry::v1::ENTITY_KIND_PLAN:
      plans_.erase(key);
      break;
    case registry::v1::ENTITY_KIND_INDICATOR:
      indicators_.erase(key);
      break;
    case registry::v1::ENTITY_KIND_TARGET:
      if (auto it = targets_.find(key); it != targets_.end()) {
        UnindexTarget(it->second);
        targets_.erase(it);
      }
      break;
    case registry::v1::ENTITY_KIND_ENTERPRISE:
      enterprises_.erase(key);
      break;
    case registry::v1::ENTITY_KIND_PUBLIC_SERVICE:
      public_services_.erase(key);
      break;
    case registry::v1::ENTITY_KIND_REPORTING_UNIT:
      reporting_units_.erase(key);
      break;
    case registry::v1::ENTITY_KIND_REPORTING_TOKEN:
      tokens_.erase(key);
      break;
    case registry::v1::ENTITY_KIND_ADMINISTRATIVE_UNIT:
      // The index cannot forget a unit: it is rebuilt from the units that remain, each of
      // which it accepted before.
      if (administrative_unit_entities_.erase(key) > 0) {
        administrative_units_ = core::AdministrativeUnits();
        for (const auto& [code, unit] : administrative_unit_entities_) {
          administrative_units_.Upsert(unit).IgnoreError();
        }
      }
      break;
    default:
      break;
  }
}

void RegistryView::IndexTarget(const registry::v1::Target& target) {
  targets_by_indicator_[target.indicator_id()].insert(target.id());
  targets_by_plan_[target.plan_id()].insert(target.id());
}

void RegistryView::UnindexTarget(const registry::v1::Target& target) {
  EraseFromIndex(targets_by_indicator_, target.indicator_id(), target.id());
  EraseFromIndex(targets_by_plan_, target.plan_id(), target.id());
}

const registry::v1::Plan* RegistryView::FindPlan(absl::string_view id) const {
  return FindIn(plans_, id);
}
const registry::v1::Indicator* RegistryView::FindIndicator(absl::string_view id) const {
  return FindIn(indicators_, id);
}
const registry::v1::Target* RegistryView::FindTarget(absl::string_view id) const {
  return FindIn(targets_, id);
}
const registry::v1::Enterprise* RegistryView::FindEnterprise(absl::string_view tax_code) const {
  return FindIn(enterprises_, tax_code);
}
const registry::v1::PublicService* RegistryView::FindPublicService(absl::string_view id) const {
  return FindIn(public_services_, id);
}
const registry::v1::ReportingUnit* RegistryView::FindReportingUnit(absl::string_view id) const {
  return FindIn(reporting_units_, id);
}
const registry::v1::ReportingTokenCredential* RegistryView::FindToken(
    absl::string_view token_id) const {
  return FindIn(tokens_, token_id);
}
const registry::v1::AdministrativeUnit* RegistryView::FindAdministrativeUnit(
    absl::string_view code) const {
  return FindIn(administrative_unit_entities_, code);
}

std::vector<const registry::v1::Target*> RegistryView::TargetsOn(
    absl::string_view indicator_id) const {
  std::vector<const registry::v1::Target*> targets;
  auto ids = targets_by_indicator_.find(indicator_id);
  if (ids == targets_by_indicator_.end()) return targets;
  for (const std::string& id : ids->second) targets.push_back(&targets_.at(id));
  return targets;
}

std::pair<std::optional<absl::CivilDay>, std::optional<absl::CivilDay>> RegistryView::PlanHorizon(
    const registry::v1::Plan& plan) const {
  std::optional<absl::CivilDay> start = Day(plan.horizon_start());
  std::optional<absl::CivilDay> end = Day(plan.horizon_end());
  if (start.has_value() && end.has_value()) return {start, end};
  std::optional<absl::CivilDay> earliest_baseline;
  std::optional<absl::CivilDay> latest_deadline;
  if (auto ids = targets_by_plan_.find(plan.id()); ids != targets_by_plan_.end()) {
    for (const std::string& id : ids->second) {
      const registry::v1::Target& target = targets_.at(id);
      KeepEarliest(earliest_baseline, Day(target.baseline().date()));
      for (const registry::v1::Milestone& milestone : target.milestones()) {
        KeepLatest(latest_deadline, Day(milestone.deadline()));
      }
    }
  }
  if (!start.has_value()) start = earliest_baseline.has_value() ? earliest_baseline
                                                                 : Day(plan.issue_date());
  if (!end.has_value()) end = latest_deadline;
  return {start, end};
}

std::optional<std::pair<absl::CivilDay, absl::CivilDay>> RegistryView::HorizonOf(
    absl::string_view indicator_id) const {
  auto ids = targets_by_indicator_.find(indicator_id);
  if (ids == targets_by_indicator_.end()) return std::nullopt;
  std::set<std::string> plan_ids;
  for (const std::string& id : ids->second) plan_ids.insert(targets_.at(id).plan_id());
  std::optional<absl::CivilDay> start;
  std::optional<absl::CivilDay> end;
  for (const std::string& plan_id : plan_ids) {
    const registry::v1::Plan* plan = FindPlan(plan_id);
    if (plan == nullptr) continue;
    auto [plan_start, plan_end] = PlanHorizon(*plan);
    KeepEarliest(start, plan_start);
    KeepLatest(end, plan_end);
  }
  if (!start.has_value() || !end.has_value()) return std::nullopt;
  return std::pair(*start, *end);
}

void RegistryView::ForEachPlan(absl::FunctionRef<void(const registry::v1::Plan&)> visit) const {
  VisitAll(plans_, visit);
}
void RegistryView::ForEachIndicator(
    absl::FunctionRef<void(const registry::v1::Indicator&)> visit) const {
  VisitAll(indicators_, visit);
}
void RegistryView::ForEachTarget(
    absl::FunctionRef<void(const registry::v1::Target&)> visit) const {
  VisitAll(targets_, visit);
}
void RegistryView::ForEachEnterprise(
    absl::FunctionRef<void(const registry::v1::Enterprise&)> visit) const {
  VisitAll(enterprises_, visit);
}
void RegistryView::ForEachAdministrativeUnit(
    absl::FunctionRef<void(const registry::v1::AdministrativeUnit&)> visit) const {
  VisitAll(administrative_unit_entities_, visit);
}
void RegistryView::ForEachPublicService(
    absl::FunctionRef<void(const registry::v1::PublicService&)> visit) const {
  VisitAll(public_services_, visit);
}
void RegistryView::ForEachReportingUnit(
    absl::FunctionRef<void(const registry::v1::ReportingUnit&)> visit) const {
  VisitAll(reporting_units_, visit);
}

size_t RegistryView::Count(EntityKind kind) const {
  switch (kind) {
    case registry::v1::ENTITY_KIND_PLAN: return plans_.size();
    case registry::v1::ENTITY_KIND_INDICATOR: return indicators_.size();
    case registry::v1::ENTITY_KIND_TARGET: return targets_.size();
    case registry::v1::ENTITY_KIND_ENTERPRISE: return enterprises_.size();
    case registry::v1::ENTITY_KIND_PUBLIC_SERVICE: return public_services_.size();
    case registry::v1::ENTITY_KIND_REPORTING_UNIT: return reporting_units_.size();
    case registry::v1::ENTITY_KIND_REPORTING_TOKEN: return tokens_.size();
    case registry::v1::ENTITY_KIND_ADMINISTRATIVE_UNIT: return administrative_unit_entities_.size();
    default: return 0;
  }
}

}  // namespace tiendo::registry_view
