// An accepted submission that reaches the target evaluator before its indicator does, with the
// real registry, evaluator and broker. Ingest checks a submission against its own view of the
// registry, which may be ahead of the evaluator's (the two read tiendo.registry.v1 each at
// their own pace): a record on tiendo.submissions.v1 can name an indicator the evaluator has
// not read yet, or still holds as derived. Here that record is written straight to the topic
// before the plan gains the indicator, or makes it reported. The evaluator holds it, also
// across a restart from its snapshot, and counts it once the indicator's new version comes.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "services/common/kafka/producer.h"
#include "tests/support/ingest_suite.h"
#include "tests/support/service_under_test.h"
#include "tiendo/events/v1/submission_event.pb.h"

namespace tiendo {
namespace {

namespace rv1 = registry::v1;

constexpr absl::Duration kSettle = absl::Seconds(60);
constexpr char kHeld[] = "tiendo_evaluator_submissions_held";
constexpr char kSkipped[] = "tiendo_evaluator_submissions_skipped_total";
constexpr char kSeedIndicator[] = "procedure_results_digitised";
constexpr char kNewIndicator[] = "procedure_results_digitised_late";
constexpr char kNewTarget[] = "brvt-63-kh-ubnd.t7-late";
constexpr char kCountIndicator[] = "digital_tech_enterprises";
constexpr char kCountTarget[] = "brvt-63-kh-ubnd.t1";

// The seed plan with a copy of procedure_results_digitised and of its target, under new ids.
rv1::PlanFile SeedPlanWithTheNewIndicator() {
  rv1::PlanFile plan_file = testing::IngestSuite::SeedPlanFile();
  rv1::Plan& plan = *plan_file.mutable_plan();
  for (const rv1::Indicator& indicator : plan.indicators()) {
    if (indicator.id() != kSeedIndicator) continue;
    rv1::Indicator copy = indicator;
    copy.set_id(kNewIndicator);
    *plan.add_indicators() = copy;
    break;
  }
  for (const rv1::Target& target : plan.targets()) {
    if (target.indicator_id() != kSeedIndicator) continue;
    rv1::Target copy = target;
    copy.set_id(kNewTarget);
    copy.set_code("T7-late");
    copy.set_indicator_id(kNewIndicator);
    for (rv1::Milestone& milestone : *copy.mutable_milestones()) milestone.set_code("T7-late");
    *plan.add_targets() = copy;
    break;
  }
  return plan_file;
}

// The seed plan with digital_tech_enterprises (T1's) reported, summed by year, not derived.
rv1::PlanFile SeedPlanWithTheCountReported() {
  rv1::PlanFile plan_file = testing::IngestSuite::SeedPlanFile();
  for (rv1::Indicator& indicator : *plan_file.mutable_plan()->mutable_indicators()) {
    if (indicator.id() != kCountIndicator) continue;
    indicator.clear_derived();
    rv1::ReportedSource& reported = *indicator.mutable_reported();
    reported.set_value_kind(rv1::VALUE_KIND_VALUE);
    reported.set_aggregation(rv1::AGGREGATION_SUM);
    reported.add_allowed_granularities(common::v1::PERIOD_GRANULARITY_YEAR);
  }
  return plan_file;
}

// What ingest writes for dept-st's `submission`.
std::string AcceptedEvent(ingest::v1::Submission submission) {
  using google::protobuf::util::TimeUtil;
  events::v1::AcceptedSubmission event;
  submission.set_reporting_unit_id("dept-st");
  submission.set_kind(ingest::v1::SUBMISSION_KIND_REPORT);
  *submission.mutable_submitted_at() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
  *event.mutable_accepted_at() = submission.submitted_at();
  *event.mutable_submission() = std::move(submission);
  event.set_token_id("tok-lag");
  event.set_ingest_path(events::v1::INGEST_PATH_GRPC);
  event.set_ingest_instance("evaluator-indicator-lag-test");
  return event.SerializeAsString();
}

class EvaluatorIndicatorLagTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::IngestSuiteOptions options;
    options.registry_binary = TIENDO_REGISTRY_BINARY;
    options.ingest_binary = TIENDO_INGEST_BINARY;
    options.evaluator_binary = TIENDO_EVALUATOR_BINARY;
    options.name = "evaluator-lag";
    absl::StatusOr<std::unique_ptr<testing::IngestSuite>> started =
        testing::IngestSuite::Start(options);
    ASSERT_TRUE(started.ok()) << started.status();
    suite_ = *std::move(started);
  }

