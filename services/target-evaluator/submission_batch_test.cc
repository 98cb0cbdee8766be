// Unit tests of SubmissionBatch: records AcceptedFields reads and records it leaves to
// protobuf, side by side and batch after batch, each entry viewing the right bytes; records
// that are not AcceptedSubmissions, and tombstones, marked unparsed.

#include "services/target-evaluator/submission_batch.h"

#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace tiendo::evaluator {
namespace {

// An unknown group (field 20): protobuf keeps it as an unknown field; AcceptedFields declines.
const std::string kUnknownGroup = "\xa3\x01\xa4\x01";

std::string Event(const std::string& submission_id, double value) {
  events::v1::AcceptedSubmission event;
  event.mutable_submission()->set_submission_id(submission_id);
  event.mutable_submission()->set_reporting_unit_id("dept-st");
  event.mutable_submission()->set_value(value);
  event.mutable_accepted_at()->set_seconds(1751328000);
  return event.SerializeAsString();
}

kafka::ConsumedRecord Record(int64_t offset, std::optional<std::string> value) {
  kafka::ConsumedRecord record;
  record.position = {"tiendo.submissions.v1", 1, offset};
  record.value = std::move(value);
  return record;
}

TEST(SubmissionBatchTest, ReadsWhatItCanAndLeavesTheRestToProtobuf) {
  ASSERT_FALSE(AcceptedFields::Read(Event("b", 2) + kUnknownGroup).has_value());
  const std::vector<kafka::ConsumedRecord> first = {
      Record(10, Event("a", 1)),                  // read in place
      Record(11, Event("b", 2) + kUnknownGroup),  // left to protobuf, which reads it
      Record(12, std::string("\xff\xff", 2)),     // not an AcceptedSubmission
      Record(13, std::nullopt),                   // a tombstone
  };
  SubmissionBatch batch;
  batch.Parse(first);
  ASSERT_EQ(batch.size(), 4u);
  const absl::Span<const SubmissionBatch::Entry> entries = batch.entries();
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].position.topic, "tiendo.submissions.v1");
    EXPECT_EQ(entries[i].position.partition, 1);
    EXPECT_EQ(entries[i].position.offset, static_cast<int64_t>(10 + i));
  }
  ASSERT_TRUE(entries[0].parsed);
  EXPECT_EQ(entries[0].event.submission.submission_id, "a");
  EXPECT_EQ(entries[0].event.submission.value, 1);
  ASSERT_TRUE(entries[1].parsed);
  EXPECT_EQ(entries[1].event.submission.submission_id, "b");
  EXPECT_EQ(entries[1].event.submission.reporting_unit_id, "dept-st");
  EXPECT_EQ(entries[1].event.submission.value, 2);
  EXPECT_EQ(entries[1].event.accepted_at(), absl::FromUnixSeconds(1751328000));
  EXPECT_FALSE(entries[2].parsed);
  EXPECT_FALSE(entries[3].parsed);

  // The next batch, in the same storage: the entries the first batch left to protobuf now
  // hold records read in place, and the other way round.
  const std::vector<kafka::ConsumedRecord> second = {
      Record(14, Event("c", 3) + kUnknownGroup),
      Record(15, Event("d", 4)),
  };
  batch.Parse(second);
  ASSERT_EQ(batch.size(), 2u);
  ASSERT_TRUE(batch.entries()[0].parsed);
  EXPECT_EQ(batch.entries()[0].event.submission.submission_id, "c");
  EXPECT_EQ(batch.entries()[0].event.submission.value, 3);
  ASSERT_TRUE(batch.entries()[1].parsed);
  EXPECT_EQ(batch.entries()[1].event.submission.submission_id, "d");
  EXPECT_EQ(batch.entries()[1].event.submission.value, 4);
  EXPECT_EQ(batch.entries()[1].position.offset, 15);
}

}  // namespace
}  // namespace tiendo::evaluator
