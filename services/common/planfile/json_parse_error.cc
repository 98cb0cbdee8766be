#include "services/common/planfile/json_parse_error.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace tiendo::planfile {

core::Problem ProblemFromJsonParseError(absl::string_view message,
                                        const SourceMap& source_map) {
  // Only the first line: protobuf appends the JSON text around the error and a caret.
  absl::string_view rest = message.substr(0, message.find('\n'));
  std::string path;
  if (absl::StartsWith(rest, "(")) {
    const size_t close = rest.find(')');
    if (close != absl::string_view::npos) {
      path = std::string(rest.substr(1, close - 1));
      rest = rest.substr(close + 1);
      if (absl::ConsumePrefix(&rest, ": ")) {
        // "(path): what" — the error is about the field at path.
      } else if (absl::ConsumePrefix(&rest, " ")) {
        // "(path) name: what" — the error is about the member `name` of path.
        const size_t colon = rest.find(": ");
        if (colon != absl::string_view::npos) {
          path = path.empty() ? std::string(rest.substr(0, colon))
                              : absl::StrCat(path, ".", rest.substr(0, colon));
          rest = rest.substr(colon + 2);
        }
      }
    }
  }
  const bool unknown_field = absl::StrContains(rest, "Cannot find field");
  return {path, source_map.LineOf(path),
          absl::StrCat("protobuf's JSON parser rejected the document: ", rest),
          core::Severity::kError, unknown_field ? "unknown_field" : "format"};
}

}  // namespace tiendo::planfile
