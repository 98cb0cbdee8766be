#include "services/common/core/civil_date.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tiendo::core {
namespace {

// Reads text[begin, begin + count) as a decimal number; -1 unless every
// character is an ASCII digit.
int Digits(absl::string_view text, size_t begin, size_t count) {
  int value = 0;
  for (size_t i = begin; i < begin + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

absl::Status NotADate(absl::string_view text, absl::string_view problem) {
  constexpr size_t kShown = 32;
  const absl::string_view shown = text.substr(0, kShown);
  return absl::InvalidArgumentError(absl::StrCat(
      "\"", absl::CHexEscape(shown), text.size() > kShown ? "\"…" : "\"", " is not a date (",
      problem, "; write YYYY-MM-DD, e.g. 2025-07-01)"));
}

// The day `text` names, or nullopt; then, if `problem` is given, what is wrong goes there.
std::optional<absl::CivilDay> ReadCivilDate(absl::string_view text, std::string* problem) {
  const auto fail = [problem](auto&&... why) -> std::optional<absl::CivilDay> {
    if (problem != nullptr) *problem = absl::StrCat(why...);
    return std::nullopt;
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return fail("not in the form YYYY-MM-DD");
  }
  const int year = Digits(text, 0, 4);
  const int month = Digits(text, 5, 2);
  const int day = Digits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0) return fail("not in the form YYYY-MM-DD");
  if (year == 0) return fail("year 0000 does not exist");
  if (month < 1 || month > 12) return fail("month ", month, " does not exist");
  // CivilDay normalises out-of-range days (Feb 30 → Mar 2); a day that does
  // not survive unchanged is not in the calendar.
  const absl::CivilDay civil(year, month, day);
  if (day < 1 || civil.month() != month || civil.day() != day) {
    return fail(absl::StrFormat("%04d-%02d has no day %d", year, month, day));
  }
  return civil;
}

}  // namespace

absl::StatusOr<absl::CivilDay> ParseCivilDate(absl::string_view text) {
  std::string problem;
  const std::optional<absl::CivilDay> day = ReadCivilDate(text, &problem);
  if (!day.has_value()) return NotADate(text, problem);
  return *day;
}

std::optional<absl::CivilDay> CivilDateOf(absl::string_view text) {
  return ReadCivilDate(text, nullptr);
}

std::string FormatCivilDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::CivilDay VietnamDay(absl::Time time) {
  static const absl::TimeZone kVietnam = absl::FixedTimeZone(7 * 60 * 60);
  return absl::ToCivilDay(time, kVietnam);
}

}  // namespace tiendo::core
