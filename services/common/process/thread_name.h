// Names the calling thread, as top -H, ps -L, perf and /proc/PID/task/*/comm show it, so that
// the CPU a service uses can be told apart by what its threads do (librdkafka names its own:
// rdk:main, rdk:broker1, ...).
#pragma once

#include "absl/strings/string_view.h"

namespace tiendo::process {

// Linux keeps the first 15 bytes of `name`.
void NameThisThread(absl::string_view name);

}  // namespace tiendo::process
