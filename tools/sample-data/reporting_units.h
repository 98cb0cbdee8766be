// The reporting units that send synthetic submissions, which periods and
// districts each reports, and when its reports are sent.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "tools/sample-data/districts.h"
#include "tools/sample-data/random.h"
#include "tools/sample-data/report_periods.h"

namespace tiendo::sample {

struct Reporter {
  std::string id;
  std::string source_system;
  // The unit's own district (a People's Committee), or nullptr for a
  // province-wide unit.
  const District* district = nullptr;
  // It reports the periods that start on or after `from`, end on or before
  // `to`, and end on or after `takes_over_from` (when it took over from a
  // merged unit).
  absl::CivilDay from;
  absl::CivilDay to;
  absl::CivilDay takes_over_from;
  // No submission of it is dated later (it stopped existing shortly before).
  absl::CivilDay last_send_day;
  // A connector system: sends at night right after the period ends, with
  // the exact figures of the portal.
  bool system = false;

  bool Reports(const ReportPeriod& period) const;
  // The `district` values it reports for `period`.
  std::vector<absl::string_view> DistrictsFor(const ReportPeriod& period) const;
};

// dept-ic, dept-st, public-service-portal, then pc-747 … pc-757.
std::vector<Reporter> Reporters();

// A moment on `day` at which the unit sends: office hours in Vietnam (UTC+7)
// for people, the nightly batch for a system.
absl::CivilSecond SendTime(Random& random, const Reporter& reporter, absl::CivilDay day);

}  // namespace tiendo::sample
