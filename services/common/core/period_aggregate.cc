#include "services/common/core/period_aggregate.h"

#include <tuple>

#include "services/common/core/micros.h"
#include "services/common/core/scaled_ratio.h"

namespace tiendo::core {

bool PeriodAggregate::ByPosition::operator()(const Contribution& a,
                                             const Contribution& b) const {
  return std::tie(a.sequence, a.value, a.denominator, a.cells) <
         std::tie(b.sequence, b.value, b.denominator, b.cells);
}

PeriodAggregate::PeriodAggregate(registry::v1::Aggregation rule, double scale)
    : rule_(rule), scale_(scale) {
  if (rule_ == registry::v1::AGGREGATION_LATEST) {
    by_sequence_ = std::make_unique<std::multiset<Contribution, ByPosition>>();
  }
}

void PeriodAggregate::Update(const std::optional<Contribution>& before,
                             const std::optional<Contribution>& after) {
  if (before.has_value()) {
    cells_ -= before->cells;
    values_ -= before->value;
    denominators_ -= before->denominator;
    if (by_sequence_ != nullptr) {
      // Equal readings are interchangeable: remove any one.
      if (auto it = by_sequence_->find(*before); it != by_sequence_->end()) by_sequence_->erase(it);
    }
  }
  if (after.has_value()) {
    cells_ += after->cells;
    values_ += after->value;
    denominators_ += after->denominator;
    if (by_sequence_ != nullptr) by_sequence_->insert(*after);
  }
}

std::optional<AggregateFigure> PeriodAggregate::Figure() const {
  if (cells_ == 0) return std::nullopt;
  absl::int128 values = values_;
  absl::int128 denominators = denominators_;
  AggregateFigure figure;
  figure.cells = cells_;
  switch (rule_) {
    case registry::v1::AGGREGATION_LATEST: {
      const Contribution& latest = *by_sequence_->rbegin();
      values = latest.value;
      denominators = latest.denominator;
      figure.cells = latest.cells;
      break;
    }
    case registry::v1::AGGREGATION_RATIO_OF_SUMS:
      if (denominators == 0) return std::nullopt;
      break;
    default:  // SUM: plain values added up
      figure.value = FromMicros(values);
      return figure;
  }
  if (denominators == 0) {
    figure.value = FromMicros(values);
    return figure;
  }
  figure.numerator = FromMicros(values);
  figure.denominator = FromMicros(denominators);
  figure.value =
      ScaledRatio(static_cast<double>(values), static_cast<double>(denominators), scale_);
  return figure;
}

}  // namespace tiendo::core
