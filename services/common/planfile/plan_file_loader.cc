#include "services/common/planfile/plan_file_loader.h"

#include <string>
#include <utility>

#include "google/protobuf/util/json_util.h"
#include "services/common/planfile/json_parse_error.h"
#include "services/common/planfile/yaml_to_proto_json.h"

namespace tiendo::planfile {

LoadedPlanFile LoadPlanFile(absl::string_view text) {
  YamlConversionOptions options;
  // Entity versions and audit trails are set by the registry; a file exported from it may
  // carry them.
  options.ignored_fields = {"version", "audit"};
  options.ignored_reason = "output only (set by the registry)";
  ProtoJson converted =
      YamlToProtoJson(text, *registry::v1::PlanFile::descriptor(), options);

  LoadedPlanFile loaded;
  loaded.problems = std::move(converted.problems);
  loaded.source_map = std::move(converted.source_map);
  if (core::HasErrors(loaded.problems)) return loaded;

  registry::v1::PlanFile plan_file;
  google::protobuf::util::JsonParseOptions parse_options;
  parse_options.ignore_unknown_fields = false;
  const auto status =
      google::protobuf::util::JsonStringToMessage(converted.json, &plan_file, parse_options);
  if (!status.ok()) {
    // The conversion checks what this parser checks; this is the safety net.
    const auto message = status.message();
    loaded.problems.push_back(ProblemFromJsonParseError(
        absl::string_view(message.data(), message.size()), loaded.source_map));
    return loaded;
  }
  loaded.plan_file = std::move(plan_file);
  return loaded;
}

}  // namespace tiendo::planfile
