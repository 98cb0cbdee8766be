#include "services/common/core/cell_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace tiendo::core {
namespace {

// A history this long is searched through a set of its submission ids (below, a scan of the
// entries is quicker, and almost every cell holds one entry).
constexpr size_t kIndexedHistory = 32;

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

bool CellStore::AddToHistory(const CellKey& key, Cell& cell, const AppliedSubmission& applied) {
  if (cell.history.size() < kIndexedHistory) {
    if (Contains(cell.history, applied.fingerprint)) return false;
  } else {
    auto [ids, made] = long_history_ids_.try_emplace(key);
    if (made) {
      for (const AppliedSubmission& earlier : cell.history) ids->second.insert(earlier.fingerprint);
    }
    if (!ids->second.insert(applied.fingerprint).second) return false;
  }
  cell.history.push_back(applied);
  return true;
}

CellChange CellStore::Apply(const CellSubmission& submission) {
  Cell& cell = cells_[submission.key];
  const std::optional<Reading> before = cell.reading();
  if (!AddToHistory(submission.key, cell,
                    {submission.fingerprint, submission.reading.sequence, submission.kind})) {
    return {ApplyOutcome::kDuplicate, before, before};
  }
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
  auto in_dropped = [&](const auto& entry) { return dropped(entry.first.indicator); };
  absl::erase_if(long_history_ids_, in_dropped);
  return absl::erase_if(cells_, in_dropped);
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
  auto [it, inserted] = cells_.try_emplace(key);
  if (!inserted) return absl::InvalidArgumentError("the cell is already held");
  it->second.history.reserve(history.size());
  for (const AppliedSubmission& applied : history) {
    if (!AddToHistory(key, it->second, applied)) {
      cells_.erase(it);
      long_history_ids_.erase(key);
      return absl::InvalidArgumentError(absl::StrCat(
          "a cell's history names submission fingerprint ", applied.fingerprint, " twice"));
    }
  }
  it->second.value = value;
  it->second.denominator = denominator;
  return absl::OkStatus();
}

}  // namespace tiendo::core
