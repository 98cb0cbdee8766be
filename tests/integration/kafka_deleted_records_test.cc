// Reading a topic up to the end it had, when some of its records are deleted meanwhile (by
// retention, or DeleteRecords, as here) against the run's real broker: a consumer whose next
// offset was deleted skips past it, and a partition emptied that way gives it no position until
// a new record comes, so Consumer::ReadUpTo alone never sees that end; ForgetDeleted does.
#include <librdkafka/rdkafka.h>

#include <map>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/kafka/consumer.h"
#include "services/common/kafka/kafka_admin.h"
#include "services/common/kafka/producer.h"
#include "tests/support/kafka_broker.h"

namespace tiendo {
namespace {

// Deletes the records of `topic` below `before` (offset by partition), as retention does:
// the partitions' low watermarks move up to those offsets.
absl::Status DeleteRecordsBefore(const kafka::KafkaOptions& options, const std::string& topic,
                                 const std::map<int32_t, int64_t>& before) {
  absl::StatusOr<kafka::ConfPtr> conf = kafka::MakeConf(options, "it-record-deleter");
  if (!conf.ok()) return conf.status();
  char error[512];
  kafka::HandlePtr handle(
      rd_kafka_new(RD_KAFKA_PRODUCER, conf->release(), error, sizeof(error)));
  if (handle == nullptr) return absl::InternalError(error);
  rd_kafka_topic_partition_list_t* offsets =
      rd_kafka_topic_partition_list_new(static_cast<int>(before.size()));
  for (const auto& [partition, offset] : before) {
    rd_kafka_topic_partition_list_add(offsets, topic.c_str(), partition)->offset = offset;
  }
  rd_kafka_DeleteRecords_t* request = rd_kafka_DeleteRecords_new(offsets);
  rd_kafka_topic_partition_list_destroy(offsets);
  rd_kafka_queue_t* answers = rd_kafka_queue_new(handle.get());
  rd_kafka_DeleteRecords(handle.get(), &request, 1, nullptr, answers);
  rd_kafka_DeleteRecords_destroy(request);
  rd_kafka_event_t* answer = rd_kafka_queue_poll(answers, 30000);
  absl::Status outcome;
  if (answer == nullptr) {
    outcome = absl::DeadlineExceededError("no answer to DeleteRecords within 30 s");
  } else if (rd_kafka_event_error(answer) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    outcome = absl::UnavailableError(rd_kafka_event_error_string(answer));
  } else {
    const rd_kafka_topic_partition_list_t* deleted =
        rd_kafka_DeleteRecords_result_offsets(rd_kafka_event_DeleteRecords_result(answer));
    for (int i = 0; i < deleted->cnt; ++i) {
      const rd_kafka_topic_partition_t& partition = deleted->elems[i];
      if (partition.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        outcome = absl::UnavailableError(
            absl::StrCat("partition ", partition.partition, ": ", rd_kafka_err2str(partition.err)));
      }
    }
  }
  if (answer != nullptr) rd_kafka_event_destroy(answer);
  rd_kafka_queue_destroy(answers);
  return outcome;
}

TEST(KafkaDeletedRecordsTest, AnEndWhoseRecordsWereDeletedIsReachedOnceForgotten) {
  absl::StatusOr<std::string> bootstrap = testing::SharedBrokerBootstrap();
  ASSERT_TRUE(bootstrap.ok()) << bootstrap.status();
  kafka::KafkaOptions options;
  options.bootstrap_servers = *bootstrap;
  std::random_device random;
  const std::string topic = absl::StrCat("it.deleted.", random() % 1000000);
  auto admin = kafka::KafkaAdmin::Create(options, "it-admin");
  ASSERT_TRUE(admin.ok()) << admin.status();
  ASSERT_TRUE((*admin)->EnsureTopics({{topic, 2, 1, {}}}, absl::Seconds(30)).ok());

  // Records on both partitions.
  auto producer = kafka::Producer::Create(options, "it-producer");
  ASSERT_TRUE(producer.ok()) << producer.status();
  std::map<int32_t, int64_t> written;  // partition → records
  for (int k = 0; (written[0] < 2 || written[1] < 2) && k < 200; ++k) {
    auto at = (*producer)->ProduceAndWait({topic, absl::StrCat("key-", k), "v", {}},
                                          absl::Seconds(10));
    ASSERT_TRUE(at.ok()) << at.status();
    ++written[at->partition];
  }
  ASSERT_GE(written[0], 2);
  ASSERT_GE(written[1], 2);

  auto consumer = kafka::Consumer::Create(options, "it-reader", "");
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  auto ends = (*consumer)->QueryWatermarks(topic, absl::Seconds(10));
  ASSERT_TRUE(ends.ok()) << ends.status();
  // After the ends were taken: all of partition 0 goes, and the first record of partition 1.
  ASSERT_TRUE(DeleteRecordsBefore(options, topic, {{0, written[0]}, {1, 1}}).ok());

  ASSERT_TRUE((*consumer)->AssignFromBeginning(topic, absl::Seconds(10)).ok());
  int read = 0;
  int empty_polls = 0;
  while (empty_polls < 20) {  // 2 s without a record
    auto polled = (*consumer)->Poll(absl::Milliseconds(100));
    ASSERT_TRUE(polled.ok()) << polled.status();
    if (!polled->has_value()) {
      ++empty_polls;
      continue;
    }
    empty_polls = 0;
    ++read;
    EXPECT_EQ((*polled)->position.partition, 1) << "a deleted record was read";
    EXPECT_GE((*polled)->position.offset, 1) << "a deleted record was read";
  }
  EXPECT_EQ(read, written[1] - 1);
  // Partition 1 was read to its end; partition 0 has no position to show it has nothing left.
  auto positions = (*consumer)->Positions(topic);
  ASSERT_TRUE(positions.ok()) << positions.status();
  EXPECT_EQ(positions->count(0), 0u);
  auto before = (*consumer)->ReadUpTo(topic, *ends);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_FALSE(*before);

  const kafka::Watermarks partition1 = ends->at(1);
  ASSERT_TRUE((*consumer)->ForgetDeleted(topic, *ends, absl::Seconds(10)).ok());
  EXPECT_EQ(ends->at(0).low, ends->at(0).high);
  EXPECT_EQ(ends->at(1).low, partition1.low) << "a partition read to its end is left as it was";
  EXPECT_EQ(ends->at(1).high, partition1.high);
  auto after = (*consumer)->ReadUpTo(topic, *ends);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_TRUE(*after);
  (*consumer)->Close();
}

}  // namespace
}  // namespace tiendo
