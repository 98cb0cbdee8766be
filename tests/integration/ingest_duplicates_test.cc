// Submission ids over both paths of metrics-ingest, with the real registry and broker: a
// resend is DUPLICATE and writes nothing, the same id with other content is a CONFLICT, an id
// accepted over gRPC and produced again on the raw topic is dropped (and the reverse), a
// conflict on the raw topic is a dead letter — and all of it still holds after ingest
// restarts and rebuilds its ledger from tiendo.submissions.v1, and on another replica, which
// hears of the ids on tiendo.submissions.ledger.v1.
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/kafka/producer.h"
#include "tests/support/ingest_suite.h"
#include "tests/support/topic_reader.h"
#include "tiendo/events/v1/raw_submission_batch.pb.h"
#include "tiendo/events/v1/rejected_submission.pb.h"
#include "tiendo/events/v1/submission_event.pb.h"

namespace tiendo {
namespace {

namespace v1 = ingest::v1;

constexpr char kDigitised[] = "procedure_results_digitised";

class IngestDuplicatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::IngestSuite>> suite = testing::IngestSuite::Start(
        {TIENDO_REGISTRY_BINARY, TIENDO_INGEST_BINARY, "duplicates", {"dept-st", "dept-pi"}, {},
         ""});
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = *std::move(suite);
    absl::StatusOr<std::unique_ptr<testing::TopicReader>> accepted = testing::TopicReader::Open(
        suite_->bootstrap(), suite_->TopicName(kafka::Topic::kSubmissions));
    ASSERT_TRUE(accepted.ok()) << accepted.status();
    accepted_ = *std::move(accepted);
  }

  // The answers to one gRPC batch of `items` from `unit`, sent to the ingest at `address`
  // (empty: the first).
  std::vector<v1::SubmissionResult> Send(const std::string& unit,
                                         const std::vector<v1::Submission>& items,
                                         const std::string& address = "") {
    v1::SubmitBatchRequest request;
    for (const v1::Submission& item : items) *request.add_submissions() = item;
    v1::SubmitBatchResponse response;
    grpc::Status status =
        suite_->Submit(suite_->token(unit).bearer, request, &response, address);
    EXPECT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
    return {response.results().begin(), response.results().end()};
  }

  // Sends `item` alone from `unit` to the ingest at `address` (empty: the first) and expects
  // `outcome` (and `reason` with field submission_id for a rejection).
  void ExpectAnswer(const std::string& what, const std::string& unit, const v1::Submission& item,
                    v1::SubmissionOutcome outcome,
                    v1::RejectionReason reason = v1::REJECTION_REASON_UNSPECIFIED,
                    const std::string& address = "") {
    const std::vector<v1::SubmissionResult> results = Send(unit, {item}, address);
    ASSERT_EQ(results.size(), 1u) << what;
    EXPECT_EQ(results[0].outcome(), outcome) << what << ": " << results[0].ShortDebugString();
    EXPECT_EQ(results[0].reason(), reason) << what << ": " << results[0].ShortDebugString();
    EXPECT_EQ(results[0].submission_id(), item.submission_id()) << what;
    if (outcome == v1::SUBMISSION_OUTCOME_REJECTED) {
      EXPECT_EQ(results[0].field(), "submission_id") << what;
    }
    if (outcome != v1::SUBMISSION_OUTCOME_ACCEPTED) {
      EXPECT_FALSE(results[0].message().empty()) << what;
    }
  }

  // Produces a RawSubmissionBatch of `items` from `unit` on the raw topic.
  void ProduceRaw(const std::string& unit, const std::vector<v1::Submission>& items) {
    events::v1::RawSubmissionBatch batch;
    for (const v1::Submission& item : items) *batch.add_submissions() = item;
    batch.set_batch_id(absl::StrCat("duplicates raw ", ++raw_batches_));
    absl::StatusOr<kafka::RecordPosition> written = suite_->ProduceRaw(
        unit, batch.SerializeAsString(),
        testing::IngestSuite::RawHeaders(suite_->token(unit).bearer));
    ASSERT_TRUE(written.ok()) << written.status();
  }

