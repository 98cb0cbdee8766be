// Problem: one thing wrong with a document (a plan file, an import row), found by a parser or
// a validation rule, with where it is — the path of the offending field written with proto
// field names and zero-based indexes, e.g. `plan.targets[2].milestones[1].deadline`, and the
// line of the source text when known — and what is wrong, naming the offending value and the
// rule. Tools print problems; the registry turns them into FieldViolations.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tiendo/common/v1/field_violation.pb.h"

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

// The wire form of `problem`: field = `path_prefix` joined to the problem's path with a dot
// (e.g. prefix "enterprise" and path "tax_code" give "enterprise.tax_code"; either may be
// empty), description = message, rule = rule. The severity does not travel: callers leave
// warnings out of a rejection. A message that is not valid UTF-8 is escaped, since a proto3
// string must be.
common::v1::FieldViolation ToFieldViolation(const Problem& problem,
                                            absl::string_view path_prefix = "");

}  // namespace tiendo::core
