// OutboxRelay against librdkafka's in-process mock cluster, with the real store on a
// temporary SQLite file: what was committed reaches the topic in commit order with the
// schema header and its outbox sequence, deletions as an event and a tombstone, and the
// outbox empties only as Kafka acknowledges. With no broker, nothing leaves the outbox.
#include "services/registry/outbox_relay.h"

// clang-format on

#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/kafka/consumer.h"
#include "services/common/kafka/producer.h"
#include "services/common/metrics/metric_registry.h"
#include "services/registry/entity_writer.h"
#include "services/registry/store/sqlite_database.h"
#include "tests/support/free_port.h"
#include "tests/support/metric_series.h"
#include "tests/support/mock_kafka_cluster.h"
#include "tests/support/service_under_test.h"
#include "tests/support/temp_dir.h"
#include "tiendo/events/v1/registry_event.pb.h"

namespace tiendo::registry {
namespace {

using ::testing::ElementsAre;

constexpr char kTopic[] = "unit.tiendo.registry.v1";

class OutboxRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(directory_.empty()) << "no temporary directory";
    StoreOptions options;
    options.path = directory_ + "/registry.db";
    options.durability = Durability::kNormal;
    absl::StatusOr<std::unique_ptr<RegistryStore>> store = RegistryStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    cluster_.CreateTopic(kTopic, 1);
    kafka_.bootstrap_servers = cluster_.bootstrap();
  }

  void TearDown() override {
    store_.reset();
    tiendo::testing::RemoveTree(directory_);
  }

  // A relay of the store through `producer`, retrying fast.
  std::unique_ptr<OutboxRelay> Relay(kafka::Producer& producer) {
    RelayOptions options;
    options.topic = kTopic;
    options.idle_wait = absl::Milliseconds(50);
    options.retry_backoff = absl::Milliseconds(50);
    return std::make_unique<OutboxRelay>(*store_, producer, options, metrics_);
  }

  // Commits one version of enterprise `tax_code` (or its deletion).
  void Commit(const std::string& tax_code, const std::string& name, bool remove = false) {
    absl::Status written = store_->Write(
        WriteContext{"ops:test", "Test"}, false, [&](RegistryWrite& write) -> absl::Status {
          EntityWriter writer(write);
          if (remove) return writer.Delete(v1::ENTITY_KIND_ENTERPRISE, tax_code).status();
          v1::Enterprise enterprise;
          enterprise.set_tax_code(tax_code);
          enterprise.set_name_vi(name);
          return writer.Put(v1::ENTITY_KIND_ENTERPRISE, tax_code, enterprise).status();
        });
    ASSERT_TRUE(written.ok()) << written;
  }

  int64_t OutboxSize() {
    absl::StatusOr<int64_t> size = store_->OutboxSize();
    return size.ok() ? *size : -1;
  }

  // Every record on the topic, read from the beginning until `count` arrived.
  std::vector<kafka::ConsumedRecord> ReadTopic(size_t count) {
    std::vector<kafka::ConsumedRecord> records;
    auto consumer = kafka::Consumer::Create(kafka_, "relay-test-reader", "");
    EXPECT_TRUE(consumer.ok()) << consumer.status();
    if (!consumer.ok()) return records;
    EXPECT_TRUE((*consumer)->AssignFromBeginning(kTopic, absl::Seconds(10)).ok());
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (records.size() < count && absl::Now() < deadline) {
      auto polled = (*consumer)->Poll(absl::Milliseconds(100));
      EXPECT_TRUE(polled.ok()) << polled.status();
      if (!polled.ok()) break;
      if (polled->has_value()) records.push_back(**polled);
    }
    (*consumer)->Close();
    return records;
  }

  const std::string directory_ = tiendo::testing::MakeTempDir("outbox-relay");
  testing::MockKafkaCluster cluster_;
  kafka::KafkaOptions kafka_;
  std::unique_ptr<RegistryStore> store_;
  metrics::MetricRegistry metrics_;
};

