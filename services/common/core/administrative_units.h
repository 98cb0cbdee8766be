// AdministrativeUnits: an in-memory index of administrative units
// (provinces, districts, communes) that answers questions about a code at a
// date — is it valid, which units carry its territory now that it has been
// merged, which units lie under it.
//
// Semantics follow tiendo/registry/v1/administrative_unit.proto: valid_from
// and valid_to are inclusive `YYYY-MM-DD` days, empty meaning open; the
// successors of a unit carry its territory from the day after its valid_to;
// codes are never reused, so the code is the key.
//
// Not thread-safe: the owner synchronises.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/core/period.h"
#include "tiendo/registry/v1/administrative_unit.pb.h"

namespace tiendo::core {

class AdministrativeUnits {
 public:
  // Adds `unit`, or replaces the unit with the same code (whatever the
  // versions: ordering by version is the caller's business). INVALID_ARGUMENT,
  // leaving the index unchanged, when the code is not digits, a date is not
  // `YYYY-MM-DD`, valid_to is before valid_from, successors are given without
  // a valid_to, or the unit names itself as its successor.
  absl::Status Upsert(const registry::v1::AdministrativeUnit& unit);

  // The unit with `code`, or nullptr. The pointer is valid until the next
  // Upsert.
  const registry::v1::AdministrativeUnit* Find(absl::string_view code) const;

  size_t size() const { return units_.size(); }

  // OK if `code` is valid on `day`. NOT_FOUND for an unknown code;
  // INVALID_ARGUMENT naming the unit, its validity and its successors (or
  // predecessors, for a day before it existed) otherwise, e.g.
  //   administrative unit 752 (Long Điền) is not valid on 2025-03-01: valid
  //   1994-06-02..2024-12-31, merged into 757 (Long Đất)
  absl::Status ValidAt(absl::string_view code, absl::CivilDay day) const;

  // OK if `code` is valid on every day of `period` (the rule for a
  // submission's disaggregation by administrative unit); errors as ValidAt,
  // naming the period.
  absl::Status ValidThroughout(absl::string_view code, const Period& period) const;

  // The codes (sorted, without repeats) of the units that carry the territory
  // of `code` on `day`: `code` itself while it is valid; after its valid_to,
  // its successors, followed through as many merges as happened by `day`
  // (752 → 757 → 79). NOT_FOUND for an unknown code or an unknown successor;
  // INVALID_ARGUMENT when `day` is before the unit existed, when a unit ended
  // without successors, or when a successor is not yet valid on `day`;
  // FAILED_PRECONDITION for a cycle of successors (naming its codes).
  absl::StatusOr<std::vector<std::string>> Resolve(absl::string_view code,
                                                   absl::CivilDay day) const;

  // The first day on which `code` lies in one of `areas`, or nullopt if it
  // never does: always (absl::CivilDay::min()) for one of them and the units
  // under them (parent chain); for a unit formed from one of them or a unit
  // under them (predecessor chain), always if it was formed when the
  // predecessor ended (it held no other territory before), else from the day
  // after the predecessor's valid_to, when it took the territory over: how a
  // filter on ["77"] keeps counting the former province after 2025 (79 from
  // 2025-07-01), without counting Ho Chi Minh City before it took the
  // province over. Unknown codes match only themselves. An entity carries
  // only its current code: one moved from 747 to 79 counts from 2025-07-01.
  std::optional<absl::CivilDay> InAreaFrom(
      absl::string_view code,
      const google::protobuf::RepeatedPtrField<std::string>& areas) const;
  // Whether `code` lies in one of `areas` on any day (InAreaFrom).
  bool InArea(absl::string_view code,
              const google::protobuf::RepeatedPtrField<std::string>& areas) const {
    return InAreaFrom(code, areas).has_value();
  }

  // The codes (sorted) of the units whose parent_code is `code` and that are
  // valid on `day`; empty when there are none (or `code` is unknown).
  std::vector<std::string> Children(absl::string_view code, absl::CivilDay day) const;

 private:
  struct Entry {
    registry::v1::AdministrativeUnit unit;
    std::optional<absl::CivilDay> valid_from;  // nullopt: since before records
    std::optional<absl::CivilDay> valid_to;    // nullopt: still valid
  };

  static bool IsValidOn(const Entry& entry, absl::CivilDay day);
  // "752 (Long Điền)", or just the code for an unknown unit.
  std::string Describe(absl::string_view code) const;
  // "administrative unit 752 (Long Điền) is not valid on 2025-03-01: valid
  // 1994-06-02..2024-12-31, merged into 757 (Long Đất)"; `when` is "on
  // 2025-03-01" or "throughout 2025-Q1 (…)", from `first_day` to
  // `last_day`. Predecessors are named when the span starts before the unit,
  // successors when it ends after it.
  absl::Status NotValid(const Entry& entry, absl::string_view when, absl::CivilDay first_day,
                        absl::CivilDay last_day) const;
  // Resolves `entry` on `day` into `out`. `path` holds the codes being
  // followed (to find cycles), `finished` those fully resolved already.
  absl::Status ResolveInto(const Entry& entry, absl::CivilDay day, std::vector<std::string>& path,
                           std::set<std::string>& finished, std::set<std::string>& out) const;

  absl::flat_hash_map<std::string, Entry> units_;
  // Parent code → codes of the units that name it as their parent.
  absl::flat_hash_map<std::string, std::set<std::string>> children_;
};

}  // namespace tiendo::core
