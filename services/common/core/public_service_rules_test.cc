#include "services/common/core/public_service_rules.h"

#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "services/common/core/registry_rules_testing.h"

namespace tiendo::core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using registry::v1::PublicService;
using testing_support::BaRiaVungTauUnits;
using testing_support::Describe;
using testing_support::ProblemAt;

constexpr absl::CivilDay kToday(2025, 3, 1);

PublicService ValidService() {
  PublicService service;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(R"pb(
    id: "77:1.004227"
    procedure_code: "1.004227"
    name_vi: "Cấp giấy phép bưu chính"
    sector: "Bưu chính"
    owning_department: "Sở Khoa học và Công nghệ"
    owning_reporting_unit_id: "brvt-sokhcn"
    administrative_unit_code: "77"
    level: ADMINISTRATIVE_LEVEL_PROVINCE
    eligible_full_process_online: true
    full_process_online: true
    full_process_online_since: "2023-01-01"
    integrated_national_portal: true
    integrated_national_portal_since: "2023-06-01"
    status: PUBLIC_SERVICE_STATUS_ACTIVE
    effective_from: "2021-01-01"
  )pb", &service));
  return service;
}

std::vector<Problem> Validate(const PublicService& service,
                              const PublicService* stored = nullptr) {
  static const AdministrativeUnits* const units = new AdministrativeUnits(BaRiaVungTauUnits());
  return ValidatePublicService(
      service, *units, [](absl::string_view id) { return id == "brvt-sokhcn"; }, stored,
      kToday);
}

TEST(PublicServiceRulesTest, AValidServiceHasNoProblems) {
  const std::vector<Problem> problems = Validate(ValidService());
  EXPECT_THAT(problems, IsEmpty()) << Describe(problems);
}

TEST(PublicServiceRulesTest, NormalizeDerivesTheIdAndTheStatus) {
  PublicService service = ValidService();
  service.clear_id();
  service.clear_status();
  NormalizePublicService(service);
  EXPECT_EQ(service.id(), "77:1.004227");
  EXPECT_EQ(service.status(), registry::v1::PUBLIC_SERVICE_STATUS_ACTIVE);
  EXPECT_EQ(PublicServiceId("79", "2.002154"), "79:2.002154");
  // A given id is kept, to be checked.
  service.set_id("77:1.0");
  NormalizePublicService(service);
  EXPECT_EQ(service.id(), "77:1.0");
  EXPECT_THAT(Validate(service), ElementsAre(ProblemAt("id", "inconsistent", "must be "
                                                                             "\"77:1.004227\"")));
}

TEST(PublicServiceRulesTest, ProcedureCodesAreDigitGroupsJoinedByDots) {
  PublicService service = ValidService();
  service.clear_id();
  for (const char* code : {"2.002154", "1.1", "12.000001.3"}) {
    service.set_procedure_code(code);
    EXPECT_THAT(Validate(service), IsEmpty()) << code;
  }
  for (const char* code : {"1004227", "1..004227", ".1", "1.", "1.00422a", "1,004227"}) {
    service.set_procedure_code(code);
    EXPECT_THAT(Validate(service), ElementsAre(ProblemAt("procedure_code", "format")))
        << code;
  }
  service.clear_procedure_code();
  EXPECT_THAT(Validate(service), ElementsAre(ProblemAt("procedure_code", "required")));
}

TEST(PublicServiceRulesTest, TheCatalogueIsAKnownProvinceLevelUnit) {
  PublicService service = ValidService();
  service.clear_id();
  service.set_administrative_unit_code("752");
  EXPECT_THAT(Validate(service),
              ElementsAre(ProblemAt("administrative_unit_code", "wrong_level",
                                    "ADMINISTRATIVE_LEVEL_DISTRICT")));
  service.set_administrative_unit_code("78");
  EXPECT_THAT(Validate(service),
              ElementsAre(ProblemAt("administrative_unit_code", "unknown_reference", "\"78\"")));
}

