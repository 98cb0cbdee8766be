#include "services/registry/entity_commands.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/field_mask_util.h"
#include "services/common/core/problem.h"
#include "services/common/status/field_violations.h"
#include "services/common/status/status_macros.h"

namespace tiendo::registry {
namespace {

using google::protobuf::FieldMask;
using google::protobuf::Message;
using google::protobuf::util::FieldMaskUtil;

// INVALID_ARGUMENT with the errors among `problems`, or OK when there are none.
absl::Status Rejection(const std::vector<core::Problem>& problems, absl::string_view field) {
  std::vector<common::v1::FieldViolation> violations;
  for (const core::Problem& problem : problems) {
    if (problem.severity == core::Severity::kError) {
      violations.push_back(core::ToFieldViolation(problem, field));
    }
  }
  if (violations.empty()) return absl::OkStatus();
  return status::InvalidArgumentWithViolations(violations);
}

absl::Status CheckExpectedVersion(const EntityRules& rules, absl::string_view key,
                                  int64_t stored, int64_t expected) {
  if (expected < 1) {
    return status::InvalidArgumentWithViolations({status::Violation(
        "expected_version", "required",
        absl::StrCat("expected_version is required: the version of ", rules.noun(), " ", key,
                     " the change is based on (it is now ", stored, ")"))});
  }
  if (expected != stored) {
    return absl::AbortedError(absl::StrCat(rules.noun(), " ", key, " is at version ", stored,
                                           ", not ", expected,
                                           ": someone changed it since you read it; read it "
                                           "again, re-apply your change and retry"));
  }
  return absl::OkStatus();
}

bool Touches(absl::string_view path, absl::string_view field) {
  return path == field || absl::StartsWith(path, absl::StrCat(field, "."));
}

// The mask of every field but the immutable and output-only ones: an empty mask's meaning.
FieldMask UpdatableFields(const EntityRules& rules, const Message& entity) {
  FieldMask mask;
  const google::protobuf::Descriptor* type = entity.GetDescriptor();
  for (int i = 0; i < type->field_count(); ++i) {
    const std::string& name = type->field(i)->name();
    bool keep = name != "version" && name != "audit";
    for (const std::string& immutable : rules.ImmutablePaths()) keep = keep && name != immutable;
    if (keep) mask.add_paths(name);
  }
  return mask;
}

// Copies the fields `mask` names from `from` onto `onto`, replacing (not merging) messages
// and lists: an update's change.
void ReplaceMasked(const Message& from, const FieldMask& mask, Message& onto) {
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(from, mask, options, &onto);
}

absl::Status CheckMask(const EntityRules& rules, const Message& entity, const FieldMask& mask,
                       absl::string_view field) {
  std::vector<common::v1::FieldViolation> violations;
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    const std::string where = absl::StrCat("update_mask.paths[", i, "]");
    if (!FieldMaskUtil::GetFieldDescriptors(entity.GetDescriptor(), path, nullptr)) {
      violations.push_back(status::Violation(
          where, "unknown_field",
          absl::StrCat("\"", path, "\" is not a field of ", entity.GetTypeName())));
      continue;
    }
    std::vector<std::string> fixed = rules.ImmutablePaths();
    fixed.push_back("version");
    fixed.push_back("audit");
    for (const std::string& immutable : fixed) {
      if (Touches(path, immutable)) {
        violations.push_back(status::Violation(
            where, "immutable",
            absl::StrCat(field, ".", immutable, " cannot be changed by an update")));
      }
    }
  }
  if (violations.empty()) return absl::OkStatus();
  return status::InvalidArgumentWithViolations(violations);
}

absl::Status NotFound(const EntityRules& rules, absl::string_view key) {
  return absl::NotFoundError(absl::StrCat(rules.noun(), " ", key, " does not exist"));
}

// Loads `key`, checks it is still at `expected_version`, applies `change` (whose error ends
// the write), validates the result (with the kind's update checks if `check_update`) and
// writes it into `result`.
absl::Status Modify(CommandContext& context, const EntityRules& rules, absl::string_view key,
                    int64_t expected_version,
                    const std::function<absl::Status(Message&)>& change,
                    absl::string_view field, bool check_update, bool dry_run, Message& result) {
  return context.store.Write(context.write, dry_run, [&](RegistryWrite& write) -> absl::Status {
    EntityWriter writer(write);
    std::unique_ptr<Message> stored = rules.New();
    ASSIGN_OR_RETURN(bool exists, writer.Load(rules.kind(), key, *stored));
    if (!exists) return NotFound(rules, key);
    const int64_t version = stored->GetReflection()->GetInt64(
        *stored, stored->GetDescriptor()->FindFieldByName("version"));
    RETURN_IF_ERROR(CheckExpectedVersion(rules, key, version, expected_version));
    result.CopyFrom(*stored);
    RETURN_IF_ERROR(change(result));
    rules.Normalize(result);
    std::vector<core::Problem> problems;
    if (check_update) problems = rules.CheckUpdate(*stored, result);
    for (core::Problem& problem : rules.Validate(result, stored.get(), context.lookups)) {
      problems.push_back(std::move(problem));
    }
    RETURN_IF_ERROR(context.lookups.TakeFailure());
    RETURN_IF_ERROR(Rejection(problems, field));
    return writer.Put(rules.kind(), key, result, field).status();
  });
}

// The immutable text fields that `row` gives a value other than the stored one.
std::vector<core::Problem> ImmutableChanges(const EntityRules& rules, absl::string_view key,
                                            const Message& stored, const Message& row) {
  std::vector<core::Problem> problems;
  for (const std::string& path : rules.ImmutablePaths()) {
    const google::protobuf::FieldDescriptor* field = row.GetDescriptor()->FindFieldByName(path);
    if (field == nullptr || field->is_repeated() ||
        field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_STRING) {
      continue;
    }
    const std::string given = row.GetReflection()->GetString(row, field);
    const std::string kept = stored.GetReflection()->GetString(stored, field);
    if (given.empty() || given == kept) continue;
    core::Problem problem;
    problem.path = path;
    problem.rule = "immutable";
    problem.message = absl::StrCat(rules.noun(), " ", key, ": ", path, " is \"", kept,
                                   "\" and an import does not change it (the row has \"",
                                   given, "\")");
    problems.push_back(std::move(problem));
  }
  return problems;
}

void DefaultSourceSystem(Message& row, const std::string& source_system) {
  const google::protobuf::FieldDescriptor* field =
      row.GetDescriptor()->FindFieldByName("source_system");
  if (field == nullptr || source_system.empty()) return;
  if (row.GetReflection()->GetString(row, field).empty()) {
    row.GetReflection()->SetString(&row, field, source_system);
  }
}

}  // namespace

