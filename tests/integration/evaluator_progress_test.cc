// target-evaluator end to end with the real registry, metrics-ingest and broker: the seed plan,
// the synthetic enterprises and procedures imported into the registry, the synthetic
// submissions sent through ingest; the evaluator's progress of every target must equal what
// the core computes offline from the same files (tests/support/seed_sample), and must stay
// exactly that through a kill -9 and restart, a correction, a retraction and the whole
// submission log written a second time.
#include <csignal>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/common/core/civil_date.h"
#include "services/common/core/period.h"
#include "services/common/core/progress_report.h"
#include "services/common/grpc/grpc_status.h"
#include "services/common/kafka/producer.h"
#include "services/common/status/field_violations.h"
#include "tests/support/seed_progress_run.h"
#include "tests/support/service_under_test.h"
#include "tests/support/topic_reader.h"

namespace tiendo {
namespace {

namespace ev1 = evaluator::v1;
namespace iv1 = ingest::v1;

constexpr absl::Duration kSettle = absl::Seconds(60);
constexpr char kPublished[] = "tiendo_evaluator_progress_published_total";
constexpr char kRead[] = "tiendo_evaluator_submission_records_total";

using testing::ProgressOutcome;

class EvaluatorProgressTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<testing::SeedProgressRun>> run =
        testing::SeedProgressRun::Start("evaluator");
    ASSERT_TRUE(run.ok()) << run.status();
    run_ = run->release();
    for (const testing::SubmissionRow& row : run_->rows()) Send(row.submission);
  }

  static void TearDownTestSuite() { delete run_; }

  static testing::IngestSuite& suite() { return run_->suite(); }
  static const std::vector<iv1::Submission>& accepted() { return run_->accepted(); }

  static void Send(const iv1::Submission& submission) {
    absl::StatusOr<iv1::SubmissionOutcome> outcome = run_->Send(submission);
    ASSERT_TRUE(outcome.ok()) << outcome.status();
  }

  // Waits until the evaluator (the suite's, or the one at `address`) agrees with the core on
  // `day` (without one, today: SeedProgressRun::AwaitAgreement); the evaluated progress
  // (empty, with a failure, if it never does).
  static testing::ProgressByTarget ExpectAgreement(
      std::optional<absl::CivilDay> day = {}, const std::string& address = "") {
    absl::StatusOr<testing::ProgressByTarget> agreed = run_->AwaitAgreement(day, address);
    if (!agreed.ok()) {
      ADD_FAILURE() << agreed.status();
      return {};
    }
    return *std::move(agreed);
  }

  static testing::SeedProgressRun* run_;
};

testing::SeedProgressRun* EvaluatorProgressTest::run_ = nullptr;

TEST_F(EvaluatorProgressTest, EveryTargetEqualsTheCoreOverTheSameInputs) {
  ASSERT_GT(accepted().size(), 1900u);
  const testing::ProgressByTarget evaluated = ExpectAgreement();
  ASSERT_EQ(evaluated.size(), 7u);
  for (const auto& [id, progress] : evaluated) {
    EXPECT_NE(progress.status(), ev1::PROGRESS_STATUS_UNSPECIFIED) << id;
    EXPECT_GE(progress.version(), 1) << id;
    EXPECT_TRUE(progress.has_last_changed_at()) << id;
  }
}

