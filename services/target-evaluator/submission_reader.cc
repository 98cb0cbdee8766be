#include "services/target-evaluator/submission_reader.h"

#include <algorithm>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "services/common/kafka/topics.h"
#include "services/common/logging/log.h"
#include "services/common/process/thread_name.h"

namespace tiendo::evaluator {
namespace {

constexpr absl::Duration kPoll = absl::Milliseconds(100);
constexpr size_t kMaxBatch = 1000;
constexpr absl::Duration kBrokerTimeout = absl::Seconds(5);
constexpr absl::Duration kRetryBackoff = absl::Seconds(2);

}  // namespace

SubmissionReader::SubmissionReader(const kafka::KafkaOptions& kafka, std::string group_id,
                                   std::map<std::string, std::string> membership,
                                   registry_view::RegistryFollower& registry,
                                   ProgressReadModel& read_model, ProgressEngine& engine,
                                   kafka::Producer& producer, SnapshotPolicy snapshots)
    : kafka_(kafka),
      group_id_(std::move(group_id)),
      membership_(std::move(membership)),
      submissions_topic_(kafka::TopicName(kafka, kafka::Topic::kSubmissions)),
      progress_topic_(kafka::TopicName(kafka, kafka::Topic::kProgress)),
      registry_(registry),
      read_model_(read_model),
      engine_(engine),
      producer_(producer),
      snapshots_(snapshots) {}

SubmissionReader::~SubmissionReader() { Stop(); }

void SubmissionReader::Start() {
  applier_ = std::thread([this] {
    process::NameThisThread("sub-applier");
    ApplyHandedOver();
  });
  thread_ = std::thread([this] {
    process::NameThisThread("sub-reader");
    Run();
  });
}

void SubmissionReader::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
  {
    absl::MutexLock lock(&handover_mu_);
    applier_stopping_ = true;
  }
  if (applier_.joinable()) applier_.join();
}

void SubmissionReader::HandOver(const SubmissionBatch& batch) {
  absl::MutexLock lock(&handover_mu_);
  handover_mu_.Await(absl::Condition(this, &SubmissionReader::Idle));
  handed_over_ = &batch;
}

void SubmissionReader::AwaitApplied() {
  absl::MutexLock lock(&handover_mu_);
  handover_mu_.Await(absl::Condition(this, &SubmissionReader::Idle));
}

bool SubmissionReader::Idle() const { return handed_over_ == nullptr && !applying_; }

void SubmissionReader::ApplyHandedOver() {
  absl::MutexLock lock(&handover_mu_);
  while (true) {
    handover_mu_.Await(absl::Condition(
        +[](SubmissionReader* reader) ABSL_EXCLUSIVE_LOCKS_REQUIRED(reader->handover_mu_) {
          return reader->handed_over_ != nullptr || reader->applier_stopping_;
        },
        this));
    if (handed_over_ == nullptr) return;  // stopping, with nothing left to apply
    const SubmissionBatch* batch = handed_over_;
    handed_over_ = nullptr;
    applying_ = true;
    handover_mu_.Unlock();
    engine_.ApplySubmissions(*batch);
    handover_mu_.Lock();
    applying_ = false;
  }
}

bool SubmissionReader::AwaitInputs() {
  while (!registry_.caught_up() || !read_model_.caught_up()) {
    if (stop_.WaitForNotificationWithTimeout(kPoll)) return false;
  }
  Restore();
  registry_.Read([this](const registry_view::RegistryView& view) { engine_.LoadRegistry(view); });
  return true;
}

void SubmissionReader::Restore() {
  if (snapshots_.store == nullptr) {
    log::Info("no state directory: replaying the submissions from the beginning");
    return;
  }
  const absl::Time start = absl::Now();
  absl::StatusOr<core::TrackerSnapshot> snapshot = snapshots_.store->Load();
  if (!snapshot.ok()) {
    if (absl::IsNotFound(snapshot.status())) {
      log::Info("no snapshot yet: replaying the submissions from the beginning",
                {{"path", snapshots_.store->path()}});
    } else {
      log::Warning("snapshot not usable: replaying the submissions from the beginning",
                   {{"error", snapshot.status().ToString()}});
    }
    return;
  }
  const size_t cells = snapshot->tracker->cells().size();
  absl::StatusOr<size_t> partitions = engine_.Restore(*std::move(snapshot));
  if (!partitions.ok()) {
    log::Warning("snapshot not usable: replaying the submissions from the beginning",
                 {{"path", snapshots_.store->path()},
                  {"error", partitions.status().ToString()}});
    return;
  }
  log::Info("snapshot loaded", {{"path", snapshots_.store->path()},
                                {"cells", static_cast<int64_t>(cells)},
                                {"partitions", static_cast<int64_t>(*partitions)},
                                {"seconds", absl::ToDoubleSeconds(absl::Now() - start)}});
}

