// Topic creation and missing-topic errors against the run's real broker
// (librdkafka's mock cluster auto-creates topics, so these cannot be unit
// tests): creating the suite's topics is idempotent, through the library and
// through `tiendoctl topics ensure`, and a topic that does not exist is an
// error, never silently created.
#include <random>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/kafka/consumer.h"
#include "services/common/kafka/kafka_admin.h"
#include "services/common/kafka/producer.h"
#include "tests/support/child_process.h"
#include "tests/support/kafka_broker.h"

namespace tiendo {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class KafkaTopicsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto bootstrap = testing::SharedBrokerBootstrap();
    ASSERT_TRUE(bootstrap.ok()) << bootstrap.status();
    options_.bootstrap_servers = *bootstrap;
    std::random_device random;
    options_.topic_prefix = absl::StrCat("it.topics.", random() % 1000000, ".");
    options_.topic_partitions = 3;
  }
  kafka::KafkaOptions options_;
};

TEST_F(KafkaTopicsTest, EnsureTopicsCreatesThemOnceWithTheirPartitions) {
  auto admin = kafka::KafkaAdmin::Create(options_, "it-admin");
  ASSERT_TRUE(admin.ok()) << admin.status();
  auto first = (*admin)->EnsureTopics(kafka::SuiteTopics(options_), absl::Seconds(30));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 6u);
  for (const kafka::EnsuredTopic& topic : *first) {
    EXPECT_EQ(topic.outcome, kafka::TopicOutcome::kCreated) << topic.name;
  }
  auto second = (*admin)->EnsureTopics(kafka::SuiteTopics(options_), absl::Seconds(30));
  ASSERT_TRUE(second.ok()) << second.status();
  for (const kafka::EnsuredTopic& topic : *second) {
    EXPECT_EQ(topic.outcome, kafka::TopicOutcome::kAlreadyExisted) << topic.name;
  }
  auto partitions = (*admin)->PartitionCount(
      kafka::TopicName(options_, kafka::Topic::kSubmissions), absl::Seconds(10));
  ASSERT_TRUE(partitions.ok()) << partitions.status();
  EXPECT_EQ(*partitions, 3);
}

TEST_F(KafkaTopicsTest, TiendoctlTopicsEnsureIsIdempotent) {
  const std::string dir = testing::MakeTempDir("topics-ensure");
  const std::vector<std::string> command = {
      TIENDOCTL_BINARY, "topics", "ensure",
      absl::StrCat("--kafka-bootstrap-servers=", options_.bootstrap_servers),
      absl::StrCat("--kafka-topic-prefix=", options_.topic_prefix)};
  auto first = testing::RunToCompletion(command, dir + "/first.log", absl::Seconds(60));
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string first_output = testing::ReadFile(dir + "/first.log");
  EXPECT_EQ(*first, 0) << first_output;
  EXPECT_THAT(first_output,
              HasSubstr(absl::StrCat(options_.topic_prefix, "tiendo.registry.v1\tcreated")));

  auto second = testing::RunToCompletion(command, dir + "/second.log", absl::Seconds(60));
  ASSERT_TRUE(second.ok()) << second.status();
  const std::string second_output = testing::ReadFile(dir + "/second.log");
  EXPECT_EQ(*second, 0) << second_output;
  EXPECT_THAT(second_output,
              HasSubstr(absl::StrCat(options_.topic_prefix, "tiendo.registry.v1\texists")));
  EXPECT_THAT(second_output, Not(HasSubstr("created")));
}

TEST_F(KafkaTopicsTest, ARecordForAMissingTopicFailsAndCreatesNothing) {
  const std::string missing = absl::StrCat(options_.topic_prefix, "missing");
  auto producer = kafka::Producer::Create(options_, "it-producer", {{"message.timeout.ms", "2000"}});
  ASSERT_TRUE(producer.ok()) << producer.status();
  auto written = (*producer)->ProduceAndWait({missing, "k", "v", {}}, absl::Seconds(20));
  ASSERT_FALSE(written.ok());
  EXPECT_THAT(written.status().message(), HasSubstr(missing));

  auto consumer = kafka::Consumer::Create(options_, "it-consumer", "");
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  EXPECT_EQ((*consumer)->AssignFromBeginning(missing, absl::Seconds(10)).code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace tiendo