TEST_F(EvaluatorProgressTest, ListingOrWatchingAPlanTheRegistryDoesNotHaveIsNotFound) {
  grpc::ClientContext context;
  ev1::ListProgressRequest request;
  request.set_plan_id("brvt-63-kh-ubnd-typo");
  ev1::ListProgressResponse response;
  const grpc::Status listed = suite().EvaluatorStub()->ListProgress(&context, request, &response);
  EXPECT_EQ(listed.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(listed.error_message(), ::testing::HasSubstr("brvt-63-kh-ubnd-typo"));

  // A watch of it likewise (it used to stream nothing, for ever).
  grpc::ClientContext watch_context;
  watch_context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  ev1::WatchProgressRequest watch;
  watch.set_plan_id("brvt-63-kh-ubnd-typo");
  std::unique_ptr<grpc::ClientReader<ev1::WatchProgressResponse>> stream =
      suite().EvaluatorStub()->WatchProgress(&watch_context, watch);
  ev1::WatchProgressResponse message;
  EXPECT_FALSE(stream->Read(&message)) << message.DebugString();
  const grpc::Status watched = stream->Finish();
  EXPECT_EQ(watched.error_code(), grpc::StatusCode::NOT_FOUND) << watched.error_message();
  EXPECT_THAT(watched.error_message(), ::testing::HasSubstr("brvt-63-kh-ubnd-typo"));
}

TEST_F(EvaluatorProgressTest, KillAndRestartLeaveProgressAndVersionsAsTheyWere) {
  const testing::ProgressByTarget before = ExpectAgreement();
  ASSERT_TRUE(suite().StopEvaluator(/*kill=*/true).ok());
  ASSERT_TRUE(suite().StartEvaluator().ok());
  // The restarted replica replays the log; once it has taken its partitions live it must
  // have published nothing, for nothing changed.
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        return suite().EvaluatorMetric("tiendo_evaluator_progress_unchanged_total")
                   .value_or(0) >= 7;
      },
      kSettle))
      << suite().EvaluatorLog();
  EXPECT_EQ(suite().EvaluatorMetric(kPublished), 0);
  const testing::ProgressByTarget after = ExpectAgreement();
  for (const auto& [id, progress] : before) {
    EXPECT_EQ(after.at(id).version(), progress.version()) << id;
  }
}

// The target on `indicator_id`.
std::string TargetOn(const testing::ProgressByTarget& progress,
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
    const testing::ProgressByTarget& progress) {
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
  const testing::ProgressByTarget before = ExpectAgreement();
  // A later report for the cell of a target's latest figure corrects it.
  const iv1::Submission* found = LatestFigureOfAReportedTarget(accepted(), before);
  ASSERT_NE(found, nullptr);
  const iv1::Submission latest = *found;  // Send adds to accepted()
  const std::string target = TargetOn(before, latest.indicator_id());
  const iv1::Submission correction = Corrected(latest, "correction");
  Send(correction);
  ASSERT_EQ(accepted().back().submission_id(), correction.submission_id());
  const testing::ProgressByTarget corrected = ExpectAgreement();
  EXPECT_FALSE(google::protobuf::util::MessageDifferencer::Equals(
      ProgressOutcome(corrected.at(target)), ProgressOutcome(before.at(target))));
  EXPECT_GT(corrected.at(target).version(), before.at(target).version());

  iv1::Submission retraction = latest;
  retraction.set_submission_id(absl::StrCat(latest.submission_id(), ":retraction"));
  retraction.set_kind(iv1::SUBMISSION_KIND_RETRACTION);
  retraction.clear_ratio();
  Send(retraction);
  ASSERT_EQ(accepted().back().submission_id(), retraction.submission_id());
  const testing::ProgressByTarget retracted = ExpectAgreement();
  EXPECT_FALSE(google::protobuf::util::MessageDifferencer::Equals(
      ProgressOutcome(retracted.at(target)), ProgressOutcome(corrected.at(target))));
}

// GetCellHistory of dept-st's undisaggregated procedure_results_digitised cell for `period`.
grpc::Status CellHistory(ev1::TargetEvaluator::Stub& stub, const std::string& indicator_id,
                         const std::string& period, ev1::GetCellHistoryResponse* response) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  ev1::GetCellHistoryRequest request;
  request.set_reporting_unit_id("dept-st");
  request.set_indicator_id(indicator_id);
  request.set_period(period);
  return stub.GetCellHistory(&context, request, response);
}

