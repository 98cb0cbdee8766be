// CellValue: the text of one CSV cell read as a value of a proto field's type, with the rule
// it breaks when it cannot be. The cell is taken as written — no trimming, no locale:
//   string   valid UTF-8                         bytes   any bytes
//   bool     `true` or `false`
//   int32, int64, sint*, sfixed*                 decimal digits with an optional leading `-`
//   uint32, uint64, fixed*                       decimal digits
//   double, float                                a finite decimal number (`-12.5`, `1e3`)
//   enum     a value name of the enum type, e.g. `SIZE_CLASS_SMALL`
//   google.protobuf.Timestamp                    an RFC 3339 time, e.g. `2025-09-30T08:00:00Z`
// Integers must fit the field's width.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"

namespace tiendo::rows {

// Signed integers widen to int64_t, unsigned ones to uint64_t, floats to double; the range
// of the field's own width has been checked.
using CellValue = std::variant<std::string, bool, int64_t, uint64_t, double,
                               const google::protobuf::EnumValueDescriptor*, absl::Time>;

// Reads `text` (not empty: an empty cell leaves its field unset and is never read) as a
// value of `field`'s type, ignoring whether the field is repeated. INVALID_ARGUMENT stating
// the cell and the rule, e.g. `"yes" is not a boolean (true or false)`; the caller names the
// column.
absl::StatusOr<CellValue> ReadCell(const google::protobuf::FieldDescriptor& field,
                                   absl::string_view text);

// `text` in double quotes for an error message: as written when it is valid UTF-8 (with `"`
// and `\` escaped), else with every byte outside printable ASCII escaped as \xNN; cut after
// 60 bytes with "…".
std::string QuoteCell(absl::string_view text);

}  // namespace tiendo::rows