absl::Status CreateEntity(CommandContext& context, const EntityRules& rules, Message& entity,
                          absl::string_view field, bool dry_run) {
  rules.Normalize(entity);
  const std::string key = rules.KeyOf(entity);
  return context.store.Write(context.write, dry_run, [&](RegistryWrite& write) -> absl::Status {
    // Validated under the write lock, so that what it looks up cannot change before commit.
    const std::vector<core::Problem> problems = rules.Validate(entity, nullptr, context.lookups);
    RETURN_IF_ERROR(context.lookups.TakeFailure());
    RETURN_IF_ERROR(Rejection(problems, field));
    EntityWriter writer(write);
    std::unique_ptr<Message> stored = rules.New();
    ASSIGN_OR_RETURN(bool exists, writer.Load(rules.kind(), key, *stored));
    if (exists) {
      return status::InvalidArgumentWithViolations({status::Violation(
          absl::StrCat(field, ".", rules.key_field()), "duplicate",
          absl::StrCat(rules.noun(), " ", key, " already exists (version ",
                       stored->GetReflection()->GetInt64(
                           *stored, stored->GetDescriptor()->FindFieldByName("version")),
                       "); change it with an update")) });
    }
    return writer.Put(rules.kind(), key, entity, field).status();
  });
}

absl::Status UpdateEntity(CommandContext& context, const EntityRules& rules, Message& entity,
                          const FieldMask& mask, int64_t expected_version,
                          absl::string_view field, bool dry_run) {
  const std::string key = rules.KeyOf(entity);
  if (key.empty()) {
    return status::InvalidArgumentWithViolations({status::Violation(
        absl::StrCat(field, ".", rules.key_field()), "required",
        absl::StrCat(rules.key_field(), " names the ", rules.noun(), " to update"))});
  }
  RETURN_IF_ERROR(CheckMask(rules, entity, mask, field));
  const FieldMask applied = mask.paths().empty() ? UpdatableFields(rules, entity) : mask;
  std::unique_ptr<Message> updated = rules.New();
  RETURN_IF_ERROR(Modify(
      context, rules, key, expected_version,
      [&](Message& stored) {
        ReplaceMasked(entity, applied, stored);
        return absl::OkStatus();
      },
      field, /*check_update=*/true, dry_run, *updated));
  entity.CopyFrom(*updated);
  return absl::OkStatus();
}

