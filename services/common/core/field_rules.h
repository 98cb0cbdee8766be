// FieldRules: the checks on single fields that every entity's validation repeats — a
// required value, a slug, a `YYYY-MM-DD` date, UTF-8 text with a length limit, two dates
// in order — each reporting a Problem with the field's path and a stable rule name.
//
// Paths are relative to a prefix: empty for an entity validated on its own (a registry
// write: `registration_date`), the entity's place in a document otherwise
// (`reporting_units[3]` in a plan file: `reporting_units[3].valid_to`).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/descriptor.h"
#include "services/common/core/problem.h"
#include "services/common/core/validity_window.h"

namespace tiendo::core {

// Keys of plans, indicators, targets and reporting units: 1 to 63 lowercase letters,
// digits, '.', '_' or '-'.
bool IsSlug(absl::string_view text);

// Category, capability and dimension names: lower_snake_case, starting with a letter.
bool IsLowerSnake(absl::string_view text);

// One or more ASCII digits.
bool IsDigits(absl::string_view text);

class FieldRules {
 public:
  // Appends to `problems`, which must outlive this object.
  explicit FieldRules(std::vector<Problem>& problems, absl::string_view prefix = "");

  // `prefix.field`, or `field` when the prefix is empty.
  std::string Path(absl::string_view field) const;
  // `prefix.field[index]`.
  std::string Path(absl::string_view field, int index) const;

  void Error(absl::string_view field, absl::string_view rule, std::string message);
  void Warning(absl::string_view field, absl::string_view rule, std::string message);

  // Reports an empty value (rule `required`: "<what> is required"); true if it is set.
  bool Required(absl::string_view field, absl::string_view value, absl::string_view what);

  // A required slug: rule `required`, or `format` when it is not IsSlug.
  void Slug(absl::string_view field, absl::string_view value, absl::string_view what);

  // An optional date: nullopt when empty or malformed (rule `format`).
  std::optional<absl::CivilDay> Date(absl::string_view field, absl::string_view text);
  // A required date: rule `required` when empty, as Date otherwise.
  std::optional<absl::CivilDay> RequiredDate(absl::string_view field, absl::string_view text,
                                             absl::string_view what);

  // Text that must be valid UTF-8 (rule `format`) and, when `max_characters` is not 0, at
  // most that many characters (rule `too_long`). Empty text passes: use Required for that.
  // True if it passes.
  bool Text(absl::string_view field, absl::string_view value, absl::string_view what,
            size_t max_characters = 0);

  // Reports `later` (at `later_field`) before `earlier` with rule `order`: "<later_field>
  // 2025-02-28 is before <earlier_field> 2025-03-01". Missing dates are not compared.
  void NotBefore(absl::string_view later_field, const std::optional<absl::CivilDay>& later,
                 absl::string_view earlier_field, const std::optional<absl::CivilDay>& earlier);

  // valid_from and valid_to: each an optional date, valid_to not before valid_from.
  ValidityWindow Window(absl::string_view valid_from, absl::string_view valid_to);

  // A value of the enum `type` that the enum defines (proto3 enums are open: a sender may
  // put any number on the wire): rule `out_of_range` otherwise. True if it is defined.
  bool EnumValue(absl::string_view field, int value,
                 const google::protobuf::EnumDescriptor& type);

  // A final status (an enterprise's DISSOLVED, a procedure's ABOLISHED) and the date it took
  // effect go together: the status without the date, or the date with another status, is
  // `inconsistent` (reported at the date, or at the status). `status` must be defined.
  void FinalStatusWithDate(absl::string_view status_field, int status, int final_status,
                           const google::protobuf::EnumDescriptor& type,
                           absl::string_view date_field, absl::string_view date);

 private:
  void Report(Severity severity, absl::string_view field, absl::string_view rule,
              std::string message);

  std::vector<Problem>& problems_;
  std::string prefix_;
};

}  // namespace tiendo::core