TEST_F(EvaluatorProgressTest, ACellsHistoryShowsEachSubmissionWhatItDidAndWhatItReplaced) {
  iv1::Submission report;
  report.set_submission_id("cell-history:report");
  report.set_reporting_unit_id("dept-st");
  report.set_indicator_id("procedure_results_digitised");
  report.set_period("2026-10");
  report.set_kind(iv1::SUBMISSION_KIND_REPORT);
  report.mutable_ratio()->set_numerator(900);
  report.mutable_ratio()->set_denominator(1000);
  iv1::Submission correction = report;
  correction.set_submission_id("cell-history:correction");
  correction.mutable_ratio()->set_numerator(950);
  iv1::Submission retraction = report;
  retraction.set_submission_id("cell-history:retraction");
  retraction.set_kind(iv1::SUBMISSION_KIND_RETRACTION);
  retraction.clear_ratio();
  for (const iv1::Submission* submission : {&report, &correction, &retraction}) {
    Send(*submission);
    ASSERT_EQ(accepted().back().submission_id(), submission->submission_id());
  }
  auto stub = suite().EvaluatorStub();
  ev1::GetCellHistoryResponse history;
  grpc::Status got;
  ASSERT_TRUE(testing::WaitUntil(
      [&] {  // once the evaluator has applied all three
        history.Clear();
        got = CellHistory(*stub, "procedure_results_digitised", "2026-10", &history);
        return got.ok() && history.entries_size() == 3;
      },
      kSettle))
      << got.error_message() << history.DebugString();
  const ev1::CellEffect effects[] = {ev1::CELL_EFFECT_REPORTED, ev1::CELL_EFFECT_CORRECTED,
                                     ev1::CELL_EFFECT_RETRACTED};
  const iv1::Submission* sent[] = {&report, &correction, &retraction};
  for (int i = 0; i < 3; ++i) {
    const ev1::CellHistoryEntry& entry = history.entries(i);
    SCOPED_TRACE(sent[i]->submission_id());
    EXPECT_EQ(entry.submission().submission_id(), sent[i]->submission_id());
    EXPECT_EQ(entry.submission().reporting_unit_id(), "dept-st");
    EXPECT_EQ(entry.effect(), effects[i]);
    EXPECT_EQ(entry.token_id(), suite().token("dept-st").token_id);
    EXPECT_TRUE(entry.has_accepted_at());
    EXPECT_EQ(entry.position().topic(), suite().TopicName(kafka::Topic::kSubmissions));
    if (i > 0) {
      EXPECT_GT(entry.position().offset(), history.entries(i - 1).position().offset());
    }
  }
  EXPECT_EQ(history.entries(0).replaced().figure_case(), ev1::CellFigure::FIGURE_NOT_SET);
  EXPECT_EQ(history.entries(1).replaced().ratio().numerator(), 900);
  EXPECT_EQ(history.entries(2).replaced().ratio().numerator(), 950);
  EXPECT_EQ(history.current().figure_case(), ev1::CellFigure::FIGURE_NOT_SET);

  // A cell never reported has no history; a bad request says what is wrong.
  ev1::GetCellHistoryResponse empty;
  ASSERT_TRUE(CellHistory(*stub, "procedure_results_digitised", "2026-11", &empty).ok());
  EXPECT_EQ(empty.entries_size(), 0);
  ev1::GetCellHistoryResponse ignored;
  const grpc::Status unknown = CellHistory(*stub, "no_such_indicator", "2026-10", &ignored);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(unknown.error_message(), ::testing::HasSubstr("no_such_indicator"));
  const grpc::Status bad_period =
      CellHistory(*stub, "procedure_results_digitised", "2026-13", &ignored);
  EXPECT_EQ(bad_period.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const std::vector<common::v1::FieldViolation> violations =
      status::FieldViolationsOf(server::FromGrpcStatus(bad_period));
  ASSERT_EQ(violations.size(), 1u) << bad_period.error_message();
  EXPECT_EQ(violations[0].field(), "period");
  EXPECT_EQ(violations[0].rule(), "format");
  EXPECT_THAT(violations[0].description(), ::testing::HasSubstr("2026-13"));
  const grpc::Status missing = CellHistory(*stub, "", "", &ignored);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(missing.error_message(), ::testing::HasSubstr("indicator_id"));
}

// The state GetCompleteness must give a report due on `due` as of `today`, when every
// accepted submission was accepted today.
ev1::ReportState ExpectedState(bool received, absl::CivilDay due, absl::CivilDay today) {
  if (received) return today <= due ? ev1::REPORT_STATE_ON_TIME : ev1::REPORT_STATE_LATE;
  return due < today ? ev1::REPORT_STATE_MISSING : ev1::REPORT_STATE_PENDING;
}

// The seed plan's monthly reports, due 15 days after the month: each state, due date and
// count of the rows of `rows` against the accepted submissions.
void ExpectReportsAsSubmitted(const testing::SeedProgressRun& run,
                              const std::vector<ev1::CompletenessRow>& rows) {
  const absl::CivilDay today = core::VietnamDay(absl::Now());
  for (const ev1::CompletenessRow& row : rows) {
    SCOPED_TRACE(absl::StrCat(row.reporting_unit_id(), " ", row.period()));
    const absl::CivilDay due = core::Period::Parse(row.period())->LastDay() + 15;
    int counts[5] = {};  // by ReportState
    for (const ev1::ExpectedReport& report : row.reports()) {
      const bool stands =
          run.ReportStands(row.reporting_unit_id(), report.indicator_id(), row.period());
      EXPECT_EQ(report.state(), ExpectedState(stands, due, today)) << report.indicator_id();
      EXPECT_EQ(report.due_date(), core::FormatCivilDate(due));
      EXPECT_EQ(report.has_first_accepted_at(), stands) << report.indicator_id();
      ++counts[report.state()];
    }
    EXPECT_EQ(row.expected(), row.reports_size());
    EXPECT_EQ(row.on_time(), counts[ev1::REPORT_STATE_ON_TIME]);
    EXPECT_EQ(row.late(), counts[ev1::REPORT_STATE_LATE]);
    EXPECT_EQ(row.missing(), counts[ev1::REPORT_STATE_MISSING]);
    EXPECT_EQ(row.pending(), counts[ev1::REPORT_STATE_PENDING]);
    EXPECT_EQ(row.received(), row.on_time() + row.late());
  }
}

TEST_F(EvaluatorProgressTest, CompletenessCountsTheMonthlyReportsEachUnitOwesAsTheyArrive) {
  ExpectAgreement();  // every submission sent is applied
  const absl::CivilMonth this_month(core::VietnamDay(absl::Now()));
  ev1::GetCompletenessRequest request;
  request.set_plan_id(testing::kSeedPlanId);
  request.add_reporting_unit_ids("dept-st");
  request.add_reporting_unit_ids("public-service-portal");
  request.set_period_from("2025-03");
  request.set_page_size(7);
  absl::StatusOr<std::vector<ev1::CompletenessRow>> rows = run_->Completeness(request);
  ASSERT_TRUE(rows.ok()) << rows.status();
  // One row per unit and month from 2025-03 to this month, each owing both reported
  // indicators of the plan.
  std::vector<std::string> expected_rows;
  for (const char* unit : {"dept-st", "public-service-portal"}) {
    for (absl::CivilMonth month(2025, 3); month <= this_month; ++month) {
      expected_rows.push_back(absl::StrCat(unit, " ", absl::FormatCivilTime(month)));
    }
  }
  std::vector<std::string> listed_rows;
  int received = 0;
  for (const ev1::CompletenessRow& row : *rows) {
    listed_rows.push_back(absl::StrCat(row.reporting_unit_id(), " ", row.period()));
    ASSERT_EQ(row.reports_size(), 2) << row.DebugString();
    EXPECT_EQ(row.reports(0).indicator_id(), "online_service_users_authenticated");
    EXPECT_EQ(row.reports(1).indicator_id(), "procedure_results_digitised");
    received += row.received();
  }
  EXPECT_EQ(listed_rows, expected_rows);
  EXPECT_GT(received, 0);
  ExpectReportsAsSubmitted(*run_, *rows);

  // A report dept-st still owes arrives: its month counts it at once.
  const std::string indicator = "online_service_users_authenticated";
  std::string owed;
  for (absl::CivilMonth month = this_month - 1; owed.empty(); --month) {
    ASSERT_GE(month, absl::CivilMonth(2025, 3)) << "dept-st owes no report";
    if (!run_->ReportStands("dept-st", indicator, absl::FormatCivilTime(month))) {
      owed = absl::FormatCivilTime(month);
    }
  }
  iv1::Submission report;
  report.set_submission_id(absl::StrCat("completeness:", owed));
  report.set_reporting_unit_id("dept-st");
  report.set_indicator_id(indicator);
  report.set_period(owed);
  report.set_kind(iv1::SUBMISSION_KIND_REPORT);
  report.mutable_ratio()->set_numerator(10);
  report.mutable_ratio()->set_denominator(20);
  Send(report);
  ASSERT_EQ(accepted().back().submission_id(), report.submission_id());
  ev1::GetCompletenessRequest one;
  one.add_reporting_unit_ids("dept-st");
  one.add_indicator_ids(indicator);
  one.set_period_from(owed);
  one.set_period_to(owed);
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        rows = run_->Completeness(one);
        return rows.ok() && rows->size() == 1 && (*rows)[0].received() == 1;
      },
      kSettle))
      << (rows.ok() ? "" : rows.status().ToString());
  ExpectReportsAsSubmitted(*run_, *rows);

  // What cannot be answered says why.
  ev1::GetCompletenessRequest derived;
  derived.add_indicator_ids("digital_tech_enterprises");
  rows = run_->Completeness(derived);
  EXPECT_EQ(rows.status().code(), absl::StatusCode::kFailedPrecondition) << rows.status();
  EXPECT_THAT(rows.status().message(), ::testing::HasSubstr("digital_tech_enterprises"));
  ev1::GetCompletenessRequest unknown_plan;
  unknown_plan.set_plan_id("brvt-63-kh-ubnd-typo");
  rows = run_->Completeness(unknown_plan);
  EXPECT_EQ(rows.status().code(), absl::StatusCode::kNotFound) << rows.status();
}

