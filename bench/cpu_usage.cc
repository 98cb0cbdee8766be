#include "bench/cpu_usage.h"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace tiendo::bench {

double ProcessCpuSeconds(pid_t pid) {
  std::ifstream file(absl::StrCat("/proc/", pid, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const size_t name_end = stat.rfind(')');  // the command name may hold spaces
  if (name_end == std::string::npos) return -1;
  std::istringstream fields(stat.substr(name_end + 2));
  std::string field;
  double ticks = 0;
  // After the name: state is field 3; utime and stime are fields 14 and 15.
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double OwnCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return absl::ToDoubleSeconds(absl::DurationFromTimeval(usage.ru_utime) +
                               absl::DurationFromTimeval(usage.ru_stime));
}

MachineCpu MachineCpuNow() {
  std::ifstream file("/proc/stat");
  std::string label;
  file >> label;  // "cpu": the sum over all CPUs
  MachineCpu cpu;
  double ticks = 0;
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  for (int i = 0; i < 8 && file >> ticks; ++i) {
    cpu.total += ticks;
    if (i != 3 && i != 4) cpu.busy += ticks;
  }
  return cpu;
}

double BusyShareSince(const MachineCpu& before) {
  const MachineCpu now = MachineCpuNow();
  const double total = now.total - before.total;
  return total > 0 ? (now.busy - before.busy) / total : -1;
}

}  // namespace tiendo::bench
