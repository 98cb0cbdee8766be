#include "services/registry/entity_writer.h"

#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/kafka/record.h"
#include "services/common/status/check.h"
#include "services/common/status/field_violations.h"
#include "services/common/status/status_macros.h"
#include "tiendo/events/v1/registry_event.pb.h"
#include "tiendo/registry/v1/audit.pb.h"

namespace tiendo::registry {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The top-level field of `entity` that takes the most of its bytes, for a message that says
// what to shorten; nullptr for an empty entity.
const FieldDescriptor* LargestField(const Message& entity) {
  std::vector<const FieldDescriptor*> fields;
  entity.GetReflection()->ListFields(entity, &fields);
  const size_t whole = entity.ByteSizeLong();
  const FieldDescriptor* largest = nullptr;
  size_t largest_bytes = 0;
  for (const FieldDescriptor* field : fields) {
    std::unique_ptr<Message> without(entity.New());
    without->CopyFrom(entity);
    without->GetReflection()->ClearField(without.get(), field);
    if (const size_t bytes = whole - without->ByteSizeLong(); bytes > largest_bytes) {
      largest = field;
      largest_bytes = bytes;
    }
  }
  return largest;
}

// The message that carries `version` (a token credential keeps it in its token).
Message& VersionCarrier(Message& entity) {
  const FieldDescriptor* token = entity.GetDescriptor()->FindFieldByName("token");
  if (token != nullptr && token->type() == FieldDescriptor::TYPE_MESSAGE) {
    return *entity.GetReflection()->MutableMessage(&entity, token);
  }
  return entity;
}

const FieldDescriptor* VersionField(const Message& carrier) {
  const FieldDescriptor* field = carrier.GetDescriptor()->FindFieldByName("version");
  TIENDO_CHECK(field != nullptr && field->cpp_type() == FieldDescriptor::CPPTYPE_INT64,
               "registry entity without an int64 version field");
  return field;
}

void SetVersion(Message& entity, int64_t version) {
  Message& carrier = VersionCarrier(entity);
  carrier.GetReflection()->SetInt64(&carrier, VersionField(carrier), version);
}

// The entity's audit trail, or nullptr for kinds without one.
v1::AuditInfo* MutableAudit(Message& entity) {
  const FieldDescriptor* field = entity.GetDescriptor()->FindFieldByName("audit");
  if (field == nullptr) return nullptr;
  return static_cast<v1::AuditInfo*>(entity.GetReflection()->MutableMessage(&entity, field));
}

// Top-level fields (by name) whose values differ, version and audit excluded.
std::vector<std::string> ChangedFields(const Message& before, const Message& after) {
  std::vector<std::string> changed;
  const google::protobuf::Descriptor* type = after.GetDescriptor();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (field->name() == "version" || field->name() == "audit") continue;
    google::protobuf::util::MessageDifferencer differencer;
    std::vector<const FieldDescriptor*> only = {field};
    if (!differencer.CompareWithFields(before, after, only, only)) {
      changed.push_back(field->name());
    }
  }
  return changed;
}

// Sets the oneof member of `event` whose type is `entity`'s.
void SetEventEntity(events::v1::RegistryEvent& event, const Message& entity) {
  const google::protobuf::OneofDescriptor* oneof =
      event.GetDescriptor()->FindOneofByName("entity");
  for (int i = 0; i < oneof->field_count(); ++i) {
    const FieldDescriptor* member = oneof->field(i);
    if (member->message_type() == entity.GetDescriptor()) {
      event.GetReflection()->MutableMessage(&event, member)->CopyFrom(entity);
      return;
    }
  }
  TIENDO_CHECK(false, "entity type has no member in RegistryEvent.entity");
}

events::v1::RegistryEvent EventFor(const RegistryWrite& write, v1::EntityKind kind,
                                   absl::string_view key, int64_t version) {
  events::v1::RegistryEvent event;
  event.set_entity_kind(kind);
  event.set_entity_key(std::string(key));
  event.set_entity_version(version);
  *event.mutable_occurred_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(write.committed_at()));
  event.set_actor(write.context().actor);
  event.set_transaction_id(write.transaction_id());
  return event;
}

}  // namespace

std::string KindName(v1::EntityKind kind) {
  std::string name = v1::EntityKind_Name(kind);
  constexpr absl::string_view kPrefix = "ENTITY_KIND_";
  if (absl::StartsWith(name, kPrefix)) name = name.substr(kPrefix.size());
  return absl::AsciiStrToLower(name);
}

std::string RecordKey(v1::EntityKind kind, absl::string_view key) {
  return absl::StrCat(KindName(kind), "/", key);
}

