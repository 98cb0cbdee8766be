// Filling a message from a CSV record through reflection; see proto_row.h.
#include "services/common/rows/proto_row.h"

#include <cstddef>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/reflection.h"
#include "services/common/rows/cell_value.h"
#include "services/common/status/check.h"

namespace tiendo::rows {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The cells of one column, read: one value, or a list's values.
struct ReadColumn {
  const FieldPath* path;
  std::vector<CellValue> values;
};

// Sets (or, for a repeated field, adds) `value` as `field` of `message`.
void Store(Message& message, const FieldDescriptor& field, const CellValue& value) {
  const Reflection& reflection = *message.GetReflection();
  const bool add = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      const std::string& text = std::get<std::string>(value);
      add ? reflection.AddString(&message, &field, text)
          : reflection.SetString(&message, &field, text);
      return;
    }
    case FieldDescriptor::CPPTYPE_BOOL:
      add ? reflection.AddBool(&message, &field, std::get<bool>(value))
          : reflection.SetBool(&message, &field, std::get<bool>(value));
      return;
    case FieldDescriptor::CPPTYPE_INT32: {
      const auto number = static_cast<int32_t>(std::get<int64_t>(value));  // range checked
      add ? reflection.AddInt32(&message, &field, number)
          : reflection.SetInt32(&message, &field, number);
      return;
    }
    case FieldDescriptor::CPPTYPE_INT64:
      add ? reflection.AddInt64(&message, &field, std::get<int64_t>(value))
          : reflection.SetInt64(&message, &field, std::get<int64_t>(value));
      return;
    case FieldDescriptor::CPPTYPE_UINT32: {
      const auto number = static_cast<uint32_t>(std::get<uint64_t>(value));  // range checked
      add ? reflection.AddUInt32(&message, &field, number)
          : reflection.SetUInt32(&message, &field, number);
      return;
    }
    case FieldDescriptor::CPPTYPE_UINT64:
      add ? reflection.AddUInt64(&message, &field, std::get<uint64_t>(value))
          : reflection.SetUInt64(&message, &field, std::get<uint64_t>(value));
      return;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      add ? reflection.AddDouble(&message, &field, std::get<double>(value))
          : reflection.SetDouble(&message, &field, std::get<double>(value));
      return;
    case FieldDescriptor::CPPTYPE_FLOAT: {
      const auto number = static_cast<float>(std::get<double>(value));  // range checked
      add ? reflection.AddFloat(&message, &field, number)
          : reflection.SetFloat(&message, &field, number);
      return;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* enum_value = std::get<const google::protobuf::EnumValueDescriptor*>(value);
      add ? reflection.AddEnum(&message, &field, enum_value)
          : reflection.SetEnum(&message, &field, enum_value);
      return;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      // A google.protobuf.Timestamp (FieldPath admits no other message), set through
      // reflection so that dynamic messages work too.
      TIENDO_CHECK(!add, "repeated Timestamp fields are not fillable");
      const absl::Time time = std::get<absl::Time>(value);
      Message& timestamp = *reflection.MutableMessage(&message, &field);
      const auto& type = *timestamp.GetDescriptor();
      const int64_t seconds = absl::ToUnixSeconds(time);
      const auto nanos = static_cast<int32_t>(
          absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds)));
      timestamp.GetReflection()->SetInt64(&timestamp, type.FindFieldByName("seconds"), seconds);
      timestamp.GetReflection()->SetInt32(&timestamp, type.FindFieldByName("nanos"), nanos);
      return;
    }
  }
}

// The map entry of `map_field` in `message` with `key`, added if there is none.
Message& MapEntry(Message& message, const FieldDescriptor& map_field, const std::string& key) {
  const Reflection& reflection = *message.GetReflection();
  const FieldDescriptor& key_field = *map_field.message_type()->map_key();
  for (int i = 0; i < reflection.FieldSize(message, &map_field); ++i) {
    Message& entry = *reflection.MutableRepeatedMessage(&message, &map_field, i);
    if (entry.GetReflection()->GetString(entry, &key_field) == key) return entry;
  }
  Message& entry = *reflection.AddMessage(&message, &map_field);
  entry.GetReflection()->SetString(&entry, &key_field, key);
  return entry;
}

void StoreColumn(Message& root, const ReadColumn& column) {
  const FieldPath& path = *column.path;
  Message* message = &root;
  for (size_t i = 0; i + 1 < path.fields.size(); ++i) {
    message = message->GetReflection()->MutableMessage(message, path.fields[i]);
  }
  const FieldDescriptor& last = *path.fields.back();
  if (path.map_key.has_value()) {
    Message& entry = MapEntry(*message, last, *path.map_key);
    Store(entry, path.value_field(), column.values.front());
    return;
  }
  if (last.is_repeated()) message->GetReflection()->ClearField(message, &last);
  for (const CellValue& value : column.values) Store(*message, last, value);
}

// What the column fills, for error messages: the path when it differs from the name.
std::string ColumnLabel(absl::string_view name, const FieldPath& path) {
  if (name == path.text) return absl::StrCat("column ", name);
  return absl::StrCat("column ", name, " (", path.text, ")");
}

}  // namespace

