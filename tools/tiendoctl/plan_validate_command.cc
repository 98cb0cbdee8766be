// tiendoctl plan validate FILE: checks a plan file offline — the YAML, the schema (the v1
// protos) and the plan's own rules (core::ValidatePlanFile) — and prints every problem as
// `FILE:LINE: PATH: error|warning: MESSAGE`, then a summary line. Exits 0 when there is no
// error (warnings allowed), 1 when there is one, 2 on bad usage or an unreadable file.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/core/problem.h"
#include "tools/tiendoctl/command.h"
#include "tools/tiendoctl/file_text.h"
#include "tools/tiendoctl/plan_file_check.h"

namespace tiendo::ctl {
namespace {

std::string Counted(int count, absl::string_view noun) {
  return absl::StrCat(count, " ", noun, count == 1 ? "" : "s");
}

int Run(const std::vector<std::string>& args, Io& io) {
  config::FlagSet flags(
      "tiendoctl plan validate FILE",
      "Checks a plan file (YAML or JSON, tiendo.registry.v1.PlanFile) without contacting any "
      "service: its syntax, its fields against the v1 protos, and the plan's rules (every "
      "target's indicator defined, milestones in order and in range, comparators that can "
      "hold, references between indicators, reporting units and administrative units). "
      "Prints every problem as FILE:LINE: PATH: error|warning: MESSAGE and a summary. Exits "
      "0 when there are no errors, 1 when there are, 2 on bad usage or an unreadable file.");
  std::string path;
  if (int code = ParseCommandFlagsAndArgument(flags, args, io, "plan validate", "FILE to check",
                                              &path);
      code >= 0) {
    return code;
  }
  const std::optional<std::string> text = ReadInputFile(path, io.err);
  if (!text.has_value()) return 2;

  const CheckedPlanFile checked = CheckPlanFile(*text);
  const std::vector<core::Problem>& problems = checked.problems;
  for (const core::Problem& problem : problems) PrintProblem(path, problem, io.out);

  const int errors = core::CountProblems(problems, core::Severity::kError);
  const int warnings = core::CountProblems(problems, core::Severity::kWarning);
  if (errors > 0 || !checked.plan_file.has_value()) {
    io.out << path << ": " << Counted(errors, "error") << ", " << Counted(warnings, "warning")
           << "\n";
    return 1;
  }
  const registry::v1::PlanFile& file = *checked.plan_file;
  io.out << path << ": ok: plan " << file.plan().id() << " with "
         << Counted(file.plan().indicators_size(), "indicator") << ", "
         << Counted(file.plan().targets_size(), "target") << ", "
         << Counted(file.reporting_units_size(), "reporting unit") << " and "
         << Counted(file.administrative_units_size(), "administrative unit") << "; "
         << Counted(warnings, "warning") << "\n";
  return 0;
}

}  // namespace

Command PlanValidateCommand() {
  return {"plan validate", "Check a plan file offline and report every problem.", Run};
}

}  // namespace tiendo::ctl