// Reads the next message of `stream` within `timeout`; nullopt when none came.
std::optional<ev1::WatchProgressResponse> NextMessage(
    grpc::ClientReader<ev1::WatchProgressResponse>& stream) {
  ev1::WatchProgressResponse message;
  if (!stream.Read(&message)) return std::nullopt;
  return message;
}

TEST_F(EvaluatorProgressTest, WatchersSeeTheStateThenEachChangeOnceAndResumeWithoutRepeats) {
  const testing::ProgressByTarget before = ExpectAgreement();
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  ev1::WatchProgressRequest request;
  request.set_plan_id(testing::kSeedPlanId);
  std::unique_ptr<grpc::ClientReader<ev1::WatchProgressResponse>> stream =
      suite().EvaluatorStub()->WatchProgress(&context, request);
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
  const iv1::Submission* found = LatestFigureOfAReportedTarget(accepted(), before);
  ASSERT_NE(found, nullptr);
  const iv1::Submission latest = *found;  // Send adds to accepted()
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
  resume.set_plan_id(testing::kSeedPlanId);
  for (const auto& [id, version] : seen) (*resume.mutable_resume_from_versions())[id] = version;
  std::unique_ptr<grpc::ClientReader<ev1::WatchProgressResponse>> resumed =
      suite().EvaluatorStub()->WatchProgress(&resumed_context, resume);
  std::optional<ev1::WatchProgressResponse> first = NextMessage(*resumed);
  ASSERT_TRUE(first.has_value());
  EXPECT_TRUE(first->has_initial_state_complete()) << first->DebugString();
  resumed_context.TryCancel();
}

