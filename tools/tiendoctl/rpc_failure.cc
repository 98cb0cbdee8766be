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

void PrintRpcFailure(absl::string_view what, const absl::Status& status,
                     absl::string_view address, std::ostream& err, absl::string_view file,
                     const ViolationLine& line_of) {
  err << "tiendoctl: " << what << ": " << absl::StatusCodeToString(status.code()) << ": "
      << status.message() << "\n";
  const std::vector<common::v1::FieldViolation> violations = status::FieldViolationsOf(status);
  for (const common::v1::FieldViolation& violation : violations) {
    const int line = line_of ? line_of(violation) : 0;
    PrintViolation(violation, err, line > 0 ? absl::StrCat(file, ":", line, ": ") : "");
  }
  if (status.code() == absl::StatusCode::kUnavailable) {
    err << "  is tiendo-registry running at " << address
        << "? (set --registry or TIENDO_REGISTRY_ADDRESS)\n";
  } else if (status.code() == absl::StatusCode::kDeadlineExceeded) {
    err << "  the registry did not answer in time; a longer --timeout may help\n";
  }
}

}  // namespace tiendo::ctl
