// target-evaluator end to end with the real registry, metrics-ingest and broker: the seed plan,
// the synthetic enterprises and procedures imported into the registry, the synthetic
// submissions sent through ingest; the evaluator's progress of every target must equal what
// the core computes offline from the same files (tests/support/seed_sample), and must stay
// exactly that through a kill -9 and restart, a correction, a retraction and the whole
// submission log written a second time.
#include <csignal>
#include <fstream>
#include <map>
#include <optional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/common/core/civil_date.h"
#include "services/common/core/progress_report.h"
#include "services/common/kafka/producer.h"
#include "tests/support/ingest_suite.h"
#include "tests/support/seed_sample.h"
#include "tests/support/service_under_test.h"
#include "tests/support/topic_reader.h"

namespace tiendo {
namespace {

namespace ev1 = evaluator::v1;
namespace iv1 = ingest::v1;
namespace rv1 = registry::v1;

constexpr char kPlan[] = "brvt-63-kh-ubnd";
constexpr absl::Duration kSettle = absl::Seconds(60);
constexpr char kPublished[] = "tiendo_evaluator_progress_published_total";
constexpr char kRead[] = "tiendo_evaluator_submission_records_total";

// What must agree: the progress without its as-of date, version, change time and cause.
ev1::Progress Outcome(ev1::Progress progress) {
  progress.clear_as_of();
  progress.clear_version();
  progress.clear_last_changed_at();
  progress.clear_cause();
  return progress;
}

class EvaluatorProgressTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::vector<testing::SubmissionRow>> rows = testing::SyntheticSubmissions();
    ASSERT_TRUE(rows.ok()) << rows.status();
    rows_ = new std::vector<testing::SubmissionRow>(*std::move(rows));
    std::set<std::string> units;
    for (const testing::SubmissionRow& row : *rows_) {
      units.insert(row.submission.reporting_unit_id());
    }
    absl::StatusOr<std::unique_ptr<testing::IngestSuite>> suite =
        testing::IngestSuite::Start({TIENDO_REGISTRY_BINARY, TIENDO_INGEST_BINARY,
                                     TIENDO_EVALUATOR_BINARY, "evaluator",
                                     std::vector<std::string>(units.begin(), units.end()),
                                     {}});
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = suite->release();
    accepted_ = new std::vector<iv1::Submission>();
    ImportRegistryFiles();
    for (const testing::SubmissionRow& row : *rows_) Send(row.submission);
  }

  static void TearDownTestSuite() {
    delete suite_;
    delete rows_;
    delete accepted_;
  }

