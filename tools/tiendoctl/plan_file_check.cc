#include "tools/tiendoctl/plan_file_check.h"

#include <algorithm>

#include "services/common/core/plan_validation.h"
#include "services/common/planfile/plan_file_loader.h"

namespace tiendo::ctl {

CheckedPlanFile CheckPlanFile(absl::string_view text) {
  planfile::LoadedPlanFile loaded = planfile::LoadPlanFile(text);
  CheckedPlanFile checked{std::move(loaded.plan_file), std::move(loaded.problems),
                          std::move(loaded.source_map)};
  if (checked.plan_file.has_value()) {
    std::vector<core::Problem> semantic = core::ValidatePlanFile(*checked.plan_file);
    checked.source_map.AttachLines(semantic);
    checked.problems.insert(checked.problems.end(), semantic.begin(), semantic.end());
  }
  std::stable_sort(checked.problems.begin(), checked.problems.end(),
                   [](const core::Problem& a, const core::Problem& b) { return a.line < b.line; });
  return checked;
}

void PrintProblem(absl::string_view file, const core::Problem& problem, std::ostream& out) {
  out << file << ":";
  if (problem.line > 0) out << problem.line << ":";
  out << " ";
  if (!problem.path.empty()) out << problem.path << ": ";
  out << core::SeverityName(problem.severity) << ": " << problem.message << "\n";
}

}  // namespace tiendo::ctl
