// YAML to protobuf JSON: turns a YAML document into the JSON text that protobuf's JSON parser
// reads for a given message type, checking the document against the type's schema on the
// way so that every problem is reported at once, each with its path and line — protobuf's own
// parser stops at the first and knows no lines.
//
// Scalars follow YAML 1.2's core schema: a quoted scalar is a string; an unquoted one is a
// number, true/false or null only when it looks like one (`77`, `1e3`, `.inf`, `true`), and a
// string otherwise. Against the schema:
//   - keys must be field names exactly as in the proto (lower_snake_case); an unknown key is
//     an error with a "did you mean" where one is near;
//   - a string field given an unquoted number or boolean is an error with the quoted form to
//     write instead (`jurisdiction_code: 77` → write "77");
//   - numbers must fit the field (whole numbers for integer fields, in range); enum values are
//     written by their full names (`COMPARATOR_AT_LEAST`); durations as seconds ("1296000s");
//   - a null (`key:` with nothing after it, `~`, `null`) leaves the field unset;
//   - duplicate keys and two members of one oneof are errors.
// The document is read with yaml-cpp; its exceptions stop here and become problems.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "services/common/core/problem.h"
#include "services/common/planfile/source_map.h"

namespace tiendo::planfile {

struct YamlConversionOptions {
  // Field names accepted wherever the message has such a field, but dropped with a warning
  // (e.g. the output-only "version" and "audit" of registry entities).
  std::vector<std::string> ignored_fields;
  // Why they are ignored, for the warning, e.g. "output only".
  std::string ignored_reason = "ignored";
};

struct ProtoJson {
  // The JSON text; complete and fit for protobuf's parser when `problems` holds no error.
  std::string json;
  // Every problem found, with its path and line.
  std::vector<core::Problem> problems;
  // The line of every path the document contains.
  SourceMap source_map;
};

// Converts `yaml_text` (one YAML document; JSON is YAML too) for a message of `type`.
ProtoJson YamlToProtoJson(absl::string_view yaml_text, const google::protobuf::Descriptor& type,
                          const YamlConversionOptions& options = {});

}  // namespace tiendo::planfile
