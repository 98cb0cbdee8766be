#include "services/common/core/administrative_units.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo::core {
namespace {

using registry::v1::AdministrativeUnit;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

absl::CivilDay Day(int y, int m, int d) { return absl::CivilDay(y, m, d); }

Period P(absl::string_view text) { return *Period::Parse(text); }

struct UnitSpec {
  std::string code;
  std::string name;
  std::string parent;
  std::string valid_from;
  std::string valid_to;
  std::vector<std::string> successors;
  std::vector<std::string> predecessors;
};

AdministrativeUnit Unit(const UnitSpec& spec) {
  AdministrativeUnit unit;
  unit.set_code(spec.code);
  unit.set_name_vi(spec.name);
  unit.set_parent_code(spec.parent);
  unit.set_level(spec.parent.empty() ? registry::v1::ADMINISTRATIVE_LEVEL_PROVINCE
                                     : registry::v1::ADMINISTRATIVE_LEVEL_DISTRICT);
  unit.set_valid_from(spec.valid_from);
  unit.set_valid_to(spec.valid_to);
  for (const std::string& code : spec.successors) unit.add_successor_codes(code);
  for (const std::string& code : spec.predecessors) unit.add_predecessor_codes(code);
  return unit;
}

// Bà Rịa - Vũng Tàu and its 2025 changes: Long Điền and Đất Đỏ merged into
// Long Đất (code 757 here) on 2025-01-01; the province merged into Ho Chi Minh
// City on 2025-07-01, when the district level was abolished (districts end on
// 2025-06-30 and their territory passes to the province 79). Units 90001 and
// 90002 are hypothetical wards merged mid-quarter, on 2025-03-01.
class AdministrativeUnitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const UnitSpec& spec : std::vector<UnitSpec>{
             {"77", "Bà Rịa - Vũng Tàu", "", "", "2025-06-30", {"79"}, {}},
             {"79", "Hồ Chí Minh", "", "", "", {}, {"77"}},
             {"747", "Vũng Tàu", "77", "", "2025-06-30", {"79"}, {}},
             {"752", "Long Điền", "77", "1994-06-02", "2024-12-31", {"757"}, {}},
             {"753", "Đất Đỏ", "77", "1994-06-02", "2024-12-31", {"757"}, {}},
             {"757", "Long Đất", "77", "2025-01-01", "2025-06-30", {"79"}, {"752", "753"}},
             {"90001", "Phường Thử A", "747", "", "2025-02-28", {"90002"}, {}},
             {"90002", "Phường Thử B", "747", "2025-03-01", "2025-06-30", {"79"}, {"90001"}},
         }) {
      ASSERT_TRUE(units_.Upsert(Unit(spec)).ok()) << spec.code;
    }
  }

  AdministrativeUnits units_;
};

TEST_F(AdministrativeUnitsTest, FindsUnitsByCode) {
  EXPECT_EQ(units_.size(), 8u);
  ASSERT_NE(units_.Find("752"), nullptr);
  EXPECT_EQ(units_.Find("752")->name_vi(), "Long Điền");
  EXPECT_EQ(units_.Find("750"), nullptr);
}

