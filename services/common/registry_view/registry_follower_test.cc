// Tests of RegistryFollower against librdkafka's mock cluster: catching up with what the
// registry topic held at start, following what comes later, surviving an undecodable
// record, and stopping promptly.

#include "services/common/registry_view/registry_follower.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/kafka/producer.h"
#include "services/common/kafka/topics.h"
#include "tests/support/free_port.h"
#include "tests/support/mock_kafka_cluster.h"
#include "tests/support/service_under_test.h"

namespace tiendo::registry_view {
namespace {

using ::testing::HasSubstr;

std::string TaxCode(int i) { return absl::StrCat("01", 10000000 + i); }

kafka::OutgoingRecord EnterpriseRecord(const std::string& topic, const std::string& tax_code,
                                       int64_t version) {
  events::v1::RegistryEvent event;
  event.set_entity_kind(registry::v1::ENTITY_KIND_ENTERPRISE);
  event.set_entity_key(tax_code);
  event.set_entity_version(version);
  event.mutable_enterprise()->set_tax_code(tax_code);
  event.mutable_enterprise()->set_version(version);
  return {topic, absl::StrCat("enterprise/", tax_code), event.SerializeAsString(),
          {{std::string(kafka::kSchemaHeader), "tiendo.events.v1.RegistryEvent"}}};
}

size_t Enterprises(const RegistryFollower& follower) {
  return follower.Read(
      [](const RegistryView& view) { return view.Count(registry::v1::ENTITY_KIND_ENTERPRISE); });
}

class RegistryFollowerTest : public ::testing::Test {
 protected:
  RegistryFollowerTest() {
    options_.bootstrap_servers = cluster_.bootstrap();
    options_.topic_prefix = "unit.";
    topic_ = kafka::TopicName(options_, kafka::Topic::kRegistry);
    cluster_.CreateTopic(topic_, 3);
    auto producer = kafka::Producer::Create(options_, "test-registry-relay");
    EXPECT_TRUE(producer.ok()) << producer.status();
    producer_ = std::move(producer).value();
  }

  void Produce(const kafka::OutgoingRecord& record) {
    ASSERT_TRUE(producer_->Produce(record, [](absl::StatusOr<kafka::RecordPosition> delivered) {
      EXPECT_TRUE(delivered.ok()) << delivered.status();
    }).ok());
  }

  std::unique_ptr<RegistryFollower> StartFollower(
      RegistryFollower::ChangeCallback on_change = {}) {
    auto follower = RegistryFollower::Start(options_, "test-follower", metrics_,
                                            std::move(on_change));
    EXPECT_TRUE(follower.ok()) << follower.status();
    return follower.ok() ? std::move(follower).value() : nullptr;
  }

