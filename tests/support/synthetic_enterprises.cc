#include "tests/support/synthetic_enterprises.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/core/tax_code.h"

namespace tiendo::testing {

std::vector<registry::v1::Enterprise> SyntheticEnterprises(int count, int first_serial) {
  // Districts of province 77 valid from before 2020 until 2025-06-30.
  static const char* const kDistricts[] = {"747", "748", "750", "751", "753", "754", "755"};
  std::vector<registry::v1::Enterprise> enterprises;
  enterprises.reserve(count);
  for (int serial = first_serial; static_cast<int>(enterprises.size()) < count; ++serial) {
    // 35xxxxxxx: a prefix unlike the sample data's; skip serials without a check digit.
    const std::string nine = absl::StrFormat("35%07d", serial % 10000000);
    const std::optional<int> check = core::TaxCodeCheckDigit(nine);
    if (!check.has_value()) continue;
    registry::v1::Enterprise& enterprise = enterprises.emplace_back();
    enterprise.set_tax_code(absl::StrCat(nine, *check));
    enterprise.set_name_vi(absl::StrCat("Công ty TNHH Giải pháp số Đồng Xoài ", serial));
    enterprise.set_administrative_unit_code(kDistricts[serial % 7]);
    enterprise.set_registration_date(absl::StrFormat("20%02d-%02d-%02d", 15 + serial % 8,
                                                     1 + serial % 12, 1 + serial % 28));
    enterprise.add_industry_codes("6201");
    enterprise.add_categories("digital_technology");
    if (serial % 3 == 0) enterprise.add_capabilities("dx_solutions");
    enterprise.set_size_class(registry::v1::SIZE_CLASS_SMALL);
    enterprise.set_is_sme(true);
    enterprise.set_synthetic(true);
  }
  return enterprises;
}

}  // namespace tiendo::testing
