#include "services/common/core/problem.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/core/utf8_text.h"

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

common::v1::FieldViolation ToFieldViolation(const Problem& problem,
                                            absl::string_view path_prefix) {
  common::v1::FieldViolation violation;
  if (path_prefix.empty() || problem.path.empty()) {
    violation.set_field(absl::StrCat(path_prefix, problem.path));
  } else {
    violation.set_field(absl::StrCat(path_prefix, ".", problem.path));
  }
  violation.set_description(IsValidUtf8(problem.message) ? problem.message
                                                         : absl::CHexEscape(problem.message));
  violation.set_rule(problem.rule);
  return violation;
}

}  // namespace tiendo::core
