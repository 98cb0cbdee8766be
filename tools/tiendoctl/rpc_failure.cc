#include "tools/tiendoctl/rpc_failure.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/status/field_violations.h"

namespace tiendo::ctl {

void PrintViolation(const common::v1::FieldViolation& violation, std::ostream& out,
                    absl::string_view prefix) {
  out << "  " << prefix;
  if (!violation.field().empty()) out << violation.field() << ": ";
  out << violation.description();
  if (!violation.rule().empty()) out << " [" << violation.rule() << "]";
  out << "\n";
}

namespace {

// `tiendoctl: <what>: <CODE>: <message>` and the violations.
void PrintStatus(absl::string_view what, const absl::Status& status, std::ostream& err,
                 absl::string_view file, const ViolationLine& line_of) {
  err << "tiendoctl: " << what << ": " << absl::StatusCodeToString(status.code()) << ": "
      << status.message() << "\n";
  const std::vector<common::v1::FieldViolation> violations = status::FieldViolationsOf(status);
  for (const common::v1::FieldViolation& violation : violations) {
    const int line = line_of ? line_of(violation) : 0;
    PrintViolation(violation, err, line > 0 ? absl::StrCat(file, ":", line, ": ") : "");
  }
}

}  // namespace

void PrintRpcFailure(absl::string_view what, const absl::Status& status,
                     absl::string_view address, std::ostream& err, absl::string_view file,
                     const ViolationLine& line_of) {
  PrintStatus(what, status, err, file, line_of);
  if (status.code() == absl::StatusCode::kUnavailable) {
    err << "  is tiendo-registry running at " << address
        << "? (set --registry or TIENDO_REGISTRY_ADDRESS)\n";
  } else if (status.code() == absl::StatusCode::kDeadlineExceeded) {
    err << "  the registry did not answer in time; a longer --timeout may help\n";
  }
}

void PrintIngestFailure(absl::string_view what, const absl::Status& status,
                        absl::string_view address, absl::string_view token_source,
                        std::ostream& err) {
  PrintStatus(what, status, err, "", nullptr);
  switch (status.code()) {
    case absl::StatusCode::kUnauthenticated:
      err << "  metrics-ingest refused the token from " << token_source
          << ": it is missing, unknown, expired or revoked ('tiendoctl units issue-token' "
             "issues a new one), or was issued a moment ago and metrics-ingest has not read "
             "it from tiendo.registry.v1 yet ('tiendoctl whoami --wait=30s' waits for it)\n";
      break;
    case absl::StatusCode::kUnavailable:
      err << "  is tiendo-metrics-ingest running at " << address
          << ", and Kafka behind it? (set --ingest or TIENDO_INGEST_ADDRESS)\n";
      break;
    case absl::StatusCode::kDeadlineExceeded:
      err << "  metrics-ingest did not answer in time; a longer --timeout may help\n";
      break;
    case absl::StatusCode::kResourceExhausted:
      err << "  a batch is over the server's limits; a smaller --batch-size may help\n";
      break;
    default:
      break;
  }
}

void PrintEvaluatorFailure(absl::string_view what, const absl::Status& status,
                           absl::string_view address, std::ostream& err) {
  PrintStatus(what, status, err, "", nullptr);
  if (status.code() == absl::StatusCode::kUnavailable) {
    err << "  is tiendo-target-evaluator running at " << address
        << "? (set --evaluator or TIENDO_EVALUATOR_ADDRESS) A replica still catching up with "
           "its inputs after a start also answers UNAVAILABLE: try again shortly\n";
  } else if (status.code() == absl::StatusCode::kDeadlineExceeded) {
    err << "  the evaluator did not answer in time; a longer --timeout may help\n";
  }
}

}  // namespace tiendo::ctl
