// Period: the reporting period of a submission — a year ("2025"), a half
// ("2025-H1"), a quarter ("2025-Q3") or a month ("2025-09") — with the
// calendar facts the rest of the core needs: first and last day, ordering,
// containment, and a packed 32-bit form for compact keys.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "tiendo/common/v1/period.pb.h"

namespace tiendo::core {

enum class Granularity : uint8_t { kYear = 0, kHalf = 1, kQuarter = 2, kMonth = 3 };

// "year", "half", "quarter", "month".
absl::string_view GranularityName(Granularity granularity);

// The granularity a proto names; nullopt for UNSPECIFIED.
std::optional<Granularity> GranularityFromProto(common::v1::PeriodGranularity granularity);

class Period {
 public:
  // Years 1900..9999. `index` is 1-based within the year: half 1..2,
  // quarter 1..4, month 1..12; ignored for a year.
  static absl::StatusOr<Period> Of(Granularity granularity, int year, int index);
  // Parses the canonical forms above; anything else (e.g. "2025-Q5",
  // "2025-9", "25", " 2025") is INVALID_ARGUMENT naming the text and the
  // accepted forms.
  static absl::StatusOr<Period> Parse(absl::string_view text);

  Granularity granularity() const { return granularity_; }
  int year() const { return year_; }
  int index() const { return index_; }  // 0 for a year

  // The canonical text, the inverse of Parse.
  std::string ToString() const;

  absl::CivilDay FirstDay() const;
  absl::CivilDay LastDay() const;

  // True if every day of `other` lies within this period (a period contains
  // itself).
  bool Contains(const Period& other) const;

  // The period of `granularity` that contains this one's first day; e.g. the
  // quarter of 2025-08 is 2025-Q3. Only to an equal or coarser granularity
  // (a finer one is a programming error and aborts).
  Period Enclosing(Granularity granularity) const;
  // The period of `granularity` that ends on this one's last day, if one does: 2025-06 and
  // 2025-Q2 end with 2025-H1, 2025-05 ends no quarter. Any granularity, finer or coarser.
  std::optional<Period> EndingTogether(Granularity granularity) const;

  // The periods of the next finer granularity that make this one up, in order: a year's
  // halves, a half's quarters, a quarter's months; none for a month.
  absl::InlinedVector<Period, 3> Parts() const;

  // The period of the same granularity immediately before / after. Stepping
  // out of years 1900..9999 is a programming error and aborts.
  Period Previous() const;
  Period Next() const;

  // Packed form: distinct for distinct periods, never 0, and ordered like
  // Period. Unpack of a value Pack did not produce aborts.
  uint32_t Pack() const;
  static Period Unpack(uint32_t packed);

  // Ordered by first day, then the longer period first (2025 < 2025-H1 <
  // 2025-Q1 < 2025-01 < 2025-02).
  friend std::strong_ordering operator<=>(const Period& a, const Period& b);
  friend bool operator==(const Period& a, const Period& b) = default;

  template <typename H>
  friend H AbslHashValue(H h, const Period& p) {
    return H::combine(std::move(h), p.Pack());
  }

 private:
  Period(Granularity granularity, int year, int index)
      : year_(static_cast<int16_t>(year)), granularity_(granularity),
        index_(static_cast<int8_t>(index)) {}
  // The number (1..12) of the period's first month, without building a day: Pack and
  // Enclosing run for every submission applied.
  int FirstMonth() const;
  // The number (1..12) of the period's last month: LastDay and EndingTogether run for every
  // submission applied.
  int LastMonth() const;

  // Four bytes with no padding, so that a Period is built and returned in a register rather
  // than through the stack.
  int16_t year_;
  Granularity granularity_;
  int8_t index_;
};
static_assert(sizeof(Period) == 4, "a Period fits a register; see its fields");

}  // namespace tiendo::core
