// Rounds of a benchmark that compares a service's rate with a plain client's on the same
// broker. The machine's speed drifts between runs, so each round measures both, one after the
// other, and gives their ratio; the median round decides.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace tiendo::bench {

// The round whose ratio() is the median of `rounds` (not empty).
template <typename Round>
const Round& MedianRound(const std::vector<Round>& rounds) {
  std::vector<const Round*> by_ratio;
  for (const Round& round : rounds) by_ratio.push_back(&round);
  std::sort(by_ratio.begin(), by_ratio.end(),
            [](const Round* a, const Round* b) { return a->ratio() < b->ratio(); });
  return *by_ratio[by_ratio.size() / 2];
}

// Each round's ratio() in order, e.g. "0.23, 0.44, 0.25".
template <typename Round>
std::string RatiosByRound(const std::vector<Round>& rounds) {
  std::string ratios;
  for (const Round& round : rounds) {
    absl::StrAppendFormat(&ratios, "%s%.2f", ratios.empty() ? "" : ", ", round.ratio());
  }
  return ratios;
}

// The most a service's rate could be against a plain client's (`plain_rate`, units a second)
// if the service cost no more than the plain client's work (`plain_cpu`) plus `least_cpu`
// (both CPU seconds a unit, the broker's included) and kept all `cpus` CPUs busy: a bound on
// what the CPUs allow, not on anything else.
inline double CpuCeiling(unsigned cpus, double plain_cpu, double least_cpu, double plain_rate) {
  return cpus / (plain_cpu + least_cpu) / plain_rate;
}

// Each round's ceiling(round) in order, with the plain client's and the broker's CPU a `unit`
// in it (plain_cpu(round), in CPU seconds; printed in CPU-us), e.g.
// "0.52 (plain and broker 4.90 CPU-us an item), 0.44 (...)".
template <typename Round, typename Ceiling, typename PlainCpu>
std::string CeilingsByRound(const std::vector<Round>& rounds, Ceiling ceiling,
                            PlainCpu plain_cpu, absl::string_view unit) {
  std::string ceilings;
  for (const Round& round : rounds) {
    absl::StrAppendFormat(&ceilings, "%s%.2f (plain and broker %.2f CPU-us %s)",
                          ceilings.empty() ? "" : ", ", ceiling(round),
                          plain_cpu(round) * 1e6, unit);
  }
  return ceilings;
}

}  // namespace tiendo::bench
