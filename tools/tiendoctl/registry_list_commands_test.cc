// tiendoctl enterprises list / get and units list against a fake registry: the filters they
// send, following next_page_token to the end or to --limit, and the table, JSON and CSV
// they print.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/tiendoctl/fake_registry.h"
#include "tools/tiendoctl/run_ctl.h"

namespace tiendo::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::CtlResult;
using testing::FakeRegistry;
using testing::RunCtl;

std::vector<registry::v1::Enterprise> Enterprises(int count) {
  std::vector<registry::v1::Enterprise> enterprises;
  for (int i = 1; i <= count; ++i) {
    registry::v1::Enterprise enterprise;
    enterprise.set_tax_code(absl::StrCat("35090010", i < 10 ? "0" : "", i));
    enterprise.set_name_vi(i == 1 ? "Công ty TNHH Phần mềm Biển Xanh, chi nhánh \"Vũng Tàu\""
                                  : absl::StrCat("Công ty số ", i));
    enterprise.set_administrative_unit_code("747");
    enterprise.set_status(registry::v1::ENTERPRISE_STATUS_ACTIVE);
    enterprise.set_registration_date("2020-01-02");
    enterprise.add_categories("digital_technology");
    enterprise.add_categories("innovative_startup");
    enterprises.push_back(enterprise);
  }
  return enterprises;
}

TEST(EnterprisesListCommandTest, SendsTheFiltersAndFollowsEveryPage) {
  FakeRegistry registry;
  registry.SetEnterprises(Enterprises(2500));
  const CtlResult result = RunCtl(
      {"enterprises", "list", "--registry=" + registry.address(), "--district=747",
       "--category=digital_technology, innovative_startup", "--capability=dx_solutions",
       "--status=active,suspended", "--registered-from=2020-01-01", "--registered-to=2025-12-31",
       "--output=json"},
      {{"TIENDO_ACTOR", "ops:le.c"}});
  EXPECT_EQ(result.code, 0) << result.err;
  const auto requests = registry.list_enterprises_requests();
  ASSERT_EQ(requests.size(), 3u);  // 1000 + 1000 + 500
  EXPECT_EQ(requests[0].administrative_unit_code(), "747");
  EXPECT_THAT(requests[0].categories(), ElementsAre("digital_technology", "innovative_startup"));
  EXPECT_THAT(requests[0].capabilities(), ElementsAre("dx_solutions"));
  EXPECT_THAT(requests[0].statuses(), ElementsAre(registry::v1::ENTERPRISE_STATUS_ACTIVE,
                                                  registry::v1::ENTERPRISE_STATUS_SUSPENDED));
  EXPECT_EQ(requests[0].registered_from(), "2020-01-01");
  EXPECT_EQ(requests[0].registered_to(), "2025-12-31");
  EXPECT_EQ(requests[0].page_token(), "");
  EXPECT_EQ(requests[1].page_token(), "1000");
  EXPECT_EQ(requests[2].page_token(), "2000");
  EXPECT_EQ(requests[2].categories_size(), 2);  // same filters on every page
  EXPECT_THAT(registry.actors(), ElementsAre("ops:le.c", "ops:le.c", "ops:le.c"));
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 2500);
  EXPECT_THAT(result.out, HasSubstr("{\"tax_code\":\"3509001001\",\"name_vi\":\"Công ty TNHH "
                                    "Phần mềm Biển Xanh, chi nhánh \\\"Vũng Tàu\\\"\","));
  EXPECT_THAT(result.out, HasSubstr("\"status\":\"ENTERPRISE_STATUS_ACTIVE\""));
}

TEST(EnterprisesListCommandTest, LimitStopsPagingAndTheTableAlignsVietnameseNames) {
  FakeRegistry registry;
  registry.SetEnterprises(Enterprises(30));
  const CtlResult result =
      RunCtl({"enterprises", "list", "--registry=" + registry.address(), "--limit=3"});
  EXPECT_EQ(result.code, 0) << result.err;
  ASSERT_EQ(registry.list_enterprises_requests().size(), 1u);
  EXPECT_EQ(registry.list_enterprises_requests()[0].page_size(), 3);
  EXPECT_THAT(result.out,
              HasSubstr("TAX CODE    NAME                                                   UNIT  "
                        "STATUS  REGISTERED  CATEGORIES\n"
                        "3509001001  Công ty TNHH Phần mềm Biển Xanh, chi nhánh \"Vũng Tàu\"  "
                        "747   active  2020-01-02  digital_technology;innovative_startup\n"
                        "3509001002  Công ty số 2                                           747"));
  EXPECT_THAT(result.out, HasSubstr("\n3 enterprises\n"));
}

