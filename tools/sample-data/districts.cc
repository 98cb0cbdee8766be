#include "tools/sample-data/districts.h"

#include "services/common/status/check.h"
#include "tools/sample-data/dates.h"

namespace tiendo::sample {
namespace {

constexpr absl::CivilDay kAlways(1900, 1, 1);
constexpr absl::CivilDay kLastDistrictDay(2025, 6, 30);
constexpr absl::CivilDay kLastDayBeforeLongDat(2024, 12, 31);

std::vector<District> MakeDistricts() {
  std::vector<District> districts = {
      {"747", "Thành phố Vũng Tàu", "Vũng Tàu", "Vung Tau", kAlways, kLastDistrictDay,
       {"Phường 1", "Phường 2", "Phường 3", "Phường 4", "Phường 5", "Phường 7", "Phường 8",
        "Phường 9", "Phường 10", "Phường 11", "Phường 12", "Phường Thắng Nhất",
        "Phường Thắng Tam", "Phường Rạch Dừa", "Phường Nguyễn An Ninh", "Xã Long Sơn"},
       {"Phường Vũng Tàu", "Phường Tam Thắng", "Phường Rạch Dừa", "Phường Phước Thắng",
        "Xã Long Sơn"},
       480, 9200, 6100, 150},
      {"748", "Thành phố Bà Rịa", "Bà Rịa", "Ba Ria", kAlways, kLastDistrictDay,
       {"Phường Phước Hiệp", "Phường Phước Trung", "Phường Phước Nguyên", "Phường Long Toàn",
        "Phường Long Hương", "Phường Kim Dinh", "Phường Long Tâm", "Xã Hòa Long",
        "Xã Long Phước", "Xã Tân Hưng"},
       {"Phường Bà Rịa", "Phường Long Hương", "Phường Tam Long"},
       150, 4700, 3300, 100},
      {"750", "Huyện Châu Đức", "Châu Đức", "Chau Duc", kAlways, kLastDistrictDay,
       {"Thị trấn Ngãi Giao", "Xã Kim Long", "Xã Suối Nghệ", "Xã Bình Ba", "Xã Nghĩa Thành",
        "Xã Xà Bang", "Xã Đá Bạc"},
       {"Xã Ngãi Giao", "Xã Kim Long", "Xã Nghĩa Thành", "Xã Bình Giã", "Xã Xuân Sơn",
        "Xã Châu Đức"},
       60, 3000, 2400, -150},
      {"751", "Huyện Xuyên Mộc", "Xuyên Mộc", "Xuyen Moc", kAlways, kLastDistrictDay,
       {"Thị trấn Phước Bửu", "Xã Bưng Riềng", "Xã Bình Châu", "Xã Hòa Bình", "Xã Xuyên Mộc",
        "Xã Phước Thuận", "Xã Bông Trang"},
       {"Xã Xuyên Mộc", "Xã Hồ Tràm", "Xã Bình Châu", "Xã Hòa Hội", "Xã Bàu Lâm",
        "Xã Hòa Hiệp"},
       50, 2600, 2100, -200},
      {"752", "Huyện Long Điền", "Long Điền", "Long Dien", kAlways, kLastDayBeforeLongDat,
       {"Thị trấn Long Điền", "Thị trấn Long Hải", "Xã Phước Hưng", "Xã An Ngãi",
        "Xã Tam Phước", "Xã An Nhứt", "Xã Phước Tỉnh"},
       {"Xã Long Điền", "Xã Long Hải"},
       60, 2200, 1700, -50},
      {"753", "Huyện Đất Đỏ", "Đất Đỏ", "Dat Do", kAlways, kLastDayBeforeLongDat,
       {"Thị trấn Đất Đỏ", "Thị trấn Phước Hải", "Xã Phước Hội", "Xã Long Mỹ", "Xã Láng Dài",
        "Xã Lộc An", "Xã Long Tân"},
       {"Xã Đất Đỏ", "Xã Phước Hải"},
       40, 1400, 1100, -100},
      {"754", "Thị xã Phú Mỹ", "Phú Mỹ", "Phu My", kAlways, kLastDistrictDay,
       {"Phường Phú Mỹ", "Phường Mỹ Xuân", "Phường Tân Phước", "Phường Hắc Dịch",
        "Phường Tân Hải", "Phường Phước Hòa", "Xã Tân Hòa", "Xã Châu Pha"},
       {"Phường Phú Mỹ", "Phường Tân Thành", "Phường Tân Phước", "Phường Tân Hải"},
       120, 4200, 3000, 50},
      {"755", "Huyện Côn Đảo", "Côn Đảo", "Con Dao", kAlways, kLastDistrictDay,
       {"Khu dân cư số 1", "Khu dân cư số 2", "Khu dân cư số 3", "Khu dân cư số 5",
        "Khu dân cư số 7"},
       {"Đặc khu Côn Đảo"},
       15, 260, 180, -450},
      // Long Đất: no enterprise is drawn here; records of Long Điền and Đất Đỏ
      // made in its lifetime carry its code (UnitCodeOn).
      {"757", "Huyện Long Đất", "Long Đất", "Long Dat", kLongDatFrom, kLastDistrictDay,
       {"Thị trấn Long Điền", "Thị trấn Long Hải", "Thị trấn Đất Đỏ", "Thị trấn Phước Hải",
        "Xã Phước Hưng", "Xã An Ngãi", "Xã Láng Dài", "Xã Lộc An"},
       {"Xã Long Điền", "Xã Long Hải", "Xã Đất Đỏ", "Xã Phước Hải"},
       0, 0, 0, -80},
  };
  return districts;
}

}  // namespace

const std::vector<District>& Districts() {
  static const std::vector<District>* const districts = new std::vector<District>(MakeDistricts());
  return *districts;
}

std::vector<const District*> HomeAreas() {
  std::vector<const District*> areas;
  for (const District& district : Districts()) {
    if (district.enterprise_weight > 0) areas.push_back(&district);
  }
  return areas;
}

const District* FindDistrict(absl::string_view code) {
  for (const District& district : Districts()) {
    if (district.code == code) return &district;
  }
  return nullptr;
}

absl::string_view UnitCodeOn(const District& home, absl::CivilDay day) {
  if (day >= kProvinceMerger) return kCityCode;
  if (day > home.valid_to) {
    TIENDO_CHECK(home.code == "752" || home.code == "753",
                 "only Long Điền and Đất Đỏ end before the district level");
    return kLongDatCode;
  }
  return home.code;
}

std::vector<absl::string_view> DistrictCodesFor(absl::CivilDay first, absl::CivilDay last) {
  if (first >= kProvinceMerger) return {kWholeProvince};
  std::vector<absl::string_view> codes;
  for (const District& district : Districts()) {
    if (district.valid_from <= first && last <= district.valid_to) codes.push_back(district.code);
  }
  return codes;
}

std::vector<const District*> AreasCoveredBy(absl::string_view code) {
  if (code == kWholeProvince || code == kCityCode) return HomeAreas();
  if (code == kLongDatCode) return {FindDistrict("752"), FindDistrict("753")};
  const District* district = FindDistrict(code);
  TIENDO_CHECK(district != nullptr, "unknown district code");
  return {district};
}

}  // namespace tiendo::sample