absl::Status ChangeEntity(CommandContext& context, const EntityRules& rules,
                          absl::string_view key_field, absl::string_view key,
                          int64_t expected_version,
                          const std::function<absl::Status(Message&)>& change, bool dry_run,
                          Message& result) {
  if (key.empty()) {
    return status::InvalidArgumentWithViolations({status::Violation(
        std::string(key_field), "required", absl::StrCat(key_field, " names the ", rules.noun()))});
  }
  return Modify(context, rules, key, expected_version, change, "", /*check_update=*/false,
                dry_run, result);
}

absl::Status GetEntity(RegistryStore& store, v1::EntityKind kind, absl::string_view key,
                       Message& entity) {
  ASSIGN_OR_RETURN(std::optional<StoredEntity> stored, store.Get(kind, key));
  std::string noun = KindName(kind);
  std::replace(noun.begin(), noun.end(), '_', ' ');
  if (!stored.has_value() || stored->deleted) {
    return absl::NotFoundError(absl::StrCat(noun, " ", key, " does not exist"));
  }
  if (!entity.ParseFromString(stored->body)) {
    return absl::DataLossError(absl::StrCat("stored ", noun, " ", key, " does not parse"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ImportRowResult> ImportRow(EntityWriter& writer, const EntityRules& rules,
                                              RegistryLookups& lookups,
                                              const v1::ImportOptions& options,
                                              int64_t row_number, Message& row) {
  v1::ImportRowResult result;
  result.set_row_number(row_number);
  rules.Normalize(row);
  DefaultSourceSystem(row, options.source_system());
  const std::string key = rules.KeyOf(row);
  result.set_key(key);
  std::unique_ptr<Message> stored = rules.New();
  bool exists = false;
  if (!key.empty()) {
    ASSIGN_OR_RETURN(exists, writer.Load(rules.kind(), key, *stored));
  }
  std::vector<core::Problem> problems;
  if (exists) {
    // A full replacement, as an update without a mask: what is immutable stays as stored
    // (an enterprise's dissolution date), a row that gives it another value is told so, and
    // the update rules hold (nothing dissolved or revived but by its own call).
    problems = ImmutableChanges(rules, key, *stored, row);
    std::unique_ptr<Message> replaced = rules.New();
    replaced->CopyFrom(*stored);
    ReplaceMasked(row, UpdatableFields(rules, row), *replaced);
    row.CopyFrom(*replaced);
    for (core::Problem& problem : rules.CheckUpdate(*stored, row)) {
      problems.push_back(std::move(problem));
    }
  }
  for (core::Problem& problem : rules.Validate(row, exists ? stored.get() : nullptr, lookups)) {
    problems.push_back(std::move(problem));
  }
  RETURN_IF_ERROR(lookups.TakeFailure());  // the store's failure, not the row's
  if (exists && options.mode() == v1::IMPORT_MODE_CREATE_ONLY) {
    core::Problem duplicate;
    duplicate.path = rules.key_field();
    duplicate.rule = "duplicate";
    duplicate.message = absl::StrCat(rules.noun(), " ", key,
                                     " already exists; this import creates only new ones");
    problems.push_back(duplicate);
  }
  for (const core::Problem& problem : problems) {
    if (problem.severity == core::Severity::kError) {
      *result.add_field_violations() = core::ToFieldViolation(problem);
    }
  }
  if (result.field_violations_size() > 0) {
    result.set_outcome(v1::IMPORT_OUTCOME_REJECTED);
    return result;
  }
  absl::StatusOr<v1::EntityChange> written = writer.Put(rules.kind(), key, row);
  if (absl::IsInvalidArgument(written.status())) {  // the row cannot be written, as it is
    for (common::v1::FieldViolation& violation : status::FieldViolationsOf(written.status())) {
      *result.add_field_violations() = std::move(violation);
    }
    result.set_outcome(v1::IMPORT_OUTCOME_REJECTED);
    return result;
  }
  ASSIGN_OR_RETURN(v1::EntityChange change, std::move(written));
  result.set_version(change.version());
  switch (change.change()) {
    case v1::CHANGE_TYPE_CREATED:
      result.set_outcome(v1::IMPORT_OUTCOME_CREATED);
      break;
    case v1::CHANGE_TYPE_UPDATED:
      result.set_outcome(v1::IMPORT_OUTCOME_UPDATED);
      break;
    default:
      result.set_outcome(v1::IMPORT_OUTCOME_UNCHANGED);
      break;
  }
  return result;
}

}  // namespace tiendo::registry
