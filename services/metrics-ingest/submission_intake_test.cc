// Tests of SubmissionIntake against librdkafka's mock cluster: overlapping batches that carry
// the same new submission id write it once, and tell the other replicas of it once; a failed
// write leaves the id free for a resend, and is told to no one; each written event carries its
// own item and what its batch shares.
#include "services/metrics-ingest/submission_intake.h"

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/kafka/topic_follower.h"
#include "services/common/kafka/topics.h"
#include "services/metrics-ingest/accepted_ids.h"
#include "tests/support/mock_kafka_cluster.h"

namespace tiendo::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kUnit[] = "dept-st";
constexpr char kIndicator[] = "reports_received";
constexpr absl::Duration kTimeout = absl::Seconds(30);

kafka::OutgoingRecord RegistryRecord(const std::string& topic, const std::string& kind,
                                     events::v1::RegistryEvent event) {
  const std::string key = absl::StrCat(kind, "/", event.entity_key());
  event.set_entity_version(1);
  return {topic, key, event.SerializeAsString(), {}};
}

// The registry's records for one unit allowed to report one counted indicator, quarterly,
// which a plan covering 2023..2030 tracks.
std::vector<kafka::OutgoingRecord> RegistryRecords(const std::string& topic) {
  std::vector<kafka::OutgoingRecord> records;
  events::v1::RegistryEvent unit;
  unit.set_entity_kind(registry::v1::ENTITY_KIND_REPORTING_UNIT);
  unit.set_entity_key(kUnit);
  unit.mutable_reporting_unit()->set_id(kUnit);
  unit.mutable_reporting_unit()->set_status(registry::v1::REPORTING_UNIT_STATUS_ACTIVE);
  unit.mutable_reporting_unit()->add_allowed_indicator_ids(kIndicator);
  records.push_back(RegistryRecord(topic, "reporting_unit", unit));

  events::v1::RegistryEvent indicator;
  indicator.set_entity_kind(registry::v1::ENTITY_KIND_INDICATOR);
  indicator.set_entity_key(kIndicator);
  registry::v1::Indicator* definition = indicator.mutable_indicator();
  definition->set_id(kIndicator);
  definition->set_unit(registry::v1::INDICATOR_UNIT_COUNT);
  definition->mutable_reported()->set_value_kind(registry::v1::VALUE_KIND_VALUE);
  definition->mutable_reported()->add_allowed_granularities(common::v1::PERIOD_GRANULARITY_QUARTER);
  records.push_back(RegistryRecord(topic, "indicator", indicator));

  events::v1::RegistryEvent plan;
  plan.set_entity_kind(registry::v1::ENTITY_KIND_PLAN);
  plan.set_entity_key("plan");
  plan.mutable_plan()->set_id("plan");
  plan.mutable_plan()->set_horizon_start("2023-01-01");
  plan.mutable_plan()->set_horizon_end("2030-12-31");
  records.push_back(RegistryRecord(topic, "plan", plan));

  events::v1::RegistryEvent target;
  target.set_entity_kind(registry::v1::ENTITY_KIND_TARGET);
  target.set_entity_key("target");
  target.mutable_target()->set_id("target");
  target.mutable_target()->set_plan_id("plan");
  target.mutable_target()->set_indicator_id(kIndicator);
  records.push_back(RegistryRecord(topic, "target", target));
  return records;
}

google::protobuf::RepeatedPtrField<v1::LenientSubmission> Items(const std::string& id,
                                                                double value) {
  google::protobuf::RepeatedPtrField<v1::LenientSubmission> items;
  v1::LenientSubmission* item = items.Add();
  item->set_submission_id(id);
  item->set_indicator_id(kIndicator);
  item->set_period("2024-Q3");
  item->set_value(value);
  return items;
}

