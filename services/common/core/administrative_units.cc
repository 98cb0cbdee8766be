#include "services/common/core/administrative_units.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/core/civil_date.h"
#include "services/common/status/check.h"
#include "services/common/status/status_macros.h"

namespace tiendo::core {
namespace {

using registry::v1::AdministrativeUnit;

bool IsCode(absl::string_view code) {
  return !code.empty() &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A code from outside (a submission's disaggregation value, say) as it may
// appear in a message: escaped and cut short.
std::string Shown(absl::string_view code) {
  constexpr size_t kShown = 64;
  std::string shown = absl::CHexEscape(code.substr(0, kShown));
  if (code.size() > kShown) absl::StrAppend(&shown, "…");
  return shown;
}

absl::StatusOr<std::optional<absl::CivilDay>> OptionalDate(absl::string_view code,
                                                           absl::string_view field,
                                                           absl::string_view text) {
  if (text.empty()) return std::nullopt;
  absl::StatusOr<absl::CivilDay> day = ParseCivilDate(text);
  if (!day.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("administrative unit ", code, ": ", field, ": ", day.status().message()));
  }
  return std::optional<absl::CivilDay>(*day);
}

// "752 → 757 → 79".
std::string Chain(const std::vector<std::string>& path, absl::string_view last) {
  return absl::StrCat(absl::StrJoin(path, " → "), " → ", last);
}

}  // namespace

absl::Status AdministrativeUnits::Upsert(const AdministrativeUnit& unit) {
  const std::string& code = unit.code();
  if (!IsCode(code)) {
    return absl::InvalidArgumentError(
        absl::StrCat("administrative unit code \"", Shown(code),
                     "\" is not a code (must be digits, e.g. 77, 747, 26560)"));
  }
  ASSIGN_OR_RETURN(std::optional<absl::CivilDay> from,
                   OptionalDate(code, "valid_from", unit.valid_from()));
  ASSIGN_OR_RETURN(std::optional<absl::CivilDay> to,
                   OptionalDate(code, "valid_to", unit.valid_to()));
  if (from.has_value() && to.has_value() && *to < *from) {
    return absl::InvalidArgumentError(absl::StrCat("administrative unit ", code, ": valid_to ",
                                                   unit.valid_to(), " is before valid_from ",
                                                   unit.valid_from()));
  }
  if (!unit.successor_codes().empty() && !to.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("administrative unit ", code,
                     ": successor_codes need a valid_to (successors take over the day after it)"));
  }
  for (const std::string& successor : unit.successor_codes()) {
    if (successor == code) {
      return absl::InvalidArgumentError(
          absl::StrCat("administrative unit ", code, " names itself as its successor"));
    }
    if (!IsCode(successor)) {
      return absl::InvalidArgumentError(absl::StrCat("administrative unit ", code,
                                                     ": successor code \"", Shown(successor),
                                                     "\" is not a code (must be digits)"));
    }
  }

