// CPU time used so far, by a process, by the benchmark itself and by the whole machine: what
// the benchmarks print beside their rates, to tell where the time went.
#pragma once

#include <sys/types.h>

namespace tiendo::bench {

// CPU seconds (user + system) process `pid` has used so far, from /proc; -1 if unreadable.
double ProcessCpuSeconds(pid_t pid);

// CPU seconds this process has used so far.
double OwnCpuSeconds();

// Busy and total CPU time of the whole machine so far, in clock ticks (/proc/stat).
struct MachineCpu {
  double busy = 0;
  double total = 0;
};
MachineCpu MachineCpuNow();

// The share of the machine's CPUs busy between `before` and now.
double BusyShareSince(const MachineCpu& before);

}  // namespace tiendo::bench