// A batch's answer, once it came.
class Answer {
 public:
  BatchCallback Callback() {
    return [this](absl::StatusOr<v1::SubmitBatchResponse*> answer) {
      // The answer lives only during the call: its results are copied.
      if (answer.ok()) {
        outcome_.emplace((*answer)->results().begin(), (*answer)->results().end());
      } else {
        outcome_ = answer.status();
      }
      answered_.Notify();
    };
  }
  // The answer, waited for.
  const absl::StatusOr<std::vector<v1::SubmissionResult>>& Get() {
    EXPECT_TRUE(answered_.WaitForNotificationWithTimeout(kTimeout)) << "no answer";
    return outcome_;
  }
  bool HasCome() const { return answered_.HasBeenNotified(); }

 private:
  absl::Notification answered_;
  absl::StatusOr<std::vector<v1::SubmissionResult>> outcome_ = absl::UnknownError("not answered");
};

class SubmissionIntakeTest : public ::testing::Test {
 protected:
  SubmissionIntakeTest() {
    options_.bootstrap_servers = cluster_.bootstrap();
    options_.topic_prefix = "unit.";
    const std::string registry_topic = kafka::TopicName(options_, kafka::Topic::kRegistry);
    cluster_.CreateTopic(registry_topic, 1);
    cluster_.CreateTopic(kafka::TopicName(options_, kafka::Topic::kSubmissions), 2);
    cluster_.CreateTopic(kafka::TopicName(options_, kafka::Topic::kSubmissionsLedger), 2);
    std::unique_ptr<kafka::Producer> relay = MakeProducer(options_, {});
    for (const kafka::OutgoingRecord& record : RegistryRecords(registry_topic)) {
      EXPECT_TRUE(relay->ProduceAndWait(record, kTimeout).ok());
    }
    auto registry = registry_view::RegistryFollower::Start(options_, "test-registry", metrics_);
    EXPECT_TRUE(registry.ok()) << registry.status();
    registry_ = std::move(registry).value();
    EXPECT_TRUE(registry_->WaitCaughtUp(kTimeout));
  }

  std::unique_ptr<kafka::Producer> MakeProducer(
      const kafka::KafkaOptions& options, const std::map<std::string, std::string>& settings) {
    auto producer = kafka::Producer::Create(options, "test-intake", settings);
    EXPECT_TRUE(producer.ok()) << producer.status();
    return std::move(producer).value();
  }

  // An intake writing to `submissions_topic` (by default tiendo.submissions.v1), and
  // announcing each batch's ids at once through an announcer of its own (kept by the test).
  std::unique_ptr<SubmissionIntake> MakeIntake(kafka::Producer& producer,
                                               std::string submissions_topic = "") {
    announcers_.push_back(std::make_unique<LedgerAnnouncer>(
        producer, kafka::TopicName(options_, kafka::Topic::kSubmissionsLedger), ledger_.writer(),
        absl::ZeroDuration(), metrics_));
    IntakeOptions options;
    options.submissions_topic = submissions_topic.empty()
                                    ? kafka::TopicName(options_, kafka::Topic::kSubmissions)
                                    : std::move(submissions_topic);
    options.instance = "test";
    options.clock = [] { return absl::FromCivil(absl::CivilDay(2025, 3, 1), absl::UTCTimeZone()); };
    return std::make_unique<SubmissionIntake>(*registry_, ledger_, *announcers_.back(), producer,
                                              std::move(options), metrics_);
  }

  void Submit(SubmissionIntake& intake, const std::string& id, double value, Answer& answer) {
    intake.Submit({kUnit, "token"}, Items(id, value), BatchOrigin{}, /*dry_run=*/false,
                  absl::Now() + kTimeout, answer.Callback());
  }

  // The records `topic` holds.
  std::vector<kafka::ConsumedRecord> Records(kafka::Topic topic) {
    absl::Mutex mu;
    std::vector<kafka::ConsumedRecord> records;
    metrics::MetricRegistry metrics;
    auto follower = kafka::TopicFollower::Start(
        options_, kafka::TopicName(options_, topic), "test-reader",
        [&](absl::Span<const kafka::ConsumedRecord> read) {
          absl::MutexLock lock(&mu);
          records.insert(records.end(), read.begin(), read.end());
        },
        metrics, "test_reader");
    EXPECT_TRUE(follower.ok()) << follower.status();
    EXPECT_TRUE((*follower)->WaitCaughtUp(kTimeout));
    (*follower)->Stop();
    absl::MutexLock lock(&mu);
    return records;
  }

