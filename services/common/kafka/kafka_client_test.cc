// Unit tests of the Kafka wrappers against librdkafka's in-process mock
// cluster. The mock creates topics on first use and has no controller, so
// topic creation and missing-topic errors are tested against the real broker
// (tests/integration/kafka_topics_test.cc).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/kafka/consumer.h"
#include "services/common/kafka/kafka_admin.h"
#include "services/common/kafka/key_partition.h"
#include "services/common/kafka/producer.h"
#include "services/common/kafka/topics.h"
#include "tests/support/free_port.h"
#include "tests/support/mock_kafka_cluster.h"

namespace tiendo::kafka {
namespace {

using ::testing::HasSubstr;

// The next record `consumer` reads within about 20 s, or nullopt.
std::optional<ConsumedRecord> ReadOne(Consumer& consumer) {
  for (int i = 0; i < 200; ++i) {
    auto polled = consumer.Poll(absl::Milliseconds(100));
    if (!polled.ok()) {
      ADD_FAILURE() << polled.status();
      return std::nullopt;
    }
    if (polled->has_value()) return *polled;
  }
  return std::nullopt;
}

class KafkaClientTest : public ::testing::Test {
 protected:
  KafkaClientTest() {
    options_.bootstrap_servers = cluster_.bootstrap();
    options_.topic_prefix = "unit.";
    options_.topic_partitions = 3;
  }
  testing::MockKafkaCluster cluster_;
  KafkaOptions options_;
};

TEST(TopicsTest, NamesCarryThePrefixAndCompactionWhereTheLatestValueIsTheState) {
  KafkaOptions options;
  options.topic_prefix = "staging.";
  EXPECT_EQ(TopicName(options, Topic::kSubmissionsRejected), "staging.tiendo.submissions.rejected.v1");
  EXPECT_EQ(SpecFor(options, Topic::kRegistry).configs.at("cleanup.policy"), "compact");
  EXPECT_EQ(SpecFor(options, Topic::kProgress).configs.at("cleanup.policy"), "compact");
  EXPECT_EQ(SpecFor(options, Topic::kSubmissions).configs.at("retention.ms"), "-1");
  EXPECT_EQ(SpecFor(options, Topic::kSubmissionsLedger).configs.at("retention.ms"), "86400000");
  EXPECT_EQ(SuiteTopics(options).size(), 6u);
}

TEST(KafkaOptionsTest, RefusesAnUnknownPropertyNamingIt) {
  KafkaOptions options;
  options.extra_properties = "security.protocol=PLAINTEXT, no.such.property=1";
  absl::StatusOr<ConfPtr> conf = MakeConf(options, "test");
  ASSERT_FALSE(conf.ok());
  EXPECT_EQ(conf.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(conf.status().message(), HasSubstr("no.such.property"));
}

TEST(KafkaOptionsTest, AValueKeepsItsEqualsSigns) {
  KafkaOptions options;
  options.extra_properties = "sasl.username=u, sasl.password=cGFzcw==";
  absl::StatusOr<ConfPtr> conf = MakeConf(options, "test");
  ASSERT_TRUE(conf.ok()) << conf.status();
  char value[64];
  size_t size = sizeof(value);
  ASSERT_EQ(rd_kafka_conf_get(conf->get(), "sasl.password", value, &size), RD_KAFKA_CONF_OK);
  EXPECT_STREQ(value, "cGFzcw==");
}

TEST(KafkaOptionsTest, RefusesAPropertyThatIsNotKeyValue) {
  KafkaOptions options;
  options.extra_properties = "acks";
  EXPECT_THAT(MakeConf(options, "test").status().message(), HasSubstr("\"acks\" is not key=value"));
}

TEST_F(KafkaClientTest, ChecksTheConnection) {
  auto admin = KafkaAdmin::Create(options_, "test-admin");
  ASSERT_TRUE(admin.ok()) << admin.status();
  EXPECT_TRUE((*admin)->CheckConnection(absl::Seconds(10)).ok());
}

TEST_F(KafkaClientTest, ConnectionCheckFailsNamingTheBrokers) {
  options_.bootstrap_servers = testing::UnreachableAddress();
  auto admin = KafkaAdmin::Create(options_, "test-admin");
  ASSERT_TRUE(admin.ok()) << admin.status();
  absl::Status status = (*admin)->CheckConnection(absl::Milliseconds(500));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(status.message(), HasSubstr(options_.bootstrap_servers));
}

TEST_F(KafkaClientTest, ProducedRecordIsReadBackWithKeyValueAndHeaders) {
  cluster_.CreateTopic("unit.events", 2);
  auto producer = Producer::Create(options_, "test-producer");
  ASSERT_TRUE(producer.ok()) << producer.status();
  OutgoingRecord record{"unit.events", "target-t1", "Vũng Tàu \x01\x02",
                        {{std::string(kSchemaHeader), "tiendo.events.v1.ProgressEvent"}}};
  auto position = (*producer)->ProduceAndWait(record, absl::Seconds(10));
  ASSERT_TRUE(position.ok()) << position.status();
  EXPECT_EQ(position->topic, "unit.events");
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(5)).ok());
  EXPECT_EQ((*producer)->OutstandingRecords(), 0);

