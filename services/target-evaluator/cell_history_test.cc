#include "services/target-evaluator/cell_history.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/core/fingerprint.h"

namespace tiendo::evaluator {
namespace {

using ::testing::HasSubstr;

SubmissionRecord Record(const std::string& id, int64_t offset, double numerator,
                        bool retraction = false) {
  SubmissionRecord record;
  record.position = {"tiendo.submissions.v1", 3, offset};
  ingest::v1::Submission& submission = *record.event.mutable_submission();
  submission.set_submission_id(id);
  submission.set_reporting_unit_id("dept-st");
  if (retraction) {
    submission.set_kind(ingest::v1::SUBMISSION_KIND_RETRACTION);
  } else {
    submission.set_kind(ingest::v1::SUBMISSION_KIND_REPORT);
    submission.mutable_ratio()->set_numerator(numerator);
    submission.mutable_ratio()->set_denominator(100);
  }
  record.event.set_token_id("tok-1");
  record.event.mutable_accepted_at()->set_seconds(1700000000 + offset);
  return record;
}

core::AppliedSubmission Applied(const SubmissionRecord& record) {
  return {core::Fingerprint(record.event.submission().submission_id()), record.position.offset,
          record.event.submission().kind() == ingest::v1::SUBMISSION_KIND_RETRACTION
              ? core::SubmissionKind::kRetraction
              : core::SubmissionKind::kReport};
}

TEST(CellHistoryTest, EachEntrySaysWhatItDidAndWhatItReplaced) {
  const std::vector<SubmissionRecord> records = {
      Record("a", 10, 40), Record("b", 17, 45), Record("c", 30, 0, /*retraction=*/true),
      Record("d", 41, 50)};
  std::vector<core::AppliedSubmission> applied;
  for (const SubmissionRecord& record : records) applied.push_back(Applied(record));
  absl::StatusOr<v1::GetCellHistoryResponse> history = DescribeCellHistory(applied, records);
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->entries_size(), 4);
  EXPECT_EQ(history->entries(0).effect(), v1::CELL_EFFECT_REPORTED);
  EXPECT_FALSE(history->entries(0).has_replaced());
  EXPECT_EQ(history->entries(1).effect(), v1::CELL_EFFECT_CORRECTED);
  EXPECT_EQ(history->entries(1).replaced().ratio().numerator(), 40);
  EXPECT_EQ(history->entries(2).effect(), v1::CELL_EFFECT_RETRACTED);
  EXPECT_EQ(history->entries(2).replaced().ratio().numerator(), 45);
  // After a retraction the cell is empty: the next report is a first report again.
  EXPECT_EQ(history->entries(3).effect(), v1::CELL_EFFECT_REPORTED);
  EXPECT_FALSE(history->entries(3).has_replaced());
  EXPECT_EQ(history->current().ratio().numerator(), 50);
  EXPECT_EQ(history->entries(1).token_id(), "tok-1");
  EXPECT_EQ(history->entries(1).accepted_at().seconds(), 1700000017);
  EXPECT_EQ(history->entries(1).position().partition(), 3);
  EXPECT_EQ(history->entries(1).position().offset(), 17);
  EXPECT_EQ(history->entries(1).submission().submission_id(), "b");
}

TEST(CellHistoryTest, AValueFigureAndAnEmptyEnd) {
  SubmissionRecord value = Record("v", 5, 0);
  value.event.mutable_submission()->clear_ratio();
  value.event.mutable_submission()->set_value(12.5);
  const std::vector<SubmissionRecord> records = {value, Record("r", 9, 0, true)};
  absl::StatusOr<v1::GetCellHistoryResponse> history =
      DescribeCellHistory({Applied(records[0]), Applied(records[1])}, records);
  ASSERT_TRUE(history.ok()) << history.status();
  EXPECT_EQ(history->entries(1).replaced().value(), 12.5);
  EXPECT_EQ(history->current().figure_case(), v1::CellFigure::FIGURE_NOT_SET);
  EXPECT_EQ(DescribeCellHistory({}, {})->entries_size(), 0);
}

TEST(CellHistoryTest, ARecordThatIsNotTheAppliedSubmissionIsAnInternalError) {
  const std::vector<SubmissionRecord> records = {Record("a", 10, 40)};
  core::AppliedSubmission other = Applied(records[0]);
  other.fingerprint = core::Fingerprint("someone-else");
  const absl::Status wrong_id = DescribeCellHistory({other}, records).status();
  EXPECT_EQ(wrong_id.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(wrong_id.message(), HasSubstr("tiendo.submissions.v1[3]@10"));
  core::AppliedSubmission elsewhere = Applied(records[0]);
  elsewhere.sequence = 11;
  EXPECT_EQ(DescribeCellHistory({elsewhere}, records).status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(DescribeCellHistory({}, records).status().code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace tiendo::evaluator
