// The local check of a plan file that `plan validate` reports and `plan apply` runs before
// sending anything: the loader's problems (syntax, schema) and, when the file parsed, the
// plan's own rules (core::ValidatePlanFile), placed in the file by the source map and sorted
// by line; and how one problem is printed, `FILE:LINE: PATH: error|warning: MESSAGE`.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/common/core/problem.h"
#include "services/common/planfile/source_map.h"
#include "tiendo/registry/v1/plan_file.pb.h"

namespace tiendo::ctl {

struct CheckedPlanFile {
  // Set when the text parsed (it may still break the plan's rules: see problems).
  std::optional<registry::v1::PlanFile> plan_file;
  // Every problem, in file order; problems of the whole document first.
  std::vector<core::Problem> problems;
  planfile::SourceMap source_map;

  // True when the file can be sent: it parsed and no problem is an error.
  bool usable() const { return plan_file.has_value() && !core::HasErrors(problems); }
};

CheckedPlanFile CheckPlanFile(absl::string_view text);

void PrintProblem(absl::string_view file, const core::Problem& problem, std::ostream& out);

}  // namespace tiendo::ctl