  auto consumer = Consumer::Create(options_, "test-consumer", "");
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  ASSERT_TRUE((*consumer)->AssignFromBeginning("unit.events", absl::Seconds(10)).ok());
  std::optional<ConsumedRecord> read;
  for (int i = 0; i < 100 && !read.has_value(); ++i) {
    auto polled = (*consumer)->Poll(absl::Milliseconds(100));
    ASSERT_TRUE(polled.ok()) << polled.status();
    read = *polled;
  }
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->position.partition, position->partition);
  EXPECT_EQ(read->position.offset, position->offset);
  EXPECT_EQ(read->key, "target-t1");
  EXPECT_EQ(read->value, record.value);
  EXPECT_EQ(read->HeaderValue(kSchemaHeader), "tiendo.events.v1.ProgressEvent");
  EXPECT_EQ(read->HeaderValue("absent"), std::nullopt);
  (*consumer)->Close();
}

// Keeps the report it receives.
class KeptReport final : public DeliveryReceiver {
 public:
  void Delivered(absl::StatusOr<RecordPosition> position) override {
    absl::MutexLock lock(&mu_);
    position_ = std::move(position);
    ++reports_;
  }
  // The report once there is one, and how many came.
  std::pair<absl::StatusOr<RecordPosition>, int> Await() {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(+[](int* reports) { return *reports > 0; }, &reports_),
                         absl::Seconds(10));
    return {position_, reports_};
  }

 private:
  absl::Mutex mu_;
  absl::StatusOr<RecordPosition> position_ = absl::UnknownError("no report");
  int reports_ = 0;
};

TEST_F(KafkaClientTest, EachReceiverHearsTheReportOfItsOwnRecordOnce) {
  cluster_.CreateTopic("unit.received", 1);
  cluster_.CreateRefusingTopic("unit.refused");
  auto producer = Producer::Create(options_, "test-producer", {{"message.timeout.ms", "1000"}});
  ASSERT_TRUE(producer.ok()) << producer.status();
  std::vector<KeptReport> written(3);
  KeptReport refused;
  for (KeptReport& receiver : written) {
    ASSERT_TRUE((*producer)->Produce({"unit.received", "k", "v", {}}, receiver).ok());
  }
  ASSERT_TRUE((*producer)->Produce({"unit.refused", "k", "v", {}}, refused).ok());
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(10)).ok());

  for (int64_t i = 0; i < static_cast<int64_t>(written.size()); ++i) {
    const auto [position, reports] = written[i].Await();
    ASSERT_TRUE(position.ok()) << position.status();
    EXPECT_EQ(position->topic, "unit.received");
    EXPECT_EQ(position->offset, i) << "record " << i;
    EXPECT_EQ(reports, 1) << "record " << i;
  }
  const auto [position, reports] = refused.Await();
  EXPECT_THAT(position.status().message(), HasSubstr("unit.refused not delivered"));
  EXPECT_EQ(reports, 1);
}

