#include "services/common/core/entity_match.h"

#include "gtest/gtest.h"

namespace tiendo::core {
namespace {

using registry::v1::Enterprise;
using registry::v1::EnterpriseFilter;
using registry::v1::PublicService;
using registry::v1::PublicServiceFilter;

absl::CivilDay Day(int y, int m, int d) { return absl::CivilDay(y, m, d); }

const AdministrativeUnits kNoUnits;

Enterprise DigitalEnterprise() {
  Enterprise e;
  e.set_tax_code("0100233488");
  e.add_categories("digital_technology");
  e.set_is_sme(true);
  e.set_registration_date("2021-04-01");
  e.set_status(registry::v1::ENTERPRISE_STATUS_ACTIVE);
  return e;
}

EnterpriseFilter DigitalFilter() {
  EnterpriseFilter f;
  f.add_categories("digital_technology");
  return f;
}

TEST(EntityMatchTest, AnEnterpriseCountsFromRegistrationUntilDissolution) {
  Enterprise e = DigitalEnterprise();
  auto open = MatchingDays(e, DigitalFilter(), kNoUnits);
  ASSERT_TRUE(open.ok()) << open.status();
  EXPECT_EQ(**open, (DayInterval{Day(2021, 4, 1), std::nullopt}));

  e.set_dissolution_date("2024-09-30");
  e.set_status(registry::v1::ENTERPRISE_STATUS_DISSOLVED);
  EXPECT_EQ(**MatchingDays(e, DigitalFilter(), kNoUnits), (DayInterval{Day(2021, 4, 1), Day(2024, 9, 30)}));

  EnterpriseFilter ever = DigitalFilter();
  ever.add_statuses(registry::v1::ENTERPRISE_STATUS_ACTIVE);
  ever.add_statuses(registry::v1::ENTERPRISE_STATUS_DISSOLVED);
  EXPECT_EQ(**MatchingDays(e, ever, kNoUnits), (DayInterval{Day(2021, 4, 1), std::nullopt}));
}

TEST(EntityMatchTest, TimelessConditionsExcludeForGood) {
  EnterpriseFilter needs_capability = DigitalFilter();
  needs_capability.add_capabilities("dx_solutions");
  EXPECT_FALSE(MatchingDays(DigitalEnterprise(), needs_capability, kNoUnits)->has_value());
  EnterpriseFilter large_only = DigitalFilter();
  large_only.set_is_sme(false);
  EXPECT_FALSE(MatchingDays(DigitalEnterprise(), large_only, kNoUnits)->has_value());
}

TEST(EntityMatchTest, ActiveCountsStopAtASuspension) {
  Enterprise e = DigitalEnterprise();
  e.set_status(registry::v1::ENTERPRISE_STATUS_SUSPENDED);
  e.set_status_since("2023-02-01");
  EnterpriseFilter active = DigitalFilter();
  active.add_statuses(registry::v1::ENTERPRISE_STATUS_ACTIVE);
  EXPECT_EQ(**MatchingDays(e, active, kNoUnits), (DayInterval{Day(2021, 4, 1), Day(2023, 2, 1)}));
  // Registered and not dissolved (the default) still counts it.
  EXPECT_EQ(**MatchingDays(e, DigitalFilter(), kNoUnits), (DayInterval{Day(2021, 4, 1), std::nullopt}));
}

TEST(EntityMatchTest, PlatformAdoptionCountsFromItsDate) {
  Enterprise e = DigitalEnterprise();
  e.mutable_platform_adoption()->set_adopted(true);
  e.mutable_platform_adoption()->set_since("2024-07-15");
  EnterpriseFilter adopters;
  adopters.set_is_sme(true);
  adopters.set_platform_adopted(true);
  EXPECT_EQ(**MatchingDays(e, adopters, kNoUnits), (DayInterval{Day(2024, 7, 15), std::nullopt}));
  EnterpriseFilter not_yet;
  not_yet.set_platform_adopted(false);
  EXPECT_EQ(**MatchingDays(e, not_yet, kNoUnits), (DayInterval{Day(2021, 4, 1), Day(2024, 7, 15)}));
}

TEST(EntityMatchTest, AnUnreadableDateNamesTheEnterpriseAndField) {
  Enterprise e = DigitalEnterprise();
  e.set_dissolution_date("2024-13-01");
  auto result = MatchingDays(e, DigitalFilter(), kNoUnits);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("enterprise 0100233488: dissolution_date"),
            std::string::npos)
      << result.status();
}

TEST(EntityMatchTest, AProcedureCountsAsOnlineFromItsDateUntilAbolished) {
  PublicService s;
  s.set_id("77:1.001234");
  s.set_eligible_full_process_online(true);
  s.set_full_process_online(true);
  s.set_full_process_online_since("2023-05-01");
  s.set_abolished_date("2025-07-01");
  PublicServiceFilter online;
  online.set_full_process_online(true);
  EXPECT_EQ(**MatchingDays(s, online, kNoUnits), (DayInterval{Day(2023, 5, 1), Day(2025, 7, 1)}));
  PublicServiceFilter eligible;
  eligible.set_eligible_full_process_online(true);
  EXPECT_EQ(**MatchingDays(s, eligible, kNoUnits), (DayInterval{Day(1900, 1, 1), Day(2025, 7, 1)}));
  PublicServiceFilter ineligible;
  ineligible.set_eligible_full_process_online(false);
  EXPECT_FALSE(MatchingDays(s, ineligible, kNoUnits)->has_value());
}

}  // namespace
}  // namespace tiendo::core

