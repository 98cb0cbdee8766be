#include "services/common/core/entity_match.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/core/civil_date.h"

namespace tiendo::core {
namespace {

using registry::v1::Enterprise;
using registry::v1::EnterpriseStatus;
using registry::v1::PublicService;

// An interval being narrowed condition by condition.
class Window {
 public:
  explicit Window(absl::CivilDay start) : interval_{start, std::nullopt} {}
  void From(absl::CivilDay day) { interval_.start = std::max(interval_.start, day); }
  void Until(absl::CivilDay day) {
    interval_.end = interval_.end.has_value() ? std::min(*interval_.end, day) : day;
  }
  void Never() { never_ = true; }
  std::optional<DayInterval> Result() const {
    if (never_ || interval_.empty()) return std::nullopt;
    return interval_;
  }

 private:
  DayInterval interval_;
  bool never_ = false;
};

// Parses an optional date field: empty is nullopt.
absl::StatusOr<std::optional<absl::CivilDay>> DateField(const std::string& owner,
                                                        const char* field,
                                                        const std::string& text) {
  if (text.empty()) return std::nullopt;
  absl::StatusOr<absl::CivilDay> day = ParseCivilDate(text);
  if (!day.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(owner, ": ", field, ": ", day.status().message()));
  }
  return *day;
}

bool ContainsAll(const google::protobuf::RepeatedPtrField<std::string>& have,
                 const google::protobuf::RepeatedPtrField<std::string>& wanted) {
  return std::all_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
    return std::find(have.begin(), have.end(), w) != have.end();
  });
}

// A boolean attribute that holds from `since` on (when `has` is true):
// narrows the window to where it equals `wanted`.
void DatedFlag(Window& window, bool has, const std::optional<absl::CivilDay>& since,
               bool wanted) {
  if (wanted) {
    if (!has) return window.Never();
    if (since.has_value()) window.From(*since);
  } else if (has) {
    if (!since.has_value()) return window.Never();
    window.Until(*since);
  }
}

// Whether an entity at `code` can lie in the filter's `areas` (none: anywhere), narrowing
// the window to the days it does (AdministrativeUnits::InAreaFrom).
bool InFilterArea(Window& window, const std::string& code,
                  const google::protobuf::RepeatedPtrField<std::string>& areas,
                  const AdministrativeUnits& units) {
  if (areas.empty()) return true;
  const std::optional<absl::CivilDay> from = units.InAreaFrom(code, areas);
  if (!from.has_value()) return false;
  window.From(*from);
  return true;
}

}  // namespace

