// The entity kinds the registry writes through its generic commands (create, update, import
// rows): enterprises, public services and reporting units. Each says what its key is, how to
// bring an entity to canonical form, which core rules it must pass, and which fields an
// update may not touch.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/message.h"
#include "services/common/core/problem.h"
#include "services/registry/registry_lookups.h"
#include "tiendo/registry/v1/entity_kind.pb.h"

namespace tiendo::registry {

class EntityRules {
 public:
  virtual ~EntityRules() = default;

  virtual v1::EntityKind kind() const = 0;
  // Name of the key field, e.g. "tax_code".
  virtual std::string key_field() const = 0;
  // What people call one, e.g. "enterprise", "public service".
  virtual std::string noun() const = 0;
  virtual std::unique_ptr<google::protobuf::Message> New() const = 0;
  // The key of a normalised entity.
  virtual std::string KeyOf(const google::protobuf::Message& entity) const = 0;
  virtual void Normalize(google::protobuf::Message& entity) const = 0;
  // Problems of `entity` (paths relative to it); `stored` is the current version for an
  // update, nullptr for a create.
  virtual std::vector<core::Problem> Validate(const google::protobuf::Message& entity,
                                              const google::protobuf::Message* stored,
                                              RegistryLookups& lookups) const = 0;
  // Field paths an update may not name in its mask (besides version and audit), and that a
  // full replacement keeps from the stored entity.
  virtual std::vector<std::string> ImmutablePaths() const = 0;
  // Problems of an update from `stored` to `updated` that only a dedicated call may make
  // (e.g. dissolving an enterprise).
  virtual std::vector<core::Problem> CheckUpdate(const google::protobuf::Message& stored,
                                                 const google::protobuf::Message& updated) const {
    (void)stored;
    (void)updated;
    return {};
  }
};

const EntityRules& EnterpriseRules();
const EntityRules& PublicServiceRules();
const EntityRules& ReportingUnitRules();

}  // namespace tiendo::registry
