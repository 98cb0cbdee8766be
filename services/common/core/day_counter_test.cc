#include "services/common/core/day_counter.h"

#include "gtest/gtest.h"

namespace tiendo::core {
namespace {

absl::CivilDay Day(int y, int m, int d) { return absl::CivilDay(y, m, d); }

TEST(DayCounterTest, CountsIntervalsContainingADay) {
  DayCounter counter;
  EXPECT_EQ(counter.CountAt(Day(2025, 1, 1)), 0);
  EXPECT_FALSE(counter.EarliestStart().has_value());
  counter.Add({Day(2020, 3, 1), std::nullopt});
  counter.Add({Day(2021, 1, 1), Day(2024, 6, 1)});  // ends: not counted from 2024-06-01
  EXPECT_EQ(counter.CountAt(Day(2020, 2, 29)), 0);
  EXPECT_EQ(counter.CountAt(Day(2020, 3, 1)), 1);
  EXPECT_EQ(counter.CountAt(Day(2022, 1, 1)), 2);
  EXPECT_EQ(counter.CountAt(Day(2024, 5, 31)), 2);
  EXPECT_EQ(counter.CountAt(Day(2024, 6, 1)), 1);
  EXPECT_EQ(counter.EarliestStart(), Day(2020, 3, 1));
}

TEST(DayCounterTest, RemovingUndoesAdding) {
  DayCounter counter;
  const DayInterval interval{Day(2019, 5, 5), Day(2026, 1, 1)};
  counter.Add(interval);
  counter.Add({Day(2023, 1, 1), std::nullopt});
  counter.Remove(interval);
  EXPECT_EQ(counter.CountAt(Day(2020, 1, 1)), 0);
  EXPECT_EQ(counter.CountAt(Day(2024, 1, 1)), 1);
  EXPECT_EQ(counter.EarliestStart(), Day(2023, 1, 1));
}

TEST(DayCounterTest, EmptyIntervalsCountNowhere) {
  DayCounter counter;
  counter.Add({Day(2024, 1, 1), Day(2024, 1, 1)});
  EXPECT_EQ(counter.CountAt(Day(2024, 1, 1)), 0);
  EXPECT_FALSE(counter.EarliestStart().has_value());
}

}  // namespace
}  // namespace tiendo::core
