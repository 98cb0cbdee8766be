// A service's metric as its admin endpoint serves it, for benchmarks that follow a service's
// progress through /metrics.
#pragma once

#include <string>

#include "tests/support/service_under_test.h"

namespace tiendo::bench {

// The value of the metric `name` (one without labels) on `service`'s admin /metrics, or -1.
double Metric(const testing::ServiceUnderTest& service, const std::string& name);

}  // namespace tiendo::bench