  // How often each (unit, submission id) is on tiendo.submissions.v1 so far.
  std::map<std::pair<std::string, std::string>, int> Counts() {
    absl::StatusOr<std::vector<events::v1::AcceptedSubmission>> events =
        testing::ParseRecords<events::v1::AcceptedSubmission>(accepted_->records());
    EXPECT_TRUE(events.ok()) << events.status();
    std::map<std::pair<std::string, std::string>, int> counts;
    if (!events.ok()) return counts;
    for (const events::v1::AcceptedSubmission& event : *events) {
      ++counts[{event.submission().reporting_unit_id(), event.submission().submission_id()}];
    }
    return counts;
  }

  // Reads tiendo.submissions.v1 until `unit`'s `id` is there.
  void WaitForAccepted(const std::string& unit, const std::string& id,
                       absl::Duration timeout = absl::Seconds(30)) {
    absl::Status read = accepted_->ReadUntil(
        [&](const testing::TopicReader::Records&) { return Counts()[{unit, id}] > 0; },
        timeout);
    ASSERT_TRUE(read.ok()) << read << "; ingest log:\n" << suite_->IngestLog();
  }

  std::unique_ptr<testing::IngestSuite> suite_;
  std::unique_ptr<testing::TopicReader> accepted_;
  int raw_batches_ = 0;
};

