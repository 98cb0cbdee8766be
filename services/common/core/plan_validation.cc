#include "services/common/core/plan_validation.h"

#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "services/common/core/civil_date.h"
#include "services/common/core/closest_name.h"
#include "services/common/core/field_rules.h"
#include "services/common/core/period.h"
#include "services/common/core/reporting_unit_rules.h"
#include "services/common/core/validity_window.h"

namespace tiendo::core {
namespace {

using registry::v1::AdministrativeLevel;
using registry::v1::AdministrativeUnit;
using registry::v1::Comparator;
using registry::v1::DerivedSource;
using registry::v1::EntityFilter;
using registry::v1::FrameworkReference;
using registry::v1::Indicator;
using registry::v1::IndicatorUnit;
using registry::v1::Plan;
using registry::v1::PlanFile;
using registry::v1::ReportedSource;
using registry::v1::ReportingUnit;
using registry::v1::Target;

constexpr absl::string_view kSchemaName = "tiendo.registry.v1.PlanFile";

std::string Join(absl::string_view path, absl::string_view field) {
  return path.empty() ? std::string(field) : absl::StrCat(path, ".", field);
}

std::string At(absl::string_view path, absl::string_view field, int index) {
  return absl::StrCat(Join(path, field), "[", index, "]");
}

std::string DayText(absl::CivilDay day) { return FormatCivilDate(day); }

std::string ComparatorWord(Comparator comparator) {
  return std::string(absl::StripPrefix(Comparator_Name(comparator), "COMPARATOR_"));
}

// The values an indicator can take, for range and comparator checks.
struct ValueRange {
  std::optional<double> min;
  std::optional<double> max;
  bool whole_numbers = false;
  std::string noun;  // "a count", "a percent", ...
};

ValueRange RangeOf(const Indicator& indicator) {
  ValueRange range;
  switch (indicator.unit()) {
    case registry::v1::INDICATOR_UNIT_COUNT:
      range = {0.0, std::nullopt, true, "a count"};
      break;
    case registry::v1::INDICATOR_UNIT_PERCENT:
      range = {0.0, 100.0, false, "a percent"};
      break;
    case registry::v1::INDICATOR_UNIT_RATIO: {
      const bool of_counts =
          (indicator.has_derived() && indicator.derived().has_ratio()) ||
          (indicator.has_reported() && indicator.reported().value_kind() ==
                                           registry::v1::VALUE_KIND_NUMERATOR_DENOMINATOR);
      range = of_counts ? ValueRange{0.0, 1.0, false, "a ratio of counts"}
                        : ValueRange{std::nullopt, std::nullopt, false, "a ratio"};
      break;
    }
    default:
      range = {std::nullopt, std::nullopt, false, "a number"};
      break;
  }
  if (indicator.has_reported()) {
    if (indicator.reported().has_min_value()) range.min = indicator.reported().min_value();
    if (indicator.reported().has_max_value()) range.max = indicator.reported().max_value();
  }
  return range;
}

class PlanFileChecker {
 public:
  PlanFileChecker(const PlanFile& file, const KnownEntities& known)
      : file_(file), known_(known), fields_(problems_) {}

  std::vector<Problem> Run() && {
    if (!file_.schema().empty() && file_.schema() != kSchemaName) {
      Error("schema", "format",
            absl::StrCat("schema is \"", file_.schema(), "\"; a plan file's schema is \"",
                         kSchemaName, "\" (or leave it out)"));
    }
    IndexEntities();
    if (!file_.has_plan()) {
      Error("plan", "required", "the plan is missing");
    } else {
      CheckPlan(file_.plan());
    }
    for (int i = 0; i < file_.reporting_units_size(); ++i) {
      CheckReportingUnit(At("", "reporting_units", i), file_.reporting_units(i));
    }
    for (int i = 0; i < file_.administrative_units_size(); ++i) {
      CheckAdministrativeUnit(At("", "administrative_units", i), file_.administrative_units(i));
    }
    return std::move(problems_);
  }

 private:
  // The single-field rules, on paths from the file's root.
  void Error(const std::string& path, absl::string_view rule, std::string message) {
    fields_.Error(path, rule, std::move(message));
  }
  void Warning(const std::string& path, absl::string_view rule, std::string message) {
    fields_.Warning(path, rule, std::move(message));
  }
  bool Required(const std::string& path, absl::string_view value, absl::string_view what) {
    return fields_.Required(path, value, what);
  }
  void CheckSlug(const std::string& path, absl::string_view value, absl::string_view what) {
    fields_.Slug(path, value, what);
  }
  std::optional<absl::CivilDay> Date(const std::string& path, absl::string_view text) {
    return fields_.Date(path, text);
  }
  std::optional<absl::CivilDay> RequiredDate(const std::string& path, absl::string_view text,
                                             absl::string_view what) {
    return fields_.RequiredDate(path, text, what);
  }

  // valid_from / valid_to of the entity at `path`; reports bad dates and a window that ends
  // before it starts.
  ValidityWindow CheckValidity(const std::string& path, absl::string_view from_text,
                               absl::string_view to_text) {
    return FieldRules(problems_, path).Window(from_text, to_text);
  }

  // --- What the file defines, and what it may refer to ---

