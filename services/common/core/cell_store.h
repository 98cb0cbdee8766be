// CellStore: the reported cells of the submissions applied so far.
//
// Apply is idempotent per submission id and cell: applying any sequence of
// submissions twice leaves the store as applying it once, which is what lets
// the services replay their input logs and be exactly-once in effect.
#pragma once

#include <cstdint>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "services/common/core/cell.h"

namespace tiendo::core {

class CellStore {
 public:
  CellChange Apply(const CellSubmission& submission);

  // The cell's current reading, if it has one.
  std::optional<Reading> Find(const CellKey& key) const;

  // Cells ever written (including retracted ones, which remember their ids).
  size_t size() const { return cells_.size(); }

 private:
  struct Cell {
    Reading reading;
    bool has_reading = false;
    // Fingerprints of every submission applied to this cell; almost always
    // one or two.
    absl::InlinedVector<uint64_t, 2> applied;
  };
  absl::flat_hash_map<CellKey, Cell> cells_;
};

}  // namespace tiendo::core