TEST_F(IngestDuplicatesTest, SubmissionIdsHoldOverBothPathsAndAcrossARestart) {
  const v1::Submission a = testing::RatioSubmission("dup:a", kDigitised, "2025-Q1", 80, 100);
  v1::Submission a_restamped = a;  // what a resend may change without changing the content
  a_restamped.set_comment("sent again after a timeout");
  a_restamped.set_source_system("ingest-integration-test/2");
  a_restamped.mutable_submitted_at()->set_seconds(1767225600);
  v1::Submission a_other = a;  // same id, other figure
  a_other.mutable_ratio()->set_numerator(81);
  v1::Submission a_other_period = a;
  a_other_period.set_period("2025-Q2");

  // --- gRPC.
  ExpectAnswer("first send", "dept-st", a, v1::SUBMISSION_OUTCOME_ACCEPTED);
  ExpectAnswer("resend", "dept-st", a, v1::SUBMISSION_OUTCOME_DUPLICATE);
  ExpectAnswer("resend with a new comment, source and time", "dept-st", a_restamped,
               v1::SUBMISSION_OUTCOME_DUPLICATE);
  ExpectAnswer("same id, other figure", "dept-st", a_other, v1::SUBMISSION_OUTCOME_REJECTED,
               v1::REJECTION_REASON_CONFLICT);
  ExpectAnswer("same id, other period", "dept-st", a_other_period,
               v1::SUBMISSION_OUTCOME_REJECTED, v1::REJECTION_REASON_CONFLICT);
  // Ids are per unit: dept-pi may use the same one for its own figure.
  ExpectAnswer("same id, another unit", "dept-pi", a_other, v1::SUBMISSION_OUTCOME_ACCEPTED);
  // Within one batch: the second copy is a duplicate of the first, a third with other
  // content a conflict.
  {
    const v1::Submission c = testing::RatioSubmission("dup:c", kDigitised, "2025-Q2", 10, 20);
    v1::Submission c_other = c;
    c_other.mutable_ratio()->set_denominator(40);
    const std::vector<v1::SubmissionResult> results = Send("dept-st", {c, c, c_other});
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results[0].outcome(), v1::SUBMISSION_OUTCOME_ACCEPTED);
    EXPECT_EQ(results[1].outcome(), v1::SUBMISSION_OUTCOME_DUPLICATE);
    EXPECT_EQ(results[2].outcome(), v1::SUBMISSION_OUTCOME_REJECTED);
    EXPECT_EQ(results[2].reason(), v1::REJECTION_REASON_CONFLICT);
  }

  // --- The raw topic. Every item here is on the same indicator, so its accepted records land
  // in one partition in the order ingest wrote them: once a later item is there, an earlier
  // one that should have been dropped would be there too.
  const v1::Submission b = testing::RatioSubmission("dup:b", kDigitised, "2025-03", 5, 9);
  ProduceRaw("dept-st", {a, b});  // a: accepted over gRPC already
  WaitForAccepted("dept-st", "dup:b");
  EXPECT_EQ((Counts()[{"dept-st", "dup:a"}]), 1) << "a raw duplicate of a gRPC item was written";
  ExpectAnswer("gRPC resend of an item accepted from the raw topic", "dept-st", b,
               v1::SUBMISSION_OUTCOME_DUPLICATE);

  const v1::Submission d = testing::RatioSubmission("dup:d", kDigitised, "2025-04", 6, 9);
  ProduceRaw("dept-st", {a_other, d});  // a_other: a conflict
  WaitForAccepted("dept-st", "dup:d");
  const v1::Submission e = testing::RatioSubmission("dup:e", kDigitised, "2025-05", 7, 9);
  ProduceRaw("dept-st", {a, b});  // the first raw batch again: both duplicates
  ProduceRaw("dept-st", {e});
  WaitForAccepted("dept-st", "dup:e");
  EXPECT_EQ((Counts()[{"dept-st", "dup:a"}]), 1);
  EXPECT_EQ((Counts()[{"dept-st", "dup:b"}]), 1);

  // The conflict is a dead letter naming the item; the duplicates are not.
  absl::StatusOr<std::unique_ptr<testing::TopicReader>> rejected = testing::TopicReader::Open(
      suite_->bootstrap(), suite_->TopicName(kafka::Topic::kSubmissionsRejected));
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  ASSERT_TRUE((*rejected)->ReadToEnd(absl::Seconds(30)).ok());
  {
    absl::StatusOr<std::vector<events::v1::RejectedSubmission>> letters =
        testing::ParseRecords<events::v1::RejectedSubmission>((*rejected)->records());
    ASSERT_TRUE(letters.ok()) << letters.status();
    ASSERT_EQ(letters->size(), 1u);
    const events::v1::RejectedSubmission& letter = letters->front();
    EXPECT_EQ(letter.reason(), v1::REJECTION_REASON_CONFLICT) << letter.ShortDebugString();
    EXPECT_EQ(letter.field(), "submission_id");
    EXPECT_EQ(letter.submission_id(), "dup:a");
    EXPECT_EQ(letter.reporting_unit_id(), "dept-st");
    ASSERT_TRUE(letter.has_item_index());
    EXPECT_EQ(letter.item_index(), 0);
    EXPECT_EQ(letter.original_value(), a_other.SerializeAsString());
    EXPECT_EQ(letter.batch_id(), "duplicates raw 2");
    EXPECT_EQ((*rejected)->records().front().key, "dept-st");
  }

  // --- Restart: the ledger comes back from tiendo.submissions.v1 (and the last day's
  // announcements). An item written there by a replica that died before it announced it
  // (here: written by the test while ingest is down) can only be known from the former.
  ASSERT_TRUE(suite_->StopIngest().ok());
  const v1::Submission g = testing::RatioSubmission("dup:g", kDigitised, "2025-Q3", 1, 2);
  {
    events::v1::AcceptedSubmission unannounced;  // as ingest writes g accepted from dept-st
    *unannounced.mutable_submission() = g;
    unannounced.mutable_submission()->set_reporting_unit_id("dept-st");
    unannounced.mutable_submission()->set_kind(v1::SUBMISSION_KIND_REPORT);
    absl::StatusOr<std::unique_ptr<kafka::Producer>> producer =
        kafka::Producer::Create(suite_->kafka_options(), "duplicates-test-writer");
    ASSERT_TRUE(producer.ok()) << producer.status();
    ASSERT_TRUE((*producer)
                    ->ProduceAndWait({suite_->TopicName(kafka::Topic::kSubmissions),
                                      kDigitised, unannounced.SerializeAsString(), {}},
                                     absl::Seconds(30))
                    .ok());
  }
  ASSERT_TRUE(suite_->StartIngest().ok());
  ExpectAnswer("written by a replica that died before announcing it", "dept-st", g,
               v1::SUBMISSION_OUTCOME_DUPLICATE);
  ExpectAnswer("resend after a restart", "dept-st", a, v1::SUBMISSION_OUTCOME_DUPLICATE);
  ExpectAnswer("conflict after a restart", "dept-st", a_other, v1::SUBMISSION_OUTCOME_REJECTED,
               v1::REJECTION_REASON_CONFLICT);
  ExpectAnswer("raw item resent over gRPC after a restart", "dept-st", d,
               v1::SUBMISSION_OUTCOME_DUPLICATE);
  ExpectAnswer("the other unit's after a restart", "dept-pi", a_other,
               v1::SUBMISSION_OUTCOME_DUPLICATE);
  ExpectAnswer("the other unit's conflict after a restart", "dept-pi", a,
               v1::SUBMISSION_OUTCOME_REJECTED, v1::REJECTION_REASON_CONFLICT);
  // (The raw path after a restart: see RawPathResumesPromptlyAfterAGracefulRestart.)

  // In the end each (unit, id) once, and nothing else.
  ASSERT_TRUE(accepted_->ReadToEnd(absl::Seconds(30)).ok());
  const std::map<std::pair<std::string, std::string>, int> expected = {
      {{"dept-st", "dup:a"}, 1}, {{"dept-st", "dup:b"}, 1}, {{"dept-st", "dup:c"}, 1},
      {{"dept-st", "dup:d"}, 1}, {{"dept-st", "dup:e"}, 1}, {{"dept-st", "dup:g"}, 1},
      {{"dept-pi", "dup:a"}, 1}};
  EXPECT_EQ(Counts(), expected);
  absl::StatusOr<std::vector<events::v1::AcceptedSubmission>> events =
      testing::ParseRecords<events::v1::AcceptedSubmission>(accepted_->records());
  ASSERT_TRUE(events.ok()) << events.status();
  for (const events::v1::AcceptedSubmission& event : *events) {
    if (event.submission().submission_id() != "dup:a") continue;
    // Each unit's first content stayed.
    EXPECT_EQ(event.submission().ratio().numerator(),
              event.submission().reporting_unit_id() == "dept-st" ? 80 : 81);
  }
  ASSERT_TRUE((*rejected)->ReadToEnd(absl::Seconds(30)).ok());
  EXPECT_EQ((*rejected)->records().size(), 1u) << "dead letters after the restart";
}