  void IndexEntities() {
    if (file_.has_plan()) {
      const Plan& plan = file_.plan();
      absl::flat_hash_map<std::string, int> seen;
      for (int i = 0; i < plan.indicators_size(); ++i) {
        const std::string& id = plan.indicators(i).id();
        if (id.empty()) continue;
        auto [it, inserted] = seen.emplace(id, i);
        if (!inserted) {
          Error(Join(At("plan", "indicators", i), "id"), "duplicate",
                absl::StrCat("indicator id \"", id, "\" is already used by plan.indicators[",
                             it->second, "]"));
          continue;
        }
        file_indicators_.emplace(id, &plan.indicators(i));
        indicator_ids_.push_back(id);
      }
    }
    absl::flat_hash_map<std::string, int> units_seen;
    for (int i = 0; i < file_.reporting_units_size(); ++i) {
      const std::string& id = file_.reporting_units(i).id();
      if (id.empty()) continue;
      auto [it, inserted] = units_seen.emplace(id, i);
      if (!inserted) {
        Error(Join(At("", "reporting_units", i), "id"), "duplicate",
              absl::StrCat("reporting unit id \"", id, "\" is already used by reporting_units[",
                           it->second, "]"));
        continue;
      }
      reporting_units_.emplace(id, &file_.reporting_units(i));
    }
    absl::flat_hash_map<std::string, int> codes_seen;
    for (int i = 0; i < file_.administrative_units_size(); ++i) {
      const std::string& code = file_.administrative_units(i).code();
      if (code.empty()) continue;
      auto [it, inserted] = codes_seen.emplace(code, i);
      if (!inserted) {
        Error(Join(At("", "administrative_units", i), "code"), "duplicate",
              absl::StrCat("administrative unit code \"", code,
                           "\" is already used by administrative_units[", it->second, "]"));
        continue;
      }
      administrative_units_.emplace(code, &file_.administrative_units(i));
    }
    // The registry's entities fill in what the file does not define.
    for (const ReportingUnit& unit : known_.reporting_units) {
      reporting_units_.emplace(unit.id(), &unit);
    }
    for (const AdministrativeUnit& unit : known_.administrative_units) {
      administrative_units_.emplace(unit.code(), &unit);
    }
    known_indicators_ = file_indicators_;
    for (const Indicator& indicator : known_.indicators) {
      known_indicators_.emplace(indicator.id(), &indicator);
    }
  }

  const AdministrativeUnit* FindAdministrativeUnit(absl::string_view code) const {
    auto it = administrative_units_.find(code);
    return it == administrative_units_.end() ? nullptr : it->second;
  }

  const ReportingUnit* FindReportingUnit(absl::string_view id) const {
    auto it = reporting_units_.find(id);
    return it == reporting_units_.end() ? nullptr : it->second;
  }

  // Reports a code that names no known administrative unit; returns the unit otherwise.
  const AdministrativeUnit* AdministrativeUnitReference(const std::string& path,
                                                        absl::string_view code,
                                                        absl::string_view context) {
    const AdministrativeUnit* unit = FindAdministrativeUnit(code);
    if (unit == nullptr) {
      Error(path, "unknown_reference",
            absl::StrCat(context, "unknown administrative unit \"", code, "\"",
                         ExplainUnknown(ReferenceKind::kAdministrativeUnit, code)));
    }
    return unit;
  }

  const ReportingUnit* ReportingUnitReference(const std::string& path, absl::string_view id,
                                              absl::string_view context) {
    const ReportingUnit* unit = FindReportingUnit(id);
    if (unit == nullptr) {
      Error(path, "unknown_reference",
            absl::StrCat(context, "unknown reporting unit \"", id, "\"",
                         ExplainUnknown(ReferenceKind::kReportingUnit, id)));
    }
    return unit;
  }

  // Where an unknown reference was looked for, and the likely intended indicator.
  std::string ExplainUnknown(ReferenceKind kind, absl::string_view id) const {
    switch (kind) {
      case ReferenceKind::kAdministrativeUnit:
        return absl::StrCat(": not defined in administrative_units",
                            known_.administrative_units.empty() ? "" : " nor in the registry");
      case ReferenceKind::kReportingUnit:
        return absl::StrCat(": not defined in reporting_units",
                            known_.reporting_units.empty() ? "" : " nor in the registry");
      case ReferenceKind::kIndicator: {
        std::optional<std::string> near = ClosestName(id, indicator_ids_);
        return absl::StrCat(
            ": not defined in plan.indicators",
            known_.indicators.empty() ? "" : " nor in the registry",
            near.has_value() ? absl::StrCat(" (did you mean \"", *near, "\"?)") : "");
      }
    }
    return "";
  }

  ValidityWindow ValidityOf(const AdministrativeUnit& unit) const {
    return ParseValidityWindow(unit.valid_from(), unit.valid_to());
  }

  // --- The plan ---

  void CheckPlan(const Plan& plan) {
    CheckSlug("plan.id", plan.id(), "plan id");
    Required("plan.title_vi", plan.title_vi(), "title_vi (the Vietnamese title)");
    Required("plan.title_en", plan.title_en(), "title_en (the English title)");
    Required("plan.issuing_body", plan.issuing_body(), "issuing_body");
    const std::optional<absl::CivilDay> issued =
        RequiredDate("plan.issue_date", plan.issue_date(), "issue_date");
    if (Required("plan.jurisdiction_code", plan.jurisdiction_code(), "jurisdiction_code")) {
      const AdministrativeUnit* jurisdiction = AdministrativeUnitReference(
          "plan.jurisdiction_code", plan.jurisdiction_code(), "jurisdiction: ");
      if (jurisdiction != nullptr && issued.has_value() &&
          !ValidityOf(*jurisdiction).Contains(*issued)) {
        Error("plan.jurisdiction_code", "not_valid_at_date",
              absl::StrCat("jurisdiction ", plan.jurisdiction_code(), " is valid ",
                           ValidityOf(*jurisdiction).ToString(), ", not on the issue date ",
                           DayText(*issued)));
      }
    }
    const std::optional<absl::CivilDay> horizon_start =
        Date("plan.horizon_start", plan.horizon_start());
    horizon_end_ = Date("plan.horizon_end", plan.horizon_end());
    if (horizon_start.has_value() && horizon_end_.has_value() && *horizon_end_ < *horizon_start) {
      Error("plan.horizon_end", "order",
            absl::StrCat("horizon_end ", plan.horizon_end(), " is before horizon_start ",
                         plan.horizon_start()));
    }
    CheckPlanStatus(plan, issued);
    for (int i = 0; i < plan.framework_references_size(); ++i) {
      CheckFrameworkReference(At("plan", "framework_references", i),
                              plan.framework_references(i));
    }
    for (int i = 0; i < plan.indicators_size(); ++i) {
      CheckIndicator(At("plan", "indicators", i), plan.indicators(i));
    }
    absl::flat_hash_map<std::string, int> target_ids;
    for (int i = 0; i < plan.targets_size(); ++i) {
      const std::string path = At("plan", "targets", i);
      const Target& target = plan.targets(i);
      if (!target.id().empty()) {
        auto [it, inserted] = target_ids.emplace(target.id(), i);
        if (!inserted) {
          Error(Join(path, "id"), "duplicate",
                absl::StrCat("target id \"", target.id(), "\" is already used by plan.targets[",
                             it->second, "]"));
        }
      }
      CheckTarget(path, target, plan);
    }
    absl::flat_hash_map<std::string, int> note_codes;
    for (int i = 0; i < plan.notes_size(); ++i) {
      const std::string path = At("plan", "notes", i);
      const registry::v1::PlanNote& note = plan.notes(i);
      if (!note.code().empty()) {
        auto [it, inserted] = note_codes.emplace(note.code(), i);
        if (!inserted) {
          Error(Join(path, "code"), "duplicate",
                absl::StrCat("note code \"", note.code(), "\" is already used by plan.notes[",
                             it->second, "]"));
        }
      }
      Required(Join(path, "text_vi"), note.text_vi(), "text_vi (the note as the plan words it)");
      Date(Join(path, "deadline"), note.deadline());
    }
  }

