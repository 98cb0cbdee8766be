#include "tools/sample-data/addresses.h"

#include <array>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/status/check.h"

namespace tiendo::sample {
namespace {

constexpr std::array<absl::string_view, 20> kStreets = {
    "Đường Lê Lợi",          "Đường Trần Hưng Đạo",      "Đường Hoàng Hoa Thám",
    "Đường Thùy Vân",        "Đường 30 Tháng 4",         "Đường Nguyễn An Ninh",
    "Đường Lê Hồng Phong",   "Đường 3 Tháng 2",          "Đường Nguyễn Thái Học",
    "Đường Trương Công Định", "Đường Bình Giã",           "Đường Nguyễn Hữu Cảnh",
    "Đường Võ Thị Sáu",      "Đường Phạm Văn Đồng",      "Đường Cách Mạng Tháng Tám",
    "Đường Hùng Vương",      "Đường 27 Tháng 4",         "Quốc lộ 51",
    "Quốc lộ 55",            "Đường Độc Lập"};

constexpr std::array<absl::string_view, 10> kHamlets = {
    "Ấp Bắc",      "Ấp Nam",       "Ấp Đông",     "Ấp Tây",     "Ấp Phước Lâm",
    "Ấp Tân Hòa", "Ấp An Thạnh", "Ấp Hải Sơn", "Ấp Láng Cát", "Ấp Suối Nhum"};

// House number, sometimes in an alley: "125", "125/7".
std::string HouseNumber(Random& random) {
  std::string number = absl::StrCat(random.Between(1, 450));
  if (random.PerMille(250)) absl::StrAppend(&number, "/", random.Between(1, 40));
  return number;
}

// The part before the commune: a street address in towns, a hamlet in
// communes.
std::string Locality(Random& random, absl::string_view commune) {
  if (absl::StartsWith(commune, "Xã ")) {
    return absl::StrCat("Tổ ", random.Between(1, 12), ", ", random.Pick(kHamlets));
  }
  return absl::StrCat(HouseNumber(random), " ", random.Pick(kStreets));
}

}  // namespace

std::string MakeAddress(Random& random, const District& home, absl::CivilDay day) {
  const absl::string_view code = UnitCodeOn(home, day);
  if (code == kCityCode) {
    const absl::string_view commune = random.Pick(home.communes_from_merger);
    if (absl::StartsWith(commune, "Đặc khu")) {
      return absl::StrCat(random.Pick(kStreets), ", ", commune, ", Thành phố Hồ Chí Minh");
    }
    return absl::StrCat(Locality(random, commune), ", ", commune, ", Thành phố Hồ Chí Minh");
  }
  const District* district = FindDistrict(code);
  TIENDO_CHECK(district != nullptr, "UnitCodeOn gave an unknown district");
  const absl::string_view commune = random.Pick(district->communes);
  return absl::StrCat(Locality(random, commune), ", ", commune, ", ", district->name_vi,
                      ", Tỉnh Bà Rịa - Vũng Tàu");
}

}  // namespace tiendo::sample
