#include "services/target-evaluator/progress_read_model.h"

#include <algorithm>

#include "services/common/kafka/topics.h"
#include "services/common/logging/log.h"
#include "services/common/status/status_macros.h"

namespace tiendo::evaluator {
namespace {

bool ByTargetId(const evaluator::v1::Progress& a, const evaluator::v1::Progress& b) {
  return a.target_id() < b.target_id();
}

}  // namespace

absl::StatusOr<std::unique_ptr<ProgressReadModel>> ProgressReadModel::Start(
    const kafka::KafkaOptions& options, const std::string& client_id,
    metrics::MetricRegistry& metrics) {
  std::unique_ptr<ProgressReadModel> model(new ProgressReadModel(metrics.AddGauge(
      "tiendo_evaluator_read_model_targets", "Targets whose progress the read model holds.")));
  ASSIGN_OR_RETURN(
      model->follower_,
      kafka::TopicFollower::Start(
          options, kafka::TopicName(options, kafka::Topic::kProgress), client_id,
          [raw = model.get()](absl::Span<const kafka::ConsumedRecord> records) {
            raw->Handle(records);
          },
          metrics, "tiendo_evaluator_read_model"));
  return model;
}

ProgressReadModel::ProgressReadModel(metrics::Gauge& targets) : targets_gauge_(targets) {}

ProgressReadModel::~ProgressReadModel() { Stop(); }

void ProgressReadModel::Stop() {
  if (follower_ != nullptr) follower_->Stop();
}

bool ProgressReadModel::caught_up() const {
  return follower_ != nullptr && follower_->caught_up();
}

bool ProgressReadModel::WaitForEnds(const std::map<int32_t, int64_t>& ends,
                                    absl::Duration timeout) const {
  auto reached = [this, &ends]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    for (const auto& [partition, end] : ends) {
      if (end <= 0) continue;
      auto next = next_offsets_.find(partition);
      if (next == next_offsets_.end() || next->second < end) return false;
    }
    return true;
  };
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout(absl::Condition(&reached), timeout);
}

void ProgressReadModel::Handle(absl::Span<const kafka::ConsumedRecord> records) {
  absl::MutexLock lock(&mu_);
  for (const kafka::ConsumedRecord& record : records) {
    next_offsets_[record.position.partition] = record.position.offset + 1;
    if (!record.key.has_value()) continue;
    events::v1::ProgressEvent event;
    if (!record.value.has_value()) {  // a tombstone after a removal
      history_.erase(*record.key);
      continue;
    }
    if (!event.ParseFromString(*record.value) || event.progress().target_id() != *record.key) {
      log::Warning("progress record skipped: not a ProgressEvent for its key",
                   {{"partition", record.position.partition},
                    {"offset", record.position.offset}});
      continue;
    }
    int64_t& seen = versions_[*record.key];
    if (event.progress().version() <= seen) continue;
    seen = event.progress().version();
    if (event.target_removed()) {
      history_.erase(*record.key);
    } else {
      History& history = history_[*record.key];
      history.push_back(event.progress());
      if (history.size() > kRetainedVersions) history.pop_front();
    }
    for (const auto& [id, listener] : listeners_) listener(event);
  }
  targets_gauge_.Set(static_cast<double>(history_.size()));
}

std::optional<evaluator::v1::Progress> ProgressReadModel::Find(
    absl::string_view target_id) const {
  absl::MutexLock lock(&mu_);
  auto found = history_.find(target_id);
  if (found == history_.end()) return std::nullopt;
  return found->second.back();
}

int64_t ProgressReadModel::LastVersion(absl::string_view target_id) const {
  absl::MutexLock lock(&mu_);
  auto found = versions_.find(target_id);
  return found == versions_.end() ? 0 : found->second;
}

std::vector<evaluator::v1::Progress> ProgressReadModel::List(
    const std::function<bool(const evaluator::v1::Progress&)>& keep) const {
  std::vector<evaluator::v1::Progress> listed;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [target_id, history] : history_) {
      if (keep(history.back())) listed.push_back(history.back());
    }
  }
  std::sort(listed.begin(), listed.end(), ByTargetId);
  return listed;
}

int ProgressReadModel::Subscribe(
    Listener listener,
    const std::function<void(const std::vector<const History*>&, const Versions&)>& current) {
  absl::MutexLock lock(&mu_);
  std::vector<const History*> now;
  now.reserve(history_.size());
  for (const auto& [target_id, history] : history_) now.push_back(&history);
  std::sort(now.begin(), now.end(), [](const History* a, const History* b) {
    return ByTargetId(a->back(), b->back());
  });
  current(now, versions_);
  const int id = next_listener_++;
  listeners_.emplace(id, std::move(listener));
  return id;
}

void ProgressReadModel::Unsubscribe(int id) {
  absl::MutexLock lock(&mu_);
  listeners_.erase(id);
}

}  // namespace tiendo::evaluator
