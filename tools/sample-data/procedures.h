// The administrative procedures (thủ tục hành chính) synthetic public
// services are drawn from: names in Vietnamese and English and the sector
// (lĩnh vực), for the provincial departments and for the district People's
// Committees. Names are written from the national catalogue's style; the
// procedure codes are assigned by the generator, not taken from it.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace tiendo::sample {

struct Procedure {
  std::string sector;
  std::string name_vi;
  std::string name_en;
};

// The procedures a provincial department handles: "dept-ic" (Information and
// Communications), "dept-st" (Science and Technology) or "dept-pi" (Planning
// and Investment).
std::vector<Procedure> DepartmentProcedures(absl::string_view reporting_unit_id);

// The procedures every district People's Committee handles.
std::vector<Procedure> DistrictProcedures();

}  // namespace tiendo::sample