TEST_F(KafkaClientTest, ABatchRefilledInPlaceHoldsExactlyTheNewRecords) {
  cluster_.CreateTopic("unit.batched", 1);
  auto producer = Producer::Create(options_, "test-producer");
  ASSERT_TRUE(producer.ok()) << producer.status();
  // Long first, then shorter, with an empty key, no value and fewer headers: what a slot held
  // before must not show through.
  const std::vector<OutgoingRecord> sent = {
      {"unit.batched", "key-of-some-length", std::string(300, 'a'), {{"h1", "x"}, {"h2", "y"}}},
      {"unit.batched", "k2", "short", {{"h1", "only"}}},
      {"unit.batched", "", std::nullopt, {}},
      {"unit.batched", "k4", "v4", {}},
  };
  for (const OutgoingRecord& record : sent) {
    ASSERT_TRUE((*producer)->ProduceAndWait(record, absl::Seconds(10)).ok());
  }
  auto consumer = Consumer::Create(options_, "test-batch-reader", "");
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  ASSERT_TRUE((*consumer)->AssignFromBeginning("unit.batched", absl::Seconds(10)).ok());
  RecordBatch batch;
  std::vector<std::string> read;  // each record as key|value|headers, in reading order
  for (int i = 0; i < 200 && read.size() < sent.size(); ++i) {
    // Batches of at most 2: the second batch reuses the slots of the first.
    ASSERT_TRUE((*consumer)->PollBatch(batch, 2, absl::Milliseconds(100)).ok());
    ASSERT_LE(batch.size(), 2u);
    for (const ConsumedRecord& record : batch.records()) {
      EXPECT_EQ(record.position.topic, "unit.batched");
      EXPECT_EQ(record.position.offset, static_cast<int64_t>(read.size()));
      std::string text = absl::StrCat(record.key.value_or("<none>"), "|",
                                      record.value.value_or("<none>"), "|");
      for (const Header& header : record.headers) {
        absl::StrAppend(&text, header.key, "=", header.value, ";");
      }
      read.push_back(text);
    }
  }
  EXPECT_THAT(read, ::testing::ElementsAre(
                        absl::StrCat("key-of-some-length|", std::string(300, 'a'), "|h1=x;h2=y;"),
                        "k2|short|h1=only;", "|<none>|", "k4|v4|"));
  ASSERT_TRUE((*consumer)->PollBatch(batch, 2, absl::Milliseconds(50)).ok());
  EXPECT_TRUE(batch.empty());
  (*consumer)->Close();
}

TEST_F(KafkaClientTest, GroupConsumerReceivesRecordsOfItsSubscription) {
  cluster_.CreateTopic("unit.grouped", 1);
  auto producer = Producer::Create(options_, "test-producer");
  ASSERT_TRUE(producer.ok()) << producer.status();
  ASSERT_TRUE((*producer)->ProduceAndWait({"unit.grouped", "k", "v1", {}}, absl::Seconds(10)).ok());

  auto consumer = Consumer::Create(options_, "test-group-consumer", "unit-group");
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  ASSERT_TRUE((*consumer)->Subscribe({"unit.grouped"}).ok());
  std::optional<ConsumedRecord> read = ReadOne(**consumer);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->value, "v1");
  (*consumer)->Close();
}

TEST_F(KafkaClientTest, WatermarksAndPositionsTellWhenEverythingPresentWasRead) {
  cluster_.CreateTopic("unit.table", 3);
  auto consumer = Consumer::Create(options_, "test-table-reader", "");
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  auto empty = (*consumer)->QueryWatermarks("unit.table", absl::Seconds(10));
  ASSERT_TRUE(empty.ok()) << empty.status();
  ASSERT_EQ(empty->size(), 3u);
  for (const auto& [partition, marks] : *empty) {
    EXPECT_EQ(marks.low, 0) << "partition " << partition;
    EXPECT_EQ(marks.high, 0) << "partition " << partition;
  }

  auto producer = Producer::Create(options_, "test-producer");
  ASSERT_TRUE(producer.ok()) << producer.status();
  std::map<int32_t, int64_t> written;  // partition → records
  for (const std::string key : {"a", "b", "c", "d", "e"}) {
    auto position = (*producer)->ProduceAndWait({"unit.table", key, "v", {}}, absl::Seconds(10));
    ASSERT_TRUE(position.ok()) << position.status();
    ++written[position->partition];
  }
  auto marks = (*consumer)->QueryWatermarks("unit.table", absl::Seconds(10));
  ASSERT_TRUE(marks.ok()) << marks.status();
  for (int32_t p = 0; p < 3; ++p) {
    EXPECT_EQ(marks->at(p).high, written.count(p) ? written[p] : 0) << "partition " << p;
  }

  ASSERT_TRUE((*consumer)->AssignFromBeginning("unit.table", absl::Seconds(10)).ok());
  auto before = (*consumer)->Positions("unit.table");
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_TRUE(before->empty());
  int read = 0;
  for (int i = 0; i < 200 && read < 5; ++i) {
    auto polled = (*consumer)->Poll(absl::Milliseconds(50));
    ASSERT_TRUE(polled.ok()) << polled.status();
    if (polled->has_value()) ++read;
  }
  ASSERT_EQ(read, 5);
  auto after = (*consumer)->Positions("unit.table");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*after, written);
  auto other = (*consumer)->Positions("unit.other");
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_TRUE(other->empty());
  (*consumer)->Close();
}

