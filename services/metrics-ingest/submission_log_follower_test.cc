// Tests of SubmissionLogFollower against librdkafka's mock cluster: a write of this replica
// that Kafka has reported is read past, unpacked by no one, and still settles its id in the
// ledger; the records of others are read.
#include "services/metrics-ingest/submission_log_follower.h"

#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/kafka/producer.h"
#include "services/common/kafka/topics.h"
#include "services/metrics-ingest/written_offsets.h"
#include "tests/support/mock_kafka_cluster.h"

namespace tiendo::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr absl::Duration kTimeout = absl::Seconds(30);

TEST(SubmissionLogFollowerTest, AReportedOwnWriteIsReadPastAndStillSettlesItsId) {
  testing::MockKafkaCluster cluster;
  kafka::KafkaOptions options;
  options.bootstrap_servers = cluster.bootstrap();
  options.topic_prefix = "unit.";
  const std::string topic = kafka::TopicName(options, kafka::Topic::kSubmissions);
  cluster.CreateTopic(topic, 1);
  auto producer = kafka::Producer::Create(options, "test-writer");
  ASSERT_TRUE(producer.ok()) << producer.status();

  // As a batch writes an id: reserved, written, reported. The record holds no event, so a
  // follower that read it would count it undecodable and learn nothing from it.
  SubmissionLedger ledger;
  const Fingerprint key = FingerprintOf(LedgerKey("dept-st", "a"));
  const ContentFingerprint content = FingerprintOf("content");
  ASSERT_THAT(ledger.Reserve({{key, content}}, [](size_t, LedgerVerdict) {}),
              ElementsAre(LedgerVerdict::kNew));
  auto own = (*producer)->ProduceAndWait({topic, "k", "not an event", {}}, kTimeout);
  ASSERT_TRUE(own.ok()) << own.status();
  WrittenOffsets written;
  written.Add(own->partition, own->offset, key);
  // Another writer's record, no event either: read, and counted.
  ASSERT_TRUE((*producer)->ProduceAndWait({topic, "k", "not an event either", {}}, kTimeout).ok());

  metrics::MetricRegistry metrics;
  auto follower = SubmissionLogFollower::Start(options, ledger, written, metrics);
  ASSERT_TRUE(follower.ok()) << follower.status();
  const absl::Time give_up = absl::Now() + kTimeout;
  while (!(*follower)->caught_up() && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_TRUE((*follower)->caught_up());
  (*follower)->Stop();

  EXPECT_EQ(ledger.Check(key, content), LedgerVerdict::kDuplicate) << "not settled as written";
  EXPECT_EQ(written.size(), 0u);
  EXPECT_THAT(metrics.Render(), HasSubstr("tiendo_ingest_ledger_records_undecodable_total 1\n"));
  EXPECT_THAT(metrics.Render(), HasSubstr("tiendo_ingest_ledger_reported_writes_unread 0\n"));
}

}  // namespace
}  // namespace tiendo::ingest
