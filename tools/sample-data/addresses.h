// Head-office street addresses for synthetic enterprises, written the way
// business registration records them, and in the administrative geography of
// the registration day (a Bà Rịa - Vũng Tàu district before 2025-07-01, a
// ward or commune of Ho Chi Minh City from then on).
#pragma once

#include <string>

#include "absl/time/civil_time.h"
#include "tools/sample-data/districts.h"
#include "tools/sample-data/random.h"

namespace tiendo::sample {

// An address in `home` (a home area) as registered on `day`.
std::string MakeAddress(Random& random, const District& home, absl::CivilDay day);

}  // namespace tiendo::sample
