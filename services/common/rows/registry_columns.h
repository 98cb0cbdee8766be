// Registry CSV columns: how the columns of an enterprise or public-service CSV file (the
// layout data/synthetic/ ships and `tiendoctl enterprises import` / `services import` read)
// map onto tiendo.registry.v1.Enterprise and PublicService where the header differs from the
// proto, and the columns of a submissions CSV (`tiendoctl submit --file`) onto
// tiendo.ingest.v1.Submission. One table each, shared by the tools and the tests that read the
// sample files.
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

// Submissions CSV: `district` → `disaggregation.district`, `numerator` → `ratio.numerator`,
// `denominator` → `ratio.denominator`. Every other column (`value`, `kind` as the enum value
// name, `submitted_at` as RFC 3339, ...) names a Submission field itself.
const ColumnAliases& SubmissionColumnAliases();

}  // namespace tiendo::rows