TEST(PublicServiceRulesTest, ACreateNeedsTheUnitValidWhenTheProcedureIsInForce) {
  PublicService service = ValidService();
  service.set_effective_from("2025-08-01");
  service.clear_full_process_online_since();
  service.clear_integrated_national_portal_since();
  EXPECT_THAT(Validate(service),
              ElementsAre(ProblemAt("administrative_unit_code", "not_valid_at_date",
                                    "is not valid on 2025-08-01: valid 1991-08-12..2025-06-30, "
                                    "merged into 79 (Hồ Chí Minh) (effective_from)")));
  // An update of a procedure whose province has since merged stays possible.
  const PublicService stored = service;
  EXPECT_THAT(Validate(service, &stored), IsEmpty());
  // Without effective_from, an abolished procedure is judged on its last day in force.
  service.clear_effective_from();
  service.set_status(registry::v1::PUBLIC_SERVICE_STATUS_ABOLISHED);
  service.set_abolished_date("2025-07-01");
  EXPECT_THAT(Validate(service), IsEmpty());
  service.set_abolished_date("2025-07-02");
  EXPECT_THAT(Validate(service), ElementsAre(ProblemAt("administrative_unit_code",
                                                       "not_valid_at_date", "2025-07-01")));
}

TEST(PublicServiceRulesTest, TheKeyCannotChange) {
  const PublicService stored = ValidService();
  PublicService update = stored;
  update.set_procedure_code("1.004228");
  update.clear_id();
  EXPECT_THAT(Validate(update, &stored), ElementsAre(ProblemAt("procedure_code", "immutable")));
  update = stored;
  update.set_administrative_unit_code("79");
  update.clear_id();
  EXPECT_THAT(Validate(update, &stored),
              ElementsAre(ProblemAt("administrative_unit_code", "immutable")));
}

TEST(PublicServiceRulesTest, TheOwningReportingUnitMustBeKnown) {
  PublicService service = ValidService();
  service.set_owning_reporting_unit_id("brvt-sotttt");
  EXPECT_THAT(Validate(service), ElementsAre(ProblemAt("owning_reporting_unit_id",
                                                       "unknown_reference", "brvt-sotttt")));
  service.clear_owning_reporting_unit_id();
  EXPECT_THAT(ValidatePublicService(service, BaRiaVungTauUnits(), nullptr, nullptr, kToday),
              IsEmpty());
}

TEST(PublicServiceRulesTest, FlagsBuildOnEachOther) {
  PublicService service = ValidService();
  service.set_eligible_full_process_online(false);
  EXPECT_THAT(Validate(service), ElementsAre(ProblemAt("full_process_online", "inconsistent")));
  service = ValidService();
  service.set_full_process_online(false);
  service.clear_full_process_online_since();
  EXPECT_THAT(Validate(service),
              ElementsAre(ProblemAt("integrated_national_portal", "inconsistent")));
  service.set_integrated_national_portal(false);
  service.set_full_process_online_since("2023-01-01");
  EXPECT_THAT(Validate(service),
              ElementsAre(ProblemAt("full_process_online_since", "ignored", "",
                                    Severity::kWarning),
                          ProblemAt("integrated_national_portal_since", "ignored", "",
                                    Severity::kWarning)));
}

TEST(PublicServiceRulesTest, DatesAreRealAndInOrder) {
  PublicService service = ValidService();
  service.set_full_process_online_since("2020-12-31");
  service.set_integrated_national_portal_since("2023-13-01");
  EXPECT_THAT(Validate(service),
              ElementsAre(ProblemAt("integrated_national_portal_since", "format"),
                          ProblemAt("full_process_online_since", "order",
                                    "before effective_from 2021-01-01")));
  service = ValidService();
  service.set_status(registry::v1::PUBLIC_SERVICE_STATUS_ABOLISHED);
  service.set_abolished_date("2023-03-01");
  EXPECT_THAT(Validate(service),
              ElementsAre(ProblemAt("abolished_date", "order",
                                    "before integrated_national_portal_since")));
}

TEST(PublicServiceRulesTest, StatusAndAbolishedDateGoTogether) {
  PublicService service = ValidService();
  service.set_status(registry::v1::PUBLIC_SERVICE_STATUS_ABOLISHED);
  EXPECT_THAT(Validate(service), ElementsAre(ProblemAt("abolished_date", "inconsistent")));
  service.set_status(registry::v1::PUBLIC_SERVICE_STATUS_ACTIVE);
  service.set_abolished_date("2024-01-01");
  EXPECT_THAT(Validate(service),
              ElementsAre(ProblemAt("status", "inconsistent", "PUBLIC_SERVICE_STATUS_ACTIVE")));
  service.clear_abolished_date();
  service.set_status(static_cast<registry::v1::PublicServiceStatus>(7));
  EXPECT_THAT(Validate(service), ElementsAre(ProblemAt("status", "out_of_range")));
}

}  // namespace
}  // namespace tiendo::core
