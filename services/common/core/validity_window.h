// ValidityWindow: the inclusive days between which an entity exists (an administrative
// unit's or a reporting unit's valid_from..valid_to), either end open.
#pragma once

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/core/civil_date.h"

namespace tiendo::core {

struct ValidityWindow {
  std::optional<absl::CivilDay> from;  // nullopt: since before records
  std::optional<absl::CivilDay> to;    // nullopt: still valid

  bool Contains(absl::CivilDay day) const {
    return (!from.has_value() || *from <= day) && (!to.has_value() || day <= *to);
  }

  // True if every day of `inner` lies within this window.
  bool Covers(const ValidityWindow& inner) const {
    const bool from_ok = !from.has_value() || (inner.from.has_value() && *from <= *inner.from);
    const bool to_ok = !to.has_value() || (inner.to.has_value() && *inner.to <= *to);
    return from_ok && to_ok;
  }

  // "2025-03-01 .. (open)".
  std::string ToString() const {
    return absl::StrCat(from.has_value() ? FormatCivilDate(*from) : "(open)", " .. ",
                        to.has_value() ? FormatCivilDate(*to) : "(open)");
  }
};

// The window of `valid_from` / `valid_to` texts; a malformed text counts as open (the
// field's own check reports it).
inline ValidityWindow ParseValidityWindow(absl::string_view valid_from,
                                          absl::string_view valid_to) {
  return {CivilDateOf(valid_from), CivilDateOf(valid_to)};
}

}  // namespace tiendo::core