  void CheckPlanStatus(const Plan& plan, const std::optional<absl::CivilDay>& issued) {
    const registry::v1::PlanStatus status = plan.status();
    const bool active = status == registry::v1::PLAN_STATUS_UNSPECIFIED ||
                        status == registry::v1::PLAN_STATUS_ACTIVE;
    const std::string status_word = registry::v1::PlanStatus_Name(status);
    std::optional<absl::CivilDay> effective;
    if (active) {
      effective = Date("plan.status_effective_date", plan.status_effective_date());
    } else {
      effective = RequiredDate("plan.status_effective_date", plan.status_effective_date(),
                               absl::StrCat("status_effective_date (for ", status_word, ")"));
    }
    if (effective.has_value() && issued.has_value() && *effective < *issued) {
      Error("plan.status_effective_date", "order",
            absl::StrCat("status_effective_date ", plan.status_effective_date(),
                         " is before the issue date ", plan.issue_date()));
    }
    if (status == registry::v1::PLAN_STATUS_SUPERSEDED) {
      CheckSlug("plan.superseded_by_plan_id", plan.superseded_by_plan_id(),
                "superseded_by_plan_id (for PLAN_STATUS_SUPERSEDED)");
    } else if (!plan.superseded_by_plan_id().empty()) {
      Warning("plan.superseded_by_plan_id", "ignored",
              absl::StrCat("superseded_by_plan_id is ignored: the status is ", status_word));
    }
    if (status == registry::v1::PLAN_STATUS_TRANSFERRED) {
      Required("plan.transferred_to_body", plan.transferred_to_body(),
               "transferred_to_body (for PLAN_STATUS_TRANSFERRED)");
      if (Required("plan.transferred_to_jurisdiction_code",
                   plan.transferred_to_jurisdiction_code(),
                   "transferred_to_jurisdiction_code (for PLAN_STATUS_TRANSFERRED)")) {
        const AdministrativeUnit* unit = AdministrativeUnitReference(
            "plan.transferred_to_jurisdiction_code", plan.transferred_to_jurisdiction_code(),
            "transferred to: ");
        if (unit != nullptr && effective.has_value() && !ValidityOf(*unit).Contains(*effective)) {
          Error("plan.transferred_to_jurisdiction_code", "not_valid_at_date",
                absl::StrCat("administrative unit ", unit->code(), " is valid ",
                             ValidityOf(*unit).ToString(), ", not on the transfer date ",
                             DayText(*effective)));
        }
      }
    } else if (!plan.transferred_to_body().empty() ||
               !plan.transferred_to_jurisdiction_code().empty()) {
      Warning(plan.transferred_to_body().empty() ? "plan.transferred_to_jurisdiction_code"
                                                 : "plan.transferred_to_body",
              "ignored",
              absl::StrCat("transferred_to_* fields are ignored: the status is ", status_word));
    }
  }

  void CheckFrameworkReference(const std::string& path, const FrameworkReference& reference) {
    if (reference.framework() == registry::v1::FRAMEWORK_UNSPECIFIED) {
      Error(Join(path, "framework"), "required", "framework is required");
    } else if (reference.framework() == registry::v1::FRAMEWORK_OTHER) {
      Required(Join(path, "document"), reference.document(),
               "document (the document number, for FRAMEWORK_OTHER)");
    }
  }

  // --- Indicators ---

  void CheckIndicator(const std::string& path, const Indicator& indicator) {
    CheckSlug(Join(path, "id"), indicator.id(), "indicator id");
    Required(Join(path, "name_vi"), indicator.name_vi(), "name_vi (the Vietnamese name)");
    Required(Join(path, "name_en"), indicator.name_en(), "name_en (the English name)");
    if (indicator.unit() == registry::v1::INDICATOR_UNIT_UNSPECIFIED) {
      Error(Join(path, "unit"), "required", "unit is required");
    } else if (indicator.unit() == registry::v1::INDICATOR_UNIT_NUMBER &&
               indicator.unit_label().empty()) {
      Warning(Join(path, "unit_label"), "required",
              "INDICATOR_UNIT_NUMBER without a unit_label: readers cannot tell what the "
              "numbers measure");
    }
    switch (indicator.source_case()) {
      case Indicator::kDerived:
        CheckDerived(Join(path, "derived"), indicator);
        break;
      case Indicator::kReported:
        CheckReported(Join(path, "reported"), indicator);
        break;
      case Indicator::SOURCE_NOT_SET:
        Error(path, "required",
              absl::StrCat("indicator ", indicator.id(),
                           ": set how its value is obtained, derived or reported"));
        break;
    }
    for (int i = 0; i < indicator.framework_references_size(); ++i) {
      CheckFrameworkReference(At(path, "framework_references", i),
                              indicator.framework_references(i));
    }
  }

