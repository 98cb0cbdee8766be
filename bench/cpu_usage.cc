#include "bench/cpu_usage.h"

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace tiendo::bench {

namespace {

// The name and CPU seconds (user + system) in a /proc stat file of a process or thread;
// nullopt if unreadable.
std::optional<std::pair<std::string, double>> ReadStat(const std::string& path) {
  std::ifstream file(path);
  std::string stat((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const size_t name_start = stat.find('(');
  const size_t name_end = stat.rfind(')');  // the command name may hold spaces
  if (name_start == std::string::npos || name_end == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(name_end + 2));
  std::string field;
  double ticks = 0;
  // After the name: state is field 3; utime and stime are fields 14 and 15.
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) ticks += std::stod(field);
  }
  return std::make_pair(stat.substr(name_start + 1, name_end - name_start - 1),
                        ticks / static_cast<double>(sysconf(_SC_CLK_TCK)));
}

// CPU seconds used so far by this process (RUSAGE_SELF) or the calling thread (RUSAGE_THREAD).
double CpuSeconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  return absl::ToDoubleSeconds(absl::DurationFromTimeval(usage.ru_utime) +
                               absl::DurationFromTimeval(usage.ru_stime));
}

}  // namespace

double ProcessCpuSeconds(pid_t pid) {
  const auto stat = ReadStat(absl::StrCat("/proc/", pid, "/stat"));
  return stat.has_value() ? stat->second : -1;
}

std::map<std::string, double> ThreadCpuSeconds(pid_t pid) {
  std::map<std::string, double> by_name;
  std::error_code error;
  for (const auto& task :
       std::filesystem::directory_iterator(absl::StrCat("/proc/", pid, "/task"), error)) {
    if (const auto stat = ReadStat(task.path().string() + "/stat")) {
      by_name[stat->first] += stat->second;
    }
  }
  return by_name;
}

std::map<std::string, double> ThreadCpuSince(pid_t pid,
                                             const std::map<std::string, double>& before) {
  std::map<std::string, double> used = ThreadCpuSeconds(pid);
  for (auto& [name, seconds] : used) {
    const auto earlier = before.find(name);
    if (earlier != before.end()) seconds -= earlier->second;
  }
  return used;
}

std::string DescribeThreadCpu(const std::map<std::string, double>& used, double count,
                              const std::string& unit) {
  std::vector<std::pair<double, std::string>> busiest;
  double total = 0;
  for (const auto& [name, seconds] : used) {
    busiest.emplace_back(seconds, name);
    total += seconds;
  }
  std::sort(busiest.rbegin(), busiest.rend());
  std::string text;
  double others = 0;
  for (const auto& [seconds, name] : busiest) {
    if (seconds < 0.05 * total) {
      others += seconds;
      continue;
    }
    absl::StrAppendFormat(&text, "%s %.2f (%.2f), ", name, seconds, seconds * 1e6 / count);
  }
  absl::StrAppendFormat(&text, "the others %.2f", others);
  if (!busiest.empty() && busiest.front().first > 0) {
    absl::StrAppendFormat(&text, "; with a CPU per thread, the busiest would allow %.0f %ss/s",
                          count / busiest.front().first, unit);
  }
  return text;
}

double OwnCpuSeconds() { return CpuSeconds(RUSAGE_SELF); }

double ThisThreadCpuSeconds() { return CpuSeconds(RUSAGE_THREAD); }

unsigned UsableCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 1;
  return std::max(1, CPU_COUNT(&set));
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
