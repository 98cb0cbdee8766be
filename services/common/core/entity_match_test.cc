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

}  // namespace
}  // namespace tiendo::core
