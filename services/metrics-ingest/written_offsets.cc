#include "services/metrics-ingest/written_offsets.h"

namespace tiendo::ingest {

void WrittenOffsets::Add(int32_t partition, int64_t offset) {
  absl::MutexLock lock(&mu_);
  std::deque<Range>& ranges = partitions_[partition];
  if (!ranges.empty() && offset <= ranges.back().last) return;
  if (!ranges.empty() && offset == ranges.back().last + 1) {
    ranges.back().last = offset;
  } else {
    ranges.push_back({offset, offset});
  }
}

bool WrittenOffsets::Take(int32_t partition, int64_t offset) {
  absl::MutexLock lock(&mu_);
  auto found = partitions_.find(partition);
  if (found == partitions_.end()) return false;
  std::deque<Range>& ranges = found->second;
  while (!ranges.empty() && ranges.front().last < offset) ranges.pop_front();
  if (ranges.empty() || ranges.front().first > offset) return false;
  if (ranges.front().last == offset) {
    ranges.pop_front();
  } else {
    ranges.front().first = offset + 1;
  }
  return true;
}

size_t WrittenOffsets::ranges() const {
  absl::MutexLock lock(&mu_);
  size_t count = 0;
  for (const auto& [partition, ranges] : partitions_) count += ranges.size();
  return count;
}

}  // namespace tiendo::ingest
