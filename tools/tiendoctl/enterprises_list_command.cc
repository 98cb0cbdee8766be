// tiendoctl enterprises list: lists the registry's enterprises matching filters (district,
// categories, capabilities, status, registration dates), following every page up to
// --limit, as a table for people, JSON lines or CSV for programs.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
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

using registry::v1::Enterprise;
using registry::v1::EnterpriseStatus;

// A `YYYY-MM-DD` flag value, or empty.
bool IsDateOrEmpty(const std::string& text) {
  absl::CivilDay day;
  return text.empty() || (text.size() == 10 && absl::ParseCivilTime(text, &day));
}

std::vector<std::string> Columns(const Enterprise& enterprise) {
  return {enterprise.tax_code(),
          enterprise.name_vi(),
          enterprise.administrative_unit_code(),
          EnumWord(*registry::v1::EnterpriseStatus_descriptor(), enterprise.status()),
          enterprise.registration_date(),
          absl::StrJoin(enterprise.categories(), ";")};
}

int Run(const std::vector<std::string>& args, Io& io) {
  RegistryConnection connection;
  std::string district, categories, capabilities, statuses, registered_from, registered_to;
  int64_t limit = 0;
  std::string output = "table";
  config::FlagSet flags(
      "tiendoctl enterprises list",
      "Lists the enterprises in tiendo-registry that match every filter given, by tax code, "
      "following all pages up to --limit. Flags that take several values take them "
      "comma-separated, once: --category=digital_technology,innovative_startup. Exits 0 on "
      "success, 1 when the call failed, 2 on bad usage.");
  RegisterRegistryFlags(flags, io.env, &connection);
  flags.AddString("district", "",
                  "Only enterprises located in this administrative unit or under it, e.g. 747.",
                  &district);
  flags.AddString("category", "",
                  "Only enterprises with every one of these categories (comma-separated), e.g. "
                  "digital_technology.",
                  &categories);
  flags.AddString("capability", "",
                  "Only enterprises with every one of these capability flags "
                  "(comma-separated), e.g. dx_solutions.",
                  &capabilities);
  flags.AddString("status", "",
                  "Only enterprises whose status is one of these (comma-separated): active, "
                  "suspended, dissolved.",
                  &statuses);
  flags.AddString("registered-from", "", "Only enterprises registered on or after YYYY-MM-DD.",
                  &registered_from);
  flags.AddString("registered-to", "", "Only enterprises registered on or before YYYY-MM-DD.",
                  &registered_to);
  flags.AddInt("limit", "", "List at most this many (0: all).", 0, INT64_MAX, &limit);
  flags.AddChoice("output", "",
                  "table: aligned columns; json: one JSON object per line with the proto "
                  "field names; csv: the table's columns with a header.",
                  {"table", "json", "csv"}, &output);
  if (int code = ParseCommandFlags(flags, args, io); code >= 0) return code;

  registry::v1::ListEnterprisesRequest request;
  request.set_administrative_unit_code(district);
  for (const std::string& category : SplitList(categories)) request.add_categories(category);
  for (const std::string& capability : SplitList(capabilities)) {
    request.add_capabilities(capability);
  }
  for (const std::string& status : SplitList(statuses)) {
    const std::optional<int> value =
        ParseEnumWord(*registry::v1::EnterpriseStatus_descriptor(), status);
    if (!value.has_value()) {
      io.err << "tiendoctl: --status: \"" << status << "\" is not a status ("
             << EnumWordList(*registry::v1::EnterpriseStatus_descriptor()) << ")\n";
      return 2;
    }
    request.add_statuses(static_cast<EnterpriseStatus>(*value));
  }
  for (const auto& [flag, date] : {std::pair<const char*, const std::string&>{"registered-from",
                                                                             registered_from},
                                   {"registered-to", registered_to}}) {
    if (!IsDateOrEmpty(date)) {
      io.err << "tiendoctl: --" << flag << ": \"" << date << "\" is not a date (YYYY-MM-DD)\n";
      return 2;
    }
  }
  request.set_registered_from(registered_from);
  request.set_registered_to(registered_to);

  auto stub = NewRegistryStub(connection);
  std::vector<Enterprise> enterprises;
  const absl::Status status = FetchAllPages<registry::v1::ListEnterprisesRequest,
                                            registry::v1::ListEnterprisesResponse, Enterprise>(
      request, limit, [&](grpc::ClientContext& context) { PrepareCall(connection, context); },
      [&](grpc::ClientContext* context, const registry::v1::ListEnterprisesRequest& page,
          registry::v1::ListEnterprisesResponse* response) {
        return stub->ListEnterprises(context, page, response);
      },
      [](const registry::v1::ListEnterprisesResponse& response) -> const auto& {
        return response.enterprises();
      },
      &enterprises);
  if (!status.ok()) {
    PrintRpcFailure("enterprises list", status, connection.address, io.err);
    return 1;
  }

  const std::vector<std::string> header = {"tax_code", "name_vi", "administrative_unit_code",
                                           "status", "registration_date", "categories"};
  if (output == "json") {
    for (const Enterprise& enterprise : enterprises) io.out << JsonLine(enterprise) << "\n";
  } else if (output == "csv") {
    io.out << CsvLine(header);
    for (const Enterprise& enterprise : enterprises) io.out << CsvLine(Columns(enterprise));
  } else {
    TextTable table({"TAX CODE", "NAME", "UNIT", "STATUS", "REGISTERED", "CATEGORIES"});
    for (const Enterprise& enterprise : enterprises) table.Add(Columns(enterprise));
    table.Print(io.out);
    io.out << enterprises.size() << (enterprises.size() == 1 ? " enterprise" : " enterprises")
           << "\n";
  }
  return 0;
}

}  // namespace

Command EnterprisesListCommand() {
  return {"enterprises list", "List enterprises matching filters.", Run};
}

}  // namespace tiendo::ctl