absl::StatusOr<std::optional<DayInterval>> MatchingDays(
    const Enterprise& enterprise, const registry::v1::EnterpriseFilter& filter,
    const AdministrativeUnits& units) {
  const std::string owner = absl::StrCat("enterprise ", enterprise.tax_code());
  auto registered = DateField(owner, "registration_date", enterprise.registration_date());
  if (!registered.ok()) return registered.status();
  auto dissolved = DateField(owner, "dissolution_date", enterprise.dissolution_date());
  if (!dissolved.ok()) return dissolved.status();
  auto status_since = DateField(owner, "status_since", enterprise.status_since());
  if (!status_since.ok()) return status_since.status();
  auto adopted_since =
      DateField(owner, "platform_adoption.since", enterprise.platform_adoption().since());
  if (!adopted_since.ok()) return adopted_since.status();
  if (!registered->has_value()) return std::nullopt;  // not (yet) registered: never counted

  Window window(**registered);
  // Timeless attributes.
  if (!ContainsAll(enterprise.categories(), filter.categories()) ||
      !ContainsAll(enterprise.capabilities(), filter.capabilities()) ||
      (filter.has_is_sme() && enterprise.is_sme() != filter.is_sme()) ||
      (filter.exclude_synthetic() && enterprise.synthetic())) {
    return std::nullopt;
  }
  if (!filter.size_classes().empty() &&
      std::find(filter.size_classes().begin(), filter.size_classes().end(),
                enterprise.size_class()) == filter.size_classes().end()) {
    return std::nullopt;
  }
  if (!InFilterArea(window, enterprise.administrative_unit_code(),
                    filter.administrative_unit_codes(), units)) {
    return std::nullopt;
  }
  if (!filter.industry_code_prefixes().empty() &&
      std::none_of(filter.industry_code_prefixes().begin(), filter.industry_code_prefixes().end(),
                   [&](const std::string& prefix) {
                     return std::any_of(enterprise.industry_codes().begin(),
                                        enterprise.industry_codes().end(),
                                        [&](const std::string& code) {
                                          return absl::StartsWith(code, prefix);
                                        });
                   })) {
    return std::nullopt;
  }

  // Status over time: DISSOLVED from the dissolution date; SUSPENDED from
  // status_since while the current status says so; ACTIVE otherwise.
  auto wants = [&](EnterpriseStatus status) {
    return std::find(filter.statuses().begin(), filter.statuses().end(), status) !=
           filter.statuses().end();
  };
  const bool any_status = filter.statuses().empty();
  const bool want_active = any_status || wants(registry::v1::ENTERPRISE_STATUS_ACTIVE);
  const bool want_suspended = any_status || wants(registry::v1::ENTERPRISE_STATUS_SUSPENDED);
  const bool want_dissolved = wants(registry::v1::ENTERPRISE_STATUS_DISSOLVED);
  if (!want_dissolved && dissolved->has_value()) window.Until(**dissolved);
  if (want_dissolved && !want_active && !want_suspended) {
    if (!dissolved->has_value()) return std::nullopt;
    window.From(**dissolved);
  }
  const bool suspended = enterprise.status() == registry::v1::ENTERPRISE_STATUS_SUSPENDED;
  if (suspended && want_active && !want_suspended) {
    if (!status_since->has_value()) return std::nullopt;
    window.Until(**status_since);
  }
  if (suspended && want_suspended && !want_active && status_since->has_value()) {
    window.From(**status_since);
  }
  if (!suspended && want_suspended && !want_active && !want_dissolved) return std::nullopt;

  if (filter.has_platform_adopted()) {
    DatedFlag(window, enterprise.platform_adoption().adopted(), *adopted_since,
              filter.platform_adopted());
  }
  return window.Result();
}

absl::StatusOr<std::optional<DayInterval>> MatchingDays(
    const PublicService& service, const registry::v1::PublicServiceFilter& filter,
    const AdministrativeUnits& units) {
  const std::string owner = absl::StrCat("public service ", service.id());
  auto effective = DateField(owner, "effective_from", service.effective_from());
  if (!effective.ok()) return effective.status();
  auto abolished = DateField(owner, "abolished_date", service.abolished_date());
  if (!abolished.ok()) return abolished.status();
  auto online_since =
      DateField(owner, "full_process_online_since", service.full_process_online_since());
  if (!online_since.ok()) return online_since.status();
  auto integrated_since = DateField(owner, "integrated_national_portal_since",
                                    service.integrated_national_portal_since());
  if (!integrated_since.ok()) return integrated_since.status();

  // A procedure with no effective date has been in force as far back as the
  // counts go.
  Window window(effective->value_or(absl::CivilDay(1900, 1, 1)));
  if (filter.exclude_synthetic() && service.synthetic()) return std::nullopt;
  if (!InFilterArea(window, service.administrative_unit_code(),
                    filter.administrative_unit_codes(), units)) {
    return std::nullopt;
  }
  if (!filter.levels().empty() && std::find(filter.levels().begin(), filter.levels().end(),
                                            service.level()) == filter.levels().end()) {
    return std::nullopt;
  }
  if (!filter.owning_reporting_unit_ids().empty() &&
      std::find(filter.owning_reporting_unit_ids().begin(),
                filter.owning_reporting_unit_ids().end(),
                service.owning_reporting_unit_id()) == filter.owning_reporting_unit_ids().end()) {
    return std::nullopt;
  }
  const bool want_abolished =
      std::find(filter.statuses().begin(), filter.statuses().end(),
                registry::v1::PUBLIC_SERVICE_STATUS_ABOLISHED) != filter.statuses().end();
  if (!want_abolished && abolished->has_value()) window.Until(**abolished);
  if (filter.has_eligible_full_process_online() &&
      service.eligible_full_process_online() != filter.eligible_full_process_online()) {
    return std::nullopt;
  }
  if (filter.has_full_process_online()) {
    DatedFlag(window, service.full_process_online(), *online_since, filter.full_process_online());
  }
  if (filter.has_integrated_national_portal()) {
    DatedFlag(window, service.integrated_national_portal(), *integrated_since,
              filter.integrated_national_portal());
  }
  return window.Result();
}

}  // namespace tiendo::core