absl::StatusOr<bool> EntityWriter::Load(v1::EntityKind kind, absl::string_view key,
                                        Message& entity) {
  ASSIGN_OR_RETURN(std::optional<StoredEntity> stored, write_.Get(kind, key));
  if (!stored.has_value() || stored->deleted) return false;
  if (!entity.ParseFromString(stored->body)) {
    return absl::DataLossError(absl::StrCat("stored ", RecordKey(kind, key), " version ",
                                            stored->version, " does not parse as ",
                                            entity.GetTypeName()));
  }
  return true;
}

absl::StatusOr<v1::EntityChange> EntityWriter::Put(v1::EntityKind kind, absl::string_view key,
                                                   Message& entity, absl::string_view at) {
  ASSIGN_OR_RETURN(std::optional<StoredEntity> stored, write_.Get(kind, key));
  v1::EntityChange change;
  change.set_entity_kind(kind);
  change.set_entity_key(std::string(key));

  std::unique_ptr<Message> before(entity.New());
  const bool exists = stored.has_value() && !stored->deleted;
  if (exists && !before->ParseFromString(stored->body)) {
    return absl::DataLossError(absl::StrCat("stored ", RecordKey(kind, key),
                                            " does not parse as ", entity.GetTypeName()));
  }
  v1::AuditInfo* audit = MutableAudit(entity);
  if (exists) {
    change.set_previous_version(stored->version);
    std::vector<std::string> changed = ChangedFields(*before, entity);
    if (changed.empty()) {
      SetVersion(entity, stored->version);
      if (audit != nullptr) *audit = *MutableAudit(*before);
      change.set_change(v1::CHANGE_TYPE_UNCHANGED);
      change.set_version(stored->version);
      return change;
    }
    change.set_change(v1::CHANGE_TYPE_UPDATED);
    for (std::string& field : changed) change.add_changed_fields(std::move(field));
  } else {
    change.set_change(v1::CHANGE_TYPE_CREATED);
  }
  const int64_t version = stored.has_value() ? stored->version + 1 : 1;
  change.set_version(version);
  SetVersion(entity, version);
  if (audit != nullptr) {
    const google::protobuf::Timestamp now =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
            absl::ToUnixMicros(write_.committed_at()));
    if (exists) {
      *audit = *MutableAudit(*before);
    } else {
      *audit->mutable_created_at() = now;
      audit->set_created_by(write_.context().actor);
    }
    *audit->mutable_updated_at() = now;
    audit->set_updated_by(write_.context().actor);
  }

  events::v1::RegistryEvent event = EventFor(write_, kind, key, version);
  SetEventEntity(event, entity);
  const std::string record_key = RecordKey(kind, key);
  std::string value = event.SerializeAsString();
  if (record_key.size() + value.size() > kafka::kMaxRecordBytes) {
    // The relay could never publish it, and would hold up every change after it.
    const FieldDescriptor* largest = LargestField(entity);
    const std::string field = largest == nullptr ? "" : largest->name();
    return status::InvalidArgumentWithViolations({status::Violation(
        at.empty() || field.empty() ? absl::StrCat(at, field) : absl::StrCat(at, ".", field),
        "too_large",
        absl::StrCat(KindName(kind), " ", key, " would take ", value.size(),
                     " bytes as an event on tiendo.registry.v1, more than the ",
                     kafka::kMaxRecordBytes, " a Kafka record may hold",
                     field.empty() ? "" : absl::StrCat("; shorten its ", field)))});
  }
  StoredEntity row;
  row.version = version;
  row.body = entity.SerializeAsString();
  RETURN_IF_ERROR(write_.Put(kind, key, row, change.change(),
                             absl::StrJoin(change.changed_fields(), ","),
                             {OutboxRecord{0, record_key, std::move(value)}}));
  return change;
}

absl::StatusOr<v1::EntityChange> EntityWriter::Delete(v1::EntityKind kind,
                                                      absl::string_view key) {
  ASSIGN_OR_RETURN(std::optional<StoredEntity> stored, write_.Get(kind, key));
  if (!stored.has_value() || stored->deleted) {
    return absl::NotFoundError(absl::StrCat(KindName(kind), " ", key, " does not exist"));
  }
  v1::EntityChange change;
  change.set_entity_kind(kind);
  change.set_entity_key(std::string(key));
  change.set_change(v1::CHANGE_TYPE_DELETED);
  change.set_previous_version(stored->version);
  change.set_version(stored->version + 1);
  events::v1::RegistryEvent event = EventFor(write_, kind, key, change.version());
  event.set_deleted(true);
  StoredEntity row;
  row.version = change.version();
  row.deleted = true;
  const std::string record_key = RecordKey(kind, key);
  RETURN_IF_ERROR(write_.Put(kind, key, row, v1::CHANGE_TYPE_DELETED, "",
                             {OutboxRecord{0, record_key, event.SerializeAsString()},
                              OutboxRecord{0, record_key, std::nullopt}}));
  return change;
}

}  // namespace tiendo::registry
