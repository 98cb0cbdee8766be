// target-evaluator snapshots, with the real registry, metrics-ingest and broker: a stopped
// evaluator leaves a snapshot covering every submission it applied and commits its offsets
// to the group; a restart loads it and reads nothing again; without it (deleted, damaged)
// the evaluator replays the log from the beginning to the same state; a state directory
// serves one process only.
#include <librdkafka/rdkafka.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/core/tracker_snapshot.h"
#include "services/common/files/durable_file.h"
#include "services/common/kafka/consumer.h"
#include "tests/support/seed_progress_run.h"
#include "tests/support/service_under_test.h"

namespace tiendo {
namespace {

namespace iv1 = ingest::v1;

using ::testing::HasSubstr;

constexpr absl::Duration kSettle = absl::Seconds(60);
constexpr char kPublished[] = "tiendo_evaluator_progress_published_total";
constexpr char kRead[] = "tiendo_evaluator_submission_records_total";
constexpr char kSnapshotFile[] = "target-evaluator.snapshot";

class EvaluatorSnapshotTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<testing::SeedProgressRun>> run =
        testing::SeedProgressRun::Start("evaluator-snapshot");
    ASSERT_TRUE(run.ok()) << run.status();
    run_ = run->release();
    for (const testing::SubmissionRow& row : run_->rows()) {
      ASSERT_TRUE(run_->Send(row.submission).ok());
    }
  }

  static void TearDownTestSuite() { delete run_; }

  static testing::IngestSuite& suite() { return run_->suite(); }

  static testing::ProgressByTarget ExpectAgreement() {
    absl::StatusOr<testing::ProgressByTarget> agreed =
        run_->AwaitAgreement();
    if (!agreed.ok()) {
      ADD_FAILURE() << agreed.status();
      return {};
    }
    return *std::move(agreed);
  }

  // The seed plan's reporting completeness, every row as text (for a readable difference).
  static std::string Completeness() {
    evaluator::v1::GetCompletenessRequest request;
    request.set_plan_id(testing::kSeedPlanId);
    request.set_page_size(1000);
    absl::StatusOr<std::vector<evaluator::v1::CompletenessRow>> rows =
        run_->Completeness(request);
    EXPECT_TRUE(rows.ok()) << rows.status();
    std::string text;
    if (!rows.ok()) return "";
    for (const evaluator::v1::CompletenessRow& row : *rows) {
      absl::StrAppend(&text, row.ShortDebugString(), "\n");
    }
    return text;
  }

  static std::string SnapshotPath() {
    return absl::StrCat(suite().EvaluatorStateDir(), "/", kSnapshotFile);
  }

  // Where each partition of tiendo.submissions.v1 ends now.
  static std::map<int32_t, int64_t> SubmissionEnds() {
    absl::StatusOr<std::unique_ptr<kafka::Consumer>> probe =
        kafka::Consumer::Create(suite().kafka_options(), "evaluator-snapshot-test", "");
    EXPECT_TRUE(probe.ok()) << probe.status();
    if (!probe.ok()) return {};
    auto marks = (*probe)->QueryWatermarks(suite().TopicName(kafka::Topic::kSubmissions),
                                           absl::Seconds(10));
    EXPECT_TRUE(marks.ok()) << marks.status();
    std::map<int32_t, int64_t> ends;
    if (marks.ok()) {
      for (const auto& [partition, watermarks] : *marks) ends[partition] = watermarks.high;
    }
    return ends;
  }

  static int64_t RecordsOnTheLog() {
    int64_t records = 0;
    for (const auto& [partition, end] : SubmissionEnds()) records += end;
    return records;
  }