  if (auto it = units_.find(code); it != units_.end()) {
    const std::string& old_parent = it->second.unit.parent_code();
    if (auto siblings = children_.find(old_parent); siblings != children_.end()) {
      siblings->second.erase(code);
      if (siblings->second.empty()) children_.erase(siblings);
    }
  }
  if (!unit.parent_code().empty()) children_[unit.parent_code()].insert(code);
  units_.insert_or_assign(code, Entry{unit, from, to});
  return absl::OkStatus();
}

const AdministrativeUnit* AdministrativeUnits::Find(absl::string_view code) const {
  auto it = units_.find(code);
  return it == units_.end() ? nullptr : &it->second.unit;
}

bool AdministrativeUnits::IsValidOn(const Entry& entry, absl::CivilDay day) {
  return (!entry.valid_from.has_value() || *entry.valid_from <= day) &&
         (!entry.valid_to.has_value() || day <= *entry.valid_to);
}

std::string AdministrativeUnits::Describe(absl::string_view code) const {
  const AdministrativeUnit* unit = Find(code);
  if (unit == nullptr || unit->name_vi().empty()) return Shown(code);
  return absl::StrCat(code, " (", unit->name_vi(), ")");
}

absl::Status AdministrativeUnits::NotValid(const Entry& entry, absl::string_view when,
                                           absl::CivilDay first_day,
                                           absl::CivilDay last_day) const {
  const AdministrativeUnit& unit = entry.unit;
  std::string text =
      absl::StrCat("administrative unit ", Describe(unit.code()), " is not valid ", when, ": ");
  if (entry.valid_from.has_value() && entry.valid_to.has_value()) {
    absl::StrAppend(&text, "valid ", unit.valid_from(), "..", unit.valid_to());
  } else if (entry.valid_from.has_value()) {
    absl::StrAppend(&text, "valid from ", unit.valid_from());
  } else {
    absl::StrAppend(&text, "valid until ", unit.valid_to());
  }
  auto describe = [this](std::string* out, const std::string& code) {
    absl::StrAppend(out, Describe(code));
  };
  if (entry.valid_from.has_value() && first_day < *entry.valid_from &&
      !unit.predecessor_codes().empty()) {
    absl::StrAppend(&text, ", formed from ",
                    absl::StrJoin(unit.predecessor_codes(), ", ", describe));
  }
  if (entry.valid_to.has_value() && last_day > *entry.valid_to) {
    if (unit.successor_codes().empty()) {
      absl::StrAppend(&text, ", no successor recorded");
    } else {
      absl::StrAppend(&text, unit.successor_codes_size() == 1 ? ", merged into " : ", split into ",
                      absl::StrJoin(unit.successor_codes(), ", ", describe));
    }
  }
  return absl::InvalidArgumentError(text);
}

absl::Status AdministrativeUnits::ValidAt(absl::string_view code, absl::CivilDay day) const {
  auto it = units_.find(code);
  if (it == units_.end()) {
    return absl::NotFoundError(
        absl::StrCat("administrative unit ", Shown(code), " is not known"));
  }
  if (IsValidOn(it->second, day)) return absl::OkStatus();
  return NotValid(it->second, absl::StrCat("on ", FormatCivilDate(day)), day, day);
}

absl::Status AdministrativeUnits::ValidThroughout(absl::string_view code,
                                                  const Period& period) const {
  auto it = units_.find(code);
  if (it == units_.end()) {
    return absl::NotFoundError(
        absl::StrCat("administrative unit ", Shown(code), " is not known"));
  }
  const absl::CivilDay first = period.FirstDay();
  const absl::CivilDay last = period.LastDay();
  // A validity window is an interval: valid on both ends is valid throughout.
  if (IsValidOn(it->second, first) && IsValidOn(it->second, last)) return absl::OkStatus();
  return NotValid(it->second,
                  absl::StrCat("throughout ", period.ToString(), " (", FormatCivilDate(first),
                               "..", FormatCivilDate(last), ")"),
                  first, last);
}

absl::StatusOr<std::vector<std::string>> AdministrativeUnits::Resolve(absl::string_view code,
                                                                      absl::CivilDay day) const {
  auto it = units_.find(code);
  if (it == units_.end()) {
    return absl::NotFoundError(
        absl::StrCat("administrative unit ", Shown(code), " is not known"));
  }
  std::vector<std::string> path;
  std::set<std::string> finished;
  std::set<std::string> out;
  RETURN_IF_ERROR(ResolveInto(it->second, day, path, finished, out));
  return std::vector<std::string>(out.begin(), out.end());
}

absl::Status AdministrativeUnits::ResolveInto(const Entry& entry, absl::CivilDay day,
                                              std::vector<std::string>& path,
                                              std::set<std::string>& finished,
                                              std::set<std::string>& out) const {
  const std::string& code = entry.unit.code();
  if (IsValidOn(entry, day)) {
    out.insert(code);
    return absl::OkStatus();
  }
  const bool ended = entry.valid_to.has_value() && day > *entry.valid_to;
  if (path.empty() && (!ended || entry.unit.successor_codes().empty())) {
    return NotValid(entry, absl::StrCat("on ", FormatCivilDate(day)), day, day);
  }
  if (!ended) {
    return absl::InvalidArgumentError(absl::StrCat(
        "administrative unit ", Describe(path.front()), " has no successor valid on ",
        FormatCivilDate(day), ": ", Chain(path, code), " leads to ", Describe(code),
        ", which is valid only from ", entry.unit.valid_from()));
  }
  if (entry.unit.successor_codes().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "administrative unit ", Describe(path.front()), " has no successor valid on ",
        FormatCivilDate(day), ": ", Chain(path, code), " leads to ", Describe(code),
        ", which ended on ", entry.unit.valid_to(), " with no successor recorded"));
  }
  if (finished.contains(code)) return absl::OkStatus();
  path.push_back(code);
  for (const std::string& successor : entry.unit.successor_codes()) {
    if (std::find(path.begin(), path.end(), successor) != path.end()) {
      return absl::FailedPreconditionError(
          absl::StrCat("administrative unit ", Describe(path.front()),
                       ": successor_codes form a cycle ", Chain(path, successor)));
    }
    auto it = units_.find(successor);
    if (it == units_.end()) {
      return absl::NotFoundError(absl::StrCat("administrative unit ", Describe(path.front()),
                                              ": successor ", successor, " of ", Describe(code),
                                              " is not known (", Chain(path, successor), ")"));
    }
    RETURN_IF_ERROR(ResolveInto(it->second, day, path, finished, out));
  }
  path.pop_back();
  finished.insert(code);
  return absl::OkStatus();
}

