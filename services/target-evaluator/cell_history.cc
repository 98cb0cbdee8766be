#include "services/target-evaluator/cell_history.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/core/fingerprint.h"
#include "services/common/kafka/consumer.h"
#include "services/common/status/status_macros.h"

namespace tiendo::evaluator {
namespace {

// Further apart than this, the reader is placed at the next offset rather than reading on.
constexpr int64_t kSeekGap = 500;
constexpr absl::Duration kPoll = absl::Milliseconds(100);

std::string Where(const kafka::RecordPosition& position) {
  return absl::StrCat(position.topic, "[", position.partition, "]@", position.offset);
}

// The figure a report puts in the cell.
v1::CellFigure FigureOf(const ingest::v1::Submission& submission) {
  v1::CellFigure figure;
  if (submission.has_ratio()) {
    *figure.mutable_ratio() = submission.ratio();
  } else {
    figure.set_value(submission.value());
  }
  return figure;
}

}  // namespace

absl::StatusOr<v1::GetCellHistoryResponse> DescribeCellHistory(
    const std::vector<core::AppliedSubmission>& applied,
    const std::vector<SubmissionRecord>& records) {
  if (applied.size() != records.size()) {
    return absl::InternalError(absl::StrCat("cell history: ", applied.size(),
                                            " submissions applied, ", records.size(),
                                            " records read"));
  }
  v1::GetCellHistoryResponse response;
  std::optional<v1::CellFigure> current;  // nullopt: the cell is empty
  for (size_t i = 0; i < applied.size(); ++i) {
    const SubmissionRecord& record = records[i];
    const ingest::v1::Submission& submission = record.event.submission();
    if (core::Fingerprint(submission.submission_id()) != applied[i].fingerprint ||
        record.position.offset != applied[i].sequence) {
      return absl::InternalError(absl::StrCat(
          "cell history: the record at ", Where(record.position), " (submission \"",
          submission.submission_id(), "\") is not the submission applied to the cell there"));
    }
    v1::CellHistoryEntry& entry = *response.add_entries();
    *entry.mutable_submission() = submission;
    *entry.mutable_accepted_at() = record.event.accepted_at();
    entry.set_token_id(record.event.token_id());
    entry.mutable_position()->set_topic(record.position.topic);
    entry.mutable_position()->set_partition(record.position.partition);
    entry.mutable_position()->set_offset(record.position.offset);
    if (current.has_value()) *entry.mutable_replaced() = *current;
    if (applied[i].kind == core::SubmissionKind::kRetraction) {
      entry.set_effect(v1::CELL_EFFECT_RETRACTED);
      current.reset();
    } else {
      entry.set_effect(current.has_value() ? v1::CELL_EFFECT_CORRECTED
                                           : v1::CELL_EFFECT_REPORTED);
      current = FigureOf(submission);
    }
  }
  if (current.has_value()) *response.mutable_current() = *current;
  return response;
}

absl::StatusOr<std::vector<SubmissionRecord>> ReadSubmissionRecords(
    const kafka::KafkaOptions& options, const std::string& topic, int32_t partition,
    const std::vector<int64_t>& offsets, absl::Duration timeout) {
  std::vector<SubmissionRecord> read;
  if (offsets.empty()) return read;
  ASSIGN_OR_RETURN(std::unique_ptr<kafka::Consumer> consumer,
                   kafka::Consumer::Create(options, "tiendo-target-evaluator.cell-history", ""));
  const absl::Time deadline = absl::Now() + timeout;
  // What the partition holds now: an offset outside it would never arrive.
  ASSIGN_OR_RETURN(auto marks, consumer->QueryWatermarks(topic, timeout));
  const auto held = marks.find(partition);
  if (held == marks.end()) {
    return absl::DataLossError(absl::StrCat("cell history: ", topic, " has no partition ",
                                            partition, " any more"));
  }
  for (const int64_t offset : offsets) {
    if (offset < held->second.low || offset >= held->second.high) {
      return absl::DataLossError(absl::StrCat(
          "cell history: the record at ", Where({topic, partition, offset}),
          " is no longer on the topic (it holds offsets ", held->second.low, " to ",
          held->second.high - 1, "), so the history cannot be shown in full"));
    }
  }
  int64_t next_read = -1;  // the offset the consumer returns next; -1: not placed yet
  for (const int64_t wanted : offsets) {
    if (next_read < 0 || wanted < next_read || wanted - next_read > kSeekGap) {
      RETURN_IF_ERROR(consumer->Assign({{topic, partition, wanted}}));
      next_read = wanted;
    }
    while (true) {
      const absl::Duration left = deadline - absl::Now();
      if (left <= absl::ZeroDuration()) {
        return absl::DeadlineExceededError(absl::StrCat(
            "cell history: read ", read.size(), " of its ", offsets.size(), " records from ",
            topic, "[", partition, "] in ", absl::FormatDuration(timeout), "; retry"));
      }
      ASSIGN_OR_RETURN(std::optional<kafka::ConsumedRecord> polled,
                       consumer->Poll(std::min(left, kPoll)));
      if (!polled.has_value() || polled->position.partition != partition) continue;
      next_read = polled->position.offset + 1;
      if (polled->position.offset < wanted) continue;
      const std::string where = Where({topic, partition, wanted});
      if (polled->position.offset > wanted) {
        return absl::DataLossError(absl::StrCat(
            "cell history: the record at ", where,
            " is no longer on the topic (its retention removed it), so the history cannot be "
            "shown in full"));
      }
      SubmissionRecord& record = read.emplace_back();
      record.position = polled->position;
      if (!polled->value.has_value() || !record.event.ParseFromString(*polled->value)) {
        return absl::DataLossError(
            absl::StrCat("cell history: the record at ", where, " is not an AcceptedSubmission"));
      }
      break;
    }
  }
  consumer->Close();
  return read;
}

}  // namespace tiendo::evaluator