  // The offsets the evaluators' group has committed for tiendo.submissions.v1.
  static std::map<int32_t, int64_t> CommittedOffsets() {
    const std::map<int32_t, int64_t> ends = SubmissionEnds();
    char error[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    const std::string group = absl::StrCat(suite().prefix(), "tiendo-target-evaluator");
    rd_kafka_conf_set(conf, "bootstrap.servers", suite().bootstrap().c_str(), error,
                      sizeof(error));
    rd_kafka_conf_set(conf, "group.id", group.c_str(), error, sizeof(error));
    rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof(error));
    EXPECT_NE(consumer, nullptr) << error;
    if (consumer == nullptr) return {};
    rd_kafka_topic_partition_list_t* partitions =
        rd_kafka_topic_partition_list_new(static_cast<int>(ends.size()));
    const std::string topic = suite().TopicName(kafka::Topic::kSubmissions);
    for (const auto& [partition, end] : ends) {
      rd_kafka_topic_partition_list_add(partitions, topic.c_str(), partition);
    }
    std::map<int32_t, int64_t> committed;
    const rd_kafka_resp_err_t asked = rd_kafka_committed(consumer, partitions, 10000);
    EXPECT_EQ(asked, RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_err2str(asked);
    for (int i = 0; i < partitions->cnt; ++i) {
      committed[partitions->elems[i].partition] = partitions->elems[i].offset;
    }
    rd_kafka_topic_partition_list_destroy(partitions);
    rd_kafka_destroy(consumer);
    return committed;
  }

  // Starts the evaluator and waits until it has every partition live.
  static void StartAndAwaitLive(const std::vector<std::string>& flags = {}) {
    ASSERT_TRUE(suite().StartEvaluator(flags).ok()) << suite().EvaluatorLog();
    const double partitions = static_cast<double>(SubmissionEnds().size());
    ASSERT_TRUE(testing::WaitUntil(
        [&] {
          return suite().EvaluatorMetric("tiendo_evaluator_partitions_live").value_or(0) ==
                 partitions;
        },
        kSettle))
        << suite().EvaluatorLog();
  }

  static testing::SeedProgressRun* run_;
};

testing::SeedProgressRun* EvaluatorSnapshotTest::run_ = nullptr;

TEST_F(EvaluatorSnapshotTest, AStopLeavesASnapshotAndARestartReadsNothingAgain) {
  const testing::ProgressByTarget before = ExpectAgreement();
  const std::string completeness = Completeness();
  EXPECT_THAT(completeness, HasSubstr("REPORT_STATE_LATE"));
  ASSERT_TRUE(suite().StopEvaluator().ok());

  // The snapshot covers every record of the log, and the group's offsets say so too.
  absl::StatusOr<std::string> bytes = files::ReadWholeFile(SnapshotPath());
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<core::TrackerSnapshot> snapshot =
      core::DecodeTrackerSnapshot(*bytes, SnapshotPath());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  const std::map<int32_t, int64_t> ends = SubmissionEnds();
  EXPECT_EQ(snapshot->offsets,
            (core::InputOffsets{{suite().TopicName(kafka::Topic::kSubmissions), ends}}));
  EXPECT_EQ(CommittedOffsets(), ends);

  StartAndAwaitLive();
  EXPECT_THAT(suite().EvaluatorLog(), HasSubstr("snapshot loaded"));
  EXPECT_EQ(suite().EvaluatorMetric(kRead), 0);
  EXPECT_EQ(suite().EvaluatorMetric(kPublished), 0);
  const testing::ProgressByTarget after = ExpectAgreement();
  for (const auto& [id, progress] : before) {
    EXPECT_EQ(after.at(id).version(), progress.version()) << id;
  }
  EXPECT_EQ(Completeness(), completeness);  // the reports received came with the snapshot
}

TEST_F(EvaluatorSnapshotTest, DeletingTheSnapshotReplaysFromZeroToTheSameState) {
  const testing::ProgressByTarget before = ExpectAgreement();
  const std::string completeness = Completeness();
  ASSERT_TRUE(suite().StopEvaluator().ok());
  ASSERT_TRUE(std::filesystem::exists(SnapshotPath()));
  std::filesystem::remove_all(suite().EvaluatorStateDir());

  StartAndAwaitLive();
  EXPECT_THAT(suite().EvaluatorLog(), HasSubstr("no snapshot yet"));
  EXPECT_EQ(suite().EvaluatorMetric(kRead), RecordsOnTheLog());
  EXPECT_EQ(suite().EvaluatorMetric(kPublished), 0);
  const testing::ProgressByTarget after = ExpectAgreement();
  for (const auto& [id, progress] : before) {
    EXPECT_EQ(after.at(id).version(), progress.version()) << id;
  }
  EXPECT_EQ(Completeness(), completeness);
}

TEST_F(EvaluatorSnapshotTest, ADamagedSnapshotIsNotTrustedAndTheLogIsReplayed) {
  ExpectAgreement();
  ASSERT_TRUE(suite().StopEvaluator().ok());
  absl::StatusOr<std::string> bytes = files::ReadWholeFile(SnapshotPath());
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  ASSERT_TRUE(files::WriteFileDurably(SnapshotPath(), bytes->substr(0, bytes->size() / 2)).ok());

  StartAndAwaitLive();
  EXPECT_THAT(suite().EvaluatorLog(), HasSubstr("snapshot not usable"));
  EXPECT_THAT(suite().EvaluatorLog(), HasSubstr("truncated"));
  EXPECT_EQ(suite().EvaluatorMetric(kRead), RecordsOnTheLog());
  EXPECT_EQ(suite().EvaluatorMetric(kPublished), 0);
  ExpectAgreement();
}

TEST_F(EvaluatorSnapshotTest, SnapshotsFollowTheStreamAndOffsetsAreCommittedOnlyAfterThem) {
  ExpectAgreement();
  ASSERT_TRUE(suite().StopEvaluator().ok());
  // Every 5 records, and 10 s after the last (longer than the sending takes, so that the
  // snapshots while sending are the records' doing): records arriving several to a poll can
  // leave fewer than 5 after the last snapshot, which would otherwise wait out the default
  // interval (a minute).
  StartAndAwaitLive({"--snapshot-every-records=5", "--snapshot-interval=10s"});
  // Figures again under new ids: each a correction of a cell (the same figure, so progress
  // keeps its value but the log grows).
  int sent = 0;
  for (const iv1::Submission& accepted : run_->accepted()) {
    if (sent == 20) break;
    iv1::Submission again = accepted;
    again.set_submission_id(absl::StrCat(accepted.submission_id(), "-again"));
    absl::StatusOr<iv1::SubmissionOutcome> outcome = run_->Send(again);
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    ++sent;
  }
  const std::map<int32_t, int64_t> ends = SubmissionEnds();
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return suite().EvaluatorMetric(kRead).value_or(0) == sent; }, kSettle));
  // Several snapshots, the last covering the whole log; the group's offsets follow them.
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return CommittedOffsets() == ends; }, kSettle))
      << suite().EvaluatorLog();
  EXPECT_GE(suite().EvaluatorMetric("tiendo_evaluator_snapshots_written_total").value_or(0), 2);
  EXPECT_EQ(suite().EvaluatorMetric("tiendo_evaluator_snapshot_failures_total"), 0);
  ExpectAgreement();

  // Killed now, it restarts from the last snapshot and reads at most what came after it.
  ASSERT_TRUE(suite().StopEvaluator(/*kill=*/true).ok());
  StartAndAwaitLive();
  EXPECT_THAT(suite().EvaluatorLog(), HasSubstr("snapshot loaded"));
  EXPECT_LT(suite().EvaluatorMetric(kRead).value_or(1e9), 5);
  EXPECT_EQ(suite().EvaluatorMetric(kPublished), 0);
  ExpectAgreement();
}

TEST_F(EvaluatorSnapshotTest, AStateDirectoryServesOneProcessOnly) {
  absl::StatusOr<testing::ServiceUnderTest> second = testing::StartService(
      TIENDO_EVALUATOR_BINARY, "tiendo-target-evaluator-same-dir", suite().bootstrap(),
      suite().prefix(), suite().dir(),
      {absl::StrCat("--state-dir=", suite().EvaluatorStateDir()),
       absl::StrCat("--instance-id=", suite().prefix(), "same-dir")});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->process->WaitForExit(absl::Seconds(30)), 1) << second->process->Log();
  EXPECT_THAT(second->process->Log(), HasSubstr("in use by another process"));
}

}  // namespace
}  // namespace tiendo
