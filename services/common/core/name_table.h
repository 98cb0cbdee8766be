// NameTable: interns names (reporting unit ids, indicator ids, canonical
// disaggregations) as dense 32-bit numbers, so that cell keys are 16 bytes
// and compare as integers. Numbers are assigned in first-seen order and never
// reused.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace tiendo::core {

class NameTable {
 public:
  // The number of `name`, assigning the next one if it is new.
  uint32_t Intern(absl::string_view name);
  // The number of `name` if it was interned.
  std::optional<uint32_t> Find(absl::string_view name) const;
  // The name of `id`; `id` must have been returned by Intern.
  const std::string& Name(uint32_t id) const;
  size_t size() const { return names_.size(); }

 private:
  std::deque<std::string> names_;  // stable addresses for the map's keys
  absl::flat_hash_map<absl::string_view, uint32_t> ids_;
};

}  // namespace tiendo::core