  static void ImportRegistryFiles() {
    absl::StatusOr<std::vector<rv1::Enterprise>> enterprises = testing::SyntheticEnterprises();
    ASSERT_TRUE(enterprises.ok()) << enterprises.status();
    rv1::ImportEnterprisesResponse imported;
    {
      auto context = testing::IngestSuite::RegistryContext(absl::Seconds(120));
      auto stream = suite_->registry().ImportEnterprises(context.get(), &imported);
      rv1::ImportEnterprisesRequest request;
      for (size_t i = 0; i < enterprises->size(); ++i) {
        rv1::EnterpriseImportRow* row = request.add_rows();
        row->set_row_number(static_cast<int64_t>(i) + 2);
        *row->mutable_enterprise() = (*enterprises)[i];
      }
      ASSERT_TRUE(stream->Write(request));
      stream->WritesDone();
      grpc::Status status = stream->Finish();
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    ASSERT_EQ(imported.summary().rows_created(), static_cast<int64_t>(enterprises->size()));

    absl::StatusOr<std::vector<rv1::PublicService>> services = testing::SyntheticPublicServices();
    ASSERT_TRUE(services.ok()) << services.status();
    rv1::ImportPublicServicesResponse imported_services;
    {
      auto context = testing::IngestSuite::RegistryContext(absl::Seconds(120));
      auto stream = suite_->registry().ImportPublicServices(context.get(), &imported_services);
      rv1::ImportPublicServicesRequest request;
      for (size_t i = 0; i < services->size(); ++i) {
        rv1::PublicServiceImportRow* row = request.add_rows();
        row->set_row_number(static_cast<int64_t>(i) + 2);
        *row->mutable_public_service() = (*services)[i];
      }
      ASSERT_TRUE(stream->Write(request));
      stream->WritesDone();
      grpc::Status status = stream->Finish();
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    ASSERT_EQ(imported_services.summary().rows_created(),
              static_cast<int64_t>(services->size()));
  }

  // Sends one item as its own unit, one call per item so the log keeps the file's order;
  // remembers it if ACCEPTED.
  static void Send(const iv1::Submission& submission) {
    iv1::SubmitBatchRequest request;
    *request.add_submissions() = submission;
    iv1::SubmitBatchResponse response;
    grpc::Status status = suite_->Submit(suite_->token(submission.reporting_unit_id()).bearer,
                                         request, &response);
    ASSERT_TRUE(status.ok()) << submission.submission_id() << ": " << status.error_message();
    ASSERT_EQ(response.results_size(), 1);
    if (response.results(0).outcome() == iv1::SUBMISSION_OUTCOME_ACCEPTED) {
      accepted_->push_back(submission);
    }
  }

  // The progress of every target of the plan, computed by the core from the seed files and
  // the accepted submissions in the order they were accepted.
  static std::map<std::string, ev1::Progress> Expected(
      absl::CivilDay day = core::VietnamDay(absl::Now())) {
    core::ProgressTracker tracker;
    absl::Status loaded = testing::LoadSeedRegistry(tracker);
    EXPECT_TRUE(loaded.ok()) << loaded;
    for (size_t i = 0; i < accepted_->size(); ++i) {
      const iv1::Submission& submission = (*accepted_)[i];
      absl::StatusOr<core::CellSubmission> decoded =
          tracker.Decode(submission, submission.reporting_unit_id(), static_cast<int64_t>(i));
      EXPECT_TRUE(decoded.ok()) << decoded.status();
      if (decoded.ok()) tracker.Apply(*decoded);
    }
    absl::StatusOr<rv1::PlanFile> plan_file = testing::SeedPlanFile();
    EXPECT_TRUE(plan_file.ok()) << plan_file.status();
    std::map<std::string, ev1::Progress> expected;
    for (const rv1::Target& target : plan_file->plan().targets()) {
      expected[target.id()] =
          Outcome(core::DescribeProgress(tracker, *tracker.FindTarget(target.id()), day));
    }
    return expected;
  }

  // The progress of every target of the plan, by target id, as `evaluator` lists it.
  static std::map<std::string, ev1::Progress> Evaluated(ev1::TargetEvaluator::Stub& evaluator) {
    std::map<std::string, ev1::Progress> evaluated;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    ev1::ListProgressRequest request;
    request.set_plan_id(kPlan);
    ev1::ListProgressResponse response;
    if (!evaluator.ListProgress(&context, request, &response).ok()) {
      return evaluated;
    }
    for (const ev1::Progress& progress : response.progress_entries()) {
      evaluated[progress.target_id()] = progress;
    }
    return evaluated;
  }

  static bool Agrees(const std::map<std::string, ev1::Progress>& evaluated,
                     const std::map<std::string, ev1::Progress>& expected) {
    if (evaluated.size() != expected.size()) return false;
    for (const auto& [id, progress] : expected) {
      auto found = evaluated.find(id);
      if (found == evaluated.end() ||
          !google::protobuf::util::MessageDifferencer::Equals(Outcome(found->second),
                                                              progress)) {
        return false;
      }
    }
    return true;
  }

  // Waits until the evaluator (the suite's, or the one at `address`) agrees with the core on
  // `day`; the evaluated progress.
  static std::map<std::string, ev1::Progress> ExpectAgreement(
      absl::CivilDay day = core::VietnamDay(absl::Now()), const std::string& address = "") {
    const std::unique_ptr<ev1::TargetEvaluator::Stub> evaluator =
        address.empty() ? suite_->EvaluatorStub()
                        : ev1::TargetEvaluator::NewStub(grpc::CreateChannel(
                              address, grpc::InsecureChannelCredentials()));
    const std::map<std::string, ev1::Progress> expected = Expected(day);
    std::map<std::string, ev1::Progress> evaluated;
    const bool agreed = testing::WaitUntil(
        [&] {
          evaluated = Evaluated(*evaluator);
          return Agrees(evaluated, expected);
        },
        kSettle);
    if (!agreed) {
      std::string differences;
      for (const auto& [id, progress] : expected) {
        absl::StrAppend(&differences, "expected ", id, ":\n", progress.DebugString(),
                        "evaluated:\n",
                        evaluated.count(id) ? Outcome(evaluated[id]).DebugString() : "none\n");
      }
      ADD_FAILURE() << "the evaluator never agreed with the core:\n"
                    << differences << "evaluator log:\n"
                    << suite_->EvaluatorLog();
    }
    return evaluated;
  }

  static testing::IngestSuite* suite_;
  static std::vector<testing::SubmissionRow>* rows_;
  static std::vector<iv1::Submission>* accepted_;
};

testing::IngestSuite* EvaluatorProgressTest::suite_ = nullptr;
std::vector<testing::SubmissionRow>* EvaluatorProgressTest::rows_ = nullptr;
std::vector<iv1::Submission>* EvaluatorProgressTest::accepted_ = nullptr;

TEST_F(EvaluatorProgressTest, EveryTargetEqualsTheCoreOverTheSameInputs) {
  ASSERT_GT(accepted_->size(), 1900u);
  const std::map<std::string, ev1::Progress> evaluated = ExpectAgreement();
  ASSERT_EQ(evaluated.size(), 7u);
  for (const auto& [id, progress] : evaluated) {
    EXPECT_NE(progress.status(), ev1::PROGRESS_STATUS_UNSPECIFIED) << id;
    EXPECT_GE(progress.version(), 1) << id;
    EXPECT_TRUE(progress.has_last_changed_at()) << id;
  }
}

TEST_F(EvaluatorProgressTest, KillAndRestartLeaveProgressAndVersionsAsTheyWere) {
  const std::map<std::string, ev1::Progress> before = ExpectAgreement();
  ASSERT_TRUE(suite_->StopEvaluator(/*kill=*/true).ok());
  ASSERT_TRUE(suite_->StartEvaluator().ok());
  // The restarted replica replays the log; once it has taken its partitions live it must
  // have published nothing, for nothing changed.
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        return suite_->EvaluatorMetric("tiendo_evaluator_progress_unchanged_total")
                   .value_or(0) >= 7;
      },
      kSettle))
      << suite_->EvaluatorLog();
  EXPECT_EQ(suite_->EvaluatorMetric(kPublished), 0);
  const std::map<std::string, ev1::Progress> after = ExpectAgreement();
  for (const auto& [id, progress] : before) {
    EXPECT_EQ(after.at(id).version(), progress.version()) << id;
  }
}