std::vector<std::string> AdministrativeUnits::Children(absl::string_view code,
                                                       absl::CivilDay day) const {
  std::vector<std::string> codes;
  auto it = children_.find(code);
  if (it == children_.end()) return codes;
  for (const std::string& child : it->second) {
    auto unit = units_.find(child);
    TIENDO_CHECK(unit != units_.end(), absl::StrCat("child ", child, " of ", code, " not indexed"));
    if (IsValidOn(unit->second, day)) codes.push_back(child);
  }
  return codes;
}

std::optional<absl::CivilDay> AdministrativeUnits::InAreaFrom(
    absl::string_view code, const google::protobuf::RepeatedPtrField<std::string>& areas) const {
  // The earliest day over every path up the parent and predecessor links; each unit is
  // worked out once (`known`), and `on_path` guards against cycles.
  absl::flat_hash_map<std::string, std::optional<absl::CivilDay>> known;
  absl::flat_hash_set<std::string> on_path;
  std::function<std::optional<absl::CivilDay>(const std::string&)> from =
      [&](const std::string& current) -> std::optional<absl::CivilDay> {
    if (std::find(areas.begin(), areas.end(), current) != areas.end()) {
      return absl::CivilDay::min();
    }
    if (auto done = known.find(current); done != known.end()) return done->second;
    auto it = units_.find(current);
    if (it == units_.end() || !on_path.insert(current).second) return std::nullopt;
    const Entry& entry = it->second;
    std::optional<absl::CivilDay> earliest;
    auto consider = [&earliest](std::optional<absl::CivilDay> day) {
      if (day.has_value() && (!earliest.has_value() || *day < *earliest)) earliest = day;
    };
    if (!entry.unit.parent_code().empty()) consider(from(entry.unit.parent_code()));
    for (const std::string& predecessor : entry.unit.predecessor_codes()) {
      std::optional<absl::CivilDay> day = from(predecessor);
      // A unit that existed before the predecessor ended (79, which took 77 over) holds its
      // territory only from the day after; one formed that day held no other before.
      auto ended = units_.find(predecessor);
      if (day.has_value() && ended != units_.end() && ended->second.valid_to.has_value() &&
          !(entry.valid_from.has_value() && *entry.valid_from > *ended->second.valid_to)) {
        day = std::max(*day, *ended->second.valid_to + 1);
      }
      consider(day);
    }
    on_path.erase(current);
    known.emplace(current, earliest);
    return earliest;
  };
  return from(std::string(code));
}

}  // namespace tiendo::core
