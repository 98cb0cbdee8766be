// tiendoctl units create: creates a reporting unit (a department system or body that
// submits figures) with the indicators it may report.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "tools/tiendoctl/command.h"
#include "tools/tiendoctl/enum_words.h"
#include "tools/tiendoctl/list_flag.h"
#include "tools/tiendoctl/registry_connection.h"
#include "tools/tiendoctl/rpc_failure.h"

namespace tiendo::ctl {
namespace {

using registry::v1::ReportingUnit;

int Run(const std::vector<std::string>& args, Io& io) {
  RegistryConnection connection;
  std::string id, name_vi, name_en, unit, kind, allow, body, contact, valid_from;
  bool dry_run = false;
  const google::protobuf::EnumDescriptor& kinds = *registry::v1::ReportingUnitKind_descriptor();
  config::FlagSet flags(
      "tiendoctl units create",
      "Creates a reporting unit in tiendo-registry: a body or system that submits figures "
      "for the indicators it is allowed. --id, --name-vi and --unit are required. Prints the "
      "created unit's id and version; a refusal is printed violation by violation. Exits 0 "
      "when created, 1 when refused or the call failed, 2 on bad usage.");
  RegisterRegistryFlags(flags, io.env, &connection);
  flags.AddString("id", "",
                  "The unit's key: lowercase letters, digits, '.', '_' or '-', at most 63, e.g. "
                  "brvt-sokhcn.",
                  &id);
  flags.AddString("name-vi", "", "Name in Vietnamese, e.g. \"Sở Khoa học và Công nghệ\".",
                  &name_vi);
  flags.AddString("name-en", "", "Name in English.", &name_en);
  flags.AddString("unit", "",
                  "Code of the administrative unit the body serves, e.g. 77 for a provincial "
                  "department.",
                  &unit);
  flags.AddString("kind", "", "What sort of body: " + EnumWordList(kinds) + ".", &kind);
  flags.AddString("allow", "",
                  "Ids of the reported indicators it may submit, comma-separated.", &allow);
  flags.AddString("body", "", "The body it is or belongs to, as named officially.", &body);
  flags.AddString("contact", "", "Contact for data questions, e.g. an e-mail address.",
                  &contact);
  flags.AddString("valid-from", "", "First day the unit exists, YYYY-MM-DD.", &valid_from);
  flags.AddBool("dry-run", "", "Let the registry validate the unit without creating it.",
                &dry_run);
  if (int code = ParseCommandFlags(flags, args, io); code >= 0) return code;
  std::vector<std::string> missing;
  if (id.empty()) missing.push_back("--id");
  if (name_vi.empty()) missing.push_back("--name-vi");
  if (unit.empty()) missing.push_back("--unit");
  if (!missing.empty()) {
    io.err << "tiendoctl units create: missing " << absl::StrJoin(missing, ", ")
           << " (see tiendoctl units create --help)\n";
    return 2;
  }

  registry::v1::CreateReportingUnitRequest request;
  request.set_dry_run(dry_run);
  ReportingUnit& created = *request.mutable_reporting_unit();
  created.set_id(id);
  created.set_name_vi(name_vi);
  created.set_name_en(name_en);
  created.set_administrative_unit_code(unit);
  created.set_body(body);
  created.set_contact(contact);
  created.set_valid_from(valid_from);
  if (!kind.empty()) {
    const std::optional<int> value = ParseEnumWord(kinds, kind);
    if (!value.has_value()) {
      io.err << "tiendoctl: --kind: \"" << kind << "\" is not one of " << EnumWordList(kinds)
             << "\n";
      return 2;
    }
    created.set_kind(static_cast<registry::v1::ReportingUnitKind>(*value));
  }
  for (const std::string& indicator : SplitList(allow)) {
    created.add_allowed_indicator_ids(indicator);
  }

  ReportingUnit response;
  const absl::Status status =
      CallRegistry(connection, &registry::v1::Registry::Stub::CreateReportingUnit,
                   request, &response);
  if (!status.ok()) {
    PrintRpcFailure("units create " + id, status, connection.address, io.err);
    return 1;
  }
  if (dry_run) {
    io.out << "reporting unit " << response.id() << " is valid (dry run, nothing written)\n";
  } else {
    io.out << "created reporting unit " << response.id() << " (version " << response.version()
           << "), allowed indicators: "
           << (response.allowed_indicator_ids().empty()
                   ? "none"
                   : absl::StrJoin(response.allowed_indicator_ids(), ", "))
           << "\n";
  }
  return 0;
}

}  // namespace

Command UnitsCreateCommand() {
  return {"units create", "Create a reporting unit.", Run};
}

}  // namespace tiendo::ctl
