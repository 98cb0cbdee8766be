#include "services/common/core/problem.h"

#include <algorithm>

namespace tiendo::core {

absl::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
  }
  return "error";
}

int CountProblems(const std::vector<Problem>& problems, Severity severity) {
  return static_cast<int>(std::count_if(problems.begin(), problems.end(),
                                        [&](const Problem& p) { return p.severity == severity; }));
}

bool HasErrors(const std::vector<Problem>& problems) {
  return CountProblems(problems, Severity::kError) > 0;
}

}  // namespace tiendo::core
