#include "services/common/core/period.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/status/check.h"

namespace tiendo::core {
namespace {

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 9999;

constexpr absl::string_view kAcceptedForms =
    "a period is written YYYY, YYYY-Hn (n 1..2), YYYY-Qn (n 1..4) or YYYY-MM (MM 01..12) with "
    "a year 1900..9999, e.g. 2025, 2025-H1, 2025-Q3, 2025-09";

// Number of months in a period of `granularity`.
int MonthsIn(Granularity granularity) {
  switch (granularity) {
    case Granularity::kYear:
      return 12;
    case Granularity::kHalf:
      return 6;
    case Granularity::kQuarter:
      return 3;
    case Granularity::kMonth:
      return 1;
  }
  TIENDO_CHECK(false, "unknown granularity");
  return 1;
}

// Number of periods of `granularity` in a year.
int PeriodsPerYear(Granularity granularity) { return 12 / MonthsIn(granularity); }

// The 1-based index of the period of `granularity` that holds `month` (0 for
// a year). Divides by constants: this runs for every submission applied.
int IndexOfMonth(Granularity granularity, int month) {
  switch (granularity) {
    case Granularity::kYear:
      return 0;
    case Granularity::kHalf:
      return (month - 1) / 6 + 1;
    case Granularity::kQuarter:
      return (month - 1) / 3 + 1;
    case Granularity::kMonth:
      return month;
  }
  TIENDO_CHECK(false, "unknown granularity");
  return 0;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Input text for an error message: escaped and cut short, so that whatever a
// sender put in the field cannot garble the message.
std::string Quoted(absl::string_view text) {
  constexpr size_t kShown = 32;
  if (text.size() <= kShown) return absl::StrCat("\"", absl::CHexEscape(text), "\"");
  return absl::StrCat("\"", absl::CHexEscape(text.substr(0, kShown)), "\"…");
}

absl::Status ParseError(absl::string_view text, absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("period ", Quoted(text), ": ", problem, "; ", kAcceptedForms));
}

}  // namespace

absl::string_view GranularityName(Granularity granularity) {
  switch (granularity) {
    case Granularity::kYear:
      return "year";
    case Granularity::kHalf:
      return "half";
    case Granularity::kQuarter:
      return "quarter";
    case Granularity::kMonth:
      return "month";
  }
  return "unknown";
}

absl::StatusOr<Period> Period::Of(Granularity granularity, int year, int index) {
  if (year < kMinYear || year > kMaxYear) {
    return absl::InvalidArgumentError(
        absl::StrCat("period year ", year, " is out of range (must be 1900..9999)"));
  }
  if (granularity == Granularity::kYear) return Period(granularity, year, 0);
  const int count = PeriodsPerYear(granularity);
  if (index < 1 || index > count) {
    return absl::InvalidArgumentError(absl::StrCat(GranularityName(granularity), " ", index,
                                                   " of ", year, " is out of range (must be 1..",
                                                   count, ")"));
  }
  return Period(granularity, year, index);
}

absl::StatusOr<Period> Period::Parse(absl::string_view text) {
  if (text.size() != 4 && text.size() != 7) {
    return ParseError(text, "not a period");
  }
  for (size_t i = 0; i < 4; ++i) {
    if (!IsDigit(text[i])) return ParseError(text, "the year is not four digits");
  }
  const int year =
      (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  if (year < kMinYear) return ParseError(text, "the year is before 1900");
  if (text.size() == 4) return Period(Granularity::kYear, year, 0);

  if (text[4] != '-') return ParseError(text, "not a period");
  const char kind = text[5];
  const char last = text[6];
  if (!IsDigit(last)) return ParseError(text, "not a period");
  if (kind == 'H' || kind == 'Q') {
    const Granularity granularity = kind == 'H' ? Granularity::kHalf : Granularity::kQuarter;
    const int index = last - '0';
    if (index < 1 || index > PeriodsPerYear(granularity)) {
      return ParseError(text, absl::StrCat(GranularityName(granularity), " ", index,
                                           " does not exist"));
    }
    return Period(granularity, year, index);
  }
  if (!IsDigit(kind)) return ParseError(text, "not a period");
  const int month = (kind - '0') * 10 + (last - '0');
  if (month < 1 || month > 12) {
    return ParseError(text, absl::StrCat("month ", text.substr(5), " does not exist"));
  }
  return Period(Granularity::kMonth, year, month);
}

std::string Period::ToString() const {
  switch (granularity_) {
    case Granularity::kYear:
      return absl::StrFormat("%04d", year_);
    case Granularity::kHalf:
      return absl::StrFormat("%04d-H%d", year_, index_);
    case Granularity::kQuarter:
      return absl::StrFormat("%04d-Q%d", year_, index_);
    case Granularity::kMonth:
      return absl::StrFormat("%04d-%02d", year_, index_);
  }
  return "";
}

int Period::FirstMonth() const {
  return granularity_ == Granularity::kYear ? 1 : (index_ - 1) * MonthsIn(granularity_) + 1;
}

int Period::LastMonth() const {
  return granularity_ == Granularity::kYear ? 12 : index_ * MonthsIn(granularity_);
}

absl::CivilDay Period::FirstDay() const { return absl::CivilDay(year_, FirstMonth(), 1); }

absl::CivilDay Period::LastDay() const {
  // The last day of the period's last month, built from fields that need no normalising:
  // CivilDay arithmetic (the day before the next period) costs several times more, and this
  // runs for every submission applied.
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int last_month = LastMonth();
  const bool leap = year_ % 4 == 0 && (year_ % 100 != 0 || year_ % 400 == 0);
  return absl::CivilDay(year_, last_month,
                        kDaysInMonth[last_month - 1] + (last_month == 2 && leap ? 1 : 0));
}

bool Period::Contains(const Period& other) const {
  return FirstDay() <= other.FirstDay() && other.LastDay() <= LastDay();
}

Period Period::Enclosing(Granularity granularity) const {
  TIENDO_CHECK(granularity <= granularity_,
               absl::StrCat("Enclosing(", GranularityName(granularity), ") of ", ToString(),
                            " asks for a finer granularity"));
  return Period(granularity, year_, IndexOfMonth(granularity, FirstMonth()));
}

absl::InlinedVector<Period, 3> Period::Parts() const {
  absl::InlinedVector<Period, 3> parts;
  if (granularity_ == Granularity::kMonth) return parts;
  const auto finer = static_cast<Granularity>(static_cast<int>(granularity_) + 1);
  for (int month = FirstMonth(); month <= LastMonth(); month += MonthsIn(finer)) {
    parts.push_back(Period(finer, year_, IndexOfMonth(finer, month)));
  }
  return parts;
}

std::optional<Period> Period::EndingTogether(Granularity granularity) const {
  const int last_month = LastMonth();
  if (last_month % MonthsIn(granularity) != 0) return std::nullopt;
  return Period(granularity, year_, IndexOfMonth(granularity, last_month));
}

Period Period::Previous() const {
  if (granularity_ == Granularity::kYear || index_ == 1) {
    TIENDO_CHECK(year_ > kMinYear, absl::StrCat("no period before ", ToString()));
    return Period(granularity_, year_ - 1,
                  granularity_ == Granularity::kYear ? 0 : PeriodsPerYear(granularity_));
  }
  return Period(granularity_, year_, index_ - 1);
}

Period Period::Next() const {
  if (granularity_ == Granularity::kYear || index_ == PeriodsPerYear(granularity_)) {
    TIENDO_CHECK(year_ < kMaxYear, absl::StrCat("no period after ", ToString()));
    return Period(granularity_, year_ + 1, granularity_ == Granularity::kYear ? 0 : 1);
  }
  return Period(granularity_, year_, index_ + 1);
}

// Layout: year << 8 | (first month - 1) << 2 | granularity. Comparing packed
// values compares the first day, then the granularity, whose enumerators run
// from the longest period to the shortest. A year is at least 1900, so a
// packed period is never 0.
uint32_t Period::Pack() const {
  const uint32_t month_offset = static_cast<uint32_t>(FirstMonth() - 1);
  return static_cast<uint32_t>(year_) << 8 | month_offset << 2 |
         static_cast<uint32_t>(granularity_);
}

Period Period::Unpack(uint32_t packed) {
  const int year = static_cast<int>(packed >> 8);
  const int month_offset = static_cast<int>((packed >> 2) & 0x3F);
  const auto granularity = static_cast<Granularity>(packed & 0x3);
  const Period period(granularity, year, IndexOfMonth(granularity, month_offset + 1));
  // The month must be the first of its period.
  TIENDO_CHECK(year >= kMinYear && year <= kMaxYear && month_offset < 12 &&
                   period.FirstMonth() == month_offset + 1,
               absl::StrCat("Unpack(", packed, ") is not a packed period"));
  return period;
}

std::strong_ordering operator<=>(const Period& a, const Period& b) {
  return a.Pack() <=> b.Pack();
}

std::optional<Granularity> GranularityFromProto(common::v1::PeriodGranularity granularity) {
  switch (granularity) {
    case common::v1::PERIOD_GRANULARITY_YEAR:
      return Granularity::kYear;
    case common::v1::PERIOD_GRANULARITY_HALF:
      return Granularity::kHalf;
    case common::v1::PERIOD_GRANULARITY_QUARTER:
      return Granularity::kQuarter;
    case common::v1::PERIOD_GRANULARITY_MONTH:
      return Granularity::kMonth;
    default:
      return std::nullopt;
  }
}

}  // namespace tiendo::core
