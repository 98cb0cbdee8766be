// tiendoctl units list: lists the registry's reporting units (optionally by status, allowed
// indicator or administrative unit), every page, as a table or JSON lines.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/tiendoctl/command.h"
#include "tools/tiendoctl/enum_words.h"
#include "tools/tiendoctl/list_flag.h"
#include "tools/tiendoctl/paged_list.h"
#include "tools/tiendoctl/proto_output.h"
#include "tools/tiendoctl/registry_connection.h"
#include "tools/tiendoctl/rpc_failure.h"
#include "tools/tiendoctl/text_table.h"

namespace tiendo::ctl {
namespace {

using registry::v1::ListReportingUnitsRequest;
using registry::v1::ListReportingUnitsResponse;
using registry::v1::ReportingUnit;

int Run(const std::vector<std::string>& args, Io& io) {
  RegistryConnection connection;
  std::string statuses, indicator, unit;
  int64_t limit = 0;
  std::string output = "table";
  const google::protobuf::EnumDescriptor& status_type =
      *registry::v1::ReportingUnitStatus_descriptor();
  config::FlagSet flags("tiendoctl units list",
                        "Lists the reporting units in tiendo-registry, by id, with the "
                        "indicators each may report. Exits 0 on success, 1 when the call "
                        "failed, 2 on bad usage.");
  RegisterRegistryFlags(flags, io.env, &connection);
  flags.AddString("status", "",
                  "Only units whose status is one of these (comma-separated): " +
                      EnumWordList(status_type) + ".",
                  &statuses);
  flags.AddString("indicator", "", "Only units allowed to report this indicator id.",
                  &indicator);
  flags.AddString("unit", "", "Only units serving this administrative unit code.", &unit);
  flags.AddInt("limit", "", "List at most this many (0: all).", 0, INT64_MAX, &limit);
  flags.AddChoice("output", "",
                  "table: aligned columns; json: one JSON object per line with the proto "
                  "field names.",
                  {"table", "json"}, &output);
  if (int code = ParseCommandFlags(flags, args, io); code >= 0) return code;

  ListReportingUnitsRequest request;
  request.set_allowed_indicator_id(indicator);
  request.set_administrative_unit_code(unit);
  for (const std::string& status : SplitList(statuses)) {
    const std::optional<int> value = ParseEnumWord(status_type, status);
    if (!value.has_value()) {
      io.err << "tiendoctl: --status: \"" << status << "\" is not one of "
             << EnumWordList(status_type) << "\n";
      return 2;
    }
    request.add_statuses(static_cast<registry::v1::ReportingUnitStatus>(*value));
  }

  auto stub = NewRegistryStub(connection);
  std::vector<ReportingUnit> units;
  const absl::Status status =
      FetchAllPages<ListReportingUnitsRequest, ListReportingUnitsResponse, ReportingUnit>(
          request, limit, [&](grpc::ClientContext& context) { PrepareCall(connection, context); },
          [&](grpc::ClientContext* context, const ListReportingUnitsRequest& page,
              ListReportingUnitsResponse* response) {
            return stub->ListReportingUnits(context, page, response);
          },
          [](const ListReportingUnitsResponse& response) -> const auto& {
            return response.reporting_units();
          },
          &units);
  if (!status.ok()) {
    PrintRpcFailure("units list", status, connection.address, io.err);
    return 1;
  }
  if (output == "json") {
    for (const ReportingUnit& listed : units) io.out << JsonLine(listed) << "\n";
    return 0;
  }
  TextTable table({"ID", "NAME", "UNIT", "KIND", "STATUS", "VERSION", "ALLOWED INDICATORS"});
  for (const ReportingUnit& listed : units) {
    table.Add({listed.id(), listed.name_vi(), listed.administrative_unit_code(),
               EnumWord(*registry::v1::ReportingUnitKind_descriptor(), listed.kind()),
               EnumWord(status_type, listed.status()), absl::StrCat(listed.version()),
               absl::StrJoin(listed.allowed_indicator_ids(), ",")});
  }
  table.Print(io.out);
  io.out << units.size() << (units.size() == 1 ? " reporting unit" : " reporting units") << "\n";
  return 0;
}

}  // namespace

Command UnitsListCommand() {
  return {"units list", "List reporting units.", Run};
}

}  // namespace tiendo::ctl