absl::StatusOr<ProtoRowMapping> ProtoRowMapping::Create(const google::protobuf::Descriptor& type,
                                                        const std::vector<std::string>& header,
                                                        const ColumnAliases& aliases) {
  std::vector<std::string> problems;
  std::vector<Column> columns;
  absl::flat_hash_set<std::string> names;
  absl::flat_hash_map<std::string, std::string> column_of_target;  // path (or map entry)
  for (const std::string& name : header) {
    Column column{name, std::nullopt, {}};
    if (!names.insert(name).second) {
      problems.push_back(absl::StrCat("column ", name, " appears twice in the header"));
      columns.push_back(std::move(column));
      continue;
    }
    const auto alias = aliases.find(name);
    const std::string target = alias == aliases.end() ? name : alias->second;
    if (alias != aliases.end() && target.empty()) {  // ignored on purpose
      columns.push_back(std::move(column));
      continue;
    }
    absl::StatusOr<FieldPath> path = ResolveFieldPath(type, target);
    if (!path.ok()) {
      const std::string alias_note =
          target == name ? "" : absl::StrCat(" (alias of ", target, ")");
      problems.push_back(
          absl::StrCat("column ", name, alias_note, ": ", path.status().message()));
      columns.push_back(std::move(column));
      continue;
    }
    // Two columns filling one field would make the result depend on column order.
    const auto [previous, fresh] = column_of_target.emplace(path->text, name);
    if (!fresh) {
      problems.push_back(absl::StrCat("columns ", previous->second, " and ", name,
                                      " both fill ", path->text));
    }
    std::string parent;
    for (const FieldDescriptor* field : path->fields) {
      if (field->real_containing_oneof() != nullptr) {
        column.oneofs.push_back(OneofUse{parent, field->real_containing_oneof(), field});
      }
      parent = parent.empty() ? field->name() : absl::StrCat(parent, ".", field->name());
    }
    column.path = *std::move(path);
    columns.push_back(std::move(column));
  }
  if (!problems.empty()) return absl::InvalidArgumentError(absl::StrJoin(problems, "; "));
  return ProtoRowMapping(type, std::move(columns));
}

absl::Status ProtoRowMapping::Fill(const std::vector<std::string>& record,
                                   Message& message) const {
  TIENDO_CHECK(message.GetDescriptor() == type_,
               absl::StrCat("a mapping for ", type_->full_name(), " filling a ",
                            message.GetDescriptor()->full_name()));
  if (record.size() != columns_.size()) {
    return absl::InvalidArgumentError(absl::StrCat("record has ", record.size(),
                                                   " cells, the header has ", columns_.size(),
                                                   " columns"));
  }
  std::vector<std::string> problems;
  std::vector<ReadColumn> read;
  // Oneof (by parent path and name) → the member set and the column that set it.
  absl::flat_hash_map<std::string, std::pair<const FieldDescriptor*, const Column*>> oneofs;
  absl::flat_hash_set<std::string> clashes;
  for (size_t i = 0; i < columns_.size(); ++i) {
    const Column& column = columns_[i];
    const std::string& cell = record[i];
    if (!column.path.has_value() || cell.empty()) continue;
    const FieldPath& path = *column.path;
    ReadColumn values{&path, {}};
    std::vector<absl::string_view> pieces;
    if (path.is_list()) {
      pieces = absl::StrSplit(cell, ';', absl::SkipEmpty());
    } else {
      pieces.push_back(cell);
    }
    for (size_t p = 0; p < pieces.size(); ++p) {
      absl::StatusOr<CellValue> value = ReadCell(path.value_field(), pieces[p]);
      if (!value.ok()) {
        const std::string item =
            pieces.size() > 1 ? absl::StrCat("item ", p + 1, " of ", pieces.size(), ": ") : "";
        problems.push_back(
            absl::StrCat(ColumnLabel(column.name, path), ": ", item, value.status().message()));
        continue;
      }
      values.values.push_back(*std::move(value));
    }
    for (const OneofUse& use : column.oneofs) {
      const std::string key = absl::StrCat(use.parent, "/", use.oneof->name());
      const auto [set, fresh] = oneofs.emplace(key, std::make_pair(use.member, &column));
      // Reported once per oneof: `numerator` and `denominator` against `value` is one clash.
      if (!fresh && set->second.first != use.member && clashes.insert(key).second) {
        problems.push_back(absl::StrCat(
            ColumnLabel(column.name, path), ": sets ", use.member->name(), " of oneof ",
            use.oneof->name(), ", which column ", set->second.second->name, " sets to ",
            set->second.first->name(), " (only one may be given)"));
      }
    }
    // A list cell of separators only (";;") holds no values: nothing to set.
    if (!values.values.empty()) read.push_back(std::move(values));
  }
  if (!problems.empty()) return absl::InvalidArgumentError(absl::StrJoin(problems, "; "));
  for (const ReadColumn& column : read) StoreColumn(message, column);
  return absl::OkStatus();
}

absl::Status FillMessage(const std::vector<std::string>& header,
                         const std::vector<std::string>& record, const ColumnAliases& aliases,
                         Message& message) {
  absl::StatusOr<ProtoRowMapping> mapping =
      ProtoRowMapping::Create(*message.GetDescriptor(), header, aliases);
  if (!mapping.ok()) return mapping.status();
  return mapping->Fill(record, message);
}

}  // namespace tiendo::rows
