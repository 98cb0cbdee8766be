#include "services/common/core/derived_series.h"

#include <algorithm>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "services/common/core/entity_match.h"
#include "services/common/core/scaled_ratio.h"

namespace tiendo::core {
namespace {

// The days `entity` counts in `filter`'s numerator or denominator; nullopt
// when the filter is about another kind of entity, or the entity never matches.
template <typename Entity>
absl::StatusOr<std::optional<DayInterval>> Days(const registry::v1::EntityFilter& filter,
                                                const Entity& entity,
                                                const AdministrativeUnits& units) {
  if constexpr (std::is_same_v<Entity, registry::v1::Enterprise>) {
    if (!filter.has_enterprises()) return std::nullopt;
    return MatchingDays(entity, filter.enterprises(), units);
  } else {
    if (!filter.has_public_services()) return std::nullopt;
    return MatchingDays(entity, filter.public_services(), units);
  }
}

template <typename Entity>
bool CountsKind(const registry::v1::EntityFilter& filter) {
  if constexpr (std::is_same_v<Entity, registry::v1::Enterprise>) {
    return filter.has_enterprises();
  } else {
    return filter.has_public_services();
  }
}

// The days `entity` (nullptr: gone) counts under `source`; nullopt when the
// indicator does not count entities of this kind.
template <typename Entity>
absl::StatusOr<std::optional<CountedDays>> CountEntity(const registry::v1::DerivedSource& source,
                                                       const Entity* entity,
                                                       const AdministrativeUnits& units) {
  const bool ratio = source.has_ratio();
  const registry::v1::EntityFilter& numerator =
      ratio ? source.ratio().numerator() : source.count();
  const registry::v1::EntityFilter* denominator = ratio ? &source.ratio().denominator() : nullptr;
  if (!CountsKind<Entity>(numerator) &&
      (denominator == nullptr || !CountsKind<Entity>(*denominator))) {
    return std::nullopt;
  }
  CountedDays counted;
  if (entity == nullptr) return counted;
  absl::StatusOr<std::optional<DayInterval>> days = Days(numerator, *entity, units);
  if (!days.ok()) return days.status();
  if (denominator == nullptr) {
    counted.numerator = *days;
    return counted;
  }
  absl::StatusOr<std::optional<DayInterval>> base = Days(*denominator, *entity, units);
  if (!base.ok()) return base.status();
  counted.denominator = *base;
  // The numerator counts only within the denominator, so a ratio never
  // exceeds one.
  if (days->has_value() && base->has_value()) {
    DayInterval both = **days;
    both.start = std::max(both.start, (*base)->start);
    if ((*base)->end.has_value()) {
      both.end = both.end.has_value() ? std::min(*both.end, *(*base)->end) : (*base)->end;
    }
    if (!both.empty()) counted.numerator = both;
  }
  return counted;
}

}  // namespace

DerivedSeries::DerivedSeries(const registry::v1::Indicator& indicator)
    : source_(indicator.derived()),
      scale_(indicator.unit() == registry::v1::INDICATOR_UNIT_PERCENT ? 100.0 : 1.0),
      sample_granularity_(GranularityFromProto(indicator.derived().sample_granularity())
                              .value_or(Granularity::kQuarter)) {}

DerivedSeries::DerivedSeries(const registry::v1::Indicator& indicator,
                             absl::flat_hash_map<std::string, CountedDays> counted)
    : DerivedSeries(indicator) {
  counted_ = std::move(counted);
  for (const auto& [key, days] : counted_) {
    if (days.numerator.has_value()) numerator_.Add(*days.numerator);
    if (days.denominator.has_value()) denominator_.Add(*days.denominator);
  }
}

bool DerivedSeries::Recount(const std::string& key, const CountedDays& now) {
  auto it = counted_.find(key);
  const bool counted_before = it != counted_.end();
  const bool counted_now = now.numerator.has_value() || now.denominator.has_value();
  if (counted_before ? it->second == now : !counted_now) return false;
  if (it != counted_.end()) {
    if (it->second.numerator.has_value()) numerator_.Remove(*it->second.numerator);
    if (it->second.denominator.has_value()) denominator_.Remove(*it->second.denominator);
  }
  if (now.numerator.has_value()) numerator_.Add(*now.numerator);
  if (now.denominator.has_value()) denominator_.Add(*now.denominator);
  if (!counted_now) {
    counted_.erase(it);
  } else {
    counted_[key] = now;
  }
  return true;
}

absl::StatusOr<bool> DerivedSeries::Update(const std::string& key,
                                           const registry::v1::Enterprise* enterprise,
                                           const AdministrativeUnits& units) {
  absl::StatusOr<std::optional<CountedDays>> counted = CountEntity(source_, enterprise, units);
  if (!counted.ok()) return counted.status();
  if (!counted->has_value()) return false;
  return Recount(absl::StrCat("enterprise/", key), **counted);
}

absl::StatusOr<bool> DerivedSeries::Update(const std::string& key,
                                           const registry::v1::PublicService* service,
                                           const AdministrativeUnits& units) {
  absl::StatusOr<std::optional<CountedDays>> counted = CountEntity(source_, service, units);
  if (!counted.ok()) return counted.status();
  if (!counted->has_value()) return false;
  return Recount(absl::StrCat("public_service/", key), **counted);
}

std::optional<double> DerivedSeries::ValueAt(absl::CivilDay day) const {
  const double count = static_cast<double>(numerator_.CountAt(day));
  if (!source_.has_ratio()) return count;
  const int64_t base = denominator_.CountAt(day);
  if (base == 0) return std::nullopt;
  return ScaledRatio(count, static_cast<double>(base), scale_);
}

std::vector<SeriesPoint> DerivedSeries::Sample(absl::CivilDay as_of,
                                               absl::Span<const absl::CivilDay> days) const {
  std::vector<SeriesPoint> points;
  std::optional<absl::CivilDay> first =
      source_.has_ratio() ? denominator_.EarliestStart() : numerator_.EarliestStart();
  if (!first.has_value() || *first > as_of) return points;
  absl::StatusOr<Period> period =
      Period::Of(Granularity::kMonth, static_cast<int>(first->year()), first->month());
  if (!period.ok()) return points;
  std::vector<absl::CivilDay> sampled;
  for (Period p = period->Enclosing(sample_granularity_); p.LastDay() < as_of; p = p.Next()) {
    sampled.push_back(p.LastDay());
  }
  for (absl::CivilDay day : days) {
    if (day >= *first && day < as_of) sampled.push_back(day);
  }
  sampled.push_back(as_of);
  std::sort(sampled.begin(), sampled.end());
  sampled.erase(std::unique(sampled.begin(), sampled.end()), sampled.end());
  for (absl::CivilDay day : sampled) {
    if (std::optional<double> value = ValueAt(day)) points.push_back({day, *value});
  }
  return points;
}

}  // namespace tiendo::core