  // The AcceptedIds the ledger topic holds, once it holds `count` (the intake's report of
  // them may come after the batch's answer), each keyed by its writer.
  std::vector<events::v1::AcceptedIds> Announced(size_t count) {
    std::vector<kafka::ConsumedRecord> records;
    const absl::Time give_up = absl::Now() + kTimeout;
    while ((records = Records(kafka::Topic::kSubmissionsLedger)).size() < count &&
           absl::Now() < give_up) {
      absl::SleepFor(absl::Milliseconds(50));
    }
    std::vector<events::v1::AcceptedIds> announced(records.size());
    for (size_t i = 0; i < records.size(); ++i) {
      EXPECT_TRUE(announced[i].ParseFromString(records[i].value.value_or("")));
      EXPECT_EQ(records[i].key, announced[i].writer());
    }
    return announced;
  }

  testing::MockKafkaCluster cluster_;
  kafka::KafkaOptions options_;
  metrics::MetricRegistry metrics_;
  std::unique_ptr<registry_view::RegistryFollower> registry_;
  SubmissionLedger ledger_;
  std::vector<std::unique_ptr<LedgerAnnouncer>> announcers_;
};

// `announced` holds the fingerprints of kUnit's `id` as `ledger` accepted it, and no others.
void ExpectAnnounces(const events::v1::AcceptedIds& announced, const SubmissionLedger& ledger,
                     const std::string& id) {
  EXPECT_EQ(announced.writer(), ledger.writer());
  ASSERT_EQ(announced.ids_size(), 1);
  const auto [key, content] = UnpackAcceptedId(announced.ids(0));
  EXPECT_EQ(key, FingerprintOf(LedgerKey(kUnit, id)));
  EXPECT_EQ(ledger.Check(key, content), LedgerVerdict::kDuplicate) << "not the content accepted";
}

v1::SubmissionOutcome OutcomeOf(const absl::StatusOr<std::vector<v1::SubmissionResult>>& answer) {
  EXPECT_TRUE(answer.ok()) << answer.status();
  if (!answer.ok() || answer->size() != 1) return v1::SUBMISSION_OUTCOME_UNSPECIFIED;
  return answer->front().outcome();
}

TEST_F(SubmissionIntakeTest, OverlappingBatchesWriteANewIdOnce) {
  // The producer holds each write for a while, so that the later batches arrive while the
  // first one's write is in flight.
  std::unique_ptr<kafka::Producer> producer = MakeProducer(options_, {{"linger.ms", "500"}});
  std::unique_ptr<SubmissionIntake> intake = MakeIntake(*producer);
  Answer first;
  Answer resent;
  Answer reused;
  Submit(*intake, "a", 10, first);
  Submit(*intake, "a", 10, resent);
  Submit(*intake, "a", 11, reused);
  EXPECT_FALSE(resent.HasCome()) << "answered before the first write was acknowledged";

  EXPECT_EQ(OutcomeOf(first.Get()), v1::SUBMISSION_OUTCOME_ACCEPTED);
  EXPECT_EQ(OutcomeOf(resent.Get()), v1::SUBMISSION_OUTCOME_DUPLICATE);
  ASSERT_EQ(OutcomeOf(reused.Get()), v1::SUBMISSION_OUTCOME_REJECTED);
  EXPECT_EQ(reused.Get()->front().reason(), v1::REJECTION_REASON_CONFLICT);
  EXPECT_EQ(Records(kafka::Topic::kSubmissions).size(), 1u);
  const std::vector<events::v1::AcceptedIds> announced = Announced(1);
  ASSERT_EQ(announced.size(), 1u);
  ExpectAnnounces(announced[0], ledger_, "a");
}

