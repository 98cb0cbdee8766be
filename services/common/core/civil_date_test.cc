#include "services/common/core/civil_date.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo::core {
namespace {

using ::testing::HasSubstr;

TEST(CivilDateTest, ParsesRealCalendarDays) {
  EXPECT_EQ(*ParseCivilDate("2025-07-01"), absl::CivilDay(2025, 7, 1));
  EXPECT_EQ(*ParseCivilDate("2024-02-29"), absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(*ParseCivilDate("2000-02-29"), absl::CivilDay(2000, 2, 29));
  EXPECT_EQ(*ParseCivilDate("2024-12-31"), absl::CivilDay(2024, 12, 31));
  EXPECT_EQ(*ParseCivilDate("0001-01-01"), absl::CivilDay(1, 1, 1));
  EXPECT_EQ(*ParseCivilDate("9999-12-31"), absl::CivilDay(9999, 12, 31));
}

TEST(CivilDateTest, RejectsOtherSpellingsAndDaysThatDoNotExist) {
  for (const char* text :
       {"2025-02-29", "1900-02-29", "2025-04-31", "2025-02-30", "2025-13-01", "2025-00-10",
        "2025-01-00", "2025-01-32", "0000-01-01", "2025-2-28", "2025-02-8", "25-02-28",
        "2025/02/28", "20250228", " 2025-02-28", "2025-02-28 ", "2025-02-28T00:00", "",
        "2025-0a-28", "+025-02-28", "-025-02-28", "2025-02--1"}) {
    SCOPED_TRACE(text);
    absl::StatusOr<absl::CivilDay> day = ParseCivilDate(text);
    ASSERT_FALSE(day.ok()) << *day;
    EXPECT_EQ(day.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(day.status().message(), HasSubstr(absl::StrCat("\"", text, "\" is not a date")));
    EXPECT_THAT(day.status().message(), HasSubstr("YYYY-MM-DD"));
  }
}

TEST(CivilDateTest, MessagesSayWhichPartIsWrong) {
  EXPECT_THAT(ParseCivilDate("2025-02-29").status().message(), HasSubstr("2025-02 has no day 29"));
  EXPECT_THAT(ParseCivilDate("2025-13-01").status().message(),
              HasSubstr("month 13 does not exist"));
}

TEST(CivilDateTest, FormatsWithPaddingAndRoundTrips) {
  EXPECT_EQ(FormatCivilDate(absl::CivilDay(2025, 3, 1)), "2025-03-01");
  EXPECT_EQ(FormatCivilDate(absl::CivilDay(987, 1, 9)), "0987-01-09");
  for (absl::CivilDay day(2023, 1, 1); day <= absl::CivilDay(2025, 12, 31); ++day) {
    absl::StatusOr<absl::CivilDay> parsed = ParseCivilDate(FormatCivilDate(day));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, day);
  }
}

}  // namespace
}  // namespace tiendo::core