  void CheckDerived(const std::string& path, const Indicator& indicator) {
    const DerivedSource& derived = indicator.derived();
    const IndicatorUnit unit = indicator.unit();
    switch (derived.measure_case()) {
      case DerivedSource::kCount:
        if (unit != registry::v1::INDICATOR_UNIT_COUNT &&
            unit != registry::v1::INDICATOR_UNIT_UNSPECIFIED) {
          Error(Join(path, "count"), "inconsistent",
                absl::StrCat("a derived count needs unit INDICATOR_UNIT_COUNT, not ",
                             registry::v1::IndicatorUnit_Name(unit)));
        }
        CheckEntityFilter(Join(path, "count"), derived.count());
        break;
      case DerivedSource::kRatio: {
        if (unit != registry::v1::INDICATOR_UNIT_PERCENT &&
            unit != registry::v1::INDICATOR_UNIT_RATIO &&
            unit != registry::v1::INDICATOR_UNIT_UNSPECIFIED) {
          Error(Join(path, "ratio"), "inconsistent",
                absl::StrCat("a derived ratio needs unit INDICATOR_UNIT_PERCENT or "
                             "INDICATOR_UNIT_RATIO, not ",
                             registry::v1::IndicatorUnit_Name(unit)));
        }
        const std::string ratio_path = Join(path, "ratio");
        const auto& ratio = derived.ratio();
        if (!ratio.has_numerator()) {
          Error(Join(ratio_path, "numerator"), "required", "numerator is required");
        } else {
          CheckEntityFilter(Join(ratio_path, "numerator"), ratio.numerator());
        }
        if (!ratio.has_denominator()) {
          Error(Join(ratio_path, "denominator"), "required", "denominator is required");
        } else {
          CheckEntityFilter(Join(ratio_path, "denominator"), ratio.denominator());
        }
        if (ratio.has_numerator() && ratio.has_denominator() &&
            ratio.numerator().entities_case() != EntityFilter::ENTITIES_NOT_SET &&
            ratio.denominator().entities_case() != EntityFilter::ENTITIES_NOT_SET &&
            ratio.numerator().entities_case() != ratio.denominator().entities_case()) {
          Error(Join(ratio_path, "numerator"), "inconsistent",
                "numerator and denominator must count the same kind of entity");
        }
        break;
      }
      case DerivedSource::MEASURE_NOT_SET:
        Error(path, "required",
              absl::StrCat("indicator ", indicator.id(),
                           ": a derived indicator needs a count or a ratio"));
        break;
    }
  }

  void CheckSlugList(const std::string& path, absl::string_view field,
                     const google::protobuf::RepeatedPtrField<std::string>& values,
                     absl::string_view what) {
    for (int i = 0; i < values.size(); ++i) {
      if (!IsLowerSnake(values[i])) {
        Error(At(path, field, i), "format",
              absl::StrCat(what, " \"", values[i], "\" must be lower_snake_case"));
      }
    }
  }

  void CheckEntityFilter(const std::string& path, const EntityFilter& filter) {
    switch (filter.entities_case()) {
      case EntityFilter::kEnterprises: {
        const std::string enterprises = Join(path, "enterprises");
        const auto& f = filter.enterprises();
        for (int i = 0; i < f.administrative_unit_codes_size(); ++i) {
          AdministrativeUnitReference(At(enterprises, "administrative_unit_codes", i),
                                      f.administrative_unit_codes(i), "");
        }
        CheckSlugList(enterprises, "categories", f.categories(), "category");
        CheckSlugList(enterprises, "capabilities", f.capabilities(), "capability");
        break;
      }
      case EntityFilter::kPublicServices: {
        const std::string services = Join(path, "public_services");
        const auto& f = filter.public_services();
        for (int i = 0; i < f.administrative_unit_codes_size(); ++i) {
          AdministrativeUnitReference(At(services, "administrative_unit_codes", i),
                                      f.administrative_unit_codes(i), "");
        }
        for (int i = 0; i < f.owning_reporting_unit_ids_size(); ++i) {
          ReportingUnitReference(At(services, "owning_reporting_unit_ids", i),
                                 f.owning_reporting_unit_ids(i), "");
        }
        break;
      }
      case EntityFilter::ENTITIES_NOT_SET:
        Error(path, "required", "a filter must say what it counts: enterprises or public_services");
        break;
    }
  }

  // A percentage or a ratio: figures that do not add up.
  static bool IsShare(const Indicator& indicator) {
    return indicator.unit() == registry::v1::INDICATOR_UNIT_PERCENT ||
           indicator.unit() == registry::v1::INDICATOR_UNIT_RATIO;
  }

