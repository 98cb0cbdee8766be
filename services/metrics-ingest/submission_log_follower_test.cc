// Tests of SubmissionLogFollower against librdkafka's mock cluster: it learns every id on
// tiendo.submissions.v1 up to the end the topic had at start, and no later ones there; and
// the ids other replicas announce on tiendo.submissions.ledger.v1, before and after start,
// but not its own replica's. Records that hold no such message are counted and skipped.
#include "services/metrics-ingest/submission_log_follower.h"

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/core/submission_rules.h"
#include "services/common/kafka/producer.h"
#include "services/common/kafka/topic_follower.h"
#include "services/common/kafka/topics.h"
#include "services/metrics-ingest/accepted_ids.h"
#include "tests/support/mock_kafka_cluster.h"
#include "tiendo/events/v1/submission_event.pb.h"

namespace tiendo::ingest {
namespace {

using ::testing::HasSubstr;

constexpr absl::Duration kTimeout = absl::Seconds(30);

v1::Submission Item(const std::string& unit, const std::string& id) {
  v1::Submission submission;
  submission.set_reporting_unit_id(unit);
  submission.set_submission_id(id);
  submission.set_indicator_id("reports_received");
  submission.set_period("2024-Q3");
  submission.set_value(10);
  return submission;
}

Fingerprint KeyOf(const v1::Submission& item) {
  return FingerprintOf(LedgerKey(item.reporting_unit_id(), item.submission_id()));
}

ContentFingerprint ContentOf(const v1::Submission& item) {
  return FingerprintOf(core::SubmissionContent(item));
}

class SubmissionLogFollowerTest : public ::testing::Test {
 protected:
  SubmissionLogFollowerTest() {
    options_.bootstrap_servers = cluster_.bootstrap();
    options_.topic_prefix = "unit.";
    // Every follower here fetches what arrives within 10 ms.
    options_.extra_properties = "fetch.wait.max.ms=10";
    cluster_.CreateTopic(Topic(kafka::Topic::kSubmissions), 2);
    cluster_.CreateTopic(Topic(kafka::Topic::kSubmissionsLedger), 2);
    auto producer = kafka::Producer::Create(options_, "test-writer");
    EXPECT_TRUE(producer.ok()) << producer.status();
    producer_ = *std::move(producer);
  }

  std::string Topic(kafka::Topic topic) const { return kafka::TopicName(options_, topic); }

  void Write(kafka::Topic topic, const std::string& value, const std::string& key = "k") {
    ASSERT_TRUE(producer_->ProduceAndWait({Topic(topic), key, value, {}}, kTimeout).ok());
  }

  // As ingest writes an accepted item.
  void WriteAccepted(const v1::Submission& item) {
    events::v1::AcceptedSubmission event;
    *event.mutable_submission() = item;
    Write(kafka::Topic::kSubmissions, event.SerializeAsString());
  }

  // As a replica named `writer` announces a batch of `items`.
  void Announce(const std::string& writer, const std::vector<v1::Submission>& items) {
    std::vector<AcceptedIdFingerprints> ids;
    for (const v1::Submission& item : items) ids.emplace_back(KeyOf(item), ContentOf(item));
    for (const events::v1::AcceptedIds& announced : PackAcceptedIds(writer, ids)) {
      Write(kafka::Topic::kSubmissionsLedger, announced.SerializeAsString(), writer);
    }
  }

  LedgerVerdict Verdict(const v1::Submission& item) const {
    return ledger_.Check(KeyOf(item), ContentOf(item));
  }

  testing::MockKafkaCluster cluster_;
  kafka::KafkaOptions options_;
  std::unique_ptr<kafka::Producer> producer_;
  SubmissionLedger ledger_;
  metrics::MetricRegistry metrics_;
};

TEST_F(SubmissionLogFollowerTest, LearnsTheLogToItsStartEndAndWhatOtherReplicasAnnounce) {
  const v1::Submission logged = Item("dept-st", "logged");
  const v1::Submission announced = Item("dept-pi", "announced");
  const v1::Submission own = Item("dept-st", "own");
  const v1::Submission later = Item("dept-st", "later");
  const v1::Submission logged_later = Item("dept-st", "logged-later");
  WriteAccepted(logged);
  Write(kafka::Topic::kSubmissions, "not an event");
  Announce("other-replica", {announced});
  Announce(ledger_.writer(), {own});  // settled by its batch, not here
  // Its own records are skipped by their key, without being decoded.
  Write(kafka::Topic::kSubmissionsLedger, std::string(1, '\xff'), ledger_.writer());
  Write(kafka::Topic::kSubmissionsLedger, std::string(1, '\xff'));

  auto follower = SubmissionLogFollower::Start(options_, ledger_, metrics_);
  ASSERT_TRUE(follower.ok()) << follower.status();
  const absl::Time give_up = absl::Now() + kTimeout;
  while (!(*follower)->caught_up() && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_TRUE((*follower)->caught_up());
  EXPECT_EQ(Verdict(logged), LedgerVerdict::kDuplicate);
  EXPECT_EQ(Verdict(announced), LedgerVerdict::kDuplicate);
  EXPECT_EQ(Verdict(own), LedgerVerdict::kNew);

  // After the start, announcements still arrive; the log is no longer read (its follower
  // closed its consumer before it counted as caught up). A follower that kept reading would
  // have had logged_later by the time this one, reading onward, has.
  std::atomic<int> read{0};
  auto onward = kafka::TopicFollower::Start(
      options_, Topic(kafka::Topic::kSubmissions), "test-onward",
      [&read](absl::Span<const kafka::ConsumedRecord> records) {
        read += static_cast<int>(records.size());
      },
      metrics_, "test_onward");
  ASSERT_TRUE(onward.ok()) << onward.status();
  WriteAccepted(logged_later);
  Announce("other-replica", {later});
  while ((read < 3 || Verdict(later) != LedgerVerdict::kDuplicate) && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  (*onward)->Stop();
  EXPECT_EQ(read, 3) << "logged, the undecodable record and logged_later";
  EXPECT_EQ(Verdict(later), LedgerVerdict::kDuplicate);
  EXPECT_EQ(Verdict(logged_later), LedgerVerdict::kNew);
  (*follower)->Stop();

  const std::string rendered = metrics_.Render();
  EXPECT_THAT(rendered, HasSubstr("tiendo_ingest_submissions_log_caught_up 1\n"));
  EXPECT_THAT(rendered, HasSubstr("tiendo_ingest_ledger_caught_up 1\n"));
  EXPECT_THAT(rendered, HasSubstr("tiendo_ingest_ledger_records_undecodable_total{topic="
                                  "\"unit.tiendo.submissions.v1\"} 1\n"));
  EXPECT_THAT(rendered, HasSubstr("tiendo_ingest_ledger_records_undecodable_total{topic="
                                  "\"unit.tiendo.submissions.ledger.v1\"} 1\n"));
  EXPECT_THAT(rendered, HasSubstr("tiendo_ingest_ledger_submissions 3\n"));
}

}  // namespace
}  // namespace tiendo::ingest
