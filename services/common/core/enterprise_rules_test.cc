#include "services/common/core/enterprise_rules.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "services/common/core/registry_rules_testing.h"

namespace tiendo::core {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using registry::v1::Enterprise;
using testing_support::BaRiaVungTauUnits;
using testing_support::Describe;
using testing_support::ProblemAt;

constexpr absl::CivilDay kToday(2025, 3, 1);

// An enterprise registered in Long Điền before its merger; breaks no rule.
Enterprise ValidEnterprise() {
  Enterprise enterprise;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(R"pb(
    tax_code: "0100233488"
    name_vi: "Công ty TNHH Phần mềm Biển Xanh"
    short_name: "BIEN XANH SOFT"
    administrative_unit_code: "752"
    industry_codes: [ "6201", "6202" ]
    categories: "digital_technology"
    capabilities: "dx_solutions"
    size_class: SIZE_CLASS_SMALL
    is_sme: true
    platform_adoption {
      adopted: true
      since: "2022-05-01"
      provider_tax_codes: "0314409058-002"
      solutions: "hóa đơn điện tử"
    }
    registration_date: "2020-06-15"
    status: ENTERPRISE_STATUS_ACTIVE
  )pb", &enterprise));
  return enterprise;
}

std::vector<Problem> Validate(const Enterprise& enterprise, const Enterprise* stored = nullptr) {
  static const AdministrativeUnits* const units = new AdministrativeUnits(BaRiaVungTauUnits());
  return ValidateEnterprise(enterprise, *units, stored, kToday);
}

TEST(EnterpriseRulesTest, AValidEnterpriseHasNoProblems) {
  const std::vector<Problem> problems = Validate(ValidEnterprise());
  EXPECT_THAT(problems, IsEmpty()) << Describe(problems);
}

TEST(EnterpriseRulesTest, NormalizeSortsSetsAndDropsRepeatsKeepingTheSendersOrder) {
  Enterprise enterprise = ValidEnterprise();
  enterprise.clear_categories();
  for (const char* category : {"innovative_startup", "digital_technology", "innovative_startup"}) {
    enterprise.add_categories(category);
  }
  enterprise.add_capabilities("dx_solutions");
  enterprise.add_capabilities("cloud");
  auto* adoption = enterprise.mutable_platform_adoption();
  adoption->clear_provider_tax_codes();
  for (const char* code : {"0314409058-002", "0100233488", "0314409058-002"}) {
    adoption->add_provider_tax_codes(code);
  }
  adoption->add_solutions("sàn thương mại điện tử");
  adoption->add_solutions("hóa đơn điện tử");
  enterprise.set_status(registry::v1::ENTERPRISE_STATUS_UNSPECIFIED);
  enterprise.set_name_vi(" Công ty  TNHH ");

  NormalizeEnterprise(enterprise);
  EXPECT_THAT(enterprise.categories(), ElementsAre("digital_technology", "innovative_startup"));
  EXPECT_THAT(enterprise.capabilities(), ElementsAre("cloud", "dx_solutions"));
  EXPECT_THAT(enterprise.platform_adoption().provider_tax_codes(),
              ElementsAre("0314409058-002", "0100233488"));
  EXPECT_THAT(enterprise.platform_adoption().solutions(),
              ElementsAre("hóa đơn điện tử", "sàn thương mại điện tử"));
  EXPECT_EQ(enterprise.status(), registry::v1::ENTERPRISE_STATUS_ACTIVE);
  EXPECT_EQ(enterprise.name_vi(), " Công ty  TNHH ");  // text is the sender's
  // A dissolved enterprise keeps its status.
  enterprise.set_status(registry::v1::ENTERPRISE_STATUS_DISSOLVED);
  NormalizeEnterprise(enterprise);
  EXPECT_EQ(enterprise.status(), registry::v1::ENTERPRISE_STATUS_DISSOLVED);
}

TEST(EnterpriseRulesTest, TaxCodeShapeAndCheckDigitAreSeparateRules) {
  Enterprise enterprise = ValidEnterprise();
  enterprise.set_tax_code("0100233480");
  EXPECT_THAT(Validate(enterprise),
              ElementsAre(ProblemAt("tax_code", "check_digit",
                                    "tax code 0100233480: check digit is 0, expected 8")));
  enterprise.set_tax_code("01002334A8");
  EXPECT_THAT(Validate(enterprise), ElementsAre(ProblemAt("tax_code", "format", "01002334A8")));
  enterprise.clear_tax_code();
  EXPECT_THAT(Validate(enterprise), ElementsAre(ProblemAt("tax_code", "required")));
}

TEST(EnterpriseRulesTest, ProviderTaxCodesAreCheckedWhereTheyStand) {
  Enterprise enterprise = ValidEnterprise();
  enterprise.mutable_platform_adoption()->add_provider_tax_codes("0314409059");
  EXPECT_THAT(Validate(enterprise),
              ElementsAre(ProblemAt("platform_adoption.provider_tax_codes[1]", "check_digit",
                                    "check digit is 9, expected 8")));
}

TEST(EnterpriseRulesTest, NamesAreRequiredUtf8AndBounded) {
  Enterprise enterprise = ValidEnterprise();
  enterprise.clear_name_vi();
  EXPECT_THAT(Validate(enterprise), ElementsAre(ProblemAt("name_vi", "required")));

  // 500 characters of two bytes each pass: the limit is on characters, not bytes.
  std::string name;
  for (int i = 0; i < 500; ++i) name += "ệ";
  enterprise.set_name_vi(name);
  EXPECT_THAT(Validate(enterprise), IsEmpty());
  enterprise.set_name_vi(name + "x");
  EXPECT_THAT(Validate(enterprise),
              ElementsAre(ProblemAt("name_vi", "too_long", "501 characters")));

  enterprise.set_name_vi("C\xF4ng ty");  // Latin-1, not UTF-8
  EXPECT_THAT(Validate(enterprise),
              ElementsAre(ProblemAt("name_vi", "format", "not valid UTF-8 text: \"C\\xf4ng ty\"")));
  enterprise.set_name_vi("Công ty");
  enterprise.set_short_name("\xFF");
  EXPECT_THAT(Validate(enterprise), ElementsAre(ProblemAt("short_name", "format")));
}

TEST(EnterpriseRulesTest, ACreateNeedsAUnitValidOnTheRegistrationDate) {
  Enterprise enterprise = ValidEnterprise();
  enterprise.set_administrative_unit_code("753");
  EXPECT_THAT(Validate(enterprise),
              ElementsAre(ProblemAt("administrative_unit_code", "unknown_reference",
                                    "administrative unit \"753\" is not known")));

  enterprise.set_administrative_unit_code("752");
  enterprise.set_registration_date("2025-03-01");
  enterprise.mutable_platform_adoption()->clear_since();
  EXPECT_THAT(Validate(enterprise),
              ElementsAre(ProblemAt("administrative_unit_code", "not_valid_at_date",
                                    "administrative unit 752 (Long Điền) is not valid on "
                                    "2025-03-01: valid 1994-06-02..2024-12-31, merged into 757 "
                                    "(Long Đất) (the registration date)")));
  enterprise.set_administrative_unit_code("757");
  EXPECT_THAT(Validate(enterprise), IsEmpty());
}

TEST(EnterpriseRulesTest, AnUpdateChecksTheUnitOnlyWhenItMovesTheEnterprise) {
  const Enterprise stored = ValidEnterprise();  // in 752, merged away before kToday
  Enterprise update = stored;
  update.set_name_vi("Công ty Cổ phần Phần mềm Biển Xanh");
  EXPECT_THAT(Validate(update, &stored), IsEmpty());

  Enterprise moved_stored = stored;
  moved_stored.set_administrative_unit_code("757");
  Enterprise back = moved_stored;
  back.set_administrative_unit_code("752");
  EXPECT_THAT(Validate(back, &moved_stored),
              ElementsAre(ProblemAt("administrative_unit_code", "not_valid_at_date",
                                    "is not valid on 2025-03-01")));
  update.set_administrative_unit_code("757");
  EXPECT_THAT(Validate(update, &stored), IsEmpty());
}

TEST(EnterpriseRulesTest, TheTaxCodeOfAStoredEnterpriseCannotChange) {
  const Enterprise stored = ValidEnterprise();
  Enterprise update = stored;
  update.set_tax_code("0100112437");
  EXPECT_THAT(Validate(update, &stored),
              ElementsAre(ProblemAt("tax_code", "immutable", "0100112437 differs from the "
                                                             "stored 0100233488")));
}

TEST(EnterpriseRulesTest, DatesAreRealAndInOrder) {
  Enterprise enterprise = ValidEnterprise();
  enterprise.set_registration_date("2020-02-30");
  EXPECT_THAT(Validate(enterprise), ElementsAre(ProblemAt("registration_date", "format")));
  enterprise.clear_registration_date();
  EXPECT_THAT(Validate(enterprise), ElementsAre(ProblemAt("registration_date", "required")));

  enterprise = ValidEnterprise();
  enterprise.set_status_since("2019-01-01");
  EXPECT_THAT(Validate(enterprise),
              ElementsAre(ProblemAt("status_since", "order",
                                    "status_since 2019-01-01 is before registration_date "
                                    "2020-06-15")));

  enterprise = ValidEnterprise();
  enterprise.set_status(registry::v1::ENTERPRISE_STATUS_DISSOLVED);
  enterprise.set_status_since("2023-01-01");
  enterprise.set_dissolution_date("2022-01-01");
  EXPECT_THAT(Validate(enterprise),
              ElementsAre(ProblemAt("dissolution_date", "order", "before status_since")));
  enterprise.clear_status_since();
  EXPECT_THAT(Validate(enterprise), IsEmpty());
  enterprise.set_dissolution_date("2020-06-14");
  EXPECT_THAT(Validate(enterprise),
              ElementsAre(ProblemAt("dissolution_date", "order", "before registration_date")));

  enterprise = ValidEnterprise();
  enterprise.mutable_platform_adoption()->set_since("2020-06-14");
  EXPECT_THAT(Validate(enterprise), ElementsAre(ProblemAt("platform_adoption.since", "order")));
}

TEST(EnterpriseRulesTest, StatusAndDissolutionDateGoTogether) {
  Enterprise enterprise = ValidEnterprise();
  enterprise.set_status(registry::v1::ENTERPRISE_STATUS_DISSOLVED);
  EXPECT_THAT(Validate(enterprise), ElementsAre(ProblemAt("dissolution_date", "inconsistent")));
  enterprise.set_status(registry::v1::ENTERPRISE_STATUS_SUSPENDED);
  enterprise.set_dissolution_date("2024-01-01");
  EXPECT_THAT(Validate(enterprise),
              ElementsAre(ProblemAt("status", "inconsistent", "ENTERPRISE_STATUS_SUSPENDED")));
  enterprise.clear_dissolution_date();
  enterprise.set_status_since("2024-01-01");
  EXPECT_THAT(Validate(enterprise), IsEmpty());
  enterprise.set_status(static_cast<registry::v1::EnterpriseStatus>(9));
  EXPECT_THAT(Validate(enterprise), ElementsAre(ProblemAt("status", "out_of_range")));
}

TEST(EnterpriseRulesTest, IsSmeMustAgreeWithASizeClass) {
  Enterprise enterprise = ValidEnterprise();
  enterprise.set_size_class(registry::v1::SIZE_CLASS_LARGE);
  EXPECT_THAT(Validate(enterprise),
              ElementsAre(ProblemAt("is_sme", "inconsistent", "SIZE_CLASS_LARGE is not")));
  enterprise.set_is_sme(false);
  EXPECT_THAT(Validate(enterprise), IsEmpty());
  enterprise.set_size_class(registry::v1::SIZE_CLASS_MICRO);
  EXPECT_THAT(Validate(enterprise), ElementsAre(ProblemAt("is_sme", "inconsistent")));
  // Without a size class, is_sme stands on its own.
  enterprise.set_size_class(registry::v1::SIZE_CLASS_UNSPECIFIED);
  EXPECT_THAT(Validate(enterprise), IsEmpty());
}

TEST(EnterpriseRulesTest, CodesAndSlugsHaveTheirShapes) {
  Enterprise enterprise = ValidEnterprise();
  enterprise.add_industry_codes("62011");
  enterprise.add_industry_codes("6");
  enterprise.add_industry_codes("6201");
  enterprise.add_categories("Digital Technology");
  const std::vector<Problem> problems = Validate(enterprise);
  EXPECT_THAT(problems, ElementsAre(ProblemAt("industry_codes[3]", "format", "VSIC"),
                                    ProblemAt("industry_codes[4]", "duplicate", "6201",
                                              Severity::kWarning),
                                    ProblemAt("categories[1]", "format", "lower_snake_case")))
      << Describe(problems);
}

TEST(EnterpriseRulesTest, AdoptionDetailsWithoutAdoptionAreOnlyAWarning) {
  Enterprise enterprise = ValidEnterprise();
  enterprise.mutable_platform_adoption()->set_adopted(false);
  const std::vector<Problem> problems = Validate(enterprise);
  EXPECT_THAT(problems, ElementsAre(ProblemAt("platform_adoption.adopted", "ignored", "",
                                              Severity::kWarning)));
  EXPECT_FALSE(HasErrors(problems));
  EXPECT_THAT(problems, Not(Contains(ProblemAt("platform_adoption.since", "order"))));
}

}  // namespace
}  // namespace tiendo::core
