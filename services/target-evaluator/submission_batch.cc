#include "services/target-evaluator/submission_batch.h"

namespace tiendo::evaluator {
namespace {

// Parses `bytes` into `event`, whose submission keeps its storage: parsing starts with
// Clear, which deletes the submessages of a message on the heap, so each record would
// allocate its submission's strings again.
bool ParseKeepingSubmission(const std::string& bytes, events::v1::AcceptedSubmission& event) {
  ingest::v1::Submission* submission = event.release_submission();  // nullptr at first
  if (submission != nullptr) submission->Clear();
  event.Clear();
  event.set_allocated_submission(submission);
  return event.MergeFromString(bytes);
}

}  // namespace

void SubmissionBatch::Parse(absl::Span<const kafka::ConsumedRecord> records) {
  if (entries_.size() < records.size()) entries_.resize(records.size());
  size_ = records.size();
  for (size_t i = 0; i < records.size(); ++i) {
    Entry& entry = entries_[i];
    const kafka::ConsumedRecord& record = records[i];
    entry.position.topic.assign(record.position.topic);
    entry.position.partition = record.position.partition;
    entry.position.offset = record.position.offset;
    entry.parsed = record.value.has_value() && ParseKeepingSubmission(*record.value, entry.event);
  }
}

}  // namespace tiendo::evaluator
