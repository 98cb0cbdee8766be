// tiendoctl plan apply FILE: checks a plan file the way `plan validate` does, refuses to send
// a file with errors, then calls Registry.ApplyPlan (optionally as a dry run) and prints what
// changed: one row per entity (kind, key, CREATED/UPDATED/UNCHANGED/DELETED, version
// before→after, changed fields) and a summary line. A refusal by the registry
// (INVALID_ARGUMENT) is printed violation by violation, each placed at its line of the file
// when the path names a field the file has.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "tools/tiendoctl/command.h"
#include "tools/tiendoctl/enum_words.h"
#include "tools/tiendoctl/file_text.h"
#include "tools/tiendoctl/plan_file_check.h"
#include "tools/tiendoctl/registry_connection.h"
#include "tools/tiendoctl/rpc_failure.h"
#include "tools/tiendoctl/text_table.h"

namespace tiendo::ctl {
namespace {

using registry::v1::ChangeType;
using registry::v1::EntityChange;

std::string KindName(registry::v1::EntityKind kind) {
  return EnumWord(*registry::v1::EntityKind_descriptor(), kind);
}

// "UPDATED" for CHANGE_TYPE_UPDATED.
std::string ChangeName(ChangeType change) {
  return absl::AsciiStrToUpper(EnumWord(*registry::v1::ChangeType_descriptor(), change));
}

// "-→1" created, "2→3" updated or deleted, "3" unchanged.
std::string Versions(const EntityChange& change) {
  if (change.change() == registry::v1::CHANGE_TYPE_UNCHANGED) return absl::StrCat(change.version());
  const std::string before =
      change.previous_version() == 0 ? "-" : absl::StrCat(change.previous_version());
  return absl::StrCat(before, "→", change.version());
}

// "1 created, 2 updated, 12 unchanged": the changes that happened, in a fixed order.
std::string Summary(const registry::v1::ApplyPlanResponse& response) {
  std::vector<std::string> parts;
  for (ChangeType change : {registry::v1::CHANGE_TYPE_CREATED, registry::v1::CHANGE_TYPE_UPDATED,
                            registry::v1::CHANGE_TYPE_DELETED,
                            registry::v1::CHANGE_TYPE_UNCHANGED}) {
    int count = 0;
    for (const EntityChange& entity : response.changes()) count += entity.change() == change;
    if (count > 0) {
      parts.push_back(
          absl::StrCat(count, " ", EnumWord(*registry::v1::ChangeType_descriptor(), change)));
    }
  }
  return parts.empty() ? "no entities" : absl::StrJoin(parts, ", ");
}

int Run(const std::vector<std::string>& args, Io& io) {
  RegistryConnection connection;
  bool dry_run = false;
  config::FlagSet flags(
      "tiendoctl plan apply FILE",
      "Applies a plan file (YAML or JSON, tiendo.registry.v1.PlanFile) to tiendo-registry in "
      "one transaction: creates or updates the plan, its indicators and targets, the "
      "reporting units and administrative units it lists, and deletes the plan's targets the "
      "file no longer lists. The file is first checked as by 'tiendoctl plan validate'; a "
      "file with errors is not sent. Prints one line per entity (kind, key, change, version "
      "before→after, changed fields) and a summary. Applying the same file again changes "
      "nothing. Exits 0 when applied, 1 when the file or the registry refused it or the call "
      "failed, 2 on bad usage or an unreadable file.");
  RegisterRegistryFlags(flags, io.env, &connection);
  flags.AddBool("dry-run", "",
                "Let the registry validate the file and report the changes without writing "
                "or publishing anything.",
                &dry_run);
  std::string path;
  if (int code = ParseCommandFlagsAndArgument(flags, args, io, "plan apply", "FILE", &path);
      code >= 0) {
    return code;
  }
  const std::optional<std::string> text = ReadInputFile(path, io.err);
  if (!text.has_value()) return 2;
  const CheckedPlanFile checked = CheckPlanFile(*text);
  for (const core::Problem& problem : checked.problems) PrintProblem(path, problem, io.err);
  if (!checked.usable()) {
    io.err << "tiendoctl: plan apply: " << path
           << " has errors; nothing was sent (see tiendoctl plan validate)\n";
    return 1;
  }

  registry::v1::ApplyPlanRequest request;
  *request.mutable_plan_file() = *checked.plan_file;
  request.set_dry_run(dry_run);
  registry::v1::ApplyPlanResponse response;
  const absl::Status status =
      CallRegistry(connection, &registry::v1::Registry::Stub::ApplyPlan, request, &response);
  if (!status.ok()) {
    // The registry names fields from the plan file's root; some servers prefix the request
    // field. Either way the source map finds the line, or the nearest enclosing entity's.
    const planfile::SourceMap& source_map = checked.source_map;
    PrintRpcFailure(absl::StrCat("plan apply ", path), status, connection.address, io.err, path,
                    [&source_map](const common::v1::FieldViolation& violation) {
                      return source_map.LineOf(
                          absl::StripPrefix(violation.field(), "plan_file."));
                    });
    return 1;
  }

  TextTable table({"KIND", "KEY", "CHANGE", "VERSION", "CHANGED FIELDS"});
  for (const EntityChange& change : response.changes()) {
    table.Add({KindName(change.entity_kind()), change.entity_key(), ChangeName(change.change()),
               Versions(change), absl::StrJoin(change.changed_fields(), ", ")});
  }
  table.Print(io.out);
  io.out << "plan " << response.plan_id()
         << (response.dry_run() ? " (dry run, nothing written): " : ": ") << Summary(response)
         << "\n";
  return 0;
}

}  // namespace

Command PlanApplyCommand() {
  return {"plan apply", "Apply a plan file to the registry and show what changed.", Run};
}

}  // namespace tiendo::ctl