  // Writes `submission` to tiendo.submissions.v1 as ingest would have accepted it, and waits
  // until the evaluator holds it.
  void WriteAndAwaitHeld(const ingest::v1::Submission& submission) {
    auto producer = kafka::Producer::Create(suite_->kafka_options(), "it-lag-writer");
    ASSERT_TRUE(producer.ok()) << producer.status();
    kafka::OutgoingRecord record;
    record.topic = suite_->TopicName(kafka::Topic::kSubmissions);
    record.key = submission.indicator_id();
    record.value = AcceptedEvent(submission);
    record.headers = {
        {std::string(kafka::kSchemaHeader), "tiendo.events.v1.AcceptedSubmission"}};
    ASSERT_TRUE((*producer)->ProduceAndWait(record, absl::Seconds(30)).ok());
    AwaitHeld();
  }

  void AwaitHeld() {
    ASSERT_TRUE(testing::WaitUntil([&] { return suite_->EvaluatorMetric(kHeld) == 1; }, kSettle))
        << suite_->EvaluatorLog();
  }

  // Waits until `target_id`'s progress has `value`; its progress.
  evaluator::v1::Progress AwaitValue(const std::string& target_id, double value) {
    evaluator::v1::Progress progress;
    EXPECT_TRUE(testing::WaitUntil(
        [&] {
          grpc::ClientContext context;
          evaluator::v1::GetProgressRequest get;
          get.set_target_id(target_id);
          return suite_->EvaluatorStub()->GetProgress(&context, get, &progress).ok() &&
                 progress.has_current_value() && progress.current_value() == value;
        },
        kSettle))
        << progress.DebugString() << suite_->EvaluatorLog();
    EXPECT_EQ(suite_->EvaluatorMetric(kHeld), 0);
    EXPECT_EQ(suite_->EvaluatorMetric(kSkipped), 0);
    return progress;
  }

  std::unique_ptr<testing::IngestSuite> suite_;
};

TEST_F(EvaluatorIndicatorLagTest, ASubmissionAheadOfItsIndicatorIsHeldAndCountedWhenItComes) {
  ingest::v1::Submission submission;
  submission.set_submission_id("lag-1");
  submission.set_indicator_id(kNewIndicator);
  submission.set_period("2024-Q4");
  submission.mutable_ratio()->set_numerator(40);
  submission.mutable_ratio()->set_denominator(50);
  WriteAndAwaitHeld(submission);

  // A restart resumes from the snapshot written at the stop: the held record is read again.
  ASSERT_TRUE(suite_->StopEvaluator().ok());
  ASSERT_TRUE(suite_->StartEvaluator().ok()) << suite_->EvaluatorLog();
  AwaitHeld();

  ASSERT_EQ(suite_->ApplyPlan(SeedPlanWithTheNewIndicator()), absl::OkStatus());
  const evaluator::v1::Progress progress = AwaitValue(kNewTarget, 80);  // 40 of 50
  EXPECT_EQ(progress.current_period(), "2024-Q4");
}

TEST_F(EvaluatorIndicatorLagTest, ASubmissionForAnIndicatorStillDerivedHereWaitsForItsNewVersion) {
  ingest::v1::Submission submission;
  submission.set_submission_id("lag-2");
  submission.set_indicator_id(kCountIndicator);
  submission.set_period("2025");
  submission.set_value(320);
  WriteAndAwaitHeld(submission);

  ASSERT_EQ(suite_->ApplyPlan(SeedPlanWithTheCountReported()), absl::OkStatus());
  const evaluator::v1::Progress progress = AwaitValue(kCountTarget, 320);
  EXPECT_EQ(progress.current_period(), "2025");
}

}  // namespace
}  // namespace tiendo