  void CheckReported(const std::string& path, const Indicator& indicator) {
    const ReportedSource& reported = indicator.reported();
    const bool value = reported.value_kind() == registry::v1::VALUE_KIND_VALUE;
    const bool ratio = reported.value_kind() == registry::v1::VALUE_KIND_NUMERATOR_DENOMINATOR;
    if (reported.value_kind() == registry::v1::VALUE_KIND_UNSPECIFIED) {
      Error(Join(path, "value_kind"), "required", "value_kind is required");
    }
    switch (reported.aggregation()) {
      case registry::v1::AGGREGATION_UNSPECIFIED:
        Error(Join(path, "aggregation"), "required", "aggregation is required");
        break;
      case registry::v1::AGGREGATION_SUM:
        if (ratio) {
          Error(Join(path, "aggregation"), "inconsistent",
                "AGGREGATION_SUM needs VALUE_KIND_VALUE; numerator/denominator figures "
                "combine with AGGREGATION_RATIO_OF_SUMS");
        } else if (IsShare(indicator)) {
          Error(Join(path, "aggregation"), "inconsistent",
                absl::StrCat("AGGREGATION_SUM adds the figures of every unit and "
                             "disaggregation, and shares do not add up (60% and 60% is not "
                             "120%): a ", IndicatorUnit_Name(indicator.unit()),
                             " indicator is reported as numerator/denominator with "
                             "AGGREGATION_RATIO_OF_SUMS, or by one reporter with "
                             "AGGREGATION_LATEST"));
        }
        break;
      case registry::v1::AGGREGATION_RATIO_OF_SUMS:
        if (value) {
          Error(Join(path, "aggregation"), "inconsistent",
                "AGGREGATION_RATIO_OF_SUMS needs VALUE_KIND_NUMERATOR_DENOMINATOR");
        }
        break;
      default:
        break;
    }
    if (reported.time_aggregation() == registry::v1::TIME_AGGREGATION_SUM && ratio) {
      Error(Join(path, "time_aggregation"), "inconsistent",
            "TIME_AGGREGATION_SUM needs VALUE_KIND_VALUE; numerator/denominator figures roll "
            "up with TIME_AGGREGATION_RATIO_OF_SUMS");
    } else if (reported.time_aggregation() == registry::v1::TIME_AGGREGATION_SUM &&
               IsShare(indicator)) {
      Error(Join(path, "time_aggregation"), "inconsistent",
            absl::StrCat("TIME_AGGREGATION_SUM adds the figures of a period's months, and "
                         "shares do not add up: a ",
                         IndicatorUnit_Name(indicator.unit()),
                         " indicator rolls up with TIME_AGGREGATION_RATIO_OF_SUMS (reported "
                         "as numerator/denominator) or TIME_AGGREGATION_LATEST_PERIOD"));
    } else if (reported.time_aggregation() == registry::v1::TIME_AGGREGATION_RATIO_OF_SUMS &&
               value) {
      Error(Join(path, "time_aggregation"), "inconsistent",
            "TIME_AGGREGATION_RATIO_OF_SUMS needs VALUE_KIND_NUMERATOR_DENOMINATOR");
    }
    absl::flat_hash_set<int> granularities;
    if (reported.allowed_granularities().empty()) {
      Error(Join(path, "allowed_granularities"), "required",
            "allowed_granularities needs at least one period length");
    }
    for (int i = 0; i < reported.allowed_granularities_size(); ++i) {
      const int granularity = reported.allowed_granularities(i);
      if (granularity == common::v1::PERIOD_GRANULARITY_UNSPECIFIED) {
        Error(At(path, "allowed_granularities", i), "required",
              "PERIOD_GRANULARITY_UNSPECIFIED is not a period length");
      } else if (!granularities.insert(granularity).second) {
        Warning(At(path, "allowed_granularities", i), "duplicate",
                absl::StrCat(common::v1::PeriodGranularity_Name(reported.allowed_granularities(i)),
                             " is listed twice"));
      }
    }
    absl::flat_hash_map<std::string, int> dimension_names;
    for (int i = 0; i < reported.disaggregation_dimensions_size(); ++i) {
      const std::string dimension_path = At(path, "disaggregation_dimensions", i);
      const auto& dimension = reported.disaggregation_dimensions(i);
      if (Required(Join(dimension_path, "name"), dimension.name(), "dimension name")) {
        if (!IsLowerSnake(dimension.name())) {
          Error(Join(dimension_path, "name"), "format",
                absl::StrCat("dimension name \"", dimension.name(),
                             "\" must be lower_snake_case"));
        }
        auto [it, inserted] = dimension_names.emplace(dimension.name(), i);
        if (!inserted) {
          Error(Join(dimension_path, "name"), "duplicate",
                absl::StrCat("dimension \"", dimension.name(),
                             "\" is already defined by disaggregation_dimensions[", it->second,
                             "]"));
        }
      }
      if (dimension.kind() == registry::v1::DIMENSION_KIND_UNSPECIFIED) {
        Error(Join(dimension_path, "kind"), "required", "kind is required");
      } else if (dimension.kind() == registry::v1::DIMENSION_KIND_CODE_LIST &&
                 dimension.allowed_values().empty()) {
        Error(Join(dimension_path, "allowed_values"), "required",
              "a DIMENSION_KIND_CODE_LIST dimension needs allowed_values");
      }
    }
    if (reported.has_min_value() && reported.has_max_value() &&
        reported.max_value() < reported.min_value()) {
      Error(Join(path, "max_value"), "order",
            absl::StrCat("max_value ", reported.max_value(), " is below min_value ",
                         reported.min_value()));
    }
    if (reported.has_schedule()) {
      const std::string schedule_path = Join(path, "schedule");
      const auto& schedule = reported.schedule();
      if (schedule.granularity() == common::v1::PERIOD_GRANULARITY_UNSPECIFIED) {
        Error(Join(schedule_path, "granularity"), "required", "granularity is required");
      } else if (!granularities.contains(schedule.granularity())) {
        Error(Join(schedule_path, "granularity"), "inconsistent",
              absl::StrCat(common::v1::PeriodGranularity_Name(schedule.granularity()),
                           " is not among the indicator's allowed_granularities"));
      }
      if (schedule.due_after_period_end().seconds() < 0 ||
          schedule.due_after_period_end().nanos() < 0) {
        Error(Join(schedule_path, "due_after_period_end"), "out_of_range",
              "due_after_period_end must not be negative");
      }
      for (int i = 0; i < schedule.expected_reporting_unit_ids_size(); ++i) {
        ReportingUnitReference(At(schedule_path, "expected_reporting_unit_ids", i),
                               schedule.expected_reporting_unit_ids(i), "");
      }
      const std::optional<Period> first =
          SchedulePeriod(Join(schedule_path, "first_period"), schedule.first_period());
      const std::optional<Period> last =
          SchedulePeriod(Join(schedule_path, "last_period"), schedule.last_period());
      if (first.has_value() && last.has_value() && last->LastDay() < first->FirstDay()) {
        Error(Join(schedule_path, "last_period"), "order",
              absl::StrCat("last_period ", schedule.last_period(), " ends before first_period ",
                           schedule.first_period(), " starts"));
      }
    }
  }

