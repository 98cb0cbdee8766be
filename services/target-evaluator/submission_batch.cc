#include "services/target-evaluator/submission_batch.h"

#include <optional>

namespace tiendo::evaluator {

void SubmissionBatch::Parse(absl::Span<const kafka::ConsumedRecord> records) {
  // Grown before any entry is read: an entry's fields may view its own storage.
  if (entries_.size() < records.size()) entries_.resize(records.size());
  size_ = records.size();
  for (size_t i = 0; i < records.size(); ++i) {
    Entry& entry = entries_[i];
    const kafka::ConsumedRecord& record = records[i];
    entry.position.topic.assign(record.position.topic);
    entry.position.partition = record.position.partition;
    entry.position.offset = record.position.offset;
    entry.record = &record;
    entry.parsed = false;
    if (!record.value.has_value()) continue;
    if (std::optional<AcceptedFields> fields = AcceptedFields::Read(*record.value)) {
      entry.event = *std::move(fields);
      entry.parsed = true;
    } else if (entry.declined.ParseFromString(*record.value)) {
      entry.event = AcceptedFields::Of(entry.declined);
      entry.parsed = true;
    }
  }
}

}  // namespace tiendo::evaluator
