// FileClock: a clock that reads the current time from a file (RFC 3339, e.g.
// "2030-12-31T17:00:00Z") instead of the system — how a test moves the evaluator's clock past
// a milestone deadline, and how an operator previews what a date will do to the statuses.
// The file is read again at most every 100 ms; while it cannot be read or parsed, the last
// good time stands (the system time before any), and the problem is logged once.
#pragma once

#include <functional>
#include <string>

#include "absl/time/time.h"

namespace tiendo::evaluator {

// A thread-safe clock function reading `path`.
std::function<absl::Time()> FileClock(std::string path);

}  // namespace tiendo::evaluator
