// tiendoctl services import FILE.csv: imports public services / administrative procedures
// (tiendo.registry.v1.PublicService, the columns of data/synthetic/public_services.csv)
// through Registry.ImportPublicServices; the shared flow is csv_import.h.
#include "absl/strings/str_cat.h"
#include "services/common/rows/registry_columns.h"
#include "tools/tiendoctl/csv_import.h"

namespace tiendo::ctl {
namespace {

using registry::v1::ImportPublicServicesRequest;
using registry::v1::ImportPublicServicesResponse;

// The id column when the file has one, else the id the registry derives from the unit and
// the procedure code.
std::string KeyOf(const std::function<std::string(absl::string_view)>& cell) {
  std::string id = cell("id");
  if (!id.empty()) return id;
  const std::string unit = cell("administrative_unit_code");
  const std::string procedure = cell("procedure_code");
  if (unit.empty() && procedure.empty()) return "";
  return absl::StrCat(unit, ":", procedure);
}

int Run(const std::vector<std::string>& args, Io& io) {
  const CsvImportKind kind{"services import", "public services",
                           &registry::v1::PublicService::default_instance(),
                           &rows::PublicServiceColumnAliases(), KeyOf};
  return RunCsvImport<ImportPublicServicesRequest, ImportPublicServicesResponse>(
      kind,
      [](registry::v1::Registry::Stub& stub, grpc::ClientContext* context,
         ImportPublicServicesResponse* response) {
        return stub.ImportPublicServices(context, response);
      },
      [](ImportPublicServicesRequest& request, const ParsedRow& row) {
        registry::v1::PublicServiceImportRow* added = request.add_rows();
        added->set_row_number(row.line);
        added->mutable_public_service()->CopyFrom(*row.entity);
      },
      args, io);
}

}  // namespace

Command ServicesImportCommand() {
  return {"services import", "Import public services (procedures) from a CSV file.", Run};
}

}  // namespace tiendo::ctl
