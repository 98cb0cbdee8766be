#include "services/common/core/cell_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace tiendo::core {
namespace {

bool Contains(absl::Span<const AppliedSubmission> history, uint64_t fingerprint) {
  return std::any_of(history.begin(), history.end(), [&](const AppliedSubmission& applied) {
    return applied.fingerprint == fingerprint;
  });
}

}  // namespace

std::optional<Reading> CellStore::Cell::reading() const {
  if (history.empty() || history.back().kind != SubmissionKind::kReport) return std::nullopt;
  return Reading{value, denominator, history.back().sequence};
}

CellChange CellStore::Apply(const CellSubmission& submission) {
  Cell& cell = cells_[submission.key];
  const std::optional<Reading> before = cell.reading();
  if (Contains(cell.history, submission.fingerprint)) {
    return {ApplyOutcome::kDuplicate, before, before};
  }
  cell.history.push_back({submission.fingerprint, submission.reading.sequence, submission.kind});
  if (submission.kind == SubmissionKind::kRetraction) {
    if (!before.has_value()) return {ApplyOutcome::kNothingToRetract, before, before};
    return {ApplyOutcome::kRetracted, before, std::nullopt};
  }
  cell.value = submission.reading.value;
  cell.denominator = submission.reading.denominator;
  return {ApplyOutcome::kApplied, before, submission.reading};
}

std::optional<Reading> CellStore::Find(const CellKey& key) const {
  auto it = cells_.find(key);
  if (it == cells_.end()) return std::nullopt;
  return it->second.reading();
}

absl::Span<const AppliedSubmission> CellStore::History(const CellKey& key) const {
  auto it = cells_.find(key);
  if (it == cells_.end()) return {};
  return it->second.history;
}

size_t CellStore::Drop(absl::FunctionRef<bool(uint32_t indicator)> dropped) {
  return absl::erase_if(cells_, [&](const auto& entry) { return dropped(entry.first.indicator); });
}

void CellStore::ForEach(
    absl::FunctionRef<void(const CellKey& key, const std::optional<Reading>& reading,
                           absl::Span<const AppliedSubmission> history)>
        visit) const {
  for (const auto& [key, cell] : cells_) visit(key, cell.reading(), cell.history);
}

absl::Status CellStore::Restore(const CellKey& key, absl::Span<const AppliedSubmission> history,
                                int64_t value, int64_t denominator) {
  if (history.empty()) return absl::InvalidArgumentError("a cell's history cannot be empty");
  for (size_t i = 1; i < history.size(); ++i) {
    if (Contains(history.first(i), history[i].fingerprint)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "a cell's history names submission fingerprint ", history[i].fingerprint, " twice"));
    }
  }
  auto [it, inserted] = cells_.try_emplace(key);
  if (!inserted) return absl::InvalidArgumentError("the cell is already held");
  it->second.value = value;
  it->second.denominator = denominator;
  it->second.history.assign(history.begin(), history.end());
  return absl::OkStatus();
}

}  // namespace tiendo::core
