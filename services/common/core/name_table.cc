#include "services/common/core/name_table.h"

#include "absl/strings/str_cat.h"
#include "services/common/status/check.h"

namespace tiendo::core {

uint32_t NameTable::Intern(absl::string_view name) {
  if (auto it = ids_.find(name); it != ids_.end()) return it->second;
  const uint32_t id = static_cast<uint32_t>(names_.size());
  names_.emplace_back(name);
  ids_.emplace(names_.back(), id);
  return id;
}

std::optional<uint32_t> NameTable::Find(absl::string_view name) const {
  if (auto it = ids_.find(name); it != ids_.end()) return it->second;
  return std::nullopt;
}

const std::string& NameTable::Name(uint32_t id) const {
  TIENDO_CHECK(id < names_.size(), absl::StrCat("unknown name id ", id));
  return names_[id];
}

}  // namespace tiendo::core
