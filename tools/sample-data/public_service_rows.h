// Synthetic public services (public_services.csv): the administrative
// procedures in Bà Rịa - Vũng Tàu's catalogue (unit 77), handled by the
// provincial departments or by the district People's Committees, with their
// eligibility for full-process online provision, when they went fully online
// and when they were integrated on the National Public Service Portal; and
// how a row is written as the columns of tiendo.registry.v1.PublicService.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "tools/sample-data/csv.h"
#include "tools/sample-data/random.h"

namespace tiendo::sample {

// One row of public_services.csv; field names follow
// tiendo.registry.v1.PublicService.
struct PublicServiceRow {
  std::string id;  // "<administrative_unit_code>:<procedure_code>"
  std::string procedure_code;
  std::string name_vi;
  std::string name_en;
  std::string sector;
  std::string owning_department;
  std::string owning_reporting_unit_id;
  std::string administrative_unit_code;
  absl::string_view level;  // an AdministrativeLevel value name
  bool eligible_full_process_online = false;
  bool full_process_online = false;
  std::optional<absl::CivilDay> full_process_online_since;
  bool integrated_national_portal = false;
  std::optional<absl::CivilDay> integrated_national_portal_since;
  absl::string_view status;  // a PublicServiceStatus value name
  std::optional<absl::CivilDay> effective_from;
  std::optional<absl::CivilDay> abolished_date;
  std::string source_system;

  // In force on `day`: effective by then and not abolished.
  bool InForceOn(absl::CivilDay day) const;
  bool FullProcessOnlineOn(absl::CivilDay day) const;
  bool IntegratedOn(absl::CivilDay day) const;
};

// The public services, ordered by id.
std::vector<PublicServiceRow> GeneratePublicServices(Random& random);

// Header of public_services.csv: PublicService's field names in field order,
// without the output-only version and audit.
const CsvRecord& PublicServiceHeader();

// A row as the cells under PublicServiceHeader().
CsvRecord PublicServiceRecord(const PublicServiceRow& row);

}  // namespace tiendo::sample
