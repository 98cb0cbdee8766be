#include "services/metrics-ingest/written_offsets.h"

namespace tiendo::ingest {

void WrittenOffsets::Add(int32_t partition, int64_t offset, const Fingerprint& key) {
  absl::MutexLock lock(&mu_);
  std::deque<Write>& writes = partitions_[partition];
  if (!writes.empty() && offset <= writes.back().offset) return;
  writes.push_back({offset, key});
}

std::optional<Fingerprint> WrittenOffsets::Take(int32_t partition, int64_t offset) {
  absl::MutexLock lock(&mu_);
  auto found = partitions_.find(partition);
  if (found == partitions_.end()) return std::nullopt;
  std::deque<Write>& writes = found->second;
  while (!writes.empty() && writes.front().offset < offset) writes.pop_front();
  if (writes.empty() || writes.front().offset != offset) return std::nullopt;
  const Fingerprint key = writes.front().key;
  writes.pop_front();
  return key;
}

size_t WrittenOffsets::size() const {
  absl::MutexLock lock(&mu_);
  size_t held = 0;
  for (const auto& [partition, writes] : partitions_) held += writes.size();
  return held;
}

}  // namespace tiendo::ingest
