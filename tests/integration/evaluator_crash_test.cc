// The target evaluator killed (-9) again and again while the synthetic submissions stream
// through ingest, restarted each time: the final progress must equal the core's over the same
// inputs, as if nothing had happened, and a dashboard watching the plan, reconnecting with
// the versions it has after each kill, must have seen every version of every target once, in
// order — no gap, no repeat.
#include <csignal>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/support/seed_progress_run.h"

namespace tiendo {
namespace {

namespace ev1 = evaluator::v1;

constexpr int kKills = 5;

// Whether the evaluator just started resumed from a snapshot, as its log (its own, not its
// predecessors') says once it has looked for one.
bool ResumedFromSnapshot(const testing::IngestSuite& suite) {
  std::string log;
  testing::WaitUntil(
      [&] {
        log = suite.EvaluatorLog();
        return absl::StrContains(log, "snapshot loaded") ||
               absl::StrContains(log, "replaying the submissions from the beginning");
      },
      absl::Seconds(30));
  return absl::StrContains(log, "snapshot loaded");
}

// A dashboard: watches the seed plan from whichever evaluator runs, resuming from the versions
// it holds whenever the stream breaks, and records every message it gets.
class Dashboard {
 public:
  explicit Dashboard(std::function<std::string()> address)
      : address_(std::move(address)), thread_([this] { Run(); }) {}

  ~Dashboard() {
    stop_.Notify();
    {
      absl::MutexLock lock(&mu_);
      if (context_ != nullptr) context_->TryCancel();
    }
    thread_.join();
  }

  struct Seen {
    int64_t version;
    int64_t skipped;
  };
  // Per target, every update in the order it came.
  std::map<std::string, std::vector<Seen>> updates() const {
    absl::MutexLock lock(&mu_);
    return updates_;
  }
  int reconnections() const {
    absl::MutexLock lock(&mu_);
    return reconnections_;
  }

 private:
  void Run() {
    while (!stop_.HasBeenNotified()) {
      ev1::WatchProgressRequest request;
      request.set_plan_id(testing::kSeedPlanId);
      auto context = std::make_unique<grpc::ClientContext>();
      {
        absl::MutexLock lock(&mu_);
        for (const auto& [id, seen] : updates_) {
          (*request.mutable_resume_from_versions())[id] = seen.back().version;
        }
        context_ = context.get();
      }
      auto evaluator = ev1::TargetEvaluator::NewStub(
          grpc::CreateChannel(address_(), grpc::InsecureChannelCredentials()));
      auto stream = evaluator->WatchProgress(context.get(), request);
      ev1::WatchProgressResponse message;
      while (stream->Read(&message)) {
        if (!message.has_update()) continue;
        const ev1::Progress& progress = message.update().progress();
        absl::MutexLock lock(&mu_);
        updates_[progress.target_id()].push_back(
            {progress.version(), message.update().skipped_versions()});
      }
      {
        absl::MutexLock lock(&mu_);
        context_ = nullptr;
        ++reconnections_;
      }
      stop_.WaitForNotificationWithTimeout(absl::Milliseconds(200));
    }
  }

  const std::function<std::string()> address_;
  absl::Notification stop_;
  mutable absl::Mutex mu_;
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mu_) = nullptr;
  std::map<std::string, std::vector<Seen>> updates_ ABSL_GUARDED_BY(mu_);
  int reconnections_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

TEST(EvaluatorCrashTest, KilledWhileSubmissionsStreamItEndsWhereAnUnbrokenRunEnds) {
  absl::StatusOr<std::unique_ptr<testing::SeedProgressRun>> run =
      testing::SeedProgressRun::Start("evaluator-crash");
  ASSERT_TRUE(run.ok()) << run.status();
  testing::SeedProgressRun& seed = **run;
  const std::vector<testing::SubmissionRow>& rows = seed.rows();

  absl::Mutex address_mu;
  std::string address = seed.suite().evaluator_address();
  auto dashboard = std::make_unique<Dashboard>([&] {
    absl::MutexLock lock(&address_mu);
    return address;
  });

  // Kill points spread over the stream, at random rows.
  std::mt19937 random(63);
  std::vector<size_t> kills;
  for (int k = 0; k < kKills; ++k) {
    const size_t slice = rows.size() / (kKills + 1);
    kills.push_back(slice * (k + 1) + random() % (slice / 2));
  }
  size_t next_kill = 0;
  int restored = 0;  // restarts that loaded a snapshot
  for (size_t i = 0; i < rows.size(); ++i) {
    absl::StatusOr<ingest::v1::SubmissionOutcome> sent = seed.Send(rows[i].submission);
    ASSERT_TRUE(sent.ok()) << sent.status();
    if (next_kill < kills.size() && i == kills[next_kill]) {
      ++next_kill;
      ASSERT_TRUE(seed.suite().StopEvaluator(/*kill=*/true).ok());
      // Restarted replicas snapshot often, so later kills fall between snapshots and the
      // restarts after them resume from one.
      ASSERT_TRUE(seed.suite().StartEvaluator({"--snapshot-every-records=150"}).ok());
      restored += ResumedFromSnapshot(seed.suite()) ? 1 : 0;
      absl::MutexLock lock(&address_mu);
      address = seed.suite().evaluator_address();
    }
  }
  ASSERT_EQ(next_kill, kills.size());
  EXPECT_GE(restored, kKills - 2);

  absl::StatusOr<testing::ProgressByTarget> final_progress =
      seed.AwaitAgreement();
  ASSERT_TRUE(final_progress.ok()) << final_progress.status();
  // The dashboard has caught up with the final versions.
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        const auto updates = dashboard->updates();
        for (const auto& [id, progress] : *final_progress) {
          auto seen = updates.find(id);
          if (seen == updates.end() || seen->second.back().version != progress.version()) {
            return false;
          }
        }
        return true;
      },
      absl::Seconds(30)));
  const auto updates = dashboard->updates();
  EXPECT_GE(dashboard->reconnections(), kKills);
  dashboard.reset();

  for (const auto& [id, seen] : updates) {
    SCOPED_TRACE(id);
    ASSERT_FALSE(seen.empty());
    // From the first version it saw on, the dashboard saw every version once, in order.
    for (size_t i = 1; i < seen.size(); ++i) {
      EXPECT_EQ(seen[i].version, seen[i - 1].version + 1)
          << "update " << i << ": version " << seen[i].version << " after "
          << seen[i - 1].version;
      EXPECT_EQ(seen[i].skipped, 0) << "update " << i;
    }
  }
}

}  // namespace
}  // namespace tiendo