TEST(EnterprisesListCommandTest, CsvQuotesWhatNeedsQuoting) {
  FakeRegistry registry;
  registry.SetEnterprises(Enterprises(1));
  const CtlResult result =
      RunCtl({"enterprises", "list", "--registry=" + registry.address(), "--output=csv"});
  EXPECT_EQ(result.code, 0);
  EXPECT_EQ(result.out,
            "tax_code,name_vi,administrative_unit_code,status,registration_date,categories\n"
            "3509001001,\"Công ty TNHH Phần mềm Biển Xanh, chi nhánh \"\"Vũng Tàu\"\"\",747,"
            "active,2020-01-02,digital_technology;innovative_startup\n");
}

TEST(EnterprisesListCommandTest, BadFilterValuesAreUsageErrorsBeforeAnyCall) {
  FakeRegistry registry;
  const CtlResult status = RunCtl(
      {"enterprises", "list", "--registry=" + registry.address(), "--status=active,closed"});
  EXPECT_EQ(status.code, 2);
  EXPECT_THAT(status.err, HasSubstr("\"closed\" is not a status (active, suspended, dissolved)"));
  const CtlResult date = RunCtl(
      {"enterprises", "list", "--registry=" + registry.address(), "--registered-to=2025-13-01"});
  EXPECT_EQ(date.code, 2);
  EXPECT_THAT(date.err, HasSubstr("--registered-to: \"2025-13-01\" is not a date"));
  EXPECT_THAT(registry.actors(), IsEmpty());
}

TEST(EnterprisesGetCommandTest, ShowsOneEnterpriseOrSaysItIsUnknown) {
  FakeRegistry registry;
  registry.SetEnterprises(Enterprises(2));
  const CtlResult found =
      RunCtl({"enterprises", "get", "3509001002", "--registry=" + registry.address()});
  EXPECT_EQ(found.code, 0) << found.err;
  EXPECT_THAT(found.out, HasSubstr("tax_code: \"3509001002\"\nname_vi: \"Công ty số 2\"\n"));
  EXPECT_EQ(registry.get_enterprise_requests()[0].tax_code(), "3509001002");

  const CtlResult missing =
      RunCtl({"enterprises", "get", "0100233488", "--registry=" + registry.address()});
  EXPECT_EQ(missing.code, 1);
  EXPECT_THAT(missing.err, HasSubstr("enterprises get 0100233488: NOT_FOUND"));
}

TEST(UnitsListCommandTest, ListsUnitsWithTheirAllowedIndicators) {
  FakeRegistry registry;
  registry::v1::ReportingUnit unit;
  unit.set_id("brvt-sokhcn");
  unit.set_name_vi("Sở Khoa học và Công nghệ");
  unit.set_administrative_unit_code("77");
  unit.set_kind(registry::v1::REPORTING_UNIT_KIND_LOCAL_COMMITTEE);
  unit.set_status(registry::v1::REPORTING_UNIT_STATUS_ACTIVE);
  unit.set_version(2);
  unit.add_allowed_indicator_ids("online_service_users_authenticated");
  unit.add_allowed_indicator_ids("procedure_results_digitised");
  registry.SetReportingUnits({unit});
  const CtlResult result =
      RunCtl({"units", "list", "--registry=" + registry.address(), "--status=active,merged",
              "--indicator=procedure_results_digitised"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_THAT(result.out,
              HasSubstr("brvt-sokhcn  Sở Khoa học và Công nghệ  77    local-committee  active  "
                        "2        online_service_users_authenticated,procedure_results_digitised"));
  const auto requests = registry.list_units_requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_THAT(requests[0].statuses(), ElementsAre(registry::v1::REPORTING_UNIT_STATUS_ACTIVE,
                                                  registry::v1::REPORTING_UNIT_STATUS_MERGED));
  EXPECT_EQ(requests[0].allowed_indicator_id(), "procedure_results_digitised");
}

}  // namespace
}  // namespace tiendo::ctl
