// JSON parse errors: turns an error of protobuf's JSON parser (JsonStringToMessage) into a
// Problem with the path of the offending field and, through the source map, its line.
// protobuf writes the field's location in parentheses, e.g.
//   (plan.targets[1].milestones[1]) foo: Cannot find field.
//   (plan.jurisdiction_code): invalid value 77 for type TYPE_STRING
// which uses the same path notation as Problems.
#pragma once

#include "absl/strings/string_view.h"
#include "services/common/core/problem.h"
#include "services/common/planfile/source_map.h"

namespace tiendo::planfile {

// `message` is the status message (without the code), e.g. absl::Status::message().
core::Problem ProblemFromJsonParseError(absl::string_view message, const SourceMap& source_map);

}  // namespace tiendo::planfile
