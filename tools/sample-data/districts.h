// The districts of Bà Rịa - Vũng Tàu (GSO codes) with their validity, the
// communes used in addresses, and the scale of their figures; and which
// administrative unit code a record of a given day must carry now that the
// map has changed: Long Điền (752) and Đất Đỏ (753) became Long Đất (757) on
// 2025-01-01, and on 2025-07-01 the province (77) became part of Ho Chi Minh
// City (79) and the district level was abolished.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace tiendo::sample {

inline constexpr absl::string_view kProvinceCode = "77";
inline constexpr absl::string_view kCityCode = "79";
inline constexpr absl::string_view kLongDatCode = "757";
// The `district` value of a figure for the whole former province: none (an undisaggregated
// cell), as from 2025-07-01, when there are no districts to break a figure down by.
inline constexpr absl::string_view kWholeProvince = "";

struct District {
  absl::string_view code;
  absl::string_view name_vi;     // e.g. "Thành phố Vũng Tàu"
  absl::string_view place_vi;    // e.g. "Vũng Tàu", for "Chi nhánh … tại Vũng Tàu"
  absl::string_view place_ascii;  // e.g. "Vung Tau"
  absl::CivilDay valid_from;     // first day (the distant past for old districts)
  absl::CivilDay valid_to;       // last day
  // Wards, townships and communes before 2025-07-01, for addresses.
  std::vector<absl::string_view> communes;
  // Wards, communes or the special zone of Ho Chi Minh City on the same
  // territory from 2025-07-01.
  std::vector<absl::string_view> communes_from_merger;
  // Relative share of the province's enterprises with their head office here.
  int enterprise_weight;
  // Monthly users of online public services and procedure results issued,
  // at the start of 2023, for the submissions.
  int monthly_online_users;
  int monthly_procedure_results;
  // Local deviation of the reported shares, in basis points.
  int share_offset_bp;
};

// The nine districts: 747, 748, 750, 751, 752, 753, 754, 755 and 757.
const std::vector<District>& Districts();

// The eight districts that existed before 2025 (every one but Long Đất): the
// areas enterprises and figures belong to.
std::vector<const District*> HomeAreas();

// The district with `code`, or nullptr.
const District* FindDistrict(absl::string_view code);

// The code a record made on `day` uses for a place in `home` (a home area):
// the district, Long Đất for Long Điền and Đất Đỏ from 2025-01-01, and Ho Chi
// Minh City from 2025-07-01, when districts no longer exist.
absl::string_view UnitCodeOn(const District& home, absl::CivilDay day);

// The `district` disaggregation values that are valid for the whole of the
// period [first, last]: the districts valid throughout it, or just
// kWholeProvince (no district) for periods from 2025-07-01 on: the seed plan
// declares the dimension at district level, so the province-level "79" is no
// district value. Empty for a period that straddles a change.
std::vector<absl::string_view> DistrictCodesFor(absl::CivilDay first, absl::CivilDay last);

// The home areas a disaggregation value covers: itself, Long Điền and Đất Đỏ
// for Long Đất, every home area for kWholeProvince (and for "79").
std::vector<const District*> AreasCoveredBy(absl::string_view code);

}  // namespace tiendo::sample