  // An optional period of a reporting schedule; reports a malformed one.
  std::optional<Period> SchedulePeriod(const std::string& path, absl::string_view text) {
    if (text.empty()) return std::nullopt;
    absl::StatusOr<Period> period = Period::Parse(text);
    if (!period.ok()) {
      Error(path, "format",
            absl::StrCat("\"", text,
                         "\" is not a period (write 2025, 2025-H1, 2025-Q3 or 2025-09)"));
      return std::nullopt;
    }
    return *period;
  }

  // --- Targets ---

  void CheckTarget(const std::string& path, const Target& target, const Plan& plan) {
    CheckSlug(Join(path, "id"), target.id(), "target id");
    const std::string label =
        absl::StrCat("target ", target.id().empty() ? path : target.id(), ": ");
    if (!target.plan_id().empty() && target.plan_id() != plan.id()) {
      Error(Join(path, "plan_id"), "inconsistent",
            absl::StrCat(label, "plan_id \"", target.plan_id(), "\" is not the plan's id \"",
                         plan.id(), "\" (leave it empty)"));
    }
    const Indicator* indicator = nullptr;
    if (Required(Join(path, "indicator_id"), target.indicator_id(),
                 absl::StrCat(label, "indicator_id"))) {
      auto it = file_indicators_.find(target.indicator_id());
      if (it == file_indicators_.end()) {
        std::optional<std::string> near = ClosestName(target.indicator_id(), indicator_ids_);
        Error(Join(path, "indicator_id"), "unknown_reference",
              absl::StrCat(label, "unknown indicator \"", target.indicator_id(),
                           "\": not defined in plan.indicators",
                           near.has_value() ? absl::StrCat(" (did you mean \"", *near, "\"?)")
                                            : ""));
      } else {
        indicator = it->second;
      }
    }
    const Comparator comparator = target.comparator();
    if (comparator == registry::v1::COMPARATOR_UNSPECIFIED) {
      Error(Join(path, "comparator"), "required", absl::StrCat(label, "comparator is required"));
    }
    if (target.has_tolerance()) {
      if (!(target.tolerance() >= 0)) {
        Error(Join(path, "tolerance"), "out_of_range",
              absl::StrCat(label, "tolerance ", target.tolerance(), " must not be negative"));
      } else if (comparator != registry::v1::COMPARATOR_EQUAL &&
                 comparator != registry::v1::COMPARATOR_UNSPECIFIED) {
        Warning(Join(path, "tolerance"), "ignored",
                absl::StrCat(label, "tolerance is ignored with ", ComparatorWord(comparator),
                             "; it applies to EQUAL only"));
      }
    }
    if (target.milestones().empty()) {
      Error(Join(path, "milestones"), "required",
            absl::StrCat(label, "a target needs at least one milestone"));
    }
    std::optional<ValueRange> range;
    if (indicator != nullptr) range = RangeOf(*indicator);
    std::optional<absl::CivilDay> previous_deadline;
    std::string previous_deadline_text;
    std::optional<absl::CivilDay> first_deadline;
    for (int j = 0; j < target.milestones_size(); ++j) {
      const std::string milestone_path = At(path, "milestones", j);
      const registry::v1::Milestone& milestone = target.milestones(j);
      const std::optional<absl::CivilDay> deadline = RequiredDate(
          Join(milestone_path, "deadline"), milestone.deadline(), absl::StrCat(label, "deadline"));
      if (deadline.has_value()) {
        if (j == 0) first_deadline = deadline;
        if (previous_deadline.has_value() && *deadline <= *previous_deadline) {
          Error(Join(milestone_path, "deadline"), "order",
                absl::StrCat(label, "deadline ", milestone.deadline(),
                             " is not after the previous milestone's ", previous_deadline_text,
                             "; deadlines must be strictly increasing"));
        }
        if (horizon_end_.has_value() && *deadline > *horizon_end_) {
          Error(Join(milestone_path, "deadline"), "order",
                absl::StrCat(label, "deadline ", milestone.deadline(),
                             " is after the plan's horizon_end ", plan.horizon_end(),
                             ": no data would count towards it"));
        }
        previous_deadline = deadline;
        previous_deadline_text = milestone.deadline();
      }
      if (range.has_value()) {
        CheckMilestoneValue(Join(milestone_path, "value"), label, milestone.value(), comparator,
                            *range, *indicator);
        if (j > 0) {
          CheckDirection(Join(milestone_path, "value"), label, target.milestones(j - 1).value(),
                         milestone.value(), *indicator);
        }
      }
    }
    if (target.has_baseline()) {
      const std::string baseline_path = Join(path, "baseline");
      const std::optional<absl::CivilDay> date =
          RequiredDate(Join(baseline_path, "date"), target.baseline().date(),
                       absl::StrCat(label, "baseline date"));
      if (date.has_value() && first_deadline.has_value() && *date >= *first_deadline) {
        Error(Join(baseline_path, "date"), "order",
              absl::StrCat(label, "baseline date ", target.baseline().date(),
                           " is not before the first milestone's deadline ",
                           DayText(*first_deadline)));
      }
      if (range.has_value()) {
        CheckInRange(Join(baseline_path, "value"), label, "baseline", target.baseline().value(),
                     *range, *indicator);
      }
    }
  }

