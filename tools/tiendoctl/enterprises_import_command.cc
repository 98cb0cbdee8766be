// tiendoctl enterprises import FILE.csv: imports enterprises (tiendo.registry.v1.Enterprise,
// the columns of data/synthetic/enterprises.csv) through Registry.ImportEnterprises; the
// shared flow is csv_import.h.
#include "services/common/rows/registry_columns.h"
#include "tools/tiendoctl/csv_import.h"

namespace tiendo::ctl {
namespace {

using registry::v1::ImportEnterprisesRequest;
using registry::v1::ImportEnterprisesResponse;

int Run(const std::vector<std::string>& args, Io& io) {
  const CsvImportKind kind{
      "enterprises import", "enterprises", &registry::v1::Enterprise::default_instance(),
      &rows::EnterpriseColumnAliases(),
      [](const std::function<std::string(absl::string_view)>& cell) { return cell("tax_code"); }};
  return RunCsvImport<ImportEnterprisesRequest, ImportEnterprisesResponse>(
      kind,
      [](registry::v1::Registry::Stub& stub, grpc::ClientContext* context,
         ImportEnterprisesResponse* response) {
        return stub.ImportEnterprises(context, response);
      },
      [](ImportEnterprisesRequest& request, const ParsedRow& row) {
        registry::v1::EnterpriseImportRow* added = request.add_rows();
        added->set_row_number(row.line);
        added->mutable_enterprise()->CopyFrom(*row.entity);
      },
      args, io);
}

}  // namespace

Command EnterprisesImportCommand() {
  return {"enterprises import", "Import enterprises from a CSV file.", Run};
}

}  // namespace tiendo::ctl
