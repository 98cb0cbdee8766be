// Problem: one thing wrong with a document (a plan file, an import row), found by a parser or
// a validation rule, with where it is — the path of the offending field written with proto
// field names and zero-based indexes, e.g. `plan.targets[2].milestones[1].deadline`, and the
// line of the source text when known — and what is wrong, naming the offending value and the
// rule. Tools print problems; the registry turns them into FieldViolations.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace tiendo::core {

enum class Severity {
  // The document cannot be used as it is.
  kError,
  // The document can be used, but something in it is probably not what its author meant.
  kWarning,
};

struct Problem {
  // Path of the offending field from the document's root; empty for the document as a
  // whole (e.g. a syntax error).
  std::string path;
  // 1-based line in the source text; 0 when unknown.
  int line = 0;
  // What is wrong, for people, e.g. `unknown indicator "foo": not defined in
  // plan.indicators`.
  std::string message;
  Severity severity = Severity::kError;
  // Machine-readable name of the broken rule, lower_snake_case, as in
  // tiendo.common.v1.FieldViolation.rule: `required`, `format`, `type`, `duplicate`,
  // `unknown_field`, `unknown_reference`, `order`, `out_of_range`, `cannot_hold`, ...
  std::string rule;
};

// "error" or "warning".
absl::string_view SeverityName(Severity severity);

// Number of problems of `severity`.
int CountProblems(const std::vector<Problem>& problems, Severity severity);

// True if any problem is an error.
bool HasErrors(const std::vector<Problem>& problems);

}  // namespace tiendo::core