  // Reports a value the indicator's unit cannot take; returns true if it is in range.
  bool CheckInRange(const std::string& path, const std::string& label, absl::string_view what,
                    double value, const ValueRange& range, const Indicator& indicator) {
    if (!std::isfinite(value)) {
      Error(path, "out_of_range", absl::StrCat(label, what, " ", value, " is not a number"));
      return false;
    }
    if (range.min.has_value() && value < *range.min) {
      Error(path, "out_of_range",
            absl::StrCat(label, what, " ", value, " is below ", *range.min, ": indicator ",
                         indicator.id(), " is ", range.noun, ", never below ", *range.min));
      return false;
    }
    if (range.max.has_value() && value > *range.max) {
      Error(path, "out_of_range",
            absl::StrCat(label, what, " ", value, " is above ", *range.max, ": indicator ",
                         indicator.id(), " is ", range.noun, ", never above ", *range.max));
      return false;
    }
    if (range.whole_numbers && value != std::floor(value)) {
      Error(path, "out_of_range",
            absl::StrCat(label, what, " ", value, " is not a whole number: indicator ",
                         indicator.id(), " is ", range.noun));
      return false;
    }
    return true;
  }

  void CheckMilestoneValue(const std::string& path, const std::string& label, double value,
                           Comparator comparator, const ValueRange& range,
                           const Indicator& indicator) {
    if (!CheckInRange(path, label, "milestone value", value, range, indicator)) return;
    const std::string said = absl::StrCat(ComparatorWord(comparator), " ", value);
    if (comparator == registry::v1::COMPARATOR_MORE_THAN && range.max.has_value() &&
        value >= *range.max) {
      Error(path, "cannot_hold",
            absl::StrCat(label, said, " can never hold: indicator ", indicator.id(), " is ",
                         range.noun, ", at most ", *range.max));
    } else if (comparator == registry::v1::COMPARATOR_LESS_THAN && range.min.has_value() &&
               value <= *range.min) {
      Error(path, "cannot_hold",
            absl::StrCat(label, said, " can never hold: indicator ", indicator.id(), " is ",
                         range.noun, ", at least ", *range.min));
    } else if (comparator == registry::v1::COMPARATOR_AT_LEAST && range.min.has_value() &&
               value <= *range.min) {
      Warning(path, "always_holds",
              absl::StrCat(label, said, " always holds: indicator ", indicator.id(),
                           " is never below ", *range.min));
    } else if (comparator == registry::v1::COMPARATOR_AT_MOST && range.max.has_value() &&
               value >= *range.max) {
      Warning(path, "always_holds",
              absl::StrCat(label, said, " always holds: indicator ", indicator.id(),
                           " is never above ", *range.max));
    }
  }

  void CheckDirection(const std::string& path, const std::string& label, double previous,
                      double value, const Indicator& indicator) {
    const bool lower_is_better = indicator.direction() == registry::v1::DIRECTION_LOWER_IS_BETTER;
    if (!lower_is_better && value < previous) {
      Warning(path, "direction",
              absl::StrCat(label, "milestone value ", value, " is below the previous ",
                           previous, ", but higher is better for indicator ", indicator.id()));
    } else if (lower_is_better && value > previous) {
      Warning(path, "direction",
              absl::StrCat(label, "milestone value ", value, " is above the previous ",
                           previous, ", but lower is better for indicator ", indicator.id()));
    }
  }

  // --- Reporting units ---

  // The rules of reporting_unit_rules.h, with the file's (and the registry's) entities.
  void CheckReportingUnit(const std::string& path, const ReportingUnit& unit) {
    ReportingUnitReferences references;
    references.administrative_unit_exists = [this](absl::string_view code) {
      return FindAdministrativeUnit(code) != nullptr;
    };
    references.find_indicator = [this](absl::string_view id) -> const Indicator* {
      auto it = known_indicators_.find(id);
      return it == known_indicators_.end() ? nullptr : it->second;
    };
    references.find_reporting_unit = [this](absl::string_view id) {
      return FindReportingUnit(id);
    };
    references.explain_unknown = [this](ReferenceKind kind, absl::string_view id) {
      return ExplainUnknown(kind, id);
    };
    for (Problem& problem : ValidateReportingUnit(unit, references)) {
      problem.path = Join(path, problem.path);
      problems_.push_back(std::move(problem));
    }
  }

  // --- Administrative units ---

