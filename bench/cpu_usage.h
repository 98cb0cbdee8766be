// CPU time used so far, by a process, by the benchmark itself (or one of its threads) and by
// the whole machine, and the CPUs there are: what the benchmarks print beside their rates, to
// tell where the time went.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>

namespace tiendo::bench {

// CPU seconds (user + system) process `pid` has used so far, from /proc; -1 if unreadable.
double ProcessCpuSeconds(pid_t pid);

// CPU seconds the threads of process `pid` have used so far, by thread name (threads of the
// same name summed): those still running; empty if unreadable.
std::map<std::string, double> ThreadCpuSeconds(pid_t pid);
// What each thread name used since `before` (an earlier ThreadCpuSeconds of the same process).
std::map<std::string, double> ThreadCpuSince(pid_t pid,
                                             const std::map<std::string, double>& before);
// "a 0.80 (0.80), b 0.51 (0.51), the others 0.01; with a CPU per thread, the busiest would
// allow 1250000 records/s": each thread name that used at least 5% of the CPU in `used`,
// busiest first, in CPU seconds and microseconds per `unit` (one of `count`), and the rate
// the busiest alone would allow.
std::string DescribeThreadCpu(const std::map<std::string, double>& used, double count,
                              const std::string& unit);

// CPU seconds this process has used so far.
double OwnCpuSeconds();
// CPU seconds the calling thread has used so far.
double ThisThreadCpuSeconds();

// The CPUs this process may run on (its affinity mask), at least 1.
unsigned UsableCpus();

// Busy and total CPU time of the whole machine so far, in clock ticks (/proc/stat).
struct MachineCpu {
  double busy = 0;
  double total = 0;
};
MachineCpu MachineCpuNow();

// The share of the machine's CPUs busy between `before` and now.
double BusyShareSince(const MachineCpu& before);

}  // namespace tiendo::bench
