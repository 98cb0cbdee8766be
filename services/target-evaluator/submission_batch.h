// SubmissionBatch: records of tiendo.submissions.v1 read into what the engine applies of each
// AcceptedSubmission (AcceptedFields). The submission reader reads a batch on its own thread
// while the engine applies the one before on the applier's (submission_reader.h): reading is
// a large share of a record's cost and needs nothing of the engine's state.
//
// The fields are views into the records' bytes, so the records must stay as they are while
// the batch is used: until its next Parse. A record AcceptedFields declines is parsed by
// protobuf into storage of the batch's, which the fields then view.
#pragma once

#include <cstddef>
#include <vector>

#include "absl/types/span.h"
#include "services/common/kafka/record.h"
#include "services/target-evaluator/accepted_fields.h"
#include "tiendo/events/v1/submission_event.pb.h"

namespace tiendo::evaluator {

class SubmissionBatch {
 public:
  struct Entry {
    kafka::RecordPosition position;
    const kafka::ConsumedRecord* record = nullptr;  // the record read (Parse's)
    bool parsed = false;  // false: the record is not an AcceptedSubmission (or a tombstone)
    AcceptedFields event;  // meaningful when parsed
    // What protobuf parsed, for a record AcceptedFields declined.
    events::v1::AcceptedSubmission declined;
  };

  SubmissionBatch() = default;
  SubmissionBatch(const SubmissionBatch&) = delete;  // its entries view their own storage
  SubmissionBatch& operator=(const SubmissionBatch&) = delete;

  // Replaces the batch with `records`, read; they must outlive its use.
  void Parse(absl::Span<const kafka::ConsumedRecord> records);

  absl::Span<const Entry> entries() const { return {entries_.data(), size_}; }
  size_t size() const { return size_; }

 private:
  std::vector<Entry> entries_;  // the first size_ hold this batch; the others, storage
  size_t size_ = 0;
};

}  // namespace tiendo::evaluator