void SubmissionReader::Assign(std::vector<kafka::RecordPosition>& assigned) {
  for (kafka::RecordPosition& partition : assigned) {
    if (partition.partition >= engine_.submission_partitions()) {
      // Ingest places an indicator by its key's hash modulo the count: after a change, its
      // later submissions land elsewhere than its earlier ones.
      log::Error("tiendo.submissions.v1 has more partitions than when this replica started: "
                 "an indicator's submissions may now be split over two partitions, and its "
                 "targets' progress miss some. The topic must keep its partition count",
                 {{"partition", partition.partition},
                  {"partitions_at_start",
                   static_cast<int64_t>(engine_.submission_partitions())}});
    }
    const int64_t from = engine_.Take(partition.partition);
    partition.offset = from == 0 ? kafka::kFirstOffset : from;
    catching_up_[partition.partition] = -1;
    log::Info("submissions partition taken; reading it",
              {{"partition", partition.partition}, {"from_offset", from}});
  }
}

void SubmissionReader::Snapshot(bool stopping) {
  if (snapshots_.store == nullptr || unsnapshotted_records_ == 0) return;
  if (!stopping && unsnapshotted_records_ < snapshots_.every_records &&
      absl::Now() - last_snapshot_ < snapshots_.interval) {
    return;
  }
  AwaitApplied();  // the snapshot covers every record counted
  EncodedSnapshot snapshot = engine_.Snapshot();
  unsnapshotted_records_ = 0;
  last_snapshot_ = absl::Now();
  if (stopping) {
    (void)snapshots_.store->Write(std::move(snapshot));  // a failure is logged by the store
  } else {
    snapshots_.store->Offer(std::move(snapshot));
  }
}

void SubmissionReader::CommitDurable(kafka::Consumer& consumer) {
  if (snapshots_.store == nullptr) return;
  std::optional<core::InputOffsets> durable = snapshots_.store->TakeDurable();
  if (!durable.has_value() || !durable->contains(submissions_topic_)) return;
  const std::map<int32_t, int64_t> held = engine_.NextOffsets();
  std::vector<kafka::RecordPosition> next;
  for (const auto& [partition, offset] : durable->at(submissions_topic_)) {
    if (held.contains(partition)) next.push_back({submissions_topic_, partition, offset});
  }
  if (next.empty()) return;
  if (absl::Status committed = consumer.Commit(next); !committed.ok()) {
    log::Warning("snapshot offsets not committed (they show the group's lag only)",
                 {{"error", committed.ToString()}});
  }
}

void SubmissionReader::Run() {
  if (!AwaitInputs()) return;
  while (!stop_.HasBeenNotified()) {
    // Watermarks are asked with a consumer of their own: on the group member's connection
    // they would queue behind its fetches (up to fetch.wait.max.ms each).
    absl::StatusOr<std::unique_ptr<kafka::Consumer>> probe =
        kafka::Consumer::Create(kafka_, "tiendo-target-evaluator.watermarks", "");
    absl::StatusOr<std::unique_ptr<kafka::Consumer>> consumer =
        kafka::Consumer::Create(kafka_, "tiendo-target-evaluator.submissions", group_id_,
                                membership_);
    kafka::RebalanceListener listener;
    // A partition moves only once the records read before are applied: none of a revoked
    // partition may reach the engine after it dropped the partition.
    listener.on_assigned = [this](std::vector<kafka::RecordPosition>& assigned) {
      AwaitApplied();
      Assign(assigned);
    };
    listener.on_revoked = [this](const std::vector<kafka::RecordPosition>& revoked) {
      AwaitApplied();
      for (const kafka::RecordPosition& partition : revoked) {
        engine_.Drop(partition.partition);
        catching_up_.erase(partition.partition);
      }
      // Its next owner starts from what the progress topic holds: everything sent for it.
      if (absl::Status flushed = producer_.Flush(kBrokerTimeout); !flushed.ok()) {
        log::Warning("progress events not flushed before giving partitions up",
                     {{"error", flushed.ToString()}});
      }
    };
    if (consumer.ok()) (*consumer)->IgnoreHeaders();  // the events are all AcceptedSubmission
    absl::Status subscribed =
        !probe.ok()      ? probe.status()
        : consumer.ok() ? (*consumer)->Subscribe({submissions_topic_}, listener)
                        : consumer.status();
    if (!subscribed.ok()) {
      log::Warning("submissions consumer not started; retrying",
                   {{"error", subscribed.ToString()}});
      stop_.WaitForNotificationWithTimeout(kRetryBackoff);
      continue;
    }
    Consume(**consumer, **probe);  // returns with everything read applied
    if (stop_.HasBeenNotified()) {
      Snapshot(/*stopping=*/true);
      CommitDurable(**consumer);
    }
    (*consumer)->Close();
    if (!stop_.HasBeenNotified()) stop_.WaitForNotificationWithTimeout(kRetryBackoff);
  }
}

