// tiendoctl rejected tail against librdkafka's mock cluster: dead letters produced to the
// prefixed tiendo.submissions.rejected.v1 read back as one line (or JSON object) each, the
// last --limit by default (the newest across partitions, oldest first), every one with
// --from-beginning, new ones with --follow.
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/kafka/key_partition.h"
#include "services/common/kafka/producer.h"
#include "services/common/kafka/topics.h"
#include "tests/support/mock_kafka_cluster.h"
#include "tiendo/events/v1/rejected_submission.pb.h"
#include "tools/tiendoctl/run_ctl.h"

namespace tiendo::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using testing::CtlResult;
using testing::RunCtl;

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

class RejectedTailCommandTest : public ::testing::Test {
 protected:
  RejectedTailCommandTest() {
    options_.bootstrap_servers = cluster_.bootstrap();
    options_.topic_prefix = "unit.";
    topic_ = kafka::TopicName(options_, kafka::Topic::kSubmissionsRejected);
    cluster_.CreateTopic(topic_, kPartitions);
  }

  // Dead letter `n`: item n of batch "raw-7", refused for an unknown indicator, written at
  // 2026-01-01T00:00:0nZ and keyed by `key`.
  void Produce(int n, const std::string& key = "public-service-portal") {
    if (producer_ == nullptr) {
      auto created = kafka::Producer::Create(options_, "test-dead-letters");
      ASSERT_TRUE(created.ok()) << created.status();
      producer_ = *std::move(created);
    }
    events::v1::RejectedSubmission dead;
    dead.set_reason(ingest::v1::REJECTION_REASON_UNKNOWN_INDICATOR);
    dead.set_message(
        absl::StrCat("no indicator has the id online_service_users_verified (", n, ")"));
    dead.set_field("indicator_id");
    dead.mutable_rejected_at()->set_seconds(1767225600 + n);  // 2026-01-01T00:00:0nZ
    dead.mutable_source()->mutable_position()->set_topic("unit.tiendo.submissions.raw.v1");
    dead.mutable_source()->mutable_position()->set_partition(2);
    dead.mutable_source()->mutable_position()->set_offset(40 + n);
    dead.set_item_index(n);
    dead.set_reporting_unit_id("public-service-portal");
    dead.set_submission_id(absl::StrCat("psp:", n));
    dead.set_batch_id("raw-7");
    const auto written = producer_->ProduceAndWait(
        {topic_, key, dead.SerializeAsString(),
         {{std::string(kafka::kSchemaHeader), "tiendo.events.v1.RejectedSubmission"}}},
        absl::Seconds(10));
    ASSERT_TRUE(written.ok()) << written.status();
  }

  CtlResult Tail(std::vector<std::string> args) {
    args.insert(args.begin(),
                {"rejected", "tail", "--kafka-bootstrap-servers=" + cluster_.bootstrap(),
                 "--kafka-topic-prefix=unit."});
    return RunCtl(args);
  }

  static constexpr int32_t kPartitions = 2;
  tiendo::testing::MockKafkaCluster cluster_;
  kafka::KafkaOptions options_;
  std::string topic_;
  std::unique_ptr<kafka::Producer> producer_;
};

TEST_F(RejectedTailCommandTest, FromTheBeginningPrintsEveryDeadLetterAndStopsAtTheEnd) {
  Produce(1);
  Produce(2);
  const CtlResult result = Tail({"--from-beginning"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_THAT(Lines(result.out),
              ElementsAre("2026-01-01T00:00:01Z  unknown_indicator  unit public-service-portal  "
                          "submission psp:1  batch raw-7  from unit.tiendo.submissions.raw.v1 "
                          "[p2 @ 41] item 1  no indicator has the id "
                          "online_service_users_verified (1) (field indicator_id)",
                          HasSubstr("submission psp:2")));
}

TEST_F(RejectedTailCommandTest, ByDefaultPrintsTheLastLimitOnly) {
  for (int n = 1; n <= 5; ++n) Produce(n);
  const CtlResult result = Tail({"--limit=2"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_THAT(Lines(result.out),
              ElementsAre(HasSubstr("submission psp:4"), HasSubstr("submission psp:5")));
  const CtlResult first = Tail({"--from-beginning", "--limit=1", "--output=json"});
  EXPECT_THAT(Lines(first.out), ElementsAre(HasSubstr("\"submission_id\":\"psp:1\"")));
  EXPECT_THAT(first.out, HasSubstr("\"reason\":\"REJECTION_REASON_UNKNOWN_INDICATOR\""));
}

TEST_F(RejectedTailCommandTest, TheLastAreTheNewestWhateverPartitionsTheyAreOn) {
  // Two keys on different partitions; the newest dead letter on each partition is among the
  // last two, whichever partition is read first.
  const std::string first_key = "public-service-portal";
  std::string other_key;
  for (int k = 0; other_key.empty(); ++k) {
    const std::string key = absl::StrCat("unit-", k);
    if (kafka::KeyPartition(key, kPartitions) != kafka::KeyPartition(first_key, kPartitions)) {
      other_key = key;
    }
  }
  Produce(1, first_key);
  Produce(2, other_key);
  Produce(3, other_key);
  Produce(4, first_key);
  const CtlResult result = Tail({"--limit=2"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_THAT(Lines(result.out),
              ElementsAre(HasSubstr("submission psp:3"), HasSubstr("submission psp:4")));
}

TEST_F(RejectedTailCommandTest, FollowKeepsReadingPastTheEnd) {
  Produce(1);
  CtlResult result;
  std::thread tail([&] { result = Tail({"--from-beginning", "--follow", "--limit=2"}); });
  // By now the command has read to the end: without --follow it would have stopped.
  absl::SleepFor(absl::Seconds(2));
  Produce(2);
  tail.join();
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_THAT(Lines(result.out), SizeIs(2));
}

}  // namespace
}  // namespace tiendo::ctl