  testing::MockKafkaCluster cluster_;
  kafka::KafkaOptions options_;
  std::string topic_;
  std::unique_ptr<kafka::Producer> producer_;
  metrics::MetricRegistry metrics_;
};

TEST_F(RegistryFollowerTest, AnEmptyTopicIsCaughtUpAtOnce) {
  std::unique_ptr<RegistryFollower> follower = StartFollower();
  ASSERT_NE(follower, nullptr);
  EXPECT_TRUE(follower->WaitCaughtUp(absl::Seconds(10)));
  EXPECT_EQ(Enterprises(*follower), 0u);
  EXPECT_THAT(metrics_.Render(), HasSubstr("tiendo_registry_view_caught_up 1"));
}

TEST_F(RegistryFollowerTest, CatchesUpOnlyOnceEveryRecordPresentAtStartIsApplied) {
  constexpr int kEnterprises = 2000;
  for (int i = 0; i < kEnterprises; ++i) Produce(EnterpriseRecord(topic_, TaxCode(i), 1));
  ASSERT_TRUE(producer_->Flush(absl::Seconds(30)).ok());

  std::unique_ptr<RegistryFollower> follower = StartFollower();
  ASSERT_NE(follower, nullptr);
  bool caught_up = false;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (!caught_up && absl::Now() < deadline) {
    caught_up = follower->caught_up();
    const size_t held = Enterprises(*follower);
    if (caught_up) {
      EXPECT_EQ(held, static_cast<size_t>(kEnterprises)) << "caught up too early";
    } else {
      absl::SleepFor(absl::Milliseconds(1));
    }
  }
  ASSERT_TRUE(caught_up);
  EXPECT_TRUE(follower->WaitCaughtUp(absl::ZeroDuration()));
  const std::string metrics = metrics_.Render();
  EXPECT_THAT(metrics, HasSubstr("tiendo_registry_view_caught_up 1"));
  EXPECT_THAT(metrics, HasSubstr(absl::StrCat("tiendo_registry_view_records_applied_total ",
                                              kEnterprises)));
  EXPECT_THAT(metrics, HasSubstr(absl::StrCat(
                           "tiendo_registry_view_entities{kind=\"enterprise\"} ", kEnterprises)));
}

TEST_F(RegistryFollowerTest, FollowsLaterRecordsSkipsUndecodableOnesAndReportsChanges) {
  Produce(EnterpriseRecord(topic_, TaxCode(1), 1));
  ASSERT_TRUE(producer_->Flush(absl::Seconds(10)).ok());
  absl::Mutex mu;
  std::vector<RegistryChange> seen;
  std::unique_ptr<RegistryFollower> follower =
      StartFollower([&](const std::vector<RegistryChange>& changes) {
        absl::MutexLock lock(&mu);
        seen.insert(seen.end(), changes.begin(), changes.end());
      });
  ASSERT_NE(follower, nullptr);
  ASSERT_TRUE(follower->WaitCaughtUp(absl::Seconds(10)));

  Produce({topic_, absl::StrCat("enterprise/", TaxCode(1)), std::string("\xff\x01", 2), {}});
  Produce(EnterpriseRecord(topic_, TaxCode(1), 2));
  Produce(EnterpriseRecord(topic_, TaxCode(1), 1));  // an older duplicate
  Produce(EnterpriseRecord(topic_, TaxCode(2), 1));
  ASSERT_TRUE(producer_->Flush(absl::Seconds(10)).ok());
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        return follower->Read([](const RegistryView& view) {
          const registry::v1::Enterprise* first = view.FindEnterprise(TaxCode(1));
          return first != nullptr && first->version() == 2 &&
                 view.FindEnterprise(TaxCode(2)) != nullptr;
        });
      },
      absl::Seconds(10)));
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        const std::string text = metrics_.Render();
        return absl::StrContains(text, "tiendo_registry_view_records_skipped_total 1") &&
               absl::StrContains(text, "tiendo_registry_view_records_undecodable_total 1");
      },
      absl::Seconds(10)))
      << metrics_.Render();
  EXPECT_TRUE(follower->caught_up());
  // The listener hears of a batch after the view and the metrics have it.
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        absl::MutexLock lock(&mu);
        return seen.size() >= 3;
      },
      absl::Seconds(10)));
  {
    absl::MutexLock lock(&mu);
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].key, TaxCode(1));
    EXPECT_EQ(seen[0].version, 1);
    for (const RegistryChange& change : seen) EXPECT_TRUE(change.applied);
  }

  const absl::Time before = absl::Now();
  follower->Stop();
  EXPECT_LT(absl::Now() - before, absl::Seconds(2));
  follower->Stop();
  EXPECT_EQ(Enterprises(*follower), 2u) << "the view stays readable";
}

TEST_F(RegistryFollowerTest, StartFailsNamingTheTopicWhenItCannotBeRead) {
  options_.bootstrap_servers = testing::UnreachableAddress();
  auto follower = RegistryFollower::Start(options_, "test-follower", metrics_);
  ASSERT_FALSE(follower.ok());
  EXPECT_THAT(follower.status().message(), HasSubstr(topic_));
}

}  // namespace
}  // namespace tiendo::registry_view
