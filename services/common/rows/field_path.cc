// Resolution of dotted field paths against a message type; see field_path.h.
#include "services/common/rows/field_path.h"

#include <cstddef>
#include <functional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/rows/near_names.h"
#include "services/common/status/check.h"

namespace tiendo::rows {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

constexpr absl::string_view kTimestamp = "google.protobuf.Timestamp";
// How deep suggestions look into nested messages.
constexpr int kSuggestionDepth = 3;

bool IsTimestamp(const FieldDescriptor& field) {
  return field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
         field.message_type()->full_name() == kTimestamp;
}

// Whether one cell can fill `field` (ignoring repetition).
bool HoldsOneCell(const FieldDescriptor& field) {
  return field.cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || IsTimestamp(field);
}

// Every path a column could name in `root`, for suggestions: the fields one cell can fill,
// and the singular messages on the way (a column may name a message by mistake).
std::vector<std::string> CandidatePaths(const Descriptor& root) {
  std::vector<std::string> paths;
  std::function<void(const Descriptor&, const std::string&, int)> walk =
      [&](const Descriptor& type, const std::string& prefix, int depth) {
        for (int i = 0; i < type.field_count(); ++i) {
          const FieldDescriptor& field = *type.field(i);
          const std::string path = absl::StrCat(prefix, field.name());
          paths.push_back(path);
          if (HoldsOneCell(field) || field.is_repeated() || depth + 1 >= kSuggestionDepth) {
            continue;
          }
          walk(*field.message_type(), absl::StrCat(path, "."), depth + 1);
        }
      };
  walk(root, "", 0);
  return paths;
}

std::string FieldNames(const Descriptor& type) {
  std::vector<std::string> names;
  for (int i = 0; i < type.field_count(); ++i) names.push_back(type.field(i)->name());
  return absl::StrJoin(names, ", ");
}

absl::Status UnknownField(const Descriptor& root, const Descriptor& type,
                          absl::string_view path, absl::string_view segment) {
  std::string message =
      absl::StrCat("no field \"", segment, "\" in ", type.full_name());
  const std::vector<std::string> near = NearNames(path, CandidatePaths(root));
  if (!near.empty()) {
    absl::StrAppend(&message, "; did you mean ", absl::StrJoin(near, " or "), "?");
  } else {
    absl::StrAppend(&message, " (its fields: ", FieldNames(type), ")");
  }
  return absl::InvalidArgumentError(message);
}

// What a field a path cannot pass through is, e.g. "of type string".
std::string Kind(const FieldDescriptor& field) {
  if (IsTimestamp(field)) return "a google.protobuf.Timestamp (one cell: an RFC 3339 time)";
  if (field.is_repeated()) return absl::StrCat("a repeated ", field.type_name(), " field");
  return absl::StrCat("of type ", field.type_name());
}

// Checks the last field of a path (and a map's key): what one cell can fill.
absl::Status CheckLeaf(const FieldDescriptor& field, bool has_key, absl::string_view path) {
  if (field.is_map()) {
    const FieldDescriptor& key = *field.message_type()->map_key();
    const FieldDescriptor& value = *field.message_type()->map_value();
    if (key.cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
      return absl::InvalidArgumentError(absl::StrCat(
          field.name(), " is a map with ", key.type_name(),
          " keys; only maps with string keys can be filled from columns"));
    }
    if (!HoldsOneCell(value)) {
      return absl::InvalidArgumentError(absl::StrCat(
          field.name(), " is a map of messages, which one cell cannot fill"));
    }
    if (!has_key) {
      return absl::InvalidArgumentError(absl::StrCat(
          field.name(), " is a map; name one entry as ", path, ".<key>"));
    }
    return absl::OkStatus();
  }
  if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !IsTimestamp(field)) {
    if (field.is_repeated()) {
      return absl::InvalidArgumentError(absl::StrCat(
          field.name(), " is a repeated message field, which one cell cannot fill"));
    }
    return absl::InvalidArgumentError(absl::StrCat(
        field.name(), " is a message (", field.message_type()->full_name(),
        "); name one of its fields: ", FieldNames(*field.message_type())));
  }
  if (field.is_repeated() && IsTimestamp(field)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field.name(), " is a repeated message field, which one cell cannot fill"));
  }
  return absl::OkStatus();
}

}  // namespace

const FieldDescriptor& FieldPath::value_field() const {
  TIENDO_CHECK(!fields.empty(), "FieldPath without fields");
  const FieldDescriptor& last = *fields.back();
  return map_key.has_value() ? *last.message_type()->map_value() : last;
}

bool FieldPath::is_list() const {
  return !map_key.has_value() && fields.back()->is_repeated();
}

std::string FieldPath::ParentText() const {
  std::vector<std::string> names;
  for (size_t i = 0; i + 1 < fields.size(); ++i) names.push_back(fields[i]->name());
  return absl::StrJoin(names, ".");
}

absl::StatusOr<FieldPath> ResolveFieldPath(const Descriptor& root, absl::string_view path) {
  FieldPath resolved;
  resolved.text = std::string(path);
  const std::vector<absl::string_view> segments = absl::StrSplit(path, '.');
  const Descriptor* type = &root;
  for (size_t i = 0; i < segments.size(); ++i) {
    const absl::string_view segment = segments[i];
    if (segment.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "\"", path, "\" is not a field path (field names joined by dots)"));
    }
    if (type == nullptr) {
      const FieldDescriptor& previous = *resolved.fields.back();
      return absl::InvalidArgumentError(
          absl::StrCat(previous.name(), " is ", Kind(previous), ", not a message with fields"));
    }
    const FieldDescriptor* field = type->FindFieldByName(std::string(segment));
    if (field == nullptr) return UnknownField(root, *type, path, segment);
    resolved.fields.push_back(field);
    const bool last = i + 1 == segments.size();
    if (field->is_map()) {
      // The rest of the path is the key (keys may contain dots).
      if (!last) {
        resolved.map_key = absl::StrJoin(segments.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                         segments.end(), ".");
      }
      absl::Status leaf = CheckLeaf(*field, !last, path);
      if (!leaf.ok()) return leaf;
      return resolved;
    }
    if (last) {
      absl::Status leaf = CheckLeaf(*field, false, path);
      if (!leaf.ok()) return leaf;
      return resolved;
    }
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || IsTimestamp(*field)) {
      type = nullptr;  // reported at the next segment
      continue;
    }
    if (field->is_repeated()) {
      return absl::InvalidArgumentError(absl::StrCat(
          field->name(), " is a repeated message field, which one cell cannot fill"));
    }
    type = field->message_type();
  }
  return resolved;  // unreachable: the last segment returns
}

}  // namespace tiendo::rows
