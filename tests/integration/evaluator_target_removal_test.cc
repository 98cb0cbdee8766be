// Target removal end to end, with the real registry, metrics-ingest and broker: a target the
// plan no longer has is taken back from tiendo.progress.v1 (its final version marked removed,
// then a tombstone), a watcher hears TargetRemoved, lists and gets no longer show it — also
// when it was removed while the evaluator was down — and a target that returns continues its
// versions after the removal's; likewise after a version another replica published.
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/common/kafka/producer.h"
#include "tests/support/seed_progress_run.h"
#include "tests/support/service_under_test.h"
#include "tests/support/topic_reader.h"
#include "tiendo/events/v1/progress_event.pb.h"

namespace tiendo {
namespace {

namespace ev1 = evaluator::v1;
namespace iv1 = ingest::v1;
namespace rv1 = registry::v1;

constexpr absl::Duration kSettle = absl::Seconds(60);
constexpr char kT6[] = "brvt-63-kh-ubnd.t6";
constexpr char kT7[] = "brvt-63-kh-ubnd.t7";

// The seed plan file without the targets `removed`.
rv1::PlanFile SeedPlanWithout(const std::vector<std::string>& removed) {
  rv1::PlanFile plan_file = testing::IngestSuite::SeedPlanFile();
  auto* targets = plan_file.mutable_plan()->mutable_targets();
  for (int i = targets->size() - 1; i >= 0; --i) {
    if (std::find(removed.begin(), removed.end(), targets->Get(i).id()) != removed.end()) {
      targets->DeleteSubrange(i, 1);
    }
  }
  return plan_file;
}

class EvaluatorTargetRemovalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::SeedProgressRun>> run =
        testing::SeedProgressRun::Start("evaluator-removal");
    ASSERT_TRUE(run.ok()) << run.status();
    run_ = *std::move(run);
    for (const testing::SubmissionRow& row : run_->rows()) {
      ASSERT_TRUE(run_->Send(row.submission).ok());
    }
  }

  testing::IngestSuite& suite() { return run_->suite(); }

  testing::ProgressByTarget ExpectAgreement() {
    absl::StatusOr<testing::ProgressByTarget> agreed =
        run_->AwaitAgreement();
    EXPECT_TRUE(agreed.ok()) << agreed.status();
    return agreed.ok() ? *std::move(agreed) : testing::ProgressByTarget{};
  }


  // GetProgress of `target_id`'s live progress: its status code and version.
  std::pair<grpc::StatusCode, int64_t> Get(const std::string& target_id) {
    grpc::ClientContext context;
    ev1::GetProgressRequest request;
    request.set_target_id(target_id);
    ev1::Progress progress;
    const grpc::Status got = suite().EvaluatorStub()->GetProgress(&context, request, &progress);
    return {got.error_code(), progress.version()};
  }

  // ListProgress of the seed plan shows every target but `removed`, once the read model has
  // taken them back.
  void ExpectListedWithout(const std::vector<std::string>& removed) {
    testing::ProgressByTarget listed;
    EXPECT_TRUE(testing::WaitUntil(
        [&] {
          listed = testing::SeedProgressRun::Evaluated(suite().evaluator_address());
          return listed.size() == 7 - removed.size();
        },
        kSettle))
        << listed.size() << " targets listed";
    for (const std::string& target : removed) EXPECT_FALSE(listed.contains(target)) << target;
  }