TEST_F(EvaluatorProgressTest, TheWholeSubmissionLogWrittenAgainChangesNothing) {
  const testing::ProgressByTarget before = ExpectAgreement();
  const double published = suite().EvaluatorMetric(kPublished).value_or(-1);
  const double read = suite().EvaluatorMetric(kRead).value_or(-1);
  absl::StatusOr<std::unique_ptr<testing::TopicReader>> log = testing::TopicReader::Open(
      suite().bootstrap(), suite().TopicName(kafka::Topic::kSubmissions));
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_TRUE((*log)->ReadToEnd(absl::Seconds(30)).ok());
  const std::vector<kafka::ConsumedRecord>& records = (*log)->records();
  ASSERT_GT(records.size(), 1900u);
  absl::StatusOr<std::unique_ptr<kafka::Producer>> producer =
      kafka::Producer::Create(suite().kafka_options(), "evaluator-test-replayer");
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
        return suite().EvaluatorMetric(kRead).value_or(0) >=
               read + static_cast<double>(records.size());
      },
      kSettle))
      << "the evaluator did not read the copies; log:\n"
      << suite().EvaluatorLog();
  EXPECT_EQ(suite().EvaluatorMetric(kPublished).value_or(-1), published);
  const testing::ProgressByTarget after = ExpectAgreement();
  for (const auto& [id, progress] : before) {
    EXPECT_EQ(after.at(id).version(), progress.version()) << id;
  }
}

