// Synthetic enterprises of Bà Rịa - Vũng Tàu (enterprises.csv): the rows,
// how they are drawn, and how a row is written as the columns of
// tiendo.registry.v1.Enterprise.
//
// About 450 rows: companies registered 2019-01-01..2026-10-31, most of them
// digital technology enterprises, registrations rising year by year; a few
// branches of them; some dissolved, some suspended; SMEs taking up digital
// platform solutions over time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "tools/sample-data/csv.h"
#include "tools/sample-data/random.h"

namespace tiendo::sample {

// Slugs the seed plan's derived indicators count (plans/brvt-63-kh-ubnd.yaml).
inline constexpr absl::string_view kDigitalTechnologyCategory = "digital_technology";
inline constexpr absl::string_view kDxSolutionsCapability = "dx_solutions";
inline constexpr absl::string_view kInnovativeStartupCategory = "innovative_startup";

// One row of enterprises.csv; field names follow tiendo.registry.v1.Enterprise.
struct EnterpriseRow {
  std::string tax_code;
  std::string name_vi;
  std::string name_en;
  std::string short_name;
  std::string administrative_unit_code;
  std::string address;
  std::vector<std::string> industry_codes;
  std::vector<std::string> categories;
  std::vector<std::string> capabilities;
  absl::string_view size_class;  // a SizeClass value name
  bool is_sme = false;
  bool platform_adopted = false;
  std::optional<absl::CivilDay> platform_adopted_since;
  absl::CivilDay registration_date;
  std::optional<absl::CivilDay> dissolution_date;
  absl::string_view status;  // an EnterpriseStatus value name
  std::optional<absl::CivilDay> status_since;
  std::string source_system;

  bool HasCategory(absl::string_view category) const;
  bool HasCapability(absl::string_view capability) const;
  bool IsBranch() const { return tax_code.size() > 10; }
};

// The enterprises, ordered by tax code (a branch right after its enterprise).
std::vector<EnterpriseRow> GenerateEnterprises(Random& random);

// Header of enterprises.csv: Enterprise's field names in field order, with
// platform_adoption flattened to platform_adopted and platform_adopted_since,
// and without the output-only version and audit.
const CsvRecord& EnterpriseHeader();

// A row as the cells under EnterpriseHeader().
CsvRecord EnterpriseRecord(const EnterpriseRow& row);

}  // namespace tiendo::sample