// The first write of an id stands, and is counted: a resend after the registry changed (here
// the unit was suspended; as well the indicator taken from it, or the plan's horizon moved)
// is still DUPLICATE, not refused by today's rules.
TEST_F(IngestDuplicatesTest, AResendStaysDuplicateAfterTheRegistryChanges) {
  const v1::Submission a = testing::RatioSubmission("dup:suspended", kDigitised, "2025-Q1", 8, 10);
  ExpectAnswer("first send", "dept-st", a, v1::SUBMISSION_OUTCOME_ACCEPTED);
  v1::Submission other = a;
  other.mutable_ratio()->set_numerator(9);
  ExpectAnswer("other content", "dept-st", other, v1::SUBMISSION_OUTCOME_REJECTED,
               v1::REJECTION_REASON_CONFLICT);
  ASSERT_TRUE(
      suite_->SetUnitStatus("dept-st", registry::v1::REPORTING_UNIT_STATUS_SUSPENDED).ok());
  ASSERT_TRUE(suite_
                  ->WaitUntilDryRun(suite_->token("dept-st").bearer,
                                    testing::RatioSubmission("dup:probe", kDigitised, "2025-Q1",
                                                             1, 10),
                                    v1::SUBMISSION_OUTCOME_REJECTED,
                                    v1::REJECTION_REASON_REPORTING_UNIT_INACTIVE)
                  .ok());
  ExpectAnswer("resend after the suspension", "dept-st", a, v1::SUBMISSION_OUTCOME_DUPLICATE);
  WaitForAccepted("dept-st", a.submission_id());
  EXPECT_EQ((Counts()[{"dept-st", a.submission_id()}]), 1);
}