namespace tiendo::core {
namespace {

TEST(EntityMatchAreaTest, AFilterOnAProvinceCountsItsDistrictsAndWhatTheyMergedInto) {
  AdministrativeUnits units;
  auto unit = [&](const std::string& code, const std::string& parent,
                  std::vector<std::string> predecessors) {
    registry::v1::AdministrativeUnit u;
    u.set_code(code);
    u.set_parent_code(parent);
    for (const std::string& p : predecessors) u.add_predecessor_codes(p);
    ASSERT_TRUE(units.Upsert(u).ok());
  };
  unit("77", "", {});
  unit("79", "", {});
  unit("752", "77", {});
  unit("757", "77", {"752"});
  unit("760", "79", {});
  registry::v1::EnterpriseFilter in_77 = DigitalFilter();
  in_77.add_administrative_unit_codes("77");
  for (const char* code : {"77", "752", "757"}) {
    Enterprise e = DigitalEnterprise();
    e.set_administrative_unit_code(code);
    EXPECT_TRUE(MatchingDays(e, in_77, units)->has_value()) << code;
  }
  Enterprise elsewhere = DigitalEnterprise();
  elsewhere.set_administrative_unit_code("760");
  EXPECT_FALSE(MatchingDays(elsewhere, in_77, units)->has_value());
}

// Ho Chi Minh City (79) took Bà Rịa - Vũng Tàu (77) over on 2025-07-01: what lies in 79
// counts for ["77"] from that day, not before, when 79 was another province.
TEST(EntityMatchAreaTest, AUnitFormedFromTheAreaCountsOnlyFromTheDayItTookItOver) {
  AdministrativeUnits units;
  auto unit = [&](const std::string& code, const std::string& parent,
                  std::vector<std::string> predecessors, const std::string& valid_to,
                  std::vector<std::string> successors) {
    registry::v1::AdministrativeUnit u;
    u.set_code(code);
    u.set_parent_code(parent);
    u.set_valid_to(valid_to);
    for (const std::string& p : predecessors) u.add_predecessor_codes(p);
    for (const std::string& s : successors) u.add_successor_codes(s);
    ASSERT_TRUE(units.Upsert(u).ok());
  };
  unit("79", "", {"77", "747"}, "", {});
  unit("77", "", {}, "2025-06-30", {"79"});
  unit("747", "77", {}, "2025-06-30", {"79"});
  unit("760", "79", {}, "", {});
  registry::v1::EnterpriseFilter in_77 = DigitalFilter();
  in_77.add_administrative_unit_codes("77");
  for (const char* code : {"79", "760"}) {
    Enterprise e = DigitalEnterprise();  // registered long before the merger
    e.set_administrative_unit_code(code);
    absl::StatusOr<std::optional<DayInterval>> days = MatchingDays(e, in_77, units);
    ASSERT_TRUE(days.ok()) << days.status();
    ASSERT_TRUE(days->has_value()) << code;
    EXPECT_EQ((*days)->start, Day(2025, 7, 1)) << code;
  }
  Enterprise district = DigitalEnterprise();
  district.set_administrative_unit_code("747");
  EXPECT_EQ((*MatchingDays(district, in_77, units))->start, Day(2021, 4, 1));
  // A ward formed on 2025-07-01 from 747 alone held no other territory before: what lies in
  // it counts as far back as it goes.
  registry::v1::AdministrativeUnit ward;
  ward.set_code("26000");
  ward.set_parent_code("79");
  ward.set_valid_from("2025-07-01");
  ward.add_predecessor_codes("747");
  ASSERT_TRUE(units.Upsert(ward).ok());
  Enterprise in_ward = DigitalEnterprise();
  in_ward.set_administrative_unit_code("26000");
  EXPECT_EQ((*MatchingDays(in_ward, in_77, units))->start, Day(2021, 4, 1));
  EXPECT_EQ(units.InAreaFrom("747", in_77.administrative_unit_codes()), absl::CivilDay::min());
}

}  // namespace
}  // namespace tiendo::core
