// EntityWriter: how a registry entity becomes a committed version inside one store
// transaction — compare with the stored version (ignoring version and audit), stamp the next
// version and the audit trail, record which top-level fields changed, and queue the
// RegistryEvent (and, for a deletion, the tombstone) for the relay. Every write path of the
// registry (single RPCs, imports, plan applies) goes through it, so every committed version
// has exactly one event.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "services/registry/store/registry_store.h"
#include "tiendo/registry/v1/entity_kind.pb.h"
#include "tiendo/registry/v1/registry.pb.h"

namespace tiendo::registry {

// The record key of an entity on tiendo.registry.v1: `<kind>/<key>`, e.g.
// `enterprise/0100233488`.
std::string RecordKey(v1::EntityKind kind, absl::string_view key);

// "enterprise", "public_service", ... (the lower-case suffix of the EntityKind name).
std::string KindName(v1::EntityKind kind);

class EntityWriter {
 public:
  explicit EntityWriter(RegistryWrite& write) : write_(write) {}

  // The current (not deleted) version of (kind, key) parsed into `entity`; false when there
  // is none.
  absl::StatusOr<bool> Load(v1::EntityKind kind, absl::string_view key,
                            google::protobuf::Message& entity);

  // Writes `entity` as the next version of (kind, key), unless it equals the current one
  // apart from version and audit (UNCHANGED: nothing written). On return `entity` holds the
  // version and audit as stored. INVALID_ARGUMENT (rule too_large, on its largest field),
  // writing nothing, when its event would not fit in a Kafka record (kafka::kMaxRecordBytes).
  // `at` is where the request holds the entity (e.g. `enterprise`, `plan.indicators[2]`),
  // the violation's field then being under it; empty for a field of the entity itself.
  absl::StatusOr<v1::EntityChange> Put(v1::EntityKind kind, absl::string_view key,
                                       google::protobuf::Message& entity,
                                       absl::string_view at = "");

  // Marks (kind, key) deleted at the next version and queues the deletion event and a
  // tombstone. NOT_FOUND if there is no current version.
  absl::StatusOr<v1::EntityChange> Delete(v1::EntityKind kind, absl::string_view key);

  RegistryWrite& write() { return write_; }

 private:
  RegistryWrite& write_;
};

}  // namespace tiendo::registry
