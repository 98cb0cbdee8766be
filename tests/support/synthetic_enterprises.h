// Many valid enterprises for load and crash tests: distinct tax codes with correct check
// digits, Vietnamese names, head offices in the seed plan's districts (valid on the
// registration date), marked synthetic.
#pragma once

#include <vector>

#include "tiendo/registry/v1/enterprise.pb.h"

namespace tiendo::testing {

// `count` enterprises whose tax codes are derived from `first_serial` onwards (so two calls
// with disjoint serial ranges give disjoint tax codes).
std::vector<registry::v1::Enterprise> SyntheticEnterprises(int count, int first_serial = 0);

}  // namespace tiendo::testing