TEST_F(KafkaClientTest, GroupResumesAfterTheCommittedOffset) {
  cluster_.CreateTopic("unit.resumed", 1);
  auto producer = Producer::Create(options_, "test-producer");
  ASSERT_TRUE(producer.ok()) << producer.status();
  for (const std::string value : {"first", "second"}) {
    ASSERT_TRUE(
        (*producer)->ProduceAndWait({"unit.resumed", "k", value, {}}, absl::Seconds(10)).ok());
  }

  // The mock cluster keeps a member that left until its session times out, and librdkafka
  // 2.0.2's cooperative-sticky assignor trips over the rebalance that follows: eager
  // assignment and the shortest session the broker allows.
  const std::map<std::string, std::string> group_settings = {
      {"partition.assignment.strategy", "range"},
      {"session.timeout.ms", "6000"},
      {"heartbeat.interval.ms", "500"}};
  auto first =
      Consumer::Create(options_, "test-committer", "unit-resume-group", group_settings);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE((*first)->Subscribe({"unit.resumed"}).ok());
  std::optional<ConsumedRecord> read = ReadOne(**first);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->value, "first");
  EXPECT_TRUE((*first)->Commit({}).ok());
  RecordPosition next = read->position;
  ++next.offset;
  ASSERT_TRUE((*first)->Commit({next}).ok());
  (*first)->Close();

  auto second =
      Consumer::Create(options_, "test-resumer", "unit-resume-group", group_settings);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_TRUE((*second)->Subscribe({"unit.resumed"}).ok());
  read = ReadOne(**second);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->value, "second");
  (*second)->Close();
}

TEST_F(KafkaClientTest, KeyPartitionIsWhereTheProducerPutsTheKey) {
  cluster_.CreateTopic("unit.keyed", 6);
  auto producer = Producer::Create(options_, "test-producer");
  ASSERT_TRUE(producer.ok()) << producer.status();
  for (const std::string key : {"sme_platform_adoption", "digital_enterprises", "a", "b", "c",
                                "procedure_results_digitised", "online_public_services"}) {
    auto position = (*producer)->ProduceAndWait({"unit.keyed", key, "v", {}}, absl::Seconds(10));
    ASSERT_TRUE(position.ok()) << position.status();
    EXPECT_EQ(position->partition, KeyPartition(key, 6)) << key;
  }
}

TEST_F(KafkaClientTest, RebalanceListenerHearsOfAssignmentsAndChoosesWhereReadingStarts) {
  cluster_.CreateTopic("unit.listened", 1);
  auto producer = Producer::Create(options_, "test-producer");
  ASSERT_TRUE(producer.ok()) << producer.status();
  for (const std::string value : {"zero", "one", "two"}) {
    ASSERT_TRUE(
        (*producer)->ProduceAndWait({"unit.listened", "k", value, {}}, absl::Seconds(10)).ok());
  }
  auto consumer = Consumer::Create(options_, "test-listener", "unit-listener-group");
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  std::vector<RecordPosition> assigned;
  std::vector<RecordPosition> revoked;
  RebalanceListener listener;
  listener.on_assigned = [&](std::vector<RecordPosition>& partitions) {
    for (RecordPosition& partition : partitions) {
      EXPECT_EQ(partition.offset, kCommittedOffset);
      partition.offset = 2;
    }
    assigned.insert(assigned.end(), partitions.begin(), partitions.end());
  };
  listener.on_revoked = [&](const std::vector<RecordPosition>& partitions) {
    revoked.insert(revoked.end(), partitions.begin(), partitions.end());
  };
  ASSERT_TRUE((*consumer)->Subscribe({"unit.listened"}, listener).ok());
  std::optional<ConsumedRecord> read = ReadOne(**consumer);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->value, "two");
  ASSERT_EQ(assigned.size(), 1u);
  EXPECT_EQ(assigned[0].topic, "unit.listened");
  EXPECT_EQ(assigned[0].partition, 0);
  EXPECT_TRUE(revoked.empty());
  (*consumer)->Close();
  ASSERT_EQ(revoked.size(), 1u) << "closing revokes what the member held";
  EXPECT_EQ(revoked[0].partition, 0);
}

}  // namespace
}  // namespace tiendo::kafka
