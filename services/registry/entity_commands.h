// The write commands every registry entity kind shares — create, update (with a field mask
// and the version it was based on), a change made by a dedicated call (dissolve, set allowed
// indicators), and one row of a bulk import — with the validation, the version checks and
// the errors that go with them:
//   INVALID_ARGUMENT  with one FieldViolation per broken rule, paths prefixed with the
//                     request field that holds the entity (e.g. `enterprise.tax_code`);
//                     a create of an existing key breaks rule `duplicate`
//   NOT_FOUND         an update of a key that does not exist
//   ABORTED           an update based on a version that is no longer the stored one
#pragma once

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "services/registry/entity_kinds.h"
#include "services/registry/entity_writer.h"
#include "services/registry/registry_lookups.h"
#include "services/registry/store/registry_store.h"
#include "tiendo/registry/v1/import.pb.h"

namespace tiendo::registry {

// What every command needs: the store, lookups for validation, and who is writing.
struct CommandContext {
  RegistryStore& store;
  RegistryLookups& lookups;
  WriteContext write;
};

// Creates `entity` at version 1; on return `entity` is as stored (in a dry run: as it would
// be). `field` names the request field holding it, e.g. "enterprise".
absl::Status CreateEntity(CommandContext& context, const EntityRules& rules,
                          google::protobuf::Message& entity, absl::string_view field,
                          bool dry_run);

// Applies the fields of `entity` named by `mask` (all updatable fields when empty) to the
// stored entity with the same key, if it is still at `expected_version`. On return `entity`
// is the result.
absl::Status UpdateEntity(CommandContext& context, const EntityRules& rules,
                          google::protobuf::Message& entity,
                          const google::protobuf::FieldMask& mask, int64_t expected_version,
                          absl::string_view field, bool dry_run);

// Changes the stored entity `key` (named by the request's field `key_field`: required) with
// `change` (a dedicated call's own edit, whose error ends the call), if it is still at
// `expected_version`, then validates and writes it like an update. `result` receives the
// entity as stored.
absl::Status ChangeEntity(
    CommandContext& context, const EntityRules& rules, absl::string_view key_field,
    absl::string_view key, int64_t expected_version,
    const std::function<absl::Status(google::protobuf::Message&)>& change, bool dry_run,
    google::protobuf::Message& result);

// Reads the committed entity (kind, key) into `entity`; NOT_FOUND naming it otherwise.
absl::Status GetEntity(RegistryStore& store, v1::EntityKind kind, absl::string_view key,
                       google::protobuf::Message& entity);

// One import row in an open transaction: validated and written (or rejected) on its own.
// A failure of the store itself is returned as an error; everything about the row is in
// the result.
absl::StatusOr<v1::ImportRowResult> ImportRow(EntityWriter& writer, const EntityRules& rules,
                                              RegistryLookups& lookups,
                                              const v1::ImportOptions& options,
                                              int64_t row_number,
                                              google::protobuf::Message& row);

}  // namespace tiendo::registry