TEST_F(EvaluatorProgressTest, WithTwoReplicasProgressKeepsFlowingWhenOneStops) {
  const testing::ProgressByTarget before = ExpectAgreement();
  absl::StatusOr<testing::ServiceUnderTest> second = testing::StartService(
      TIENDO_EVALUATOR_BINARY, "tiendo-target-evaluator-2", suite().bootstrap(),
      suite().prefix(), suite().dir(),
      {"--shutdown-timeout=10s", absl::StrCat("--instance-id=", suite().prefix(), "2")});
  ASSERT_TRUE(second.ok()) << second.status();
  // Both answer for every target once the group has split the partitions between them.
  ExpectAgreement({}, second->address());
  const iv1::Submission* found = LatestFigureOfAReportedTarget(accepted(), before);
  ASSERT_NE(found, nullptr);
  const iv1::Submission latest = *found;  // Send adds to accepted()
  Send(Corrected(latest, "two-replicas"));
  ExpectAgreement();
  ExpectAgreement({}, second->address());

  // The replica evaluating that figure's target stops; once the group gives its partitions
  // to the other (after the session timeout: a static member does not leave), a new figure
  // still moves progress there.
  // Which one holds it: a past as-of date is answered by that replica only (the other says
  // UNAVAILABLE), so exactly one of them answers.
  const std::string target = TargetOn(before, latest.indicator_id());
  ev1::GetProgressRequest past;
  past.set_target_id(target);
  past.set_as_of(core::FormatCivilDate(core::VietnamDay(absl::Now())));
  auto answer = [&past](const std::string& address) {
    grpc::ClientContext context;
    ev1::Progress ignored;
    return ev1::TargetEvaluator::NewStub(
               grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))
        ->GetProgress(&context, past, &ignored)
        .error_code();
  };
  // While the group moves the partition, its new owner is still catching up and both may
  // answer UNAVAILABLE: asked until exactly one answers.
  grpc::StatusCode first = grpc::StatusCode::UNKNOWN;
  grpc::StatusCode other = grpc::StatusCode::UNKNOWN;
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        first = answer(suite().evaluator_address());
        other = answer(second->address());
        return (first == grpc::StatusCode::OK && other == grpc::StatusCode::UNAVAILABLE) ||
               (first == grpc::StatusCode::UNAVAILABLE && other == grpc::StatusCode::OK);
      },
      kSettle))
      << "the first replica answered " << first << ", the second " << other;
  const bool first_owns = first == grpc::StatusCode::OK;
  if (first_owns) {
    ASSERT_TRUE(suite().StopEvaluator().ok());
  } else {
    second->process->Signal(SIGTERM);
    ASSERT_TRUE(second->process->WaitForExit(absl::Seconds(30)).has_value());
  }
  Send(Corrected(Corrected(latest, "two-replicas"), "after-stop"));
  ExpectAgreement({}, first_owns ? second->address() : "");

  // The suite's evaluator alone again.
  if (first_owns) {
    ASSERT_TRUE(suite().StartEvaluator().ok());
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
  const std::string clock = absl::StrCat(suite().dir(), "/clock");
  SetClock(clock, "2030-12-30T05:00:00Z");  // 12:00 on 30 December 2030 in Vietnam
  ASSERT_TRUE(suite().StopEvaluator().ok());
  ASSERT_TRUE(suite().StartEvaluator({absl::StrCat("--clock-file=", clock)}).ok());
  const testing::ProgressByTarget before =
      ExpectAgreement(absl::CivilDay(2030, 12, 30));
  // The targets with a milestone due on 31 December 2030, still open.
  std::vector<std::string> due;
  for (const auto& [id, progress] : before) {
    for (const ev1::MilestoneProgress& milestone : progress.milestones()) {
      if (milestone.deadline() == "2030-12-31" && !milestone.final()) due.push_back(id);
    }
  }
  ASSERT_FALSE(due.empty());
  const double read = suite().EvaluatorMetric(kRead).value_or(-1);

  SetClock(clock, "2031-01-01T01:00:00Z");
  const testing::ProgressByTarget after = ExpectAgreement(absl::CivilDay(2031, 1, 1));
  EXPECT_EQ(suite().EvaluatorMetric(kRead).value_or(-1), read) << "no new data was read";
  for (const std::string& id : due) {
    SCOPED_TRACE(id);
    const ev1::Progress& progress = after.at(id);
    EXPECT_THAT(progress.status(), ::testing::AnyOf(ev1::PROGRESS_STATUS_ACHIEVED,
                                                    ev1::PROGRESS_STATUS_MISSED));
    EXPECT_EQ(progress.cause().kind(), ev1::CAUSE_KIND_CLOCK);
    EXPECT_GT(progress.version(), before.at(id).version());
  }
  // Back to the real clock for whatever runs next.
  ASSERT_TRUE(suite().StopEvaluator().ok());
  ASSERT_TRUE(suite().StartEvaluator().ok());
  ExpectAgreement();
}

}  // namespace
}  // namespace tiendo
