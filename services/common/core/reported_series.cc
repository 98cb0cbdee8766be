#include "services/common/core/reported_series.h"

#include <algorithm>
#include <utility>

#include "services/common/status/check.h"

namespace tiendo::core {
namespace {

// The next longer granularity: a month's quarter's, a quarter's half's, a half's year's.
Granularity Coarser(Granularity granularity) {
  return static_cast<Granularity>(static_cast<int>(granularity) - 1);
}

}  // namespace

SeriesRules SeriesRules::For(const registry::v1::Indicator& indicator) {
  const registry::v1::ReportedSource& reported = indicator.reported();
  SeriesRules rules;
  rules.across = reported.aggregation();
  if (reported.time_aggregation() != registry::v1::TIME_AGGREGATION_UNSPECIFIED) {
    rules.over_time = reported.time_aggregation();
  }
  rules.scale = indicator.unit() == registry::v1::INDICATOR_UNIT_PERCENT ? 100.0 : 1.0;
  for (const int allowed : reported.allowed_granularities()) {
    if (const std::optional<Granularity> granularity =
            GranularityFromProto(static_cast<common::v1::PeriodGranularity>(allowed))) {
      rules.rolled_up |= static_cast<uint8_t>(1u << static_cast<int>(*granularity));
    }
  }
  return rules;
}

ReportedSeries::ReportedSeries(const SeriesRules& rules) : rules_(rules) {
  for (const Granularity granularity :
       {Granularity::kYear, Granularity::kHalf, Granularity::kQuarter}) {
    if (rules_.RollsUpInto(granularity)) {
      top_ = granularity;
      break;
    }
  }
}

ReportedSeries::RollUpKey ReportedSeries::KeyOf(SeriesOwner owner, Period period) {
  return {(uint64_t{owner.reporting_unit} << 32) | owner.disaggregation, period.Pack()};
}

SeriesOwner ReportedSeries::OwnerOf(const RollUpKey& key) {
  return {static_cast<uint32_t>(key.first >> 32), static_cast<uint32_t>(key.first)};
}

bool ReportedSeries::KeepsRollUps(Period period) const {
  return top_.has_value() && period.granularity() != Granularity::kMonth &&
         period.granularity() >= *top_;
}

std::optional<Contribution> ReportedSeries::PartsOf(SeriesOwner owner, Period period) const {
  if (!KeepsRollUps(period)) return std::nullopt;
  const auto found = roll_ups_.find(KeyOf(owner, period));
  if (found == roll_ups_.end()) return std::nullopt;
  return found->second;
}

std::optional<Contribution> ReportedSeries::RollUpParts(SeriesOwner owner, Period whole,
                                                        CellReadings readings) const {
  // Flows add up; a stock (LATEST_PERIOD) takes the latest part with data.
  const bool adds = rules_.over_time == registry::v1::TIME_AGGREGATION_SUM ||
                    rules_.over_time == registry::v1::TIME_AGGREGATION_RATIO_OF_SUMS;
  std::optional<Contribution> rolled;
  for (const Period part : whole.Parts()) {
    const std::optional<Reading> reading = readings(owner, part);
    const std::optional<Contribution> cover =
        reading.has_value() ? std::optional<Contribution>(*reading) : PartsOf(owner, part);
    if (!cover.has_value()) continue;
    if (!rolled.has_value() || !adds) {  // the parts come in order
      rolled = cover;
      continue;
    }
    rolled->value += cover->value;
    rolled->denominator += cover->denominator;
    rolled->sequence = std::max(rolled->sequence, cover->sequence);
    rolled->cells += cover->cells;
  }
  return rolled;
}

void ReportedSeries::Update(SeriesOwner owner, Period period, const std::optional<Reading>& before,
                            const std::optional<Reading>& after, CellReadings readings) {
  TIENDO_DCHECK(readings(owner, period) == after,
                "a series updated with a change its cells do not hold");
  if (before == after) return;
  // What the owner's shorter periods in this one give it when its own reading is not there
  // (before, or after the update); only needed when that changes.
  std::optional<Contribution> parts;
  if (KeepsRollUps(period) && before.has_value() != after.has_value()) {
    const RollUpKey key = KeyOf(owner, period);
    if (after.has_value()) {
      // Not kept while the reading stands: worked out again once it goes.
      if (auto found = roll_ups_.find(key); found != roll_ups_.end()) {
        parts = found->second;
        roll_ups_.erase(found);
      }
    } else {
      parts = RollUpParts(owner, period, readings);
      if (parts.has_value()) roll_ups_[key] = *parts;
    }
  }
  // What the owner gives the period's aggregate: its reading, else, where the period takes
  // roll-ups, its parts'.
  const bool takes_parts = rules_.RollsUpInto(period.granularity());
  const auto gives = [&](const std::optional<Reading>& reading) -> std::optional<Contribution> {
    if (reading.has_value()) return *reading;
    return takes_parts ? parts : std::nullopt;
  };
  if (const std::optional<Contribution> gave = gives(before), giving = gives(after);
      gave != giving) {
    ChangeAggregate(period, gave, giving);
  }
  // What the owner's cells cover of the period (its reading, else its parts) for the longer
  // periods above it.
  const auto covers = [&](const std::optional<Reading>& reading) -> std::optional<Contribution> {
    if (reading.has_value()) return *reading;
    return parts;
  };
  if (covers(before) == covers(after)) return;
  std::optional<Period> whole = WholeAbove(period);
  if (deferring_) {
    if (whole.has_value()) deferred_.push_back(KeyOf(owner, *whole));
    return;
  }
  while (whole.has_value() && CarryUpInto(owner, *whole, readings)) whole = WholeAbove(*whole);
}

std::optional<Period> ReportedSeries::WholeAbove(Period part) const {
  if (!top_.has_value() || part.granularity() <= *top_) return std::nullopt;
  return part.Enclosing(Coarser(part.granularity()));
}

void ReportedSeries::CarryUpDeferred(CellReadings readings) {
  deferring_ = false;
  // Level by level, the shortest wholes first: each longer period's roll-up is worked out
  // once, after those of all its parts.
  std::vector<RollUpKey> pending = std::exchange(deferred_, {});
  for (const Granularity level : {Granularity::kQuarter, Granularity::kHalf, Granularity::kYear}) {
    const auto at_level =
        std::partition(pending.begin(), pending.end(), [level](const RollUpKey& key) {
          return Period::Unpack(key.second).granularity() != level;
        });
    std::sort(at_level, pending.end());
    const auto last = std::unique(at_level, pending.end());
    std::vector<RollUpKey> above;
    for (auto key = at_level; key != last; ++key) {
      const SeriesOwner owner = OwnerOf(*key);
      const Period whole = Period::Unpack(key->second);
      if (!CarryUpInto(owner, whole, readings)) continue;
      if (const std::optional<Period> next = WholeAbove(whole)) {
        above.push_back(KeyOf(owner, *next));
      }
    }
    pending.erase(at_level, pending.end());
    pending.insert(pending.end(), above.begin(), above.end());
  }
  TIENDO_DCHECK(pending.empty(), "a roll-up deferred into a period longer than a year");
}

bool ReportedSeries::CarryUpInto(SeriesOwner owner, Period whole, CellReadings readings) {
  if (readings(owner, whole).has_value()) return false;
  const RollUpKey key = KeyOf(owner, whole);
  auto found = roll_ups_.find(key);
  const std::optional<Contribution> rolled = RollUpParts(owner, whole, readings);
  const std::optional<Contribution> was =
      found == roll_ups_.end() ? std::nullopt : std::optional<Contribution>(found->second);
  if (rolled == was) return false;
  if (!rolled.has_value()) {
    roll_ups_.erase(found);
  } else if (found == roll_ups_.end()) {
    roll_ups_.try_emplace(key, *rolled);
  } else {
    found->second = *rolled;
  }
  if (rules_.RollsUpInto(whole.granularity())) ChangeAggregate(whole, was, rolled);
  return true;
}

void ReportedSeries::ChangeAggregate(Period period, const std::optional<Contribution>& before,
                                     const std::optional<Contribution>& after) {
  auto [it, inserted] = periods_.try_emplace(period.Pack(), rules_.across, rules_.scale);
  it->second.aggregate.Update(before, after);
  if (!it->second.point_stale) {
    it->second.point_stale = true;
    stale_.push_back(period);
  }
}

void ReportedSeries::Refresh() {
  for (const Period period : stale_) {
    RefreshPoint(period);
    periods_.find(period.Pack())->second.point_stale = false;
  }
  stale_.clear();
}

std::optional<AggregateFigure> ReportedSeries::FigureOf(Period period) const {
  auto it = periods_.find(period.Pack());
  if (it == periods_.end()) return std::nullopt;
  return it->second.aggregate.Figure();
}

const std::vector<SeriesPoint>& ReportedSeries::points() const {
  TIENDO_CHECK(stale_.empty(), "a series' points read before its updates were refreshed");
  return points_;
}

const std::vector<Period>& ReportedSeries::point_periods() const {
  TIENDO_CHECK(stale_.empty(), "a series' points read before its updates were refreshed");
  return point_periods_;
}

void ReportedSeries::RefreshPoint(Period updated) {
  // Every period ends on a month's last day; the periods ending on the same day as the
  // updated one are that month and the quarter, half and year that end with it. The longest
  // with data of the lengths the indicator allows stands for the day (they hold the roll-ups);
  // if none has data, the longest with data (cells of a length no longer allowed).
  const absl::CivilDay day = updated.LastDay();
  std::optional<AggregateFigure> figure;
  Period source = updated;
  for (const bool allowed_only : {rules_.rolled_up != 0, false}) {
    for (const Granularity g : {Granularity::kYear, Granularity::kHalf, Granularity::kQuarter,
                                Granularity::kMonth}) {
      const std::optional<Period> candidate = updated.EndingTogether(g);
      if (!candidate.has_value() || (allowed_only && !rules_.RollsUpInto(g))) continue;
      figure = FigureOf(*candidate);
      if (figure.has_value()) {
        source = *candidate;
        break;
      }
    }
    if (figure.has_value()) break;
  }
  auto it = std::lower_bound(points_.begin(), points_.end(), day,
                             [](const SeriesPoint& p, absl::CivilDay d) { return p.day < d; });
  const size_t index = static_cast<size_t>(it - points_.begin());
  const bool present = it != points_.end() && it->day == day;
  if (figure.has_value()) {
    if (present) {
      it->value = figure->value;
      point_periods_[index] = source;
    } else {
      points_.insert(it, SeriesPoint{day, figure->value});
      point_periods_.insert(point_periods_.begin() + static_cast<ptrdiff_t>(index), source);
    }
  } else if (present) {
    points_.erase(it);
    point_periods_.erase(point_periods_.begin() + static_cast<ptrdiff_t>(index));
  }
}

}  // namespace tiendo::core