// Each item's outcome (and for a rejection its reason), in item order.
std::vector<std::pair<v1::SubmissionOutcome, v1::RejectionReason>> OutcomesOf(
    const absl::StatusOr<std::vector<v1::SubmissionResult>>& answer) {
  EXPECT_TRUE(answer.ok()) << answer.status();
  std::vector<std::pair<v1::SubmissionOutcome, v1::RejectionReason>> outcomes;
  if (!answer.ok()) return outcomes;
  for (const v1::SubmissionResult& result : *answer) {
    outcomes.emplace_back(result.outcome(), result.reason());
  }
  return outcomes;
}

TEST_F(SubmissionIntakeTest, AnIdRepeatedInABatchIsAnsweredAsIfItCameAfterItsFirstItem) {
  // The producer holds each write for a while: "w" is still being written when the second
  // batch claims it.
  std::unique_ptr<kafka::Producer> producer = MakeProducer(options_, {{"linger.ms", "500"}});
  std::unique_ptr<SubmissionIntake> intake = MakeIntake(*producer);
  Answer accepted;
  Submit(*intake, "a", 10, accepted);
  ASSERT_EQ(OutcomeOf(accepted.Get()), v1::SUBMISSION_OUTCOME_ACCEPTED);
  Answer writing;
  Submit(*intake, "w", 10, writing);

  // "a" holds 10: its first item here conflicts, and so does its copy; the third matches
  // what was accepted. "n" is new: its copy is a duplicate of it, other content a conflict.
  // "w" waits for its write, then is answered like "a". The ids interleave.
  google::protobuf::RepeatedPtrField<v1::LenientSubmission> items;
  for (const auto& [id, value] : std::vector<std::pair<std::string, double>>{
           {"a", 12}, {"n", 1}, {"a", 12}, {"w", 12}, {"n", 1}, {"a", 10},
           {"n", 2}, {"w", 12}, {"w", 10}}) {
    items.MergeFrom(Items(id, value));
  }
  Answer repeated;
  intake->Submit({kUnit, "token"}, items, BatchOrigin{}, /*dry_run=*/false,
                 absl::Now() + kTimeout, repeated.Callback());
  constexpr auto kAccepted = std::make_pair(v1::SUBMISSION_OUTCOME_ACCEPTED,
                                            v1::REJECTION_REASON_UNSPECIFIED);
  constexpr auto kDuplicate = std::make_pair(v1::SUBMISSION_OUTCOME_DUPLICATE,
                                             v1::REJECTION_REASON_UNSPECIFIED);
  constexpr auto kConflict = std::make_pair(v1::SUBMISSION_OUTCOME_REJECTED,
                                            v1::REJECTION_REASON_CONFLICT);
  EXPECT_THAT(OutcomesOf(repeated.Get()),
              ElementsAre(kConflict, kAccepted, kConflict, kConflict, kDuplicate, kDuplicate,
                          kConflict, kConflict, kDuplicate));
  // The copy of a new id is told it repeats an earlier item, not that it was accepted before.
  ASSERT_TRUE(repeated.Get().ok());
  EXPECT_THAT((*repeated.Get())[4].message(), HasSubstr("comes earlier in this batch"));
  EXPECT_THAT((*repeated.Get())[5].message(), HasSubstr("was accepted before"));
  EXPECT_EQ(OutcomeOf(writing.Get()), v1::SUBMISSION_OUTCOME_ACCEPTED);
}