// The target on `indicator_id`.
std::string TargetOn(const std::map<std::string, ev1::Progress>& progress,
                     const std::string& indicator_id) {
  for (const auto& [id, entry] : progress) {
    if (entry.indicator_id() == indicator_id) return id;
  }
  ADD_FAILURE() << "no target on " << indicator_id;
  return "";
}

// The last accepted submission for the latest period of a reported ratio target: a new
// figure for its cell moves that target's current value.
const iv1::Submission* LatestFigureOfAReportedTarget(
    const std::vector<iv1::Submission>& accepted,
    const std::map<std::string, ev1::Progress>& progress) {
  const iv1::Submission* latest = nullptr;
  for (const iv1::Submission& submission : accepted) {
    if (!submission.has_ratio()) continue;
    for (const auto& [id, entry] : progress) {
      if (entry.indicator_id() == submission.indicator_id() &&
          entry.current_period() == submission.period()) {
        latest = &submission;
      }
    }
  }
  return latest;
}

// `figure` for the same cell under a new submission id, with another numerator.
iv1::Submission Corrected(const iv1::Submission& figure, const std::string& suffix) {
  iv1::Submission correction = figure;
  correction.set_submission_id(absl::StrCat(figure.submission_id(), ":", suffix));
  correction.mutable_ratio()->set_numerator(
      figure.ratio().numerator() == 0 ? figure.ratio().denominator() : 0);
  return correction;
}

