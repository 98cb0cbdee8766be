#include "services/target-evaluator/submission_reader.h"

#include <algorithm>
#include <vector>

#include "services/common/kafka/topics.h"
#include "services/common/logging/log.h"

namespace tiendo::evaluator {
namespace {

constexpr absl::Duration kPoll = absl::Milliseconds(100);
constexpr int kMaxBatch = 1000;
constexpr absl::Duration kBrokerTimeout = absl::Seconds(5);
constexpr absl::Duration kRetryBackoff = absl::Seconds(2);

}  // namespace

SubmissionReader::SubmissionReader(const kafka::KafkaOptions& kafka, std::string group_id,
                                   std::map<std::string, std::string> membership,
                                   registry_view::RegistryFollower& registry,
                                   ProgressReadModel& read_model, ProgressEngine& engine,
                                   kafka::Producer& producer)
    : kafka_(kafka),
      group_id_(std::move(group_id)),
      membership_(std::move(membership)),
      submissions_topic_(kafka::TopicName(kafka, kafka::Topic::kSubmissions)),
      progress_topic_(kafka::TopicName(kafka, kafka::Topic::kProgress)),
      registry_(registry),
      read_model_(read_model),
      engine_(engine),
      producer_(producer) {}

SubmissionReader::~SubmissionReader() { Stop(); }

void SubmissionReader::Start() {
  thread_ = std::thread([this] { Run(); });
}

void SubmissionReader::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

bool SubmissionReader::AwaitInputs() {
  while (!registry_.caught_up() || !read_model_.caught_up()) {
    if (stop_.WaitForNotificationWithTimeout(kPoll)) return false;
  }
  registry_.Read([this](const registry_view::RegistryView& view) { engine_.LoadRegistry(view); });
  return true;
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
    listener.on_assigned = [this](std::vector<kafka::RecordPosition>& assigned) {
      for (kafka::RecordPosition& partition : assigned) {
        partition.offset = kafka::kFirstOffset;
        catching_up_[partition.partition] = -1;
        log::Info("submissions partition taken; replaying it",
                  {{"partition", partition.partition}});
      }
    };
    listener.on_revoked = [this](const std::vector<kafka::RecordPosition>& revoked) {
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
    Consume(**consumer, **probe);
    (*consumer)->Close();
    if (!stop_.HasBeenNotified()) stop_.WaitForNotificationWithTimeout(kRetryBackoff);
  }
}

void SubmissionReader::Consume(kafka::Consumer& consumer, kafka::Consumer& probe) {
  // One vector for every batch: its capacity stays instead of being grown again each time.
  std::vector<kafka::ConsumedRecord> batch;
  while (!stop_.HasBeenNotified()) {
    batch.clear();
    absl::Duration wait = kPoll;
    while (static_cast<int>(batch.size()) < kMaxBatch) {
      absl::StatusOr<std::optional<kafka::ConsumedRecord>> polled = consumer.Poll(wait);
      if (!polled.ok()) {
        log::Error("submissions consumer failed; starting a new one",
                   {{"error", polled.status().ToString()}});
        return;
      }
      if (!polled->has_value()) break;
      batch.push_back(std::move(**polled));
      wait = absl::ZeroDuration();
    }
    if (!batch.empty()) engine_.ApplySubmissions(batch);
    GoLiveWhereCaughtUp(consumer, probe);
    engine_.Tick();
  }
}

void SubmissionReader::GoLiveWhereCaughtUp(kafka::Consumer& consumer, kafka::Consumer& probe) {
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
  absl::StatusOr<std::map<int32_t, int64_t>> positions = consumer.Positions(submissions_topic_);
  if (!positions.ok()) return;
  std::vector<int32_t> caught_up;
  for (const auto& [partition, end] : catching_up_) {
    if (end < 0) continue;
    auto position = positions->find(partition);
    const int64_t read = position == positions->end() ? 0 : position->second;
    if (read >= end) caught_up.push_back(partition);
  }
  if (caught_up.empty()) return;
  absl::StatusOr<std::map<int32_t, kafka::Watermarks>> progress_end =
      probe.QueryWatermarks(progress_topic_, kBrokerTimeout);
  if (!progress_end.ok()) return;
  std::map<int32_t, int64_t> ends;
  for (const auto& [partition, marks] : *progress_end) ends[partition] = marks.high;
  if (!read_model_.WaitForEnds(ends, kBrokerTimeout)) return;  // tried again next round
  for (int32_t partition : caught_up) {
    engine_.GoLive(partition);
    catching_up_.erase(partition);
    log::Info("submissions partition live", {{"partition", partition}});
  }
}

}  // namespace tiendo::evaluator
