// Cell history: what GetCellHistory answers — every submission applied to one cell, oldest
// first, with who sent it, when ingest accepted it, where it is on tiendo.submissions.v1,
// what it did to the cell and the figure it replaced. The engine knows which records those
// are (their offsets, ProgressEngine::CellHistory); their content is read back from Kafka,
// so the evaluator's state keeps no copy of every submission.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/core/cell.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/kafka/record.h"
#include "tiendo/evaluator/v1/evaluator.pb.h"
#include "tiendo/events/v1/submission_event.pb.h"

namespace tiendo::evaluator {

// A record of tiendo.submissions.v1, read back.
struct SubmissionRecord {
  kafka::RecordPosition position;
  events::v1::AcceptedSubmission event;
};

// The answer from the submissions applied to the cell (oldest first) and their records, in
// the same order. INTERNAL naming the position when a record is not the submission the
// engine applied there.
absl::StatusOr<v1::GetCellHistoryResponse> DescribeCellHistory(
    const std::vector<core::AppliedSubmission>& applied,
    const std::vector<SubmissionRecord>& records);

// Reads the records at `offsets` (ascending) of partition `partition` of `topic`, outside any
// consumer group. DATA_LOSS naming the offset, at once, when one is outside what the
// partition holds (retention removed it, or the topic was made anew), or when it is not an
// AcceptedSubmission; DEADLINE_EXCEEDED when they are not all read within `timeout`.
absl::StatusOr<std::vector<SubmissionRecord>> ReadSubmissionRecords(
    const kafka::KafkaOptions& options, const std::string& topic, int32_t partition,
    const std::vector<int64_t>& offsets, absl::Duration timeout);

}  // namespace tiendo::evaluator
