// Reading a value out of a Prometheus text exposition (a service's /metrics).
#pragma once

#include <optional>
#include <string>

namespace tiendo::testing {

// The value of `series` (a metric name with its labels as exposed, e.g.
// `tiendo_ingest_items_total{outcome="accepted"}`) in `text`, if present.
std::optional<double> MetricSeries(const std::string& text, const std::string& series);

}  // namespace tiendo::testing
