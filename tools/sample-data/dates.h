// Calendar days and instants as the sample files write them, and random days
// in a range. Formatting is done by hand so that no locale can change it.
#pragma once

#include <string>

#include "absl/time/civil_time.h"
#include "tools/sample-data/random.h"

namespace tiendo::sample {

// `YYYY-MM-DD`.
std::string FormatDay(absl::CivilDay day);

// RFC 3339 in UTC, `YYYY-MM-DDTHH:MM:SSZ`.
std::string FormatUtc(absl::CivilSecond instant);

// A uniformly chosen day in [first, last]; first <= last.
absl::CivilDay DayBetween(Random& random, absl::CivilDay first, absl::CivilDay last);

// The later / earlier of two days.
absl::CivilDay Later(absl::CivilDay a, absl::CivilDay b);
absl::CivilDay Earlier(absl::CivilDay a, absl::CivilDay b);

// The last day of the data: registration, dissolution and submission dates
// never pass it.
inline constexpr absl::CivilDay kDataEnd(2026, 10, 31);

// Long Điền (752) and Đất Đỏ (753) merged into Long Đất (757) on this day.
inline constexpr absl::CivilDay kLongDatFrom(2025, 1, 1);

// Bà Rịa - Vũng Tàu (77) merged into Ho Chi Minh City (79) and the district
// level was abolished on this day.
inline constexpr absl::CivilDay kProvinceMerger(2025, 7, 1);

// The Department of Information and Communications merged into the Department
// of Science and Technology on this day.
inline constexpr absl::CivilDay kDepartmentMerger(2025, 3, 1);

}  // namespace tiendo::sample
