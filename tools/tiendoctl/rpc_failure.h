// How tiendoctl reports a registry, metrics-ingest or target-evaluator call that failed: the
// gRPC code and message, every field violation the status carries (one per line, `  <field>:
// <description> [<rule>]`), and a hint for the failures a user can act on (service
// unreachable, deadline too short, token refused, batch too large).
#pragma once

#include <functional>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tiendo/common/v1/field_violation.pb.h"

namespace tiendo::ctl {

// `  <field>: <description> [<rule>]`, with `prefix` (e.g. "FILE:12: ") after the indent.
void PrintViolation(const common::v1::FieldViolation& violation, std::ostream& out,
                    absl::string_view prefix = "");

// The line (in the user's file) a violation points at, 0 when unknown.
using ViolationLine = std::function<int(const common::v1::FieldViolation&)>;

// Prints `tiendoctl: <what>: <CODE>: <message>` and the status's violations to `err`.
// `address` names the registry in the hint for UNAVAILABLE. With `file` and `line_of`, each
// violation placed in the file is prefixed with `FILE:LINE: `.
void PrintRpcFailure(absl::string_view what, const absl::Status& status,
                     absl::string_view address, std::ostream& err,
                     absl::string_view file = "", const ViolationLine& line_of = nullptr);

// The same for a metrics-ingest call. `token_source` says where the token came from (e.g.
// "TIENDO_TOKEN") for the hint when it is refused (UNAUTHENTICATED).
void PrintIngestFailure(absl::string_view what, const absl::Status& status,
                        absl::string_view address, absl::string_view token_source,
                        std::ostream& err);

// The same for a target-evaluator call; `address` names the evaluator in the hint for
// UNAVAILABLE.
void PrintEvaluatorFailure(absl::string_view what, const absl::Status& status,
                           absl::string_view address, std::ostream& err);

}  // namespace tiendo::ctl
