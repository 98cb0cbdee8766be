#include "services/common/core/reporting_unit_rules.h"

#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/common/core/field_rules.h"
#include "services/common/core/string_lists.h"
#include "services/common/core/utf8_text.h"
#include "services/common/core/validity_window.h"
#include "services/common/status/check.h"

namespace tiendo::core {
namespace {

using registry::v1::Indicator;
using registry::v1::ReportingUnit;

class ReportingUnitChecker {
 public:
  ReportingUnitChecker(const ReportingUnit& unit, const ReportingUnitReferences& references)
      : unit_(unit),
        references_(references),
        rules_(problems_),
        label_(absl::StrCat("reporting unit ", ShowText(unit.id()), ": ")) {
    TIENDO_CHECK(references.administrative_unit_exists && references.find_indicator &&
                     references.find_reporting_unit,
                 "ValidateReportingUnit needs every lookup of ReportingUnitReferences");
  }

  std::vector<Problem> Run() && {
    rules_.Slug("id", unit_.id(), "reporting unit id");
    if (rules_.Required("name_vi", unit_.name_vi(), absl::StrCat(label_, "name_vi"))) {
      rules_.Text("name_vi", unit_.name_vi(), absl::StrCat(label_, "name_vi"));
    }
    rules_.Text("name_en", unit_.name_en(), absl::StrCat(label_, "name_en"));
    rules_.Text("body", unit_.body(), absl::StrCat(label_, "body"));
    if (rules_.Required("administrative_unit_code", unit_.administrative_unit_code(),
                        absl::StrCat(label_, "administrative_unit_code")) &&
        !references_.administrative_unit_exists(unit_.administrative_unit_code())) {
      Unknown("administrative_unit_code", ReferenceKind::kAdministrativeUnit,
              "administrative unit", unit_.administrative_unit_code());
    }
    CheckAllowedIndicators();
    const ValidityWindow validity = rules_.Window(unit_.valid_from(), unit_.valid_to());
    CheckStatus(validity);
    return std::move(problems_);
  }

 private:
  void Unknown(absl::string_view field, ReferenceKind kind, absl::string_view noun,
               absl::string_view id) {
    rules_.Error(field, "unknown_reference",
                 absl::StrCat(label_, "unknown ", noun, " \"", ShowText(id), "\"",
                              references_.explain_unknown
                                  ? references_.explain_unknown(kind, id)
                                  : std::string()));
  }

  void CheckAllowedIndicators() {
    absl::flat_hash_set<absl::string_view> allowed;
    for (int i = 0; i < unit_.allowed_indicator_ids_size(); ++i) {
      const std::string field = absl::StrCat("allowed_indicator_ids[", i, "]");
      const std::string& id = unit_.allowed_indicator_ids(i);
      if (!allowed.insert(id).second) {
        rules_.Warning(field, "duplicate",
                       absl::StrCat(label_, "indicator \"", ShowText(id), "\" is listed twice"));
        continue;
      }
      const Indicator* indicator = references_.find_indicator(id);
      if (indicator == nullptr) {
        Unknown(field, ReferenceKind::kIndicator, "indicator", id);
      } else if (!indicator->has_reported()) {
        rules_.Error(field, "not_reportable",
                     absl::StrCat(label_, "indicator \"", id, "\" is not reported: ",
                                  indicator->has_derived() ? "it is derived from the registry"
                                                           : "it has no reported source",
                                  ", so no unit may submit it"));
      }
    }
  }

  void CheckStatus(const ValidityWindow& validity) {
    if (!rules_.EnumValue("status", unit_.status(),
                          *registry::v1::ReportingUnitStatus_descriptor())) {
      return;
    }
    if (unit_.status() == registry::v1::REPORTING_UNIT_STATUS_CLOSED) {
      rules_.Required("valid_to", unit_.valid_to(),
                      absl::StrCat(label_, "valid_to (the last day of a closed unit)"));
    }
    if (unit_.status() != registry::v1::REPORTING_UNIT_STATUS_MERGED) {
      if (!unit_.successor_unit_id().empty()) {
        rules_.Warning("successor_unit_id", "ignored",
                       absl::StrCat(label_, "successor_unit_id is ignored: the status is ",
                                    registry::v1::ReportingUnitStatus_Name(unit_.status()),
                                    ", not REPORTING_UNIT_STATUS_MERGED"));
      }
      return;
    }
    rules_.Required("valid_to", unit_.valid_to(),
                    absl::StrCat(label_, "valid_to (the last day before the merger)"));
    if (!rules_.Required(
            "successor_unit_id", unit_.successor_unit_id(),
            absl::StrCat(label_, "successor_unit_id (for REPORTING_UNIT_STATUS_MERGED)"))) {
      return;
    }
    if (unit_.successor_unit_id() == unit_.id()) {
      rules_.Error("successor_unit_id", "inconsistent",
                   absl::StrCat(label_, "a unit cannot be its own successor"));
      return;
    }
    const ReportingUnit* successor = references_.find_reporting_unit(unit_.successor_unit_id());
    if (successor == nullptr) {
      Unknown("successor_unit_id", ReferenceKind::kReportingUnit, "reporting unit",
              unit_.successor_unit_id());
      return;
    }
    if (!validity.to.has_value()) return;
    // The successor takes over the day after this unit ends, so it must exist then.
    const ValidityWindow successor_validity =
        ParseValidityWindow(successor->valid_from(), successor->valid_to());
    const absl::CivilDay takeover = *validity.to + 1;
    if (!successor_validity.Contains(takeover)) {
      rules_.Warning("successor_unit_id", "not_valid_at_date",
                     absl::StrCat(label_, "successor ", successor->id(), " is valid ",
                                  successor_validity.ToString(), ", not on ",
                                  FormatCivilDate(takeover), ", the day after this unit ends"));
    }
  }

  const ReportingUnit& unit_;
  const ReportingUnitReferences& references_;
  std::vector<Problem> problems_;
  FieldRules rules_;
  const std::string label_;
};

}  // namespace

void NormalizeReportingUnit(ReportingUnit& unit) {
  if (unit.status() == registry::v1::REPORTING_UNIT_STATUS_UNSPECIFIED) {
    unit.set_status(registry::v1::REPORTING_UNIT_STATUS_ACTIVE);
  }
  SortWithoutRepeats(*unit.mutable_allowed_indicator_ids());
}

std::vector<Problem> ValidateReportingUnit(const ReportingUnit& unit,
                                           const ReportingUnitReferences& references) {
  return ReportingUnitChecker(unit, references).Run();
}

std::vector<Problem> ValidateReportingUnit(
    const ReportingUnit& unit, const AdministrativeUnits& units,
    const std::function<const Indicator*(absl::string_view id)>& find_indicator,
    const std::function<const ReportingUnit*(absl::string_view id)>& find_reporting_unit) {
  ReportingUnitReferences references;
  references.administrative_unit_exists = [&units](absl::string_view code) {
    return units.Find(code) != nullptr;
  };
  references.find_indicator = find_indicator;
  references.find_reporting_unit = find_reporting_unit;
  return ValidateReportingUnit(unit, references);
}

}  // namespace tiendo::core
