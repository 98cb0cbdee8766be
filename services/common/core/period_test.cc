#include "services/common/core/period.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo::core {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

Period P(absl::string_view text) {
  absl::StatusOr<Period> period = Period::Parse(text);
  EXPECT_TRUE(period.ok()) << period.status();
  return *period;
}

absl::CivilDay Day(int y, int m, int d) { return absl::CivilDay(y, m, d); }

// Every period of every granularity in years first..last.
std::vector<Period> AllPeriods(int first, int last) {
  std::vector<Period> periods;
  for (int year = first; year <= last; ++year) {
    periods.push_back(*Period::Of(Granularity::kYear, year, 0));
    for (int i = 1; i <= 2; ++i) periods.push_back(*Period::Of(Granularity::kHalf, year, i));
    for (int i = 1; i <= 4; ++i) periods.push_back(*Period::Of(Granularity::kQuarter, year, i));
    for (int i = 1; i <= 12; ++i) periods.push_back(*Period::Of(Granularity::kMonth, year, i));
  }
  return periods;
}

TEST(PeriodTest, ParsesEachFormAndFormatsItBack) {
  struct Case {
    const char* text;
    Granularity granularity;
    int year;
    int index;
  };
  for (const Case& c : {Case{"2025", Granularity::kYear, 2025, 0},
                        Case{"2025-H1", Granularity::kHalf, 2025, 1},
                        Case{"2025-H2", Granularity::kHalf, 2025, 2},
                        Case{"2025-Q3", Granularity::kQuarter, 2025, 3},
                        Case{"2025-09", Granularity::kMonth, 2025, 9},
                        Case{"2025-12", Granularity::kMonth, 2025, 12},
                        Case{"1900-01", Granularity::kMonth, 1900, 1},
                        Case{"9999-Q4", Granularity::kQuarter, 9999, 4}}) {
    SCOPED_TRACE(c.text);
    absl::StatusOr<Period> period = Period::Parse(c.text);
    ASSERT_TRUE(period.ok()) << period.status();
    EXPECT_EQ(period->granularity(), c.granularity);
    EXPECT_EQ(period->year(), c.year);
    EXPECT_EQ(period->index(), c.index);
    EXPECT_EQ(period->ToString(), c.text);
  }
}

TEST(PeriodTest, RejectsEverythingButTheCanonicalForms) {
  for (const char* text : {"2025-Q5", "2025-Q0", "2025-H0", "2025-H3", "2025-13", "2025-00",
                           "2025-9", "25", " 2025", "2025 ", "2025-q3", "2025-h1", "", "1899",
                           "0000", "2025-M09", "2025/09", "20250", "2025-Q3 ", "+2025",
                           "2025-W01", "２０２５"}) {
    SCOPED_TRACE(text);
    absl::StatusOr<Period> period = Period::Parse(text);
    ASSERT_FALSE(period.ok());
    EXPECT_EQ(period.status().code(), absl::StatusCode::kInvalidArgument);
    // The message names the text and says how to write a period.
    EXPECT_THAT(period.status().message(),
                AllOf(HasSubstr(absl::StrCat("\"", absl::CHexEscape(text), "\"")),
                      HasSubstr("YYYY, YYYY-Hn (n 1..2), YYYY-Qn (n 1..4) or YYYY-MM")));
  }
}

TEST(PeriodTest, ParseErrorsSayWhatIsWrong) {
  EXPECT_THAT(Period::Parse("2025-Q5").status().message(), HasSubstr("quarter 5 does not exist"));
  EXPECT_THAT(Period::Parse("2025-H0").status().message(), HasSubstr("half 0 does not exist"));
  EXPECT_THAT(Period::Parse("2025-13").status().message(), HasSubstr("month 13 does not exist"));
  EXPECT_THAT(Period::Parse("1899").status().message(), HasSubstr("before 1900"));
}

