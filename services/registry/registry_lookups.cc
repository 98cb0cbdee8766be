#include "services/registry/registry_lookups.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/status/status_macros.h"
#include "services/registry/entity_writer.h"

namespace tiendo::registry {
namespace {

// The committed entity of `kind` parsed as `Entity`, or nullptr. Only what was found is
// kept: a request that lives long (an import stream) sees an entity another call creates
// meanwhile, and a store that failed to answer once is asked again.
// A store failure is kept in `failure` (the first since it was taken).
template <typename Entity>
const Entity* FindCommitted(
    RegistryStore& store, v1::EntityKind kind, absl::string_view key,
    absl::node_hash_map<std::string, std::unique_ptr<Entity>>& cache, absl::Status& failure) {
  auto found = cache.find(key);
  if (found != cache.end()) return found->second.get();
  absl::StatusOr<std::optional<StoredEntity>> stored = store.Get(kind, key);
  if (!stored.ok()) {
    failure.Update(stored.status());
    return nullptr;
  }
  if (!stored->has_value() || (*stored)->deleted) return nullptr;
  auto entity = std::make_unique<Entity>();
  if (!entity->ParseFromString((*stored)->body)) {
    failure.Update(absl::DataLossError(
        absl::StrCat("stored ", KindName(kind), " ", key, " does not parse")));
    return nullptr;
  }
  return cache.emplace(std::string(key), std::move(entity)).first->second.get();
}

}  // namespace

absl::StatusOr<std::shared_ptr<const core::AdministrativeUnits>>
AdministrativeUnitCache::Current() {
  absl::MutexLock lock(&mu_);
  const int64_t generation = store_.Generation(v1::ENTITY_KIND_ADMINISTRATIVE_UNIT);
  if (units_ != nullptr && generation == generation_) return units_;
  auto units = std::make_shared<core::AdministrativeUnits>();
  absl::Status loaded = absl::OkStatus();
  RETURN_IF_ERROR(store_.Scan(
      v1::ENTITY_KIND_ADMINISTRATIVE_UNIT, "",
      [&](absl::string_view key, const StoredEntity& stored) {
        v1::AdministrativeUnit unit;
        if (!unit.ParseFromString(stored.body)) {
          loaded = absl::DataLossError(absl::StrCat("stored administrative unit ", key,
                                                    " does not parse"));
          return false;
        }
        loaded = units->Upsert(unit);
        return loaded.ok();
      }));
  RETURN_IF_ERROR(loaded);
  units_ = std::move(units);
  generation_ = generation;
  return units_;
}

const v1::Indicator* RegistryLookups::FindIndicator(absl::string_view id) {
  return FindCommitted(store_, v1::ENTITY_KIND_INDICATOR, id, indicators_, failure_);
}

const v1::ReportingUnit* RegistryLookups::FindReportingUnit(absl::string_view id) {
  return FindCommitted(store_, v1::ENTITY_KIND_REPORTING_UNIT, id, reporting_units_, failure_);
}

absl::Status RegistryLookups::TakeFailure() { return std::exchange(failure_, absl::OkStatus()); }

}  // namespace tiendo::registry
