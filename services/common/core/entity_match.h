// Which days a registry entity matches a derived indicator's filter on.
//
// An entity's attributes that change over time are dated (registration,
// dissolution, a suspension's start, platform adoption, full-process online,
// integration on the national portal), so the days on which an entity
// satisfies every condition of a filter form a single interval: each dated
// condition holds from a day on, or until a day, and an intersection of such
// intervals is an interval. Counting "as of" a date is then counting the
// intervals that contain it (DayCounter).
#pragma once

#include <optional>

#include "absl/status/statusor.h"
#include "services/common/core/administrative_units.h"
#include "services/common/core/day_counter.h"
#include "tiendo/registry/v1/enterprise.pb.h"
#include "tiendo/registry/v1/entity_filter.pb.h"
#include "tiendo/registry/v1/public_service.pb.h"

namespace tiendo::core {

// The days on which `enterprise` matches `filter`, nullopt if none.
// Administrative unit conditions are judged with `units`, from the day the
// entity's unit lies in the area (AdministrativeUnits::InAreaFrom).
// INVALID_ARGUMENT naming the enterprise and field for an unreadable date.
absl::StatusOr<std::optional<DayInterval>> MatchingDays(
    const registry::v1::Enterprise& enterprise, const registry::v1::EnterpriseFilter& filter,
    const AdministrativeUnits& units);

absl::StatusOr<std::optional<DayInterval>> MatchingDays(
    const registry::v1::PublicService& service, const registry::v1::PublicServiceFilter& filter,
    const AdministrativeUnits& units);

}  // namespace tiendo::core
