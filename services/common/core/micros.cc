#include "services/common/core/micros.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace tiendo::core {

absl::StatusOr<int64_t> ToMicros(double value) {
  if (!std::isfinite(value)) {
    return absl::InvalidArgumentError(absl::StrCat("figure ", value, " is not a finite number"));
  }
  if (std::fabs(value) > kMaxFigure) {
    return absl::InvalidArgumentError(
        absl::StrCat("figure ", value, " is beyond the supported magnitude of 9e12"));
  }
  return static_cast<int64_t>(std::llround(value * static_cast<double>(kMicrosPerUnit)));
}

}  // namespace tiendo::core
