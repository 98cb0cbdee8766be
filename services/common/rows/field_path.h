// FieldPath: where one CSV column goes in a message — a dotted path of proto field names from
// the message down to the field one cell fills, e.g. `tax_code`, `platform_adoption.since`,
// or, for a map with string keys, the map field and then the key: `disaggregation.district`
// fills disaggregation["district"].
//
// A path passes only through singular message fields (a repeated message has no single
// element for a cell to fill) and ends at a field of a type one cell can hold: a scalar
// (string, bytes, bool, integer, floating point, enum), a repeated scalar, a
// google.protobuf.Timestamp, or an entry of a map<string, scalar>.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace tiendo::rows {

struct FieldPath {
  // The path as written, e.g. "platform_adoption.since".
  std::string text;
  // The fields from the root message down; the last is the field the cell fills (for a map
  // entry, the map field).
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  // For a map entry: the key.
  std::optional<std::string> map_key;

  // The field whose type the cell is read as: the last field, or a map entry's value field.
  const google::protobuf::FieldDescriptor& value_field() const;
  // True when the last field is repeated and not a map: the cell holds a `;`-separated list.
  bool is_list() const;
  // The path to the message that holds the last field ("" for the root), e.g.
  // "platform_adoption" for "platform_adoption.since".
  std::string ParentText() const;
};

// Resolves `path` against `root`. INVALID_ARGUMENT naming the path and the rule for an
// unknown field (with the nearest field paths of `root` by edit distance, or its field names
// when none is near), a path through a scalar or a repeated message, a path ending at a
// message that is not a Timestamp, a map without a key or with non-string keys or message
// values, and an empty path segment.
absl::StatusOr<FieldPath> ResolveFieldPath(const google::protobuf::Descriptor& root,
                                           absl::string_view path);

}  // namespace tiendo::rows
