// Tests of LedgerAnnouncer against librdkafka's mock cluster: the ids handed over within an
// interval go out in one AcceptedIds record keyed by the writer; Stop writes what waits and
// turns later hand-overs into writes at once; records Kafka refuses are counted.
#include "services/metrics-ingest/ledger_announcer.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/kafka/consumer.h"
#include "services/common/kafka/topics.h"
#include "services/metrics-ingest/accepted_ids.h"
#include "tests/support/mock_kafka_cluster.h"
#include "tiendo/events/v1/accepted_ids.pb.h"

namespace tiendo::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;

constexpr absl::Duration kTimeout = absl::Seconds(30);
constexpr char kWriter[] = "writer-1";

AcceptedIdFingerprints Id(int i) {
  return {FingerprintOf(absl::StrCat("dept-st/", i)), FingerprintOf(absl::StrCat("content ", i))};
}

class LedgerAnnouncerTest : public ::testing::Test {
 protected:
  LedgerAnnouncerTest() {
    options_.bootstrap_servers = cluster_.bootstrap();
    options_.topic_prefix = "unit.";
    cluster_.CreateTopic(topic_, 1);
    auto producer = kafka::Producer::Create(options_, "test-announcer");
    EXPECT_TRUE(producer.ok()) << producer.status();
    producer_ = *std::move(producer);
    auto consumer = kafka::Consumer::Create(options_, "test-reader", "");
    EXPECT_TRUE(consumer.ok()) << consumer.status();
    consumer_ = *std::move(consumer);
    EXPECT_TRUE(consumer_->AssignFromBeginning(topic_, kTimeout).ok());
  }

  // The next record on the ledger topic, as the ids it announces (their LedgerKey
  // fingerprints' first halves, enough to tell them apart); nullopt if none came within
  // `wait`. Checks the record's key and schema header.
  std::optional<std::vector<uint64_t>> NextRecord(absl::Duration wait = kTimeout) {
    const absl::Time give_up = absl::Now() + wait;
    while (absl::Now() < give_up) {
      auto polled = consumer_->Poll(absl::Milliseconds(20));
      if (!polled.ok()) {
        ADD_FAILURE() << polled.status();
        return std::nullopt;
      }
      if (!polled->has_value()) continue;
      const kafka::ConsumedRecord& record = **polled;
      EXPECT_EQ(record.key, kWriter);
      EXPECT_EQ(record.HeaderValue(kafka::kSchemaHeader), "tiendo.events.v1.AcceptedIds");
      events::v1::AcceptedIds announced;
      EXPECT_TRUE(announced.ParseFromString(record.value.value_or("")));
      EXPECT_EQ(announced.writer(), kWriter);
      std::vector<uint64_t> keys;
      for (const events::v1::AcceptedId& id : announced.ids()) {
        keys.push_back(UnpackAcceptedId(id).first.first);
      }
      return keys;
    }
    return std::nullopt;
  }

  std::unique_ptr<LedgerAnnouncer> MakeAnnouncer(absl::Duration interval) {
    return std::make_unique<LedgerAnnouncer>(*producer_, topic_, kWriter, interval, metrics_);
  }

  testing::MockKafkaCluster cluster_;
  kafka::KafkaOptions options_;
  const std::string topic_ = "unit.tiendo.submissions.ledger.v1";
  metrics::MetricRegistry metrics_;
  std::unique_ptr<kafka::Producer> producer_;
  std::unique_ptr<kafka::Consumer> consumer_;
};

TEST_F(LedgerAnnouncerTest, TheIdsOfOneIntervalGoOutInOneRecord) {
  std::unique_ptr<LedgerAnnouncer> announcer = MakeAnnouncer(absl::Seconds(1));
  announcer->Announce({Id(1)});
  announcer->Announce({Id(2), Id(3)});
  announcer->Announce({});
  announcer->Announce({Id(4)});
  EXPECT_THAT(NextRecord(), Optional(ElementsAre(Id(1).first.first, Id(2).first.first,
                                                 Id(3).first.first, Id(4).first.first)));
  announcer->Announce({Id(5)});  // the next interval
  EXPECT_THAT(NextRecord(), Optional(ElementsAre(Id(5).first.first)));
  EXPECT_EQ(NextRecord(absl::Milliseconds(1500)), std::nullopt);
}

TEST_F(LedgerAnnouncerTest, StopWritesWhatWaitsAndLaterIdsAtOnce) {
  std::unique_ptr<LedgerAnnouncer> announcer = MakeAnnouncer(absl::Hours(1));
  announcer->Announce({Id(1)});
  EXPECT_EQ(NextRecord(absl::Milliseconds(300)), std::nullopt) << "written before its interval";
  announcer->Stop();
  EXPECT_THAT(NextRecord(), Optional(ElementsAre(Id(1).first.first)));
  announcer->Announce({Id(2)});
  EXPECT_THAT(NextRecord(), Optional(ElementsAre(Id(2).first.first)));
}

TEST_F(LedgerAnnouncerTest, AZeroIntervalWritesEachHandOverAtOnce) {
  std::unique_ptr<LedgerAnnouncer> announcer = MakeAnnouncer(absl::ZeroDuration());
  announcer->Announce({Id(1)});
  announcer->Announce({Id(2)});
  EXPECT_THAT(NextRecord(), Optional(ElementsAre(Id(1).first.first)));
  EXPECT_THAT(NextRecord(), Optional(ElementsAre(Id(2).first.first)));
  ASSERT_TRUE(producer_->Flush(kTimeout).ok());
  EXPECT_THAT(metrics_.Render(), HasSubstr("tiendo_ingest_ledger_announcements_total 2\n"));
}

TEST_F(LedgerAnnouncerTest, IdsTheProducersQueueHasNoRoomForGoWithTheNextInterval) {
  // A queue of one record, held by a record to a topic that never takes it until it times
  // out: the announcement finds no room, then goes out once the queue is free.
  cluster_.CreateRefusingTopic("unit.refusing");
  auto producer = kafka::Producer::Create(
      options_, "test-full",
      {{"queue.buffering.max.messages", "1"}, {"message.timeout.ms", "1500"}});
  ASSERT_TRUE(producer.ok()) << producer.status();
  ASSERT_TRUE((*producer)->Produce({"unit.refusing", "k", "v", {}}, [](auto) {}).ok());
  LedgerAnnouncer announcer(**producer, topic_, kWriter, absl::Milliseconds(50), metrics_);
  announcer.Announce({Id(1)});
  EXPECT_THAT(NextRecord(), Optional(ElementsAre(Id(1).first.first)));
  EXPECT_THAT(metrics_.Render(),
              HasSubstr("tiendo_ingest_ledger_announcement_failures_total 0\n"));
}

TEST_F(LedgerAnnouncerTest, RecordsKafkaRefusesAreCounted) {
  cluster_.CreateRefusingTopic("unit.refusing");
  auto producer =
      kafka::Producer::Create(options_, "test-refused", {{"message.timeout.ms", "1000"}});
  ASSERT_TRUE(producer.ok()) << producer.status();
  LedgerAnnouncer announcer(**producer, "unit.refusing", kWriter, absl::ZeroDuration(), metrics_);
  announcer.Announce({Id(1)});
  ASSERT_TRUE((*producer)->Flush(kTimeout).ok());
  EXPECT_THAT(metrics_.Render(),
              HasSubstr("tiendo_ingest_ledger_announcement_failures_total 1\n"));
  EXPECT_THAT(metrics_.Render(), HasSubstr("tiendo_ingest_ledger_announcements_total 0\n"));
}

}  // namespace
}  // namespace tiendo::ingest