TEST_F(OutboxRelayTest, PublishesTheOutboxInCommitOrderAndEmptiesIt) {
  Commit("0100233488", "first");
  Commit("3509001001", "other");
  Commit("0100233488", "renamed");
  Commit("3509001001", "", /*remove=*/true);
  absl::StatusOr<std::vector<OutboxRecord>> queued = store_->ReadOutbox(0, 100);
  ASSERT_TRUE(queued.ok());
  ASSERT_EQ(queued->size(), 5u);

  auto producer = kafka::Producer::Create(kafka_, "relay-test");
  ASSERT_TRUE(producer.ok()) << producer.status();
  std::unique_ptr<OutboxRelay> relay = Relay(**producer);
  relay->Start();
  ASSERT_TRUE(testing::WaitUntil([&] { return OutboxSize() == 0; }, absl::Seconds(30))) << OutboxSize();
  EXPECT_EQ(relay->relayed_through(), queued->back().sequence);

  // A commit while the relay runs is published too.
  Commit("0314409058", "late");
  ASSERT_TRUE(testing::WaitUntil([&] { return OutboxSize() == 0; }, absl::Seconds(30))) << OutboxSize();
  relay->Stop();
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(5)).ok());

  std::vector<kafka::ConsumedRecord> records = ReadTopic(6);
  ASSERT_EQ(records.size(), 6u);
  std::vector<std::string> keys;
  std::vector<int64_t> versions;
  int64_t previous_sequence = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    const kafka::ConsumedRecord& record = records[i];
    keys.push_back(record.key.value_or("<null>"));
    EXPECT_THAT(record.HeaderValue(kafka::kSchemaHeader),
                ::testing::Optional(absl::string_view("tiendo.events.v1.RegistryEvent")));
    if (!record.value.has_value()) {
      versions.push_back(-1);  // tombstone
      continue;
    }
    events::v1::RegistryEvent event;
    ASSERT_TRUE(event.ParseFromString(*record.value)) << i;
    versions.push_back(event.entity_version());
    EXPECT_GT(event.outbox_sequence(), previous_sequence) << i;
    previous_sequence = event.outbox_sequence();
    if (i < queued->size()) {
      EXPECT_EQ(event.outbox_sequence(), (*queued)[i].sequence) << i;
    }
  }
  EXPECT_THAT(keys, ElementsAre("enterprise/0100233488", "enterprise/3509001001",
                                "enterprise/0100233488", "enterprise/3509001001",
                                "enterprise/3509001001", "enterprise/0314409058"));
  EXPECT_THAT(versions, ElementsAre(1, 1, 2, 2, -1, 1));
}

TEST_F(OutboxRelayTest, ADeleteThatFailedIsTriedAgainWithoutWaitingForNewRecords) {
  Commit("0100233488", "first");
  absl::StatusOr<std::vector<OutboxRecord>> queued = store_->ReadOutbox(0, 100);
  ASSERT_TRUE(queued.ok() && !queued->empty());
  // Another connection holds the write lock: the relay reads and publishes, but its delete
  // waits out SQLite's busy timeout (5 s) and fails.
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> other =
      SqliteDatabase::Open(directory_ + "/registry.db", Durability::kNormal);
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE((*other)->Execute("BEGIN IMMEDIATE").ok());
  auto producer = kafka::Producer::Create(kafka_, "relay-test");
  ASSERT_TRUE(producer.ok()) << producer.status();
  std::unique_ptr<OutboxRelay> relay = Relay(**producer);
  relay->Start();
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return relay->relayed_through() == queued->back().sequence; }, absl::Seconds(30)));
  absl::SleepFor(absl::Seconds(6));  // past the busy timeout of the delete begun by then
  ASSERT_TRUE((*other)->Execute("ROLLBACK").ok());
  // No new record comes, and the outbox empties all the same.
  EXPECT_TRUE(testing::WaitUntil([&] { return OutboxSize() == 0; }, absl::Seconds(15)))
      << OutboxSize();
  relay->Stop();
}

TEST_F(OutboxRelayTest, WithoutABrokerNothingLeavesTheOutbox) {
  Commit("0100233488", "first");
  Commit("3509001001", "other");
  kafka::KafkaOptions unreachable = kafka_;
  unreachable.bootstrap_servers = testing::UnreachableAddress();
  auto producer =
      kafka::Producer::Create(unreachable, "relay-test", {{"message.timeout.ms", "300"}});
  ASSERT_TRUE(producer.ok()) << producer.status();
  std::unique_ptr<OutboxRelay> relay = Relay(**producer);
  relay->Start();
  // Wait for a failed round (every record timed out), not for a fixed time.
  ASSERT_TRUE(testing::WaitUntil([&] {
    return testing::MetricSeries(metrics_.Render(), "tiendo_registry_outbox_failures_total")
               .value_or(0) > 0;
  }, absl::Seconds(30))) << metrics_.Render();
  relay->Stop();
  EXPECT_EQ(OutboxSize(), 2);
  EXPECT_EQ(relay->relayed_through(), 0);
}

}  // namespace
}  // namespace tiendo::registry