void SubmissionReader::Consume(kafka::Consumer& consumer, kafka::Consumer& probe) {
  // Read here while the applier applies the other: two, used in turn, each parsed from its
  // own records (refilled in place), which its entries view.
  kafka::RecordBatch records[2];
  SubmissionBatch parsed[2];
  // However it returns, nothing of them is left with the applier.
  const absl::Cleanup applied = [this] { AwaitApplied(); };
  int next = 0;
  while (!stop_.HasBeenNotified()) {
    if (absl::Status polled = consumer.PollBatch(records[next], kMaxBatch, kPoll); !polled.ok()) {
      // The records read before the error are not applied: the next consumer reads them again.
      log::Error("submissions consumer failed; starting a new one",
                 {{"error", polled.ToString()}});
      return;
    }
    if (!records[next].empty()) {
      parsed[next].Parse(records[next].records());
      HandOver(parsed[next]);
      unsnapshotted_records_ += static_cast<int64_t>(records[next].size());
      next = 1 - next;
    }
    Snapshot(/*stopping=*/false);
    CommitDurable(consumer);
    GoLiveWhereCaughtUp(probe);
    engine_.Tick();
  }
}

void SubmissionReader::GoLiveWhereCaughtUp(kafka::Consumer& probe) {
  if (catching_up_.empty()) return;
  const bool ends_unknown = std::any_of(catching_up_.begin(), catching_up_.end(),
                                       [](const auto& entry) { return entry.second < 0; });
  if (ends_unknown) {
    absl::StatusOr<std::map<int32_t, kafka::Watermarks>> marks =
        probe.QueryWatermarks(submissions_topic_, kBrokerTimeout);
    if (!marks.ok()) return;  // asked again after the next poll
    for (auto& [partition, end] : catching_up_) {
      if (end < 0 && marks->contains(partition)) end = marks->at(partition).high;
    }
  }
  // What the engine applied, not the consumer's positions: a partition resumed from a
  // snapshot at its end has read nothing, and the consumer knows no position for it.
  const std::map<int32_t, int64_t> applied = engine_.NextOffsets();
  std::vector<int32_t> caught_up;
  for (const auto& [partition, end] : catching_up_) {
    if (end < 0) continue;
    auto next = applied.find(partition);
    if (next != applied.end() && next->second >= end) caught_up.push_back(partition);
  }
  if (caught_up.empty()) return;
  absl::StatusOr<std::map<int32_t, kafka::Watermarks>> progress_end =
      probe.QueryWatermarks(progress_topic_, kBrokerTimeout);
  if (!progress_end.ok()) return;
  // A partition whose records are all deleted (low = high) holds nothing to wait for: the
  // read model would wait for ever for a record to reach its end.
  std::map<int32_t, int64_t> ends;
  for (const auto& [partition, marks] : *progress_end) {
    if (marks.low < marks.high) ends[partition] = marks.high;
  }
  if (!read_model_.WaitForEnds(ends, kBrokerTimeout)) return;  // tried again next round
  for (int32_t partition : caught_up) {
    engine_.GoLive(partition);
    catching_up_.erase(partition);
    log::Info("submissions partition live", {{"partition", partition}});
  }
  // Every partition given is live: the group has settled, and the snapshot's others are
  // another replica's.
  if (catching_up_.empty()) engine_.DropParked();
}

}  // namespace tiendo::evaluator