  void CheckAdministrativeUnit(const std::string& path, const AdministrativeUnit& unit) {
    const std::string label = absl::StrCat("administrative unit ", unit.code(), ": ");
    const AdministrativeLevel level = unit.level();
    if (Required(Join(path, "code"), unit.code(), "administrative unit code")) {
      size_t expected_length = 0;
      if (level == registry::v1::ADMINISTRATIVE_LEVEL_PROVINCE) expected_length = 2;
      if (level == registry::v1::ADMINISTRATIVE_LEVEL_DISTRICT) expected_length = 3;
      if (level == registry::v1::ADMINISTRATIVE_LEVEL_COMMUNE) expected_length = 5;
      if (!IsDigits(unit.code())) {
        Error(Join(path, "code"), "format",
              absl::StrCat("administrative unit code \"", unit.code(), "\" must be digits only"));
      } else if (expected_length != 0 && unit.code().size() != expected_length) {
        Error(Join(path, "code"), "format",
              absl::StrCat("administrative unit code \"", unit.code(), "\" of a ",
                           absl::AsciiStrToLower(absl::StripPrefix(
                               AdministrativeLevel_Name(level), "ADMINISTRATIVE_LEVEL_")),
                           " must have ", expected_length, " digits"));
      }
    }
    Required(Join(path, "name_vi"), unit.name_vi(), absl::StrCat(label, "name_vi"));
    if (level == registry::v1::ADMINISTRATIVE_LEVEL_UNSPECIFIED) {
      Error(Join(path, "level"), "required", absl::StrCat(label, "level is required"));
    }
    const ValidityWindow validity = CheckValidity(path, unit.valid_from(), unit.valid_to());

    if (level == registry::v1::ADMINISTRATIVE_LEVEL_PROVINCE && !unit.parent_code().empty()) {
      Error(Join(path, "parent_code"), "inconsistent",
            absl::StrCat(label, "a province-level unit has no parent"));
    } else if (level != registry::v1::ADMINISTRATIVE_LEVEL_PROVINCE &&
               level != registry::v1::ADMINISTRATIVE_LEVEL_UNSPECIFIED &&
               unit.parent_code().empty()) {
      Error(Join(path, "parent_code"), "required",
            absl::StrCat(label, "parent_code is required below the province level"));
    } else if (!unit.parent_code().empty()) {
      CheckParent(Join(path, "parent_code"), label, unit, validity);
    }

    for (int i = 0; i < unit.successor_codes_size(); ++i) {
      const std::string item_path = At(path, "successor_codes", i);
      const std::string& code = unit.successor_codes(i);
      if (code == unit.code()) {
        Error(item_path, "inconsistent", absl::StrCat(label, "a unit cannot succeed itself"));
        continue;
      }
      const AdministrativeUnit* successor = AdministrativeUnitReference(item_path, code, label);
      if (successor == nullptr) continue;
      if (!validity.to.has_value()) {
        Error(Join(path, "valid_to"), "required",
              absl::StrCat(label, "successor_codes are set, so valid_to (the last day of this "
                                  "unit) is required"));
        break;
      }
      const absl::CivilDay takeover = *validity.to + 1;
      if (!ValidityOf(*successor).Contains(takeover)) {
        Error(item_path, "not_valid_at_date",
              absl::StrCat(label, "successor ", code, " is valid ",
                           ValidityOf(*successor).ToString(), ", not on ", DayText(takeover),
                           ", the day after this unit ends"));
      }
      if (!Lists(successor->predecessor_codes(), unit.code())) {
        Warning(item_path, "inverse_link",
                absl::StrCat(label, "successor ", code, " does not list ", unit.code(),
                             " among its predecessor_codes"));
      }
    }
    for (int i = 0; i < unit.predecessor_codes_size(); ++i) {
      const std::string item_path = At(path, "predecessor_codes", i);
      const std::string& code = unit.predecessor_codes(i);
      if (code == unit.code()) {
        Error(item_path, "inconsistent", absl::StrCat(label, "a unit cannot precede itself"));
        continue;
      }
      const AdministrativeUnit* predecessor =
          AdministrativeUnitReference(item_path, code, label);
      if (predecessor != nullptr && !Lists(predecessor->successor_codes(), unit.code())) {
        Warning(item_path, "inverse_link",
                absl::StrCat(label, "predecessor ", code, " does not list ", unit.code(),
                             " among its successor_codes"));
      }
    }
  }

  void CheckParent(const std::string& path, const std::string& label,
                   const AdministrativeUnit& unit, const ValidityWindow& validity) {
    if (unit.parent_code() == unit.code()) {
      Error(path, "inconsistent", absl::StrCat(label, "a unit cannot be its own parent"));
      return;
    }
    const AdministrativeUnit* parent = AdministrativeUnitReference(path, unit.parent_code(), label);
    if (parent == nullptr) return;
    const AdministrativeLevel level = unit.level();
    const AdministrativeLevel parent_level = parent->level();
    const bool level_ok =
        (level == registry::v1::ADMINISTRATIVE_LEVEL_DISTRICT &&
         parent_level == registry::v1::ADMINISTRATIVE_LEVEL_PROVINCE) ||
        (level == registry::v1::ADMINISTRATIVE_LEVEL_COMMUNE &&
         (parent_level == registry::v1::ADMINISTRATIVE_LEVEL_DISTRICT ||
          parent_level == registry::v1::ADMINISTRATIVE_LEVEL_PROVINCE));
    if (!level_ok && parent_level != registry::v1::ADMINISTRATIVE_LEVEL_UNSPECIFIED &&
        level != registry::v1::ADMINISTRATIVE_LEVEL_UNSPECIFIED) {
      Error(path, "inconsistent",
            absl::StrCat(label, "parent ", parent->code(), " is ",
                         AdministrativeLevel_Name(parent_level), "; a ",
                         AdministrativeLevel_Name(level), " unit cannot belong to it"));
    }
    const ValidityWindow parent_validity = ValidityOf(*parent);
    if (!parent_validity.Covers(validity)) {
      Error(path, "not_valid_at_date",
            absl::StrCat(label, "parent ", parent->code(), " is valid ",
                         parent_validity.ToString(), ", which does not cover this unit's ",
                         validity.ToString()));
    }
  }

  static bool Lists(const google::protobuf::RepeatedPtrField<std::string>& codes,
                    absl::string_view code) {
    for (const std::string& listed : codes) {
      if (listed == code) return true;
    }
    return false;
  }

  const PlanFile& file_;
  const KnownEntities& known_;
  std::vector<Problem> problems_;
  FieldRules fields_;
  // Indicators the file defines (the only ones a target may use), by id, and their ids in
  // file order for "did you mean".
  absl::flat_hash_map<std::string, const Indicator*> file_indicators_;
  std::vector<std::string> indicator_ids_;
  // Those plus the registry's, for reporting units' allowed lists.
  absl::flat_hash_map<std::string, const Indicator*> known_indicators_;
  absl::flat_hash_map<std::string, const ReportingUnit*> reporting_units_;
  absl::flat_hash_map<std::string, const AdministrativeUnit*> administrative_units_;
  std::optional<absl::CivilDay> horizon_end_;
};

}  // namespace

std::vector<Problem> ValidatePlanFile(const registry::v1::PlanFile& file,
                                      const KnownEntities& known) {
  return PlanFileChecker(file, known).Run();
}

}  // namespace tiendo::core
