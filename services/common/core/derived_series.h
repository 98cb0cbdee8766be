// DerivedSeries: a derived indicator's value at any date — a count of the
// registry entities that match its filter on that date, or the ratio of two
// such counts — kept up to date one entity change at a time, and sampled at
// period ends to give the series progress is judged on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"
#include "absl/status/statusor.h"
#include "services/common/core/administrative_units.h"
#include "services/common/core/day_counter.h"
#include "services/common/core/period.h"
#include "services/common/core/progress_assessment.h"
#include "tiendo/registry/v1/enterprise.pb.h"
#include "tiendo/registry/v1/indicator.pb.h"
#include "tiendo/registry/v1/public_service.pb.h"

namespace tiendo::core {

// The days on which one entity counts in an indicator's numerator (or
// count) and denominator.
struct CountedDays {
  std::optional<DayInterval> numerator;
  std::optional<DayInterval> denominator;
  friend bool operator==(const CountedDays&, const CountedDays&) = default;
};

class DerivedSeries {
 public:
  // `indicator` must have a derived source.
  explicit DerivedSeries(const registry::v1::Indicator& indicator);
  // A series whose entities count on the days `counted` says, as counted()
  // gave them (restoring a snapshot).
  DerivedSeries(const registry::v1::Indicator& indicator,
                absl::flat_hash_map<std::string, CountedDays> counted);

  // Re-counts one entity under its new state (nullptr: the entity is gone).
  // `key` identifies the entity among those of its kind. Returns whether the
  // days it counts on changed (and so the series may have moved).
  // `units` judges the filters' administrative unit conditions.
  absl::StatusOr<bool> Update(const std::string& key, const registry::v1::Enterprise* enterprise,
                              const AdministrativeUnits& units);
  absl::StatusOr<bool> Update(const std::string& key, const registry::v1::PublicService* service,
                              const AdministrativeUnits& units);

  // The value on `day`: the count, or numerator / denominator × scale;
  // nullopt for a ratio whose denominator is zero.
  std::optional<double> ValueAt(absl::CivilDay day) const;

  // The value at the end of every sample period from the first entity's
  // start until `as_of`, on each of `days` in that time (e.g. a target's
  // deadlines, which need not end a sample period), and on `as_of` itself;
  // ordered by day.
  std::vector<SeriesPoint> Sample(absl::CivilDay as_of,
                                  absl::Span<const absl::CivilDay> days = {}) const;

  // The days each counted entity counts on, by entity kind and key.
  const absl::flat_hash_map<std::string, CountedDays>& counted() const { return counted_; }

 private:
  // Replaces the entity's counted intervals with `now`.
  // Whether the entity's days changed.
  bool Recount(const std::string& key, const CountedDays& now);

  registry::v1::DerivedSource source_;
  double scale_;
  Granularity sample_granularity_;
  DayCounter numerator_;    // or the count
  DayCounter denominator_;  // ratios only
  absl::flat_hash_map<std::string, CountedDays> counted_;  // by entity kind + key
};

}  // namespace tiendo::core
