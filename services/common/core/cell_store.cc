#include "services/common/core/cell_store.h"

#include <algorithm>

namespace tiendo::core {

CellChange CellStore::Apply(const CellSubmission& submission) {
  Cell& cell = cells_[submission.key];
  std::optional<Reading> before;
  if (cell.has_reading) before = cell.reading;
  if (std::find(cell.applied.begin(), cell.applied.end(), submission.fingerprint) !=
      cell.applied.end()) {
    return {ApplyOutcome::kDuplicate, before, before};
  }
  cell.applied.push_back(submission.fingerprint);
  if (submission.kind == SubmissionKind::kRetraction) {
    if (!cell.has_reading) return {ApplyOutcome::kNothingToRetract, before, before};
    cell.has_reading = false;
    return {ApplyOutcome::kRetracted, before, std::nullopt};
  }
  cell.reading = submission.reading;
  cell.has_reading = true;
  return {ApplyOutcome::kApplied, before, cell.reading};
}

std::optional<Reading> CellStore::Find(const CellKey& key) const {
  auto it = cells_.find(key);
  if (it == cells_.end() || !it->second.has_reading) return std::nullopt;
  return it->second.reading;
}

}  // namespace tiendo::core
