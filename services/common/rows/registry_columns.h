// Registry CSV columns: how the columns of an enterprise or public-service CSV file (the
// layout data/synthetic/ ships and `tiendoctl enterprises import` / `services import` read)
// map onto tiendo.registry.v1.Enterprise and PublicService where the header differs from the
// proto. One table, shared by the importers and the tests that read the sample files.
#pragma once

#include "services/common/rows/proto_row.h"

namespace tiendo::rows {

// Enterprise CSV: the flattened platform adoption, `platform_adopted` →
// `platform_adoption.adopted` and `platform_adopted_since` → `platform_adoption.since`.
// Every other column names an Enterprise field (or a dotted path) itself.
const ColumnAliases& EnterpriseColumnAliases();

// Public-service CSV: every column names a PublicService field itself; no aliases today. A
// function all the same, so that importers do not hard-code that fact.
const ColumnAliases& PublicServiceColumnAliases();

}  // namespace tiendo::rows
