#include "tools/sample-data/reporting_units.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "tools/sample-data/dates.h"

namespace tiendo::sample {
namespace {

constexpr absl::CivilDay kDistantPast(1900, 1, 1);

}  // namespace

bool Reporter::Reports(const ReportPeriod& period) const {
  return period.first >= from && period.last <= to && period.last >= takes_over_from;
}

std::vector<absl::string_view> Reporter::DistrictsFor(const ReportPeriod& period) const {
  std::vector<absl::string_view> codes = DistrictCodesFor(period.first, period.last);
  if (district == nullptr) return codes;
  if (std::find(codes.begin(), codes.end(), district->code) == codes.end()) return {};
  return {district->code};
}

std::vector<Reporter> Reporters() {
  const absl::CivilDay last_ic_day = kDepartmentMerger - 1;
  std::vector<Reporter> reporters = {
      {"dept-ic", "stttt-baocao/2.1", nullptr, kDistantPast, last_ic_day, kDistantPast,
       last_ic_day + 15, false},
      {"dept-st", "skhcn-baocao/1.4", nullptr, kDistantPast, kDataEnd, kDepartmentMerger,
       kDataEnd, false},
      {"public-service-portal", "dvc-connector/3.2", nullptr, kDistantPast, kDataEnd,
       kDistantPast, kDataEnd, true},
  };
  for (const District& district : Districts()) {
    reporters.push_back({absl::StrCat("pc-", district.code),
                         absl::StrCat("motcua-", district.code, "/2.0"), &district,
                         district.valid_from, district.valid_to, kDistantPast,
                         district.valid_to + 15, false});
  }
  return reporters;
}

absl::CivilSecond SendTime(Random& random, const Reporter& reporter, absl::CivilDay day) {
  // People send in office hours, 08:00–16:59 in Vietnam (01:00–09:59 UTC);
  // a system in its nightly batch, 01:00–05:59 in Vietnam (18:00–22:59 UTC).
  const int hour = reporter.system ? static_cast<int>(random.Between(18, 22))
                                   : static_cast<int>(random.Between(1, 9));
  return absl::CivilSecond(day.year(), day.month(), day.day(), hour,
                           static_cast<int>(random.Between(0, 59)),
                           static_cast<int>(random.Between(0, 59)));
}

}  // namespace tiendo::sample
