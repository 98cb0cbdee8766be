// Plan file loader: reads the text of a plan file (YAML, or JSON, which is YAML too) into a
// tiendo.registry.v1.PlanFile — YAML → JSON → protobuf's JSON parser, so the proto is the
// schema — and reports every problem it finds with its path in the file
// (`plan.targets[2].milestones[1].deadline`) and its line. Text in, proto out: the caller
// reads the file. The semantic rules (references, orders, ranges) are checked separately by
// core::ValidatePlanFile; the source map places their problems in the file too.
#pragma once

#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/common/core/problem.h"
#include "services/common/planfile/source_map.h"
#include "tiendo/registry/v1/plan_file.pb.h"

namespace tiendo::planfile {

struct LoadedPlanFile {
  // The parsed file; set when the text had no errors (warnings allowed, e.g. an ignored
  // output-only `version`).
  std::optional<registry::v1::PlanFile> plan_file;
  // Every problem found while parsing, in document order, with path and line.
  std::vector<core::Problem> problems;
  // The line of every field path in the text.
  SourceMap source_map;
};

LoadedPlanFile LoadPlanFile(absl::string_view text);

}  // namespace tiendo::planfile