TEST_F(SubmissionIntakeTest, AFailedWriteLeavesTheIdForAResendAndIsToldToNoOne) {
  // One producer for both intakes: the failing one's writes to its topic are refused (they
  // time out), while the ledger topic takes what it is sent — an announcement of a failed
  // write would land there before the working intake's.
  const std::string refusing = "unit.refusing";
  cluster_.CreateRefusingTopic(refusing);
  std::unique_ptr<kafka::Producer> producer =
      MakeProducer(options_, {{"message.timeout.ms", "1000"}});
  std::unique_ptr<SubmissionIntake> failing = MakeIntake(*producer, refusing);
  Answer first;
  Answer overlapping;
  Submit(*failing, "a", 10, first);
  Submit(*failing, "a", 10, overlapping);
  EXPECT_EQ(first.Get().status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(overlapping.Get().status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(overlapping.Get().status().message(), HasSubstr("overlapping batch"));

  std::unique_ptr<SubmissionIntake> working = MakeIntake(*producer);
  // The intakes must outlive the producer's last report, whatever fails below.
  absl::Cleanup producer_first = [&producer] { producer.reset(); };
  Answer resent;
  Submit(*working, "a", 10, resent);
  EXPECT_EQ(OutcomeOf(resent.Get()), v1::SUBMISSION_OUTCOME_ACCEPTED);
  Answer again;
  Submit(*working, "a", 10, again);
  EXPECT_EQ(OutcomeOf(again.Get()), v1::SUBMISSION_OUTCOME_DUPLICATE);
  ASSERT_TRUE(producer->Flush(kTimeout).ok());  // every announcement is written
  EXPECT_EQ(Records(kafka::Topic::kSubmissions).size(), 1u);
  const std::vector<events::v1::AcceptedIds> announced = Announced(1);
  ASSERT_EQ(announced.size(), 1u) << "the failed write was announced";
  ExpectAnnounces(announced[0], ledger_, "a");
}

TEST_F(SubmissionIntakeTest, EachEventCarriesItsOwnItemAndWhatTheBatchShares) {
  std::unique_ptr<kafka::Producer> producer = MakeProducer(options_, {});
  std::unique_ptr<SubmissionIntake> intake = MakeIntake(*producer);
  google::protobuf::RepeatedPtrField<v1::LenientSubmission> items = Items("a", 10);
  *items.Add() = Items("refused", 11)[0];
  items.Mutable(1)->set_period("2024-07");  // a month: the indicator takes quarters
  *items.Add() = Items("c", 12)[0];
  items.Mutable(2)->set_comment("ghi chú");
  BatchOrigin origin;
  origin.path = events::v1::INGEST_PATH_RAW_TOPIC;
  origin.raw_record.emplace();
  origin.raw_record->mutable_position()->set_topic("unit.tiendo.submissions.raw.v1");
  origin.raw_record->mutable_position()->set_offset(41);
  origin.raw_record->set_key("batch-key");
  Answer answer;
  intake->Submit({kUnit, "token"}, items, origin, /*dry_run=*/false, absl::Now() + kTimeout,
                 answer.Callback());
  ASSERT_TRUE(answer.Get().ok()) << answer.Get().status();
  ASSERT_EQ(answer.Get()->size(), 3u);
  EXPECT_EQ((*answer.Get())[1].reason(), v1::REJECTION_REASON_PERIOD_GRANULARITY_NOT_ALLOWED);

  std::map<int, events::v1::AcceptedSubmission> by_item;
  for (const kafka::ConsumedRecord& record : Records(kafka::Topic::kSubmissions)) {
    events::v1::AcceptedSubmission event;
    ASSERT_TRUE(event.ParseFromString(record.value.value_or("")));
    EXPECT_EQ(record.key, kIndicator);
    by_item[event.raw_item_index()] = event;
  }
  ASSERT_EQ(by_item.size(), 2u);
  for (const auto& [item, id, value] :
       {std::tuple<int, std::string, double>{0, "a", 10}, {2, "c", 12}}) {
    const events::v1::AcceptedSubmission& event = by_item[item];
    EXPECT_EQ(event.submission().submission_id(), id);
    EXPECT_EQ(event.submission().value(), value);
    EXPECT_EQ(event.submission().reporting_unit_id(), kUnit);
    EXPECT_EQ(event.submission().kind(), v1::SUBMISSION_KIND_REPORT);
    EXPECT_EQ(event.submission().comment(), item == 2 ? "ghi chú" : "");
    EXPECT_EQ(event.token_id(), "token");
    EXPECT_EQ(event.ingest_instance(), "test");
    EXPECT_EQ(event.ingest_path(), events::v1::INGEST_PATH_RAW_TOPIC);
    EXPECT_EQ(event.accepted_at().seconds(),
              absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(2025, 3, 1),
                                                  absl::UTCTimeZone())));
    EXPECT_EQ(event.raw_origin().SerializeAsString(), origin.raw_record->SerializeAsString());
  }
}

}  // namespace
}  // namespace tiendo::ingest