// A graceful stop leaves the raw path's consumer group, so the restarted ingest gets the raw
// topic at once rather than after the old member's session times out (45 s).
TEST_F(IngestDuplicatesTest, RawPathResumesPromptlyAfterAGracefulRestart) {
  const v1::Submission b = testing::RatioSubmission("dup:b", kDigitised, "2025-03", 5, 9);
  const v1::Submission f = testing::RatioSubmission("dup:f", kDigitised, "2025-06", 8, 9);
  ProduceRaw("dept-st", {b});
  WaitForAccepted("dept-st", "dup:b");
  ASSERT_TRUE(suite_->StopIngest().ok());
  ASSERT_TRUE(suite_->StartIngest().ok());
  // b again is a duplicate (the ledger came back); f goes through — promptly.
  ProduceRaw("dept-st", {b, f});
  WaitForAccepted("dept-st", "dup:f", absl::Seconds(15));
  EXPECT_EQ((Counts()[{"dept-st", "dup:b"}]), 1);
}

// Replicas tell each other the ids they accepted: a resend to the other replica is DUPLICATE
// (or a CONFLICT) and writes nothing, either way round — without a restart, so it is not the
// reading of tiendo.submissions.v1 at start-up that recognises it.
TEST_F(IngestDuplicatesTest, ReplicasRecogniseEachOthersIds) {
  ASSERT_TRUE(suite_->StartSecondIngest().ok());
  const std::string second = suite_->second_ingest_address();
  const std::string& bearer = suite_->token("dept-st").bearer;
  const v1::Submission x = testing::RatioSubmission("dup:x", kDigitised, "2025-Q1", 3, 4);
  v1::Submission x_other = x;
  x_other.mutable_ratio()->set_numerator(2);
  const v1::Submission y = testing::RatioSubmission("dup:y", kDigitised, "2025-Q2", 3, 4);

  ExpectAnswer("x to the first", "dept-st", x, v1::SUBMISSION_OUTCOME_ACCEPTED);
  ASSERT_TRUE(suite_
                  ->WaitUntilDryRun(bearer, x, v1::SUBMISSION_OUTCOME_DUPLICATE,
                                    v1::REJECTION_REASON_UNSPECIFIED, second)
                  .ok())
      << suite_->SecondIngestLog();
  ExpectAnswer("x again, to the second", "dept-st", x, v1::SUBMISSION_OUTCOME_DUPLICATE,
               v1::REJECTION_REASON_UNSPECIFIED, second);
  ExpectAnswer("x with another figure, to the second", "dept-st", x_other,
               v1::SUBMISSION_OUTCOME_REJECTED, v1::REJECTION_REASON_CONFLICT, second);

  ExpectAnswer("y to the second", "dept-st", y, v1::SUBMISSION_OUTCOME_ACCEPTED,
               v1::REJECTION_REASON_UNSPECIFIED, second);
  ASSERT_TRUE(suite_
                  ->WaitUntilDryRun(bearer, y, v1::SUBMISSION_OUTCOME_DUPLICATE,
                                    v1::REJECTION_REASON_UNSPECIFIED)
                  .ok())
      << suite_->IngestLog();
  ExpectAnswer("y again, to the first", "dept-st", y, v1::SUBMISSION_OUTCOME_DUPLICATE);

  WaitForAccepted("dept-st", "dup:y");
  ASSERT_TRUE(accepted_->ReadToEnd(absl::Seconds(30)).ok());
  const std::map<std::pair<std::string, std::string>, int> expected = {
      {{"dept-st", "dup:x"}, 1}, {{"dept-st", "dup:y"}, 1}};
  EXPECT_EQ(Counts(), expected);
  EXPECT_EQ(suite_->IngestMetric("tiendo_ingest_ledger_announcement_failures_total"), 0);
  EXPECT_GE(suite_->IngestMetric("tiendo_ingest_ledger_announcements_total").value_or(0), 1);
}

}  // namespace
}  // namespace tiendo