TEST_F(EvaluatorProgressTest, ACorrectionMovesProgressAndARetractionTakesItsFigureAway) {
  const std::map<std::string, ev1::Progress> before = ExpectAgreement();
  // A later report for the cell of a target's latest figure corrects it.
  const iv1::Submission* found = LatestFigureOfAReportedTarget(*accepted_, before);
  ASSERT_NE(found, nullptr);
  const iv1::Submission latest = *found;  // Send adds to accepted_
  const std::string target = TargetOn(before, latest.indicator_id());
  const iv1::Submission correction = Corrected(latest, "correction");
  Send(correction);
  ASSERT_EQ(accepted_->back().submission_id(), correction.submission_id());
  const std::map<std::string, ev1::Progress> corrected = ExpectAgreement();
  EXPECT_FALSE(google::protobuf::util::MessageDifferencer::Equals(
      Outcome(corrected.at(target)), Outcome(before.at(target))));
  EXPECT_GT(corrected.at(target).version(), before.at(target).version());

  iv1::Submission retraction = latest;
  retraction.set_submission_id(absl::StrCat(latest.submission_id(), ":retraction"));
  retraction.set_kind(iv1::SUBMISSION_KIND_RETRACTION);
  retraction.clear_ratio();
  Send(retraction);
  ASSERT_EQ(accepted_->back().submission_id(), retraction.submission_id());
  const std::map<std::string, ev1::Progress> retracted = ExpectAgreement();
  EXPECT_FALSE(google::protobuf::util::MessageDifferencer::Equals(
      Outcome(retracted.at(target)), Outcome(corrected.at(target))));
}

// Reads the next message of `stream` within `timeout`; nullopt when none came.
std::optional<ev1::WatchProgressResponse> NextMessage(
    grpc::ClientReader<ev1::WatchProgressResponse>& stream) {
  ev1::WatchProgressResponse message;
  if (!stream.Read(&message)) return std::nullopt;
  return message;
}

TEST_F(EvaluatorProgressTest, WatchersSeeTheStateThenEachChangeOnceAndResumeWithoutRepeats) {
  const std::map<std::string, ev1::Progress> before = ExpectAgreement();
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  ev1::WatchProgressRequest request;
  request.set_plan_id(kPlan);
  std::unique_ptr<grpc::ClientReader<ev1::WatchProgressResponse>> stream =
      suite_->EvaluatorStub()->WatchProgress(&context, request);
  std::map<std::string, int64_t> seen;
  for (size_t i = 0; i < before.size(); ++i) {
    std::optional<ev1::WatchProgressResponse> message = NextMessage(*stream);
    ASSERT_TRUE(message.has_value() && message->has_update()) << i;
    EXPECT_TRUE(message->update().initial());
    const ev1::Progress& progress = message->update().progress();
    EXPECT_EQ(progress.version(), before.at(progress.target_id()).version());
    EXPECT_TRUE(seen.emplace(progress.target_id(), progress.version()).second)
        << progress.target_id() << " sent twice";
  }
  std::optional<ev1::WatchProgressResponse> marker = NextMessage(*stream);
  ASSERT_TRUE(marker.has_value() && marker->has_initial_state_complete());

  // A figure for a reported target moves it: the watcher gets exactly its next version.
  const iv1::Submission* found = LatestFigureOfAReportedTarget(*accepted_, before);
  ASSERT_NE(found, nullptr);
  const iv1::Submission latest = *found;  // Send adds to accepted_
  Send(Corrected(latest, "watched"));
  const std::string target = TargetOn(before, latest.indicator_id());
  std::optional<ev1::WatchProgressResponse> update = NextMessage(*stream);
  ASSERT_TRUE(update.has_value() && update->has_update());
  EXPECT_FALSE(update->update().initial());
  EXPECT_EQ(update->update().progress().target_id(), target);
  EXPECT_EQ(update->update().progress().version(), seen[target] + 1);
  EXPECT_EQ(update->update().skipped_versions(), 0);
  seen[target] = update->update().progress().version();
  context.TryCancel();
  ExpectAgreement();

  // Resuming with every version seen: nothing is sent again, only the marker.
  grpc::ClientContext resumed_context;
  resumed_context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  ev1::WatchProgressRequest resume;
  resume.set_plan_id(kPlan);
  for (const auto& [id, version] : seen) (*resume.mutable_resume_from_versions())[id] = version;
  std::unique_ptr<grpc::ClientReader<ev1::WatchProgressResponse>> resumed =
      suite_->EvaluatorStub()->WatchProgress(&resumed_context, resume);
  std::optional<ev1::WatchProgressResponse> first = NextMessage(*resumed);
  ASSERT_TRUE(first.has_value());
  EXPECT_TRUE(first->has_initial_state_complete()) << first->DebugString();
  resumed_context.TryCancel();
}

