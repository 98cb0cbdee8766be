// SubmissionBatch: records of tiendo.submissions.v1 parsed into AcceptedSubmission events for
// the engine. The submission reader parses a batch on its own thread while the engine applies
// the one before on the applier's (submission_reader.h): parsing is a large share of a
// record's cost and needs nothing of the engine's state.
//
// A batch keeps its events' storage from one Parse to the next (strings, submessages): once
// it has held records of these sizes, parsing another batch allocates almost nothing.
#pragma once

#include <cstddef>
#include <vector>

#include "absl/types/span.h"
#include "services/common/kafka/record.h"
#include "tiendo/events/v1/submission_event.pb.h"

namespace tiendo::evaluator {

class SubmissionBatch {
 public:
  struct Entry {
    kafka::RecordPosition position;
    bool parsed = false;  // false: the record is not an AcceptedSubmission (or a tombstone)
    events::v1::AcceptedSubmission event;  // meaningful when parsed
  };

  // Replaces the batch with `records`, parsed.
  void Parse(absl::Span<const kafka::ConsumedRecord> records);

  absl::Span<const Entry> entries() const { return {entries_.data(), size_}; }
  size_t size() const { return size_; }

 private:
  std::vector<Entry> entries_;  // the first size_ hold this batch; the others, storage
  size_t size_ = 0;
};

}  // namespace tiendo::evaluator