  // On tiendo.progress.v1: `target`'s final version `version`, marked removed and caused by
  // the registry, then a tombstone; one removal only.
  void ExpectTakenBackFromTheTopic(const std::string& target, int64_t version) {
    absl::StatusOr<std::unique_ptr<testing::TopicReader>> topic = testing::TopicReader::Open(
        suite().bootstrap(), suite().TopicName(kafka::Topic::kProgress));
    ASSERT_TRUE(topic.ok()) << topic.status();
    // The removal event stays the target's last record, no tombstone after it: compaction
    // keeps it, so a replica started later still knows the version a returning target
    // continues from. Read to the end, then on until it is there.
    ASSERT_TRUE((*topic)->ReadToEnd(kSettle).ok());
    auto removal_last = [&target, version](const testing::TopicReader::Records& read) {
      const auto last = std::find_if(read.rbegin(), read.rend(),
                                     [&target](const auto& r) { return r.key == target; });
      events::v1::ProgressEvent event;
      return last != read.rend() && last->value.has_value() &&
             event.ParseFromString(*last->value) && event.target_removed() &&
             event.progress().version() == version;
    };
    ASSERT_TRUE((*topic)->ReadUntil(removal_last, kSettle).ok())
        << target << ": its last record is not its removal at version " << version;
    ASSERT_TRUE((*topic)->ReadToEnd(kSettle).ok());
    ASSERT_TRUE(removal_last((*topic)->records())) << target << ": something came after";
    std::vector<const kafka::ConsumedRecord*> records;
    for (const kafka::ConsumedRecord& record : (*topic)->records()) {
      if (record.key == target) records.push_back(&record);
    }
    ASSERT_FALSE(records.empty()) << target;
    events::v1::ProgressEvent final_event;
    ASSERT_TRUE(final_event.ParseFromString(*records.back()->value)) << target;
    EXPECT_EQ(final_event.progress().cause().kind(), ev1::CAUSE_KIND_REGISTRY_CHANGE) << target;
    int removals = 0;
    for (const kafka::ConsumedRecord* record : records) {
      events::v1::ProgressEvent event;
      if (record->value.has_value() && event.ParseFromString(*record->value) &&
          event.target_removed()) {
        ++removals;
      }
    }
    EXPECT_EQ(removals, 1) << target;
  }

  std::unique_ptr<testing::SeedProgressRun> run_;
};

TEST_F(EvaluatorTargetRemovalTest, ARemovedTargetIsTakenBackOnceAndAReturningOneContinues) {
  const testing::ProgressByTarget before = ExpectAgreement();
  ASSERT_EQ(before.size(), 7u);
  const int64_t t7_version = before.at(kT7).version();
  const int64_t t6_version = before.at(kT6).version();

  // A dashboard watching the plan.
  grpc::ClientContext watch_context;
  watch_context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Minutes(2)));
  ev1::WatchProgressRequest watch;
  watch.set_plan_id(testing::kSeedPlanId);
  auto stub = suite().EvaluatorStub();
  std::unique_ptr<grpc::ClientReader<ev1::WatchProgressResponse>> reader =
      stub->WatchProgress(&watch_context, watch);
  ev1::WatchProgressResponse message;
  while (reader->Read(&message) && !message.has_initial_state_complete()) {
  }
  ASSERT_TRUE(message.has_initial_state_complete());

  // T7 leaves the plan.
  ASSERT_EQ(suite().ApplyPlan(SeedPlanWithout({kT7})), absl::OkStatus());
  std::optional<ev1::TargetRemoved> removed;
  while (!removed.has_value() && reader->Read(&message)) {
    if (message.has_target_removed()) removed = message.target_removed();
  }
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(removed->target_id(), kT7);
  EXPECT_EQ(removed->version(), t7_version + 1);
  watch_context.TryCancel();
  EXPECT_EQ(Get(kT7).first, grpc::StatusCode::NOT_FOUND);
  ExpectListedWithout({kT7});
  ExpectTakenBackFromTheTopic(kT7, t7_version + 1);

  // T6 leaves while the evaluator is down: it goes when the evaluator is back.
  ASSERT_TRUE(suite().StopEvaluator().ok());
  ASSERT_EQ(suite().ApplyPlan(SeedPlanWithout({kT6, kT7})), absl::OkStatus());
  ASSERT_TRUE(suite().StartEvaluator().ok());
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return Get(kT6).first == grpc::StatusCode::NOT_FOUND; }, kSettle))
      << suite().EvaluatorLog();
  EXPECT_EQ(Get(kT7).first, grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Get("brvt-63-kh-ubnd.t5").first, grpc::StatusCode::OK);
  ExpectListedWithout({kT6, kT7});
  ExpectTakenBackFromTheTopic(kT6, t6_version + 1);
  // A dashboard that held T6 and resumes its watch, of the plan or of chosen targets, is
  // told T6 went while it was away.
  for (const bool by_plan : {true, false}) {
    SCOPED_TRACE(by_plan ? "watching the plan" : "watching T6 and T5");
    grpc::ClientContext resume_context;
    resume_context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Minutes(1)));
    ev1::WatchProgressRequest resume;
    if (by_plan) {
      resume.set_plan_id(testing::kSeedPlanId);
    } else {
      resume.add_target_ids(kT6);
      resume.add_target_ids("brvt-63-kh-ubnd.t5");
    }
    (*resume.mutable_resume_from_versions())[kT6] = t6_version;
    auto restarted = suite().EvaluatorStub();  // the restarted evaluator listens elsewhere
    auto resumed = restarted->WatchProgress(&resume_context, resume);
    std::vector<ev1::TargetRemoved> told;
    int updates = 0;
    while (resumed->Read(&message) && !message.has_initial_state_complete()) {
      if (message.has_target_removed()) told.push_back(message.target_removed());
      if (message.has_update()) ++updates;
    }
    ASSERT_TRUE(message.has_initial_state_complete()) << resumed->Finish().error_message();
    ASSERT_EQ(told.size(), 1u);
    EXPECT_EQ(told[0].target_id(), kT6);
    EXPECT_EQ(told[0].version(), t6_version + 1);
    EXPECT_EQ(updates, by_plan ? 5 : 1);  // the plan's other targets, or T5
    resume_context.TryCancel();
  }

  // Both come back, with versions after their removals', and agree with the core again.
  ASSERT_EQ(suite().ApplyPlan(SeedPlanWithout({})), absl::OkStatus());
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        return Get(kT6).first == grpc::StatusCode::OK && Get(kT7).first == grpc::StatusCode::OK;
      },
      kSettle))
      << suite().EvaluatorLog();
  EXPECT_EQ(Get(kT7).second, t7_version + 2);
  EXPECT_EQ(Get(kT6).second, t6_version + 2);
  // As before they left, but for their definitions' versions (deleted and created again).
  const testing::ProgressByTarget after =
      testing::SeedProgressRun::Evaluated(suite().evaluator_address());
  ASSERT_EQ(after.size(), 7u);
  for (const auto& [id, progress] : before) {
    ev1::Progress was = testing::ProgressOutcome(progress);
    ev1::Progress is = testing::ProgressOutcome(after.at(id));
    was.clear_target_version();
    is.clear_target_version();
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(was, is))
        << id << ": before\n" << was.DebugString() << "after\n" << is.DebugString();
  }
}

