// tiendoctl plan validate FILE: checks a plan file offline — the YAML, the schema (the v1
// protos) and the plan's own rules (core::ValidatePlanFile) — and prints every problem as
// `FILE:LINE: PATH: error|warning: MESSAGE`, then a summary line. Exits 0 when there is no
// error (warnings allowed), 1 when there is one, 2 on bad usage or an unreadable file.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/core/plan_validation.h"
#include "services/common/core/problem.h"
#include "services/common/planfile/plan_file_loader.h"
#include "tools/tiendoctl/command.h"

namespace tiendo::ctl {
namespace {

// The whole file, or the OS's reason it cannot be read.
bool ReadFile(const std::string& path, std::string* contents, std::string* error) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    *error = std::strerror(errno);
    return false;
  }
  char buffer[1 << 16];
  size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof(buffer), file)) > 0) contents->append(buffer, read);
  const bool failed = std::ferror(file) != 0;
  const int read_errno = errno;
  std::fclose(file);
  if (failed) {
    *error = std::strerror(read_errno);
    return false;
  }
  return true;
}

std::string Counted(int count, absl::string_view noun) {
  return absl::StrCat(count, " ", noun, count == 1 ? "" : "s");
}

void Print(const std::string& file, const core::Problem& problem, std::ostream& out) {
  out << file << ":";
  if (problem.line > 0) out << problem.line << ":";
  out << " ";
  if (!problem.path.empty()) out << problem.path << ": ";
  out << core::SeverityName(problem.severity) << ": " << problem.message << "\n";
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
  if (absl::Status parsed = flags.Parse(args, io.env, /*allow_positional=*/true); !parsed.ok()) {
    io.err << "tiendoctl: " << parsed.message() << "\n";
    return 2;
  }
  if (flags.help_requested()) {
    io.out << flags.Usage();
    return 0;
  }
  if (flags.positional().size() != 1) {
    io.err << "tiendoctl plan validate: "
           << (flags.positional().empty() ? "missing the FILE to check"
                                          : "expected one FILE, got several")
           << " (see tiendoctl plan validate --help)\n";
    return 2;
  }
  const std::string& path = flags.positional()[0];
  std::string text;
  std::string read_error;
  if (!ReadFile(path, &text, &read_error)) {
    io.err << "tiendoctl: cannot read " << path << ": " << read_error << "\n";
    return 2;
  }

  planfile::LoadedPlanFile loaded = planfile::LoadPlanFile(text);
  std::vector<core::Problem> problems = std::move(loaded.problems);
  if (loaded.plan_file.has_value()) {
    std::vector<core::Problem> semantic = core::ValidatePlanFile(*loaded.plan_file);
    loaded.source_map.AttachLines(semantic);
    problems.insert(problems.end(), semantic.begin(), semantic.end());
  }
  // In file order; problems of the whole document first.
  std::stable_sort(problems.begin(), problems.end(),
                   [](const core::Problem& a, const core::Problem& b) { return a.line < b.line; });
  for (const core::Problem& problem : problems) Print(path, problem, io.out);

  const int errors = core::CountProblems(problems, core::Severity::kError);
  const int warnings = core::CountProblems(problems, core::Severity::kWarning);
  if (errors > 0 || !loaded.plan_file.has_value()) {
    io.out << path << ": " << Counted(errors, "error") << ", " << Counted(warnings, "warning")
           << "\n";
    return 1;
  }
  const registry::v1::PlanFile& file = *loaded.plan_file;
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
