// Lines of business of synthetic enterprises: the word that goes into the
// company name, the VSIC 2018 industry codes registered for it, and whether
// it makes the enterprise a digital technology enterprise (doanh nghiệp công
// nghệ số: hardware and electronics, software, digital content and IT
// services, and their trade and repair).
#pragma once

#include <vector>

#include "absl/strings/string_view.h"

namespace tiendo::sample {

struct LineOfBusiness {
  absl::string_view name_vi;    // in the name: "Công ty TNHH <name_vi> <brand>"
  absl::string_view name_en;    // in the English name: "<brand> <name_en> Company Limited"
  absl::string_view short_tag;  // in the abbreviated name: "<BRAND> <short_tag>"
  // VSIC 2018 codes (4 digits): the main line first, then lines an
  // enterprise of this kind often registers as well.
  std::vector<absl::string_view> industry_codes;
  // Counted as a digital technology enterprise.
  bool digital_technology;
  // Plausibly able to build IT products and services for the province's
  // digital transformation programme (software, data, IT services).
  bool builds_solutions;
  // Relative frequency within its group (digital technology or not).
  int weight;
};

// Digital technology lines, then the others (trade, tourism, seafood,
// logistics, port and oil-and-gas services, construction, agriculture).
const std::vector<LineOfBusiness>& LinesOfBusiness();

}  // namespace tiendo::sample
