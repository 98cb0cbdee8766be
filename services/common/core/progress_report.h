// The progress of a target as the API and the progress topic carry it
// (tiendo.evaluator.v1.Progress): the assessment, plus the inputs that
// produced it — every data point with its period, figure and the number of
// cells behind it, and the baseline used.
#pragma once

#include <cstdint>

#include "absl/time/civil_time.h"
#include "services/common/core/progress_tracker.h"
#include "tiendo/evaluator/v1/progress.pb.h"

namespace tiendo::core {

// Fills everything the core knows; the caller adds what only a service knows
// (version, last change time and cause).
evaluator::v1::Progress DescribeProgress(const ProgressTracker& tracker, uint32_t target,
                                         absl::CivilDay as_of);

}  // namespace tiendo::core
