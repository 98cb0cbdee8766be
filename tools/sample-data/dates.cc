#include "tools/sample-data/dates.h"

#include "absl/strings/str_format.h"
#include "services/common/status/check.h"

namespace tiendo::sample {

std::string FormatDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

std::string FormatUtc(absl::CivilSecond instant) {
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02dZ", instant.year(), instant.month(),
                         instant.day(), instant.hour(), instant.minute(), instant.second());
}

absl::CivilDay DayBetween(Random& random, absl::CivilDay first, absl::CivilDay last) {
  TIENDO_CHECK(first <= last, "DayBetween needs first <= last");
  return first + random.Between(0, last - first);
}

absl::CivilDay Later(absl::CivilDay a, absl::CivilDay b) { return a < b ? b : a; }

absl::CivilDay Earlier(absl::CivilDay a, absl::CivilDay b) { return a < b ? a : b; }

}  // namespace tiendo::sample
