// RegistryView: the registry as the topic tiendo.registry.v1 says it is, for services that
// must not call the registry (metrics-ingest, target-evaluator). Records are applied one by
// one in log order; each key's entity is replaced only by a newer entity version, so reading
// the topic again, or an older duplicate, changes nothing.
//
// Deletions arrive as an event with deleted=true followed by a null-value record (tombstone)
// under the same key. The view remembers the version at which a key was deleted, so an older
// re-delivery does not bring the entity back; an entity re-created later gets a higher
// version and is applied.
//
// Not thread-safe: the owner synchronises (RegistryFollower does). Pointers returned by the
// lookups are valid until the next Apply.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/core/administrative_units.h"
#include "services/common/kafka/record.h"
#include "tiendo/events/v1/registry_event.pb.h"
#include "tiendo/registry/v1/administrative_unit.pb.h"
#include "tiendo/registry/v1/enterprise.pb.h"
#include "tiendo/registry/v1/entity_kind.pb.h"
#include "tiendo/registry/v1/indicator.pb.h"
#include "tiendo/registry/v1/plan.pb.h"
#include "tiendo/registry/v1/public_service.pb.h"
#include "tiendo/registry/v1/reporting_token.pb.h"
#include "tiendo/registry/v1/reporting_unit.pb.h"
#include "tiendo/registry/v1/target.pb.h"

namespace tiendo::registry_view {

// What one record did to the view.
struct RegistryChange {
  registry::v1::EntityKind kind = registry::v1::ENTITY_KIND_UNSPECIFIED;
  std::string key;       // the entity's key, e.g. a tax code (without the `<kind>/` prefix)
  int64_t version = 0;   // the event's entity version; for a tombstone, the version held
  bool deleted = false;  // a deletion event or a tombstone
  // False when the record changed nothing: an entity version not newer than the one held,
  // or a tombstone for a key that is already gone.
  bool applied = false;
};

class RegistryView {
 public:
  // Applies one record of the registry topic. DATA_LOSS, naming the record key and
  // position, when the record has no key, its key is not `<kind>/<key>`, its value does not
  // parse as a RegistryEvent, or the event contradicts its key or carries no entity;
  // INVALID_ARGUMENT when an administrative unit breaks the index's rules. The view is
  // unchanged after an error.
  absl::StatusOr<RegistryChange> Apply(const kafka::ConsumedRecord& record);

  // Lookups by key; nullptr when the view holds no such (live) entity.
  const registry::v1::Plan* FindPlan(absl::string_view id) const;
  const registry::v1::Indicator* FindIndicator(absl::string_view id) const;
  const registry::v1::Target* FindTarget(absl::string_view id) const;
  const registry::v1::Enterprise* FindEnterprise(absl::string_view tax_code) const;
  const registry::v1::PublicService* FindPublicService(absl::string_view id) const;
  const registry::v1::ReportingUnit* FindReportingUnit(absl::string_view id) const;
  const registry::v1::ReportingTokenCredential* FindToken(absl::string_view token_id) const;
  const registry::v1::AdministrativeUnit* FindAdministrativeUnit(absl::string_view code) const;

  // The administrative units held, as the core's index.
  const core::AdministrativeUnits& administrative_units() const { return administrative_units_; }

  // The targets whose indicator_id is `indicator_id`, in id order.
  std::vector<const registry::v1::Target*> TargetsOn(absl::string_view indicator_id) const;

  // The days the plans tracking `indicator_id` monitor (submissions for periods outside are
  // out of horizon): the earliest start (first) and the latest end (second) among the
  // plans that have a target on it. A plan's horizon runs from its horizon_start (else its
  // targets' earliest baseline date, else its issue_date) to its horizon_end (else its
  // targets' latest milestone deadline), as plan.proto says. nullopt when no such plan is
  // held, or no start or no end can be told.
  std::optional<std::pair<absl::CivilDay, absl::CivilDay>> HorizonOf(
      absl::string_view indicator_id) const;

  // Every entity of a kind, in no particular order.
  void ForEachPlan(absl::FunctionRef<void(const registry::v1::Plan&)> visit) const;
  void ForEachIndicator(absl::FunctionRef<void(const registry::v1::Indicator&)> visit) const;
  void ForEachTarget(absl::FunctionRef<void(const registry::v1::Target&)> visit) const;
  void ForEachEnterprise(absl::FunctionRef<void(const registry::v1::Enterprise&)> visit) const;
  void ForEachAdministrativeUnit(
      absl::FunctionRef<void(const registry::v1::AdministrativeUnit&)> visit) const;
  void ForEachPublicService(
      absl::FunctionRef<void(const registry::v1::PublicService&)> visit) const;
  void ForEachReportingUnit(
      absl::FunctionRef<void(const registry::v1::ReportingUnit&)> visit) const;

  // How many live entities of `kind` the view holds.
  size_t Count(registry::v1::EntityKind kind) const;

 private:
  // Where a key stands: the newest version seen, whether it is deleted, and the position of
  // the record that brought that state (a tombstone only deletes what an earlier record of
  // its partition brought, so re-reading the log over a re-created entity leaves it alone).
  struct KeyState {
    int64_t version = 0;
    bool deleted = false;
    int32_t partition = -1;  // -1: no record of this key applied yet
    int64_t offset = -1;
    // The key's last record was a deletion older than the version held: the registry's relay
    // sent it again (after a crash, or a failed write before it), and the tombstone that
    // follows it is as old.
    bool stale_deletion = false;
  };
  template <typename T>
  using Table = absl::flat_hash_map<std::string, T>;

  absl::StatusOr<RegistryChange> ApplyEvent(const kafka::ConsumedRecord& record,
                                            registry::v1::EntityKind kind, absl::string_view key);
  RegistryChange ApplyTombstone(const kafka::ConsumedRecord& record,
                                registry::v1::EntityKind kind, absl::string_view key);
  // Stores the entity the event carries under `key`.
  absl::Status Store(events::v1::RegistryEvent& event, const std::string& key);
  // Removes the entity of `kind` held under `key`, if any.
  void Remove(registry::v1::EntityKind kind, const std::string& key);
  void IndexTarget(const registry::v1::Target& target);
  void UnindexTarget(const registry::v1::Target& target);
  // The horizon of one plan, each end nullopt when it cannot be told.
  std::pair<std::optional<absl::CivilDay>, std::optional<absl::CivilDay>> PlanHorizon(
      const registry::v1::Plan& plan) const;

  // Record key (`<kind>/<key>`) → where it stands.
  Table<KeyState> keys_;
  Table<registry::v1::Plan> plans_;
  Table<registry::v1::Indicator> indicators_;
  Table<registry::v1::Target> targets_;
  Table<registry::v1::Enterprise> enterprises_;
  Table<registry::v1::PublicService> public_services_;
  Table<registry::v1::ReportingUnit> reporting_units_;
  Table<registry::v1::ReportingTokenCredential> tokens_;
  Table<registry::v1::AdministrativeUnit> administrative_unit_entities_;
  core::AdministrativeUnits administrative_units_;
  // Indicator id → ids of the targets on it; plan id → ids of its targets.
  Table<std::set<std::string>> targets_by_indicator_;
  Table<std::set<std::string>> targets_by_plan_;
};

}  // namespace tiendo::registry_view
