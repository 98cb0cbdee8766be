// CellStore: the reported cells of the submissions applied so far, each with
// the submissions it took in, oldest first (its history).
//
// Apply is idempotent per submission id and cell: applying any sequence of
// submissions twice leaves the store as applying it once, which is what lets
// the services replay their input logs and be exactly-once in effect.
#pragma once

#include <cstdint>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/types/span.h"
#include "services/common/core/cell.h"

namespace tiendo::core {

class CellStore {
 public:
  CellChange Apply(const CellSubmission& submission);

  // The cell's current reading, if it has one.
  std::optional<Reading> Find(const CellKey& key) const;

  // The submissions applied to the cell, oldest first; empty if none was.
  // Valid until the store next changes.
  absl::Span<const AppliedSubmission> History(const CellKey& key) const;

  // Forgets every cell of the indicators `dropped` selects, as if no
  // submission had reached them. Returns how many cells went.
  size_t Drop(absl::FunctionRef<bool(uint32_t indicator)> dropped);

  // Calls `visit` with every cell's key, reading and history, in no
  // particular order.
  void ForEach(absl::FunctionRef<void(const CellKey& key, const std::optional<Reading>& reading,
                                      absl::Span<const AppliedSubmission> history)>
                   visit) const;

  // Adds a cell as ForEach showed it (restoring a snapshot): `history`
  // oldest first; `value` and `denominator` those of the reading, read only
  // when the last entry is a report (its sequence is the reading's).
  // INVALID_ARGUMENT, adding nothing, for a cell the store holds or a history
  // Apply cannot make: empty, or naming a submission id twice.
  absl::Status Restore(const CellKey& key, absl::Span<const AppliedSubmission> history,
                       int64_t value, int64_t denominator);
  // Makes room for `cells` cells in all, so restoring them does not rehash.
  void Reserve(size_t cells) { cells_.reserve(cells); }

  // Cells ever written (including retracted ones, which remember their ids).
  size_t size() const { return cells_.size(); }

 private:
  // The reading is the last history entry's when that entry is a report:
  // a retraction withdraws it, and every report replaces it. So the entry
  // gives the reading's sequence, and value and denominator are stale (never
  // read) after a retraction.
  struct Cell {
    int64_t value = 0;
    int64_t denominator = 0;
    // Almost always one entry (a correction or retraction adds one).
    absl::InlinedVector<AppliedSubmission, 1> history;

    std::optional<Reading> reading() const;
  };
  // Appends `applied` to the cell's history unless the history names its submission id
  // already (then false, changing nothing).
  bool AddToHistory(const CellKey& key, Cell& cell, const AppliedSubmission& applied);

  absl::flat_hash_map<CellKey, Cell> cells_;
  // The submission ids of each cell whose history reached kIndexedHistory entries, so that
  // a cell corrected again and again is not searched whole for every submission.
  absl::flat_hash_map<CellKey, absl::flat_hash_set<uint64_t>> long_history_ids_;
};

}  // namespace tiendo::core