TEST_F(EvaluatorTargetRemovalTest, ProgressContinuesAfterAVersionAnotherReplicaPublished) {
  const testing::ProgressByTarget before = ExpectAgreement();
  const ev1::Progress t7 = before.at(kT7);
  // As another replica would have published it while T7's indicator was on a partition it
  // held (a target moved to another indicator and back).
  events::v1::ProgressEvent event;
  *event.mutable_progress() = t7;
  event.mutable_progress()->set_version(t7.version() + 5);
  event.set_evaluator_instance("another-replica");
  auto producer = kafka::Producer::Create(suite().kafka_options(), "it-another-replica");
  ASSERT_TRUE(producer.ok()) << producer.status();
  kafka::OutgoingRecord record;
  record.topic = suite().TopicName(kafka::Topic::kProgress);
  record.key = kT7;
  record.value = event.SerializeAsString();
  record.headers = {{std::string(kafka::kSchemaHeader), "tiendo.events.v1.ProgressEvent"}};
  ASSERT_TRUE((*producer)->ProduceAndWait(record, absl::Seconds(30)).ok());
  ASSERT_TRUE(testing::WaitUntil([&] { return Get(kT7).second == t7.version() + 5; }, kSettle));

  // A new figure for T7's latest cell: its next version follows the other replica's.
  const iv1::Submission* latest = nullptr;
  for (const iv1::Submission& submission : run_->accepted()) {
    if (submission.indicator_id() == t7.indicator_id() &&
        submission.period() == t7.current_period() && submission.has_ratio()) {
      latest = &submission;
    }
  }
  ASSERT_NE(latest, nullptr);
  iv1::Submission correction = *latest;
  correction.set_submission_id(absl::StrCat(latest->submission_id(), ":after-another"));
  correction.mutable_ratio()->set_numerator(
      latest->ratio().numerator() == 0 ? latest->ratio().denominator() : 0);
  ASSERT_TRUE(run_->Send(correction).ok());
  EXPECT_TRUE(testing::WaitUntil([&] { return Get(kT7).second > t7.version() + 5; }, kSettle))
      << "T7 stays at the other replica's version " << t7.version() + 5 << "\n"
      << suite().EvaluatorLog();
  EXPECT_EQ(Get(kT7).second, t7.version() + 6);
}

}  // namespace
}  // namespace tiendo
