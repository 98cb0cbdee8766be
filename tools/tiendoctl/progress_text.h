// Progress as tiendoctl shows it to people (`progress`, `watch`): values in the indicator's
// unit, statuses as words, times of change in Vietnam time.
#pragma once

#include <string>

#include "google/protobuf/timestamp.pb.h"
#include "tiendo/evaluator/v1/progress.pb.h"

namespace tiendo::ctl {

// `value` with at most two decimals, in `unit`: "312" (count), "62.5%" (percent), "0.52"
// (ratio, number).
std::string ValueText(double value, registry::v1::IndicatorUnit unit);

// The current value so, or "-" before the first data.
std::string CurrentValueText(const evaluator::v1::Progress& progress);

// The status as tiendoctl's flags take it: "on-track", "insufficient-data".
std::string StatusWord(evaluator::v1::ProgressStatus status);

// `time` in Vietnam time (UTC+7) as "YYYY-MM-DD HH:MM"; "-" when unset.
std::string VietnamMinute(const google::protobuf::Timestamp& time);

}  // namespace tiendo::ctl