TEST_F(EvaluatorProgressTest, TheWholeSubmissionLogWrittenAgainChangesNothing) {
  const std::map<std::string, ev1::Progress> before = ExpectAgreement();
  const double published = suite_->EvaluatorMetric(kPublished).value_or(-1);
  const double read = suite_->EvaluatorMetric(kRead).value_or(-1);
  absl::StatusOr<std::unique_ptr<testing::TopicReader>> log = testing::TopicReader::Open(
      suite_->bootstrap(), suite_->TopicName(kafka::Topic::kSubmissions));
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_TRUE((*log)->ReadToEnd(absl::Seconds(30)).ok());
  const std::vector<kafka::ConsumedRecord>& records = (*log)->records();
  ASSERT_GT(records.size(), 1900u);
  absl::StatusOr<std::unique_ptr<kafka::Producer>> producer =
      kafka::Producer::Create(suite_->kafka_options(), "evaluator-test-replayer");
  ASSERT_TRUE(producer.ok()) << producer.status();
  for (const kafka::ConsumedRecord& record : records) {
    ASSERT_TRUE((*producer)
                    ->Produce({record.position.topic, record.key.value_or(""), record.value,
                               record.headers},
                              [](absl::StatusOr<kafka::RecordPosition>) {})
                    .ok());
  }
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        return suite_->EvaluatorMetric(kRead).value_or(0) >=
               read + static_cast<double>(records.size());
      },
      kSettle))
      << "the evaluator did not read the copies; log:\n"
      << suite_->EvaluatorLog();
  EXPECT_EQ(suite_->EvaluatorMetric(kPublished).value_or(-1), published);
  const std::map<std::string, ev1::Progress> after = ExpectAgreement();
  for (const auto& [id, progress] : before) {
    EXPECT_EQ(after.at(id).version(), progress.version()) << id;
  }
}