TEST_F(AdministrativeUnitsTest, AMergedDistrictIsValidUpToItsLastDayOnly) {
  EXPECT_TRUE(units_.ValidAt("752", Day(1994, 6, 2)).ok());
  EXPECT_TRUE(units_.ValidAt("752", Day(2024, 12, 31)).ok());
  const absl::Status after = units_.ValidAt("752", Day(2025, 1, 1));
  EXPECT_EQ(after.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(after.message(),
            "administrative unit 752 (Long Điền) is not valid on 2025-01-01: valid "
            "1994-06-02..2024-12-31, merged into 757 (Long Đất)");
  const absl::Status before = units_.ValidAt("752", Day(1994, 6, 1));
  EXPECT_EQ(before.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(before.message(),
            "administrative unit 752 (Long Điền) is not valid on 1994-06-01: valid "
            "1994-06-02..2024-12-31");
}

TEST_F(AdministrativeUnitsTest, TheMergedDistrictIsValidForTheFirstHalfOf2025) {
  const absl::Status before = units_.ValidAt("757", Day(2024, 12, 31));
  EXPECT_EQ(before.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(before.message(),
            "administrative unit 757 (Long Đất) is not valid on 2024-12-31: valid "
            "2025-01-01..2025-06-30, formed from 752 (Long Điền), 753 (Đất Đỏ)");
  EXPECT_TRUE(units_.ValidAt("757", Day(2025, 1, 1)).ok());
  EXPECT_TRUE(units_.ValidAt("757", Day(2025, 6, 30)).ok());
  EXPECT_THAT(units_.ValidAt("757", Day(2025, 7, 1)).message(),
              HasSubstr("not valid on 2025-07-01: valid 2025-01-01..2025-06-30, merged into 79 "
                        "(Hồ Chí Minh)"));
}

TEST_F(AdministrativeUnitsTest, TheProvinceEndsOnThe30thOfJune2025) {
  EXPECT_TRUE(units_.ValidAt("77", Day(1976, 1, 1)).ok());
  EXPECT_TRUE(units_.ValidAt("77", Day(2025, 6, 30)).ok());
  EXPECT_EQ(units_.ValidAt("77", Day(2025, 7, 1)).message(),
            "administrative unit 77 (Bà Rịa - Vũng Tàu) is not valid on 2025-07-01: valid until "
            "2025-06-30, merged into 79 (Hồ Chí Minh)");
  EXPECT_TRUE(units_.ValidAt("79", Day(2025, 7, 1)).ok());
  EXPECT_TRUE(units_.ValidAt("79", Day(1976, 1, 1)).ok());
  EXPECT_TRUE(units_.ValidAt("747", Day(2025, 6, 30)).ok());
  EXPECT_FALSE(units_.ValidAt("747", Day(2025, 7, 1)).ok());
}

TEST_F(AdministrativeUnitsTest, UnknownCodesAreNotFound) {
  for (const absl::Status& status :
       {units_.ValidAt("750", Day(2024, 1, 1)), units_.ValidThroughout("750", P("2024-Q1")),
        units_.Resolve("750", Day(2024, 1, 1)).status()}) {
    EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(status.message(), "administrative unit 750 is not known");
  }
  EXPECT_EQ(units_.ValidAt("7\n50", Day(2024, 1, 1)).message(),
            "administrative unit 7\\n50 is not known");
}

TEST_F(AdministrativeUnitsTest, ValidThroughoutNeedsEveryDayOfThePeriod) {
  EXPECT_TRUE(units_.ValidThroughout("752", P("2024")).ok());
  EXPECT_TRUE(units_.ValidThroughout("752", P("2024-Q4")).ok());
  EXPECT_TRUE(units_.ValidThroughout("752", P("2024-12")).ok());
  EXPECT_FALSE(units_.ValidThroughout("752", P("2025-Q1")).ok());
  EXPECT_TRUE(units_.ValidThroughout("757", P("2025-H1")).ok());
  EXPECT_TRUE(units_.ValidThroughout("757", P("2025-Q2")).ok());
  const absl::Status year = units_.ValidThroughout("757", P("2025"));
  EXPECT_EQ(year.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(year.message(),
            "administrative unit 757 (Long Đất) is not valid throughout 2025 "
            "(2025-01-01..2025-12-31): valid 2025-01-01..2025-06-30, merged into 79 (Hồ Chí Minh)");
}

TEST_F(AdministrativeUnitsTest, AQuarterStraddlingAMergeIsValidForNeitherUnit) {
  const absl::Status old_ward = units_.ValidThroughout("90001", P("2025-Q1"));
  EXPECT_EQ(old_ward.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(old_ward.message(),
            "administrative unit 90001 (Phường Thử A) is not valid throughout 2025-Q1 "
            "(2025-01-01..2025-03-31): valid until 2025-02-28, merged into 90002 (Phường Thử B)");
  const absl::Status new_ward = units_.ValidThroughout("90002", P("2025-Q1"));
  EXPECT_EQ(new_ward.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(new_ward.message(),
            "administrative unit 90002 (Phường Thử B) is not valid throughout 2025-Q1 "
            "(2025-01-01..2025-03-31): valid 2025-03-01..2025-06-30, formed from 90001 (Phường "
            "Thử A)");
  // The months on either side of the merge are fine.
  EXPECT_TRUE(units_.ValidThroughout("90001", P("2025-02")).ok());
  EXPECT_TRUE(units_.ValidThroughout("90002", P("2025-03")).ok());
  EXPECT_TRUE(units_.ValidThroughout("90002", P("2025-Q2")).ok());
}

TEST_F(AdministrativeUnitsTest, ResolveFollowsSuccessorsThroughTwoMerges) {
  EXPECT_THAT(*units_.Resolve("752", Day(2024, 12, 31)), ElementsAre("752"));
  EXPECT_THAT(*units_.Resolve("752", Day(2025, 1, 1)), ElementsAre("757"));
  EXPECT_THAT(*units_.Resolve("753", Day(2025, 6, 30)), ElementsAre("757"));
  EXPECT_THAT(*units_.Resolve("752", Day(2025, 7, 1)), ElementsAre("79"));
  EXPECT_THAT(*units_.Resolve("90001", Day(2025, 8, 15)), ElementsAre("79"));
  EXPECT_THAT(*units_.Resolve("77", Day(2026, 1, 1)), ElementsAre("79"));
  EXPECT_THAT(*units_.Resolve("79", Day(2026, 1, 1)), ElementsAre("79"));
}

TEST_F(AdministrativeUnitsTest, ResolveBeforeAUnitExistedIsAnError) {
  absl::StatusOr<std::vector<std::string>> resolved = units_.Resolve("757", Day(2024, 6, 1));
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(resolved.status().message(),
              HasSubstr("757 (Long Đất) is not valid on 2024-06-01"));
}

TEST_F(AdministrativeUnitsTest, ChildrenAreTheUnitsValidThatDay) {
  EXPECT_THAT(units_.Children("77", Day(2024, 12, 31)), ElementsAre("747", "752", "753"));
  EXPECT_THAT(units_.Children("77", Day(2025, 1, 1)), ElementsAre("747", "757"));
  EXPECT_THAT(units_.Children("77", Day(2025, 7, 1)), IsEmpty());
  EXPECT_THAT(units_.Children("747", Day(2025, 2, 28)), ElementsAre("90001"));
  EXPECT_THAT(units_.Children("747", Day(2025, 3, 1)), ElementsAre("90002"));
  EXPECT_THAT(units_.Children("79", Day(2025, 7, 1)), IsEmpty());
  EXPECT_THAT(units_.Children("750", Day(2025, 1, 1)), IsEmpty());
}

TEST_F(AdministrativeUnitsTest, UpsertReplacesAUnitAndItsPlaceUnderItsParent) {
  AdministrativeUnit moved = *units_.Find("90002");
  moved.set_parent_code("757");
  moved.set_valid_to("");
  moved.clear_successor_codes();
  ASSERT_TRUE(units_.Upsert(moved).ok());
  EXPECT_EQ(units_.size(), 8u);
  EXPECT_THAT(units_.Children("747", Day(2025, 3, 1)), IsEmpty());
  EXPECT_THAT(units_.Children("757", Day(2025, 3, 1)), ElementsAre("90002"));
  EXPECT_TRUE(units_.ValidAt("90002", Day(2030, 1, 1)).ok());
}

TEST(AdministrativeUnitsUpsertTest, RefusesMalformedUnitsAndKeepsTheIndex) {
  AdministrativeUnits units;
  ASSERT_TRUE(units.Upsert(Unit({"752", "Long Điền", "77", "1994-06-02", "", {}, {}})).ok());
  struct Case {
    UnitSpec spec;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {{"", "Nowhere", "", "", "", {}, {}}, "administrative unit code \"\" is not a code"},
           {{"75a", "X", "", "", "", {}, {}}, "administrative unit code \"75a\" is not a code"},
           {{"752", "Long Điền", "77", "1994-6-2", "", {}, {}},
            "administrative unit 752: valid_from: \"1994-6-2\" is not a date"},
           {{"752", "Long Điền", "77", "", "2024-02-30", {}, {}},
            "administrative unit 752: valid_to: \"2024-02-30\" is not a date"},
           {{"752", "Long Điền", "77", "2025-01-01", "2024-12-31", {}, {}},
            "administrative unit 752: valid_to 2024-12-31 is before valid_from 2025-01-01"},
           {{"752", "Long Điền", "77", "1994-06-02", "", {"757"}, {}},
            "administrative unit 752: successor_codes need a valid_to"},
           {{"752", "Long Điền", "77", "1994-06-02", "2024-12-31", {"752"}, {}},
            "administrative unit 752 names itself as its successor"},
           {{"752", "Long Điền", "77", "1994-06-02", "2024-12-31", {"Long Đất"}, {}},
            "successor code \"Long \\xc4\\x90\\xe1\\xba\\xa5t\" is not a code"},
       }) {
    const absl::Status status = units.Upsert(Unit(c.spec));
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_THAT(status.message(), HasSubstr(c.message));
  }
  EXPECT_EQ(units.size(), 1u);
  EXPECT_TRUE(units.ValidAt("752", Day(2030, 1, 1)).ok());
  EXPECT_THAT(units.Children("77", Day(2030, 1, 1)), ElementsAre("752"));
}

TEST(AdministrativeUnitsResolveTest, ASplitResolvesToEveryPartAndMergesBackWithoutRepeats) {
  AdministrativeUnits units;
  ASSERT_TRUE(units.Upsert(Unit({"201", "A", "", "", "2020-12-31", {"203", "202"}, {}})).ok());
  ASSERT_TRUE(units.Upsert(Unit({"202", "B", "", "2021-01-01", "2022-12-31", {"203"}, {}})).ok());
  ASSERT_TRUE(units.Upsert(Unit({"203", "C", "", "2021-01-01", "", {}, {"201", "202"}})).ok());
  EXPECT_THAT(*units.Resolve("201", Day(2021, 6, 1)), ElementsAre("202", "203"));
  EXPECT_THAT(*units.Resolve("201", Day(2023, 1, 1)), ElementsAre("203"));
  EXPECT_THAT(units.ValidAt("201", Day(2021, 1, 1)).message(),
              HasSubstr("valid until 2020-12-31, split into 203 (C), 202 (B)"));
}

TEST(AdministrativeUnitsResolveTest, ACycleOfSuccessorsIsAnErrorNamingTheCodes) {
  AdministrativeUnits units;
  ASSERT_TRUE(units.Upsert(Unit({"101", "A", "", "", "2024-12-31", {"102"}, {}})).ok());
  ASSERT_TRUE(units.Upsert(Unit({"102", "B", "", "2025-01-01", "2025-06-30", {"103"}, {}})).ok());
  ASSERT_TRUE(units.Upsert(Unit({"103", "C", "", "2025-07-01", "2025-12-31", {"101"}, {}})).ok());
  // Before the chain closes, resolution works.
  EXPECT_THAT(*units.Resolve("101", Day(2025, 7, 1)), ElementsAre("103"));
  absl::StatusOr<std::vector<std::string>> resolved = units.Resolve("101", Day(2026, 1, 1));
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(resolved.status().message(),
            "administrative unit 101 (A): successor_codes form a cycle 101 → 102 → 103 → 101");
  EXPECT_THAT(units.Resolve("102", Day(2026, 1, 1)).status().message(),
              HasSubstr("cycle 102 → 103 → 101 → 102"));
}

TEST(AdministrativeUnitsResolveTest, BrokenChainsAreErrors) {
  AdministrativeUnits units;
  ASSERT_TRUE(units.Upsert(Unit({"301", "Gone", "", "", "2020-12-31", {"302"}, {}})).ok());
  ASSERT_TRUE(units.Upsert(Unit({"302", "Ended", "", "2021-01-01", "2021-12-31", {}, {}})).ok());
  ASSERT_TRUE(units.Upsert(Unit({"311", "Early", "", "", "2020-12-31", {"312"}, {}})).ok());
  ASSERT_TRUE(units.Upsert(Unit({"312", "Late", "", "2021-02-01", "", {}, {}})).ok());
  ASSERT_TRUE(units.Upsert(Unit({"321", "Lost", "", "", "2020-12-31", {"399"}, {}})).ok());

  absl::Status ended = units.Resolve("301", Day(2022, 1, 1)).status();
  EXPECT_EQ(ended.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ended.message(),
            "administrative unit 301 (Gone) has no successor valid on 2022-01-01: 301 → 302 leads "
            "to 302 (Ended), which ended on 2021-12-31 with no successor recorded");
  EXPECT_THAT(units.Resolve("302", Day(2022, 1, 1)).status().message(),
              HasSubstr("valid 2021-01-01..2021-12-31, no successor recorded"));

  absl::Status gap = units.Resolve("311", Day(2021, 1, 15)).status();
  EXPECT_EQ(gap.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(gap.message(), HasSubstr("312 (Late), which is valid only from 2021-02-01"));
  EXPECT_THAT(*units.Resolve("311", Day(2021, 2, 1)), ElementsAre("312"));

  absl::Status lost = units.Resolve("321", Day(2021, 1, 1)).status();
  EXPECT_EQ(lost.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(lost.message(), HasSubstr("successor 399 of 321 (Lost) is not known"));
}

}  // namespace
}  // namespace tiendo::core
