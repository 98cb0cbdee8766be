#include "services/common/core/public_service_rules.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/core/administrative_unit_code_rule.h"
#include "services/common/core/field_rules.h"
#include "services/common/core/utf8_text.h"
#include "services/common/status/check.h"

namespace tiendo::core {
namespace {

using registry::v1::PublicService;

// Digit groups joined by single dots, at least two groups: "1.004227". A code without a dot
// is far more likely a mistyped national code than a real one.
bool IsProcedureCode(absl::string_view code) {
  size_t groups = 0;
  size_t group_length = 0;
  for (char c : code) {
    if (absl::ascii_isdigit(c)) {
      ++group_length;
    } else if (c == '.' && group_length > 0) {
      ++groups;
      group_length = 0;
    } else {
      return false;
    }
  }
  return group_length > 0 && groups >= 1;
}

void CheckIdentity(FieldRules& rules, const PublicService& service,
                   const PublicService* stored) {
  if (rules.Required("procedure_code", service.procedure_code(), "procedure_code") &&
      !IsProcedureCode(service.procedure_code())) {
    rules.Error("procedure_code", "format",
                absl::StrCat("procedure code \"", ShowText(service.procedure_code()),
                             "\" must be digit groups joined by dots, as in the national "
                             "database of administrative procedures (e.g. 1.004227)"));
  }
  const std::string expected_id =
      PublicServiceId(service.administrative_unit_code(), service.procedure_code());
  if (!service.id().empty() && !service.administrative_unit_code().empty() &&
      !service.procedure_code().empty() && service.id() != expected_id) {
    rules.Error("id", "inconsistent",
                absl::StrCat("id \"", ShowText(service.id()), "\" must be \"",
                             ShowText(expected_id),
                             "\" (<administrative_unit_code>:<procedure_code>), or left empty"));
  }
  if (stored == nullptr) return;
  const auto immutable = [&](absl::string_view field, absl::string_view given,
                             absl::string_view was) {
    rules.Error(field, "immutable",
                absl::StrCat(field, " \"", ShowText(given), "\" differs from the stored \"",
                             ShowText(was), "\"; it cannot change (",
                             "create a new public service instead)"));
  };
  if (service.procedure_code() != stored->procedure_code()) {
    immutable("procedure_code", service.procedure_code(), stored->procedure_code());
  } else if (service.administrative_unit_code() != stored->administrative_unit_code()) {
    immutable("administrative_unit_code", service.administrative_unit_code(),
              stored->administrative_unit_code());
  } else if (!service.id().empty() && service.id() != stored->id()) {
    immutable("id", service.id(), stored->id());
  }
}

// The day the catalogue's unit must be valid on for a create (see the header).
UnitValidityDay CatalogueDay(const PublicService& service,
                             const std::optional<absl::CivilDay>& effective_from,
                             const std::optional<absl::CivilDay>& abolished,
                             absl::CivilDay today) {
  if (effective_from.has_value()) return {*effective_from, "effective_from"};
  if (service.status() == registry::v1::PUBLIC_SERVICE_STATUS_ABOLISHED &&
      abolished.has_value()) {
    return {*abolished - 1, "the last day before abolished_date"};
  }
  return {today, "today; effective_from is empty"};
}

void CheckFlags(FieldRules& rules, const PublicService& service) {
  if (service.full_process_online() && !service.eligible_full_process_online()) {
    rules.Error("full_process_online", "inconsistent",
                "full_process_online is true but eligible_full_process_online is false: only "
                "an eligible procedure can be provided full-process online");
  }
  if (service.integrated_national_portal() && !service.full_process_online()) {
    rules.Error("integrated_national_portal", "inconsistent",
                "integrated_national_portal is true but full_process_online is false: only a "
                "full-process online service is integrated on the national portal");
  }
  if (!service.full_process_online() && !service.full_process_online_since().empty()) {
    rules.Warning("full_process_online_since", "ignored",
                  "full_process_online_since is ignored: full_process_online is false");
  }
  if (!service.integrated_national_portal() &&
      !service.integrated_national_portal_since().empty()) {
    rules.Warning("integrated_national_portal_since", "ignored",
                  "integrated_national_portal_since is ignored: integrated_national_portal is "
                  "false");
  }
}

void CheckStatus(FieldRules& rules, const PublicService& service) {
  const google::protobuf::EnumDescriptor& type =
      *registry::v1::PublicServiceStatus_descriptor();
  if (!rules.EnumValue("status", service.status(), type)) return;
  rules.FinalStatusWithDate("status", service.status(),
                            registry::v1::PUBLIC_SERVICE_STATUS_ABOLISHED, type, "abolished_date",
                            service.abolished_date());
}

}  // namespace

std::string PublicServiceId(absl::string_view administrative_unit_code,
                            absl::string_view procedure_code) {
  return absl::StrCat(administrative_unit_code, ":", procedure_code);
}

void NormalizePublicService(PublicService& service) {
  if (service.status() == registry::v1::PUBLIC_SERVICE_STATUS_UNSPECIFIED) {
    service.set_status(registry::v1::PUBLIC_SERVICE_STATUS_ACTIVE);
  }
  if (service.id().empty() && !service.administrative_unit_code().empty() &&
      !service.procedure_code().empty()) {
    service.set_id(PublicServiceId(service.administrative_unit_code(), service.procedure_code()));
  }
}

std::vector<Problem> ValidatePublicService(
    const PublicService& service, const AdministrativeUnits& units,
    const std::function<bool(absl::string_view)>& reporting_unit_exists,
    const PublicService* stored, absl::CivilDay today) {
  std::vector<Problem> problems;
  FieldRules rules(problems);

  CheckIdentity(rules, service, stored);
  if (rules.Required("name_vi", service.name_vi(), "name_vi (the procedure's name)")) {
    rules.Text("name_vi", service.name_vi(), "name_vi");
  }
  rules.Text("name_en", service.name_en(), "name_en");
  rules.Text("sector", service.sector(), "sector");
  rules.Text("owning_department", service.owning_department(), "owning_department");
  if (!service.owning_reporting_unit_id().empty()) {
    TIENDO_CHECK(static_cast<bool>(reporting_unit_exists),
                 "ValidatePublicService needs reporting_unit_exists");
    if (!reporting_unit_exists(service.owning_reporting_unit_id())) {
      rules.Error("owning_reporting_unit_id", "unknown_reference",
                  absl::StrCat("reporting unit \"", ShowText(service.owning_reporting_unit_id()),
                               "\" is not known"));
    }
  }

  const std::optional<absl::CivilDay> effective_from =
      rules.Date("effective_from", service.effective_from());
  const std::optional<absl::CivilDay> online_since =
      rules.Date("full_process_online_since", service.full_process_online_since());
  const std::optional<absl::CivilDay> portal_since = rules.Date(
      "integrated_national_portal_since", service.integrated_national_portal_since());
  const std::optional<absl::CivilDay> abolished =
      rules.Date("abolished_date", service.abolished_date());

  std::optional<UnitValidityDay> unit_day;
  if (stored == nullptr) unit_day = CatalogueDay(service, effective_from, abolished, today);
  const registry::v1::AdministrativeUnit* unit = CheckAdministrativeUnitCode(
      rules, "administrative_unit_code", service.administrative_unit_code(), units, unit_day);
  if (unit != nullptr && unit->level() != registry::v1::ADMINISTRATIVE_LEVEL_PROVINCE) {
    rules.Error("administrative_unit_code", "wrong_level",
                absl::StrCat("administrative unit ", unit->code(), " (", unit->name_vi(),
                             ") is ", registry::v1::AdministrativeLevel_Name(unit->level()),
                             "; a procedure catalogue belongs to a province-level unit"));
  }
  rules.EnumValue("level", service.level(), *registry::v1::AdministrativeLevel_descriptor());

  CheckFlags(rules, service);
  rules.NotBefore("full_process_online_since", online_since, "effective_from", effective_from);
  rules.NotBefore("integrated_national_portal_since", portal_since, "effective_from",
                  effective_from);
  rules.NotBefore("abolished_date", abolished, "effective_from", effective_from);
  rules.NotBefore("abolished_date", abolished, "full_process_online_since", online_since);
  rules.NotBefore("abolished_date", abolished, "integrated_national_portal_since",
                  portal_since);
  CheckStatus(rules, service);
  rules.Text("source_system", service.source_system(), "source_system");
  return problems;
}

}  // namespace tiendo::core