TEST(PeriodTest, AVeryLongInputIsCutShortInTheMessage) {
  const std::string text(10000, '9');
  absl::StatusOr<Period> period = Period::Parse(text);
  ASSERT_FALSE(period.ok());
  EXPECT_LT(period.status().message().size(), 400u);
}

TEST(PeriodTest, OfChecksRanges) {
  EXPECT_EQ(Period::Of(Granularity::kQuarter, 2025, 5).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Period::Of(Granularity::kMonth, 2025, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Period::Of(Granularity::kYear, 1899, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Period::Of(Granularity::kYear, 10000, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  // The index of a year is ignored.
  EXPECT_EQ(*Period::Of(Granularity::kYear, 2025, 7), P("2025"));
  EXPECT_EQ(*Period::Of(Granularity::kHalf, 2025, 2), P("2025-H2"));
}

TEST(PeriodTest, FirstAndLastDays) {
  struct Case {
    const char* text;
    absl::CivilDay first;
    absl::CivilDay last;
  };
  for (const Case& c : {Case{"2025", Day(2025, 1, 1), Day(2025, 12, 31)},
                        Case{"2025-H1", Day(2025, 1, 1), Day(2025, 6, 30)},
                        Case{"2025-H2", Day(2025, 7, 1), Day(2025, 12, 31)},
                        Case{"2025-Q1", Day(2025, 1, 1), Day(2025, 3, 31)},
                        Case{"2025-Q2", Day(2025, 4, 1), Day(2025, 6, 30)},
                        Case{"2025-Q3", Day(2025, 7, 1), Day(2025, 9, 30)},
                        Case{"2025-Q4", Day(2025, 10, 1), Day(2025, 12, 31)},
                        Case{"2024-02", Day(2024, 2, 1), Day(2024, 2, 29)},
                        Case{"2025-02", Day(2025, 2, 1), Day(2025, 2, 28)},
                        Case{"1900-02", Day(1900, 2, 1), Day(1900, 2, 28)},
                        Case{"2000-02", Day(2000, 2, 1), Day(2000, 2, 29)},
                        Case{"2025-04", Day(2025, 4, 1), Day(2025, 4, 30)},
                        Case{"2025-12", Day(2025, 12, 1), Day(2025, 12, 31)}}) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(P(c.text).FirstDay(), c.first);
    EXPECT_EQ(P(c.text).LastDay(), c.last);
  }
}

TEST(PeriodTest, OrderedByFirstDayThenLongerFirst) {
  const std::vector<Period> expected = {P("2024-12"), P("2025"),    P("2025-H1"), P("2025-Q1"),
                                        P("2025-01"), P("2025-02"), P("2025-03"), P("2025-Q2"),
                                        P("2025-04"), P("2025-H2"), P("2025-Q3"), P("2025-07"),
                                        P("2026")};
  std::vector<Period> shuffled = {expected.rbegin(), expected.rend()};
  std::swap(shuffled[2], shuffled[7]);
  std::sort(shuffled.begin(), shuffled.end());
  EXPECT_EQ(shuffled, expected);
  EXPECT_LT(P("2025-Q4"), P("2025-12"));
  EXPECT_GT(P("2025-12"), P("2025-H2"));
  EXPECT_EQ(P("2025-Q3") <=> P("2025-Q3"), std::strong_ordering::equal);
}

TEST(PeriodTest, AYearContainsItsHalvesQuartersAndMonths) {
  const Period year = P("2025");
  for (const Period& p : AllPeriods(2024, 2026)) {
    SCOPED_TRACE(p.ToString());
    EXPECT_EQ(year.Contains(p), p.year() == 2025);
  }
}

TEST(PeriodTest, AQuarterContainsItsMonthsOnly) {
  EXPECT_TRUE(P("2025-Q3").Contains(P("2025-07")));
  EXPECT_TRUE(P("2025-Q3").Contains(P("2025-08")));
  EXPECT_TRUE(P("2025-Q3").Contains(P("2025-09")));
  EXPECT_FALSE(P("2025-Q3").Contains(P("2025-06")));
  EXPECT_FALSE(P("2025-Q3").Contains(P("2025-10")));
  EXPECT_FALSE(P("2025-Q3").Contains(P("2024-08")));
  EXPECT_TRUE(P("2025-H2").Contains(P("2025-Q4")));
  EXPECT_FALSE(P("2025-H1").Contains(P("2025-Q3")));
  EXPECT_TRUE(P("2025-Q3").Contains(P("2025-Q3")));
}

TEST(PeriodTest, NothingContainsACoarserPeriod) {
  const std::vector<Period> all = AllPeriods(2024, 2026);
  for (const Period& fine : all) {
    for (const Period& coarse : all) {
      if (coarse.granularity() < fine.granularity()) {
        EXPECT_FALSE(fine.Contains(coarse)) << fine.ToString() << " " << coarse.ToString();
      }
    }
  }
}

TEST(PeriodTest, PeriodsEndingTogether) {
  EXPECT_EQ(P("2025-06").EndingTogether(Granularity::kHalf), P("2025-H1"));
  EXPECT_EQ(P("2025-06").EndingTogether(Granularity::kQuarter), P("2025-Q2"));
  EXPECT_EQ(P("2025-06").EndingTogether(Granularity::kYear), std::nullopt);
  EXPECT_EQ(P("2025-05").EndingTogether(Granularity::kQuarter), std::nullopt);
  EXPECT_EQ(P("2025-12").EndingTogether(Granularity::kYear), P("2025"));
  EXPECT_EQ(P("2025-H2").EndingTogether(Granularity::kMonth), P("2025-12"));
  EXPECT_EQ(P("2025-Q3").EndingTogether(Granularity::kHalf), std::nullopt);
  // Exactly the periods of that granularity whose last day is this one's.
  const std::vector<Period> all = AllPeriods(2024, 2025);
  for (const Period& p : all) {
    for (Granularity g : {Granularity::kYear, Granularity::kHalf, Granularity::kQuarter,
                          Granularity::kMonth}) {
      std::optional<Period> expected;
      for (const Period& other : all) {
        if (other.granularity() == g && other.LastDay() == p.LastDay()) expected = other;
      }
      EXPECT_EQ(p.EndingTogether(g), expected) << p.ToString() << " " << GranularityName(g);
    }
  }
}

TEST(PeriodTest, EnclosingPeriods) {
  EXPECT_EQ(P("2025-08").Enclosing(Granularity::kQuarter), P("2025-Q3"));
  EXPECT_EQ(P("2025-08").Enclosing(Granularity::kHalf), P("2025-H2"));
  EXPECT_EQ(P("2025-08").Enclosing(Granularity::kYear), P("2025"));
  EXPECT_EQ(P("2025-08").Enclosing(Granularity::kMonth), P("2025-08"));
  EXPECT_EQ(P("2025-06").Enclosing(Granularity::kHalf), P("2025-H1"));
  EXPECT_EQ(P("2025-Q2").Enclosing(Granularity::kHalf), P("2025-H1"));
  EXPECT_EQ(P("2025-Q3").Enclosing(Granularity::kHalf), P("2025-H2"));
  EXPECT_EQ(P("2025-H2").Enclosing(Granularity::kYear), P("2025"));
  for (const Period& p : AllPeriods(2024, 2025)) {
    for (Granularity g : {Granularity::kYear, Granularity::kHalf, Granularity::kQuarter,
                          Granularity::kMonth}) {
      if (g > p.granularity()) continue;
      EXPECT_TRUE(p.Enclosing(g).Contains(p)) << p.ToString();
    }
  }
}

TEST(PeriodDeathTest, EnclosingAFinerGranularityIsAProgrammingError) {
  EXPECT_DEATH(P("2025-Q3").Enclosing(Granularity::kMonth), "finer granularity");
}

TEST(PeriodTest, PreviousAndNextCrossYearBoundaries) {
  EXPECT_EQ(P("2025-01").Previous(), P("2024-12"));
  EXPECT_EQ(P("2024-12").Next(), P("2025-01"));
  EXPECT_EQ(P("2025-Q1").Previous(), P("2024-Q4"));
  EXPECT_EQ(P("2024-Q4").Next(), P("2025-Q1"));
  EXPECT_EQ(P("2025-H1").Previous(), P("2024-H2"));
  EXPECT_EQ(P("2024-H2").Next(), P("2025-H1"));
  EXPECT_EQ(P("2025").Previous(), P("2024"));
  EXPECT_EQ(P("2025").Next(), P("2026"));
  EXPECT_EQ(P("2025-Q2").Next(), P("2025-Q3"));
  EXPECT_EQ(P("2025-07").Previous(), P("2025-06"));
  for (const Period& p : AllPeriods(2019, 2031)) {
    EXPECT_EQ(p.Next().Previous(), p) << p.ToString();
    EXPECT_EQ(p.Next().FirstDay(), p.LastDay() + 1) << p.ToString();
  }
  // Leap years by all three rules: 1900 and 2100 are not, 2000 and 2024 are.
  for (const Period& p : AllPeriods(1900, 2101)) {
    EXPECT_EQ(p.Next().FirstDay(), p.LastDay() + 1) << p.ToString();
  }
}

TEST(PeriodDeathTest, SteppingOutOfTheYearRangeIsAProgrammingError) {
  EXPECT_DEATH(P("1900-01").Previous(), "no period before 1900-01");
  EXPECT_DEATH(P("9999").Next(), "no period after 9999");
}

TEST(PeriodTest, PackRoundTripsAndPreservesOrderForEveryPeriod2019To2031) {
  const std::vector<Period> all = AllPeriods(2019, 2031);
  absl::flat_hash_set<uint32_t> packed_values;
  for (const Period& p : all) {
    SCOPED_TRACE(p.ToString());
    const uint32_t packed = p.Pack();
    EXPECT_NE(packed, 0u);
    EXPECT_EQ(Period::Unpack(packed), p);
    EXPECT_EQ(*Period::Parse(p.ToString()), p);
    packed_values.insert(packed);
  }
  EXPECT_EQ(packed_values.size(), all.size());

  // The documented order, computed independently of Pack: by first day, then
  // the longer period first.
  auto documented = [](const Period& a, const Period& b) {
    if (a.FirstDay() != b.FirstDay()) return a.FirstDay() < b.FirstDay();
    return a.LastDay() > b.LastDay();
  };
  for (const Period& a : all) {
    for (const Period& b : all) {
      EXPECT_EQ(a.Pack() < b.Pack(), documented(a, b))
          << a.ToString() << " vs " << b.ToString();
      EXPECT_EQ(a < b, documented(a, b)) << a.ToString() << " vs " << b.ToString();
      EXPECT_EQ(a == b, a.Pack() == b.Pack());
    }
  }
}

TEST(PeriodDeathTest, UnpackingGarbageIsAProgrammingError) {
  EXPECT_DEATH(Period::Unpack(0), "not a packed period");
  // A quarter that would start in February.
  EXPECT_DEATH(Period::Unpack(2025u << 8 | 1u << 2 | 2u), "not a packed period");
}

TEST(PeriodTest, GranularityNames) {
  EXPECT_EQ(GranularityName(Granularity::kYear), "year");
  EXPECT_EQ(GranularityName(Granularity::kHalf), "half");
  EXPECT_EQ(GranularityName(Granularity::kQuarter), "quarter");
  EXPECT_EQ(GranularityName(Granularity::kMonth), "month");
}

TEST(PeriodTest, HashesLikeItsPackedForm) {
  absl::flat_hash_set<Period> set = {P("2025-Q3"), P("2025-Q3"), P("2025-07")};
  EXPECT_EQ(set.size(), 2u);
  EXPECT_TRUE(set.contains(P("2025-07")));
}

}  // namespace
}  // namespace tiendo::core