TEST_F(EvaluatorProgressTest, WithTwoReplicasProgressKeepsFlowingWhenOneStops) {
  const std::map<std::string, ev1::Progress> before = ExpectAgreement();
  absl::StatusOr<testing::ServiceUnderTest> second = testing::StartService(
      TIENDO_EVALUATOR_BINARY, "tiendo-target-evaluator-2", suite_->bootstrap(),
      suite_->prefix(), suite_->dir(),
      {"--shutdown-timeout=10s", absl::StrCat("--instance-id=", suite_->prefix(), "2")});
  ASSERT_TRUE(second.ok()) << second.status();
  // Both answer for every target once the group has split the partitions between them.
  ExpectAgreement(core::VietnamDay(absl::Now()), second->address());
  const iv1::Submission* found = LatestFigureOfAReportedTarget(*accepted_, before);
  ASSERT_NE(found, nullptr);
  const iv1::Submission latest = *found;  // Send adds to accepted_
  Send(Corrected(latest, "two-replicas"));
  ExpectAgreement();
  ExpectAgreement(core::VietnamDay(absl::Now()), second->address());

  // The replica evaluating that figure's target stops; once the group gives its partitions
  // to the other (after the session timeout: a static member does not leave), a new figure
  // still moves progress there.
  const std::string target = TargetOn(before, latest.indicator_id());
  grpc::ClientContext context;
  ev1::GetProgressRequest past;
  past.set_target_id(target);
  past.set_as_of(core::FormatCivilDate(core::VietnamDay(absl::Now())));
  ev1::Progress ignored;
  const bool first_owns =
      suite_->EvaluatorStub()->GetProgress(&context, past, &ignored).ok();
  if (first_owns) {
    ASSERT_TRUE(suite_->StopEvaluator().ok());
  } else {
    second->process->Signal(SIGTERM);
    ASSERT_TRUE(second->process->WaitForExit(absl::Seconds(30)).has_value());
  }
  Send(Corrected(Corrected(latest, "two-replicas"), "after-stop"));
  ExpectAgreement(core::VietnamDay(absl::Now()), first_owns ? second->address() : "");

  // The suite's evaluator alone again.
  if (first_owns) {
    ASSERT_TRUE(suite_->StartEvaluator().ok());
    second->process->Signal(SIGTERM);
    ASSERT_TRUE(second->process->WaitForExit(absl::Seconds(30)).has_value());
  }
  ExpectAgreement();
}

// The evaluator's clock, read from a file the test rewrites.
void SetClock(const std::string& path, const std::string& rfc3339) {
  std::ofstream(path, std::ios::trunc) << rfc3339 << "\n";
}

TEST_F(EvaluatorProgressTest, AMilestoneDeadlinePassingFlipsTheStatusWithNoNewData) {
  const std::string clock = absl::StrCat(suite_->dir(), "/clock");
  SetClock(clock, "2030-12-30T05:00:00Z");  // 12:00 on 30 December 2030 in Vietnam
  ASSERT_TRUE(suite_->StopEvaluator().ok());
  ASSERT_TRUE(suite_->StartEvaluator({absl::StrCat("--clock-file=", clock)}).ok());
  const std::map<std::string, ev1::Progress> before =
      ExpectAgreement(absl::CivilDay(2030, 12, 30));
  // The targets with a milestone due on 31 December 2030, still open.
  std::vector<std::string> due;
  for (const auto& [id, progress] : before) {
    for (const ev1::MilestoneProgress& milestone : progress.milestones()) {
      if (milestone.deadline() == "2030-12-31" && !milestone.final()) due.push_back(id);
    }
  }
  ASSERT_FALSE(due.empty());
  const double read = suite_->EvaluatorMetric(kRead).value_or(-1);

  SetClock(clock, "2031-01-01T01:00:00Z");
  const std::map<std::string, ev1::Progress> after = ExpectAgreement(absl::CivilDay(2031, 1, 1));
  EXPECT_EQ(suite_->EvaluatorMetric(kRead).value_or(-1), read) << "no new data was read";
  for (const std::string& id : due) {
    SCOPED_TRACE(id);
    const ev1::Progress& progress = after.at(id);
    EXPECT_THAT(progress.status(), ::testing::AnyOf(ev1::PROGRESS_STATUS_ACHIEVED,
                                                    ev1::PROGRESS_STATUS_MISSED));
    EXPECT_EQ(progress.cause().kind(), ev1::CAUSE_KIND_CLOCK);
    EXPECT_GT(progress.version(), before.at(id).version());
  }
  // Back to the real clock for whatever runs next.
  ASSERT_TRUE(suite_->StopEvaluator().ok());
  ASSERT_TRUE(suite_->StartEvaluator().ok());
  ExpectAgreement();
}

}  // namespace
}  // namespace tiendo
