#include "services/common/core/enterprise_rules.h"

#include <optional>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/common/core/administrative_unit_code_rule.h"
#include "services/common/core/field_rules.h"
#include "services/common/core/string_lists.h"
#include "services/common/core/tax_code.h"
#include "services/common/core/utf8_text.h"

namespace tiendo::core {
namespace {

using registry::v1::Enterprise;
using registry::v1::PlatformAdoption;
using registry::v1::SizeClass;

// Reports a malformed tax code under `format`, a wrong check digit under `check_digit`.
void CheckTaxCodeField(FieldRules& rules, absl::string_view field, absl::string_view code) {
  const std::optional<TaxCodeError> error = CheckTaxCode(code);
  if (!error.has_value()) return;
  rules.Error(field, error->fault == TaxCodeFault::kCheckDigit ? "check_digit" : "format",
              error->message);
}

void CheckIndustryCodes(FieldRules& rules, const Enterprise& enterprise) {
  absl::flat_hash_set<absl::string_view> seen;
  for (int i = 0; i < enterprise.industry_codes_size(); ++i) {
    const std::string& code = enterprise.industry_codes(i);
    const std::string field = absl::StrCat("industry_codes[", i, "]");
    if (!IsDigits(code) || code.size() < 2 || code.size() > 5) {
      rules.Error(field, "format",
                  absl::StrCat("industry code \"", ShowText(code),
                               "\" is not a VSIC 2018 code (2 to 5 digits, e.g. 6201)"));
    } else if (!seen.insert(code).second) {
      rules.Warning(field, "duplicate",
                    absl::StrCat("industry code ", code, " is listed twice"));
    }
  }
}

void CheckSlugList(FieldRules& rules, absl::string_view list,
                   const google::protobuf::RepeatedPtrField<std::string>& values,
                   absl::string_view what) {
  for (int i = 0; i < values.size(); ++i) {
    if (IsLowerSnake(values.Get(i))) continue;
    rules.Error(absl::StrCat(list, "[", i, "]"), "format",
                absl::StrCat(what, " \"", ShowText(values.Get(i)),
                             "\" must be lower_snake_case (e.g. digital_technology)"));
  }
}

bool IsSmeClass(SizeClass size_class) {
  return size_class == registry::v1::SIZE_CLASS_MICRO ||
         size_class == registry::v1::SIZE_CLASS_SMALL ||
         size_class == registry::v1::SIZE_CLASS_MEDIUM;
}

void CheckSize(FieldRules& rules, const Enterprise& enterprise) {
  if (!rules.EnumValue("size_class", enterprise.size_class(),
                       *registry::v1::SizeClass_descriptor())) {
    return;
  }
  if (enterprise.size_class() == registry::v1::SIZE_CLASS_UNSPECIFIED) return;
  const bool sme = IsSmeClass(enterprise.size_class());
  if (sme == enterprise.is_sme()) return;
  rules.Error("is_sme", "inconsistent",
              absl::StrCat("is_sme is ", enterprise.is_sme() ? "true" : "false", " but size_class ",
                           registry::v1::SizeClass_Name(enterprise.size_class()),
                           sme ? " is an SME class (micro, small and medium are)"
                               : " is not an SME class (only micro, small and medium are)"));
}

void CheckPlatformAdoption(FieldRules& rules, const PlatformAdoption& adoption,
                           const std::optional<absl::CivilDay>& registration) {
  const std::optional<absl::CivilDay> since =
      rules.Date("platform_adoption.since", adoption.since());
  rules.NotBefore("platform_adoption.since", since, "registration_date", registration);
  for (int i = 0; i < adoption.provider_tax_codes_size(); ++i) {
    CheckTaxCodeField(rules, absl::StrCat("platform_adoption.provider_tax_codes[", i, "]"),
                      adoption.provider_tax_codes(i));
  }
  for (int i = 0; i < adoption.solutions_size(); ++i) {
    rules.Text(absl::StrCat("platform_adoption.solutions[", i, "]"), adoption.solutions(i),
               "a solution's name");
  }
  if (!adoption.adopted() &&
      (!adoption.since().empty() || !adoption.provider_tax_codes().empty() ||
       !adoption.solutions().empty())) {
    rules.Warning("platform_adoption.adopted", "ignored",
                  "platform_adoption.adopted is false, so its since, provider_tax_codes and "
                  "solutions are ignored");
  }
}

void CheckStatus(FieldRules& rules, const Enterprise& enterprise) {
  const google::protobuf::EnumDescriptor& type = *registry::v1::EnterpriseStatus_descriptor();
  if (!rules.EnumValue("status", enterprise.status(), type)) return;
  rules.FinalStatusWithDate("status", enterprise.status(),
                            registry::v1::ENTERPRISE_STATUS_DISSOLVED, type, "dissolution_date",
                            enterprise.dissolution_date());
}

}  // namespace

void NormalizeEnterprise(Enterprise& enterprise) {
  SortWithoutRepeats(*enterprise.mutable_categories());
  SortWithoutRepeats(*enterprise.mutable_capabilities());
  if (enterprise.has_platform_adoption()) {
    PlatformAdoption& adoption = *enterprise.mutable_platform_adoption();
    RemoveRepeatsKeepingOrder(*adoption.mutable_provider_tax_codes());
    RemoveRepeatsKeepingOrder(*adoption.mutable_solutions());
  }
  if (enterprise.status() == registry::v1::ENTERPRISE_STATUS_UNSPECIFIED) {
    enterprise.set_status(registry::v1::ENTERPRISE_STATUS_ACTIVE);
  }
}

std::vector<Problem> ValidateEnterprise(const Enterprise& enterprise,
                                        const AdministrativeUnits& units,
                                        const Enterprise* stored, absl::CivilDay today) {
  std::vector<Problem> problems;
  FieldRules rules(problems);

  if (rules.Required("tax_code", enterprise.tax_code(), "tax_code (mã số thuế)")) {
    CheckTaxCodeField(rules, "tax_code", enterprise.tax_code());
    if (stored != nullptr && stored->tax_code() != enterprise.tax_code()) {
      rules.Error("tax_code", "immutable",
                  absl::StrCat("tax code ", ShowText(enterprise.tax_code()),
                               " differs from the stored ", ShowText(stored->tax_code()),
                               "; a tax code cannot change (register a new enterprise)"));
    }
  }
  if (rules.Required("name_vi", enterprise.name_vi(), "name_vi (the registered name)")) {
    rules.Text("name_vi", enterprise.name_vi(), "name_vi", kMaxEnterpriseNameCharacters);
  }
  rules.Text("name_en", enterprise.name_en(), "name_en");
  rules.Text("short_name", enterprise.short_name(), "short_name");
  rules.Text("address", enterprise.address(), "address");

  const std::optional<absl::CivilDay> registration = rules.RequiredDate(
      "registration_date", enterprise.registration_date(), "registration_date");
  std::optional<UnitValidityDay> unit_day;
  if (stored == nullptr) {
    if (registration.has_value()) {
      unit_day = UnitValidityDay{*registration, "the registration date"};
    }
  } else if (stored->administrative_unit_code() != enterprise.administrative_unit_code()) {
    unit_day = UnitValidityDay{today, "today, when the enterprise moves to it"};
  }
  CheckAdministrativeUnitCode(rules, "administrative_unit_code",
                              enterprise.administrative_unit_code(), units, unit_day);

  CheckIndustryCodes(rules, enterprise);
  CheckSlugList(rules, "categories", enterprise.categories(), "category");
  CheckSlugList(rules, "capabilities", enterprise.capabilities(), "capability");
  CheckSize(rules, enterprise);
  CheckPlatformAdoption(rules, enterprise.platform_adoption(), registration);

  const std::optional<absl::CivilDay> dissolution =
      rules.Date("dissolution_date", enterprise.dissolution_date());
  const std::optional<absl::CivilDay> status_since =
      rules.Date("status_since", enterprise.status_since());
  rules.NotBefore("status_since", status_since, "registration_date", registration);
  rules.NotBefore("dissolution_date", dissolution, "status_since", status_since);
  // Against the registration date too, unless already reported against status_since.
  if (!(dissolution.has_value() && status_since.has_value() && *dissolution < *status_since)) {
    rules.NotBefore("dissolution_date", dissolution, "registration_date", registration);
  }
  CheckStatus(rules, enterprise);
  rules.Text("source_system", enterprise.source_system(), "source_system");
  return problems;
}

}  // namespace tiendo::core
