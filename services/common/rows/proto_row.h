// Proto rows: one CSV record onto one protobuf message, by column name, through reflection —
// how the registry's CSV import fills Enterprise and PublicService rows and how tiendoctl
// reads a submission CSV, with one rule set for every message type.
//
// Each column names a field of the message, or a dotted path into it (FieldPath:
// `platform_adoption.since`, `disaggregation.district`). `ColumnAliases` maps a column name
// to such a path when the file's header differs from the proto (`platform_adopted` →
// `platform_adoption.adopted`); an alias to "" ignores the column. Each cell is read by its
// field's type (CellValue: strings valid UTF-8, booleans `true`/`false`, decimal integers,
// finite numbers, enum value names, RFC 3339 times); a repeated field's cell is a
// `;`-separated list whose empty pieces are dropped; an empty cell leaves its field as it is
// (unset, in a fresh message).
//
// Errors are INVALID_ARGUMENT and name the column and the rule, e.g.
//   column is_sme: "yes" is not a boolean (true or false)
// A record reports every column it breaks, joined by "; ", so that one pass over a file shows
// each row's problems at once; the caller adds the row (or line) number.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "services/common/rows/field_path.h"

namespace tiendo::rows {

// Column name → field path ("" to ignore the column). Columns without an alias name their
// path themselves. Aliases for columns a header lacks are allowed and unused.
using ColumnAliases = absl::flat_hash_map<std::string, std::string>;

// A header resolved once against a message type, for filling many records.
class ProtoRowMapping {
 public:
  // INVALID_ARGUMENT listing every problem of the header: a column naming no field (with the
  // nearest field paths), a path a cell cannot fill, a column name given twice, two columns
  // filling the same field.
  static absl::StatusOr<ProtoRowMapping> Create(const google::protobuf::Descriptor& type,
                                                const std::vector<std::string>& header,
                                                const ColumnAliases& aliases);

  // Fills `message` (of the mapping's type) from `record`, in header order. Fields no column
  // fills, and fields whose cell is empty, keep their values, so a caller can set defaults
  // first (e.g. an entity version); a non-empty cell of a repeated field replaces the list.
  // On error `message` is left unchanged: every cell is read before any field is set.
  // INVALID_ARGUMENT for a record whose number of cells differs from the header's, or
  // listing every cell that breaks its field's rule, and every pair of columns setting two
  // members of one oneof (e.g. `value` and `numerator` of a Submission's figure).
  absl::Status Fill(const std::vector<std::string>& record,
                    google::protobuf::Message& message) const;

  const google::protobuf::Descriptor& type() const { return *type_; }

 private:
  // One member of a oneof on a column's path: the message holding the oneof, by its path.
  struct OneofUse {
    std::string parent;
    const google::protobuf::OneofDescriptor* oneof;
    const google::protobuf::FieldDescriptor* member;
  };
  struct Column {
    std::string name;
    std::optional<FieldPath> path;  // nullopt: ignored
    std::vector<OneofUse> oneofs;
  };

  ProtoRowMapping(const google::protobuf::Descriptor& type, std::vector<Column> columns)
      : type_(&type), columns_(std::move(columns)) {}

  const google::protobuf::Descriptor* type_;
  std::vector<Column> columns_;
};

// One record at once: ProtoRowMapping::Create for `message`'s type, then Fill. An importer
// of many records should create the mapping once and report a bad header once.
absl::Status FillMessage(const std::vector<std::string>& header,
                         const std::vector<std::string>& record, const ColumnAliases& aliases,
                         google::protobuf::Message& message);

}  // namespace tiendo::rows
