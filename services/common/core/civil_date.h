// Civil dates as the protos write them: `YYYY-MM-DD` strings (e.g. an
// administrative unit's valid_to, an enterprise's registration date, a
// milestone's deadline), converted to and from absl::CivilDay.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace tiendo::core {

// Parses exactly `YYYY-MM-DD` (four-digit year 0001..9999, two-digit month and
// day) naming a real calendar day: "2024-02-29" is accepted, "2025-02-29",
// "2025-2-28", "2025-02-28T00:00" and " 2025-02-28" are INVALID_ARGUMENT
// naming the text.
absl::StatusOr<absl::CivilDay> ParseCivilDate(absl::string_view text);

// The day of ParseCivilDate, or nullopt where it fails, without composing the error: for
// callers that treat a malformed date as absent, on paths taken for every item.
std::optional<absl::CivilDay> CivilDateOf(absl::string_view text);

// `YYYY-MM-DD`, the inverse of ParseCivilDate for years 1..9999.
std::string FormatCivilDate(absl::CivilDay day);

// The civil day `time` falls on in Vietnam (UTC+7, no daylight saving): the calendar every
// date of a Vietnamese plan is written in. The caller supplies the time (the core reads no
// clock).
absl::CivilDay VietnamDay(absl::Time time);

}  // namespace tiendo::core
