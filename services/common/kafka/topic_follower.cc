#include "services/common/kafka/topic_follower.h"

#include "absl/strings/str_cat.h"
#include "services/common/logging/log.h"
#include "services/common/process/thread_name.h"
#include "services/common/status/status_macros.h"

namespace tiendo::kafka {
namespace {

// How long Start waits for the cluster's metadata and watermarks.
constexpr absl::Duration kBrokerTimeout = absl::Seconds(10);
// How long one poll waits for a record; bounds how long Stop waits for the thread.
constexpr absl::Duration kPollInterval = absl::Milliseconds(100);
// How long the thread waits for the leaders' word on what was deleted (ForgetDeleted); also
// bounds how long Stop waits.
constexpr absl::Duration kDeletedQueryTimeout = absl::Seconds(1);
// How long the thread waits after a consumer error before polling again.
constexpr absl::Duration kErrorBackoff = absl::Seconds(1);
// Records handed to the handler at once.
constexpr size_t kMaxBatch = 512;

}  // namespace

absl::StatusOr<std::unique_ptr<TopicFollower>> TopicFollower::Start(
    const KafkaOptions& options, const std::string& topic, const std::string& client_id,
    RecordHandler handler, metrics::MetricRegistry& metrics, const std::string& metric_prefix,
    Reach reach) {
  ASSIGN_OR_RETURN(std::unique_ptr<Consumer> consumer, Consumer::Create(options, client_id, ""));
  RETURN_IF_ERROR(consumer->AssignFromBeginning(topic, kBrokerTimeout));
  ASSIGN_OR_RETURN(auto end, consumer->QueryWatermarks(topic, kBrokerTimeout));
  int64_t records = 0;
  for (const auto& [partition, marks] : end) records += marks.high - marks.low;
  log::Info("following a topic", {{"topic", topic},
                                  {"partitions", static_cast<int64_t>(end.size())},
                                  {"records_at_start", records}});
  metrics::Gauge& caught_up = metrics.AddGauge(
      absl::StrCat(metric_prefix, "_caught_up"),
      absl::StrCat("1 once every record of ", topic, " present at start-up was read, else 0."));
  metrics::Counter& errors = metrics.AddCounter(
      absl::StrCat(metric_prefix, "_consumer_errors_total"),
      absl::StrCat("Errors the consumer of ", topic, " returned; polling resumes after a pause."));
  return std::unique_ptr<TopicFollower>(new TopicFollower(
      std::move(consumer), topic, std::move(end), std::move(handler), reach, caught_up, errors));
}

TopicFollower::TopicFollower(std::unique_ptr<Consumer> consumer, std::string topic,
                             std::map<int32_t, Watermarks> end, RecordHandler handler,
                             Reach reach, metrics::Gauge& caught_up, metrics::Counter& errors)
    : consumer_(std::move(consumer)),
      topic_(std::move(topic)),
      start_end_(std::move(end)),
      handler_(std::move(handler)),
      reach_(reach),
      caught_up_gauge_(caught_up),
      errors_(errors) {
  absl::MutexLock lock(&stop_mu_);
  thread_ = std::thread([this] {
    process::NameThisThread("topic-follower");
    Follow();
  });
}

TopicFollower::~TopicFollower() { Stop(); }

bool TopicFollower::caught_up() const {
  absl::ReaderMutexLock lock(&state_mu_);
  return caught_up_;
}

bool TopicFollower::WaitCaughtUp(absl::Duration timeout) const {
  absl::MutexLock lock(&state_mu_);
  return state_mu_.AwaitWithTimeout(absl::Condition(&caught_up_), timeout);
}

void TopicFollower::Stop() {
  absl::MutexLock stop_lock(&stop_mu_);
  {
    absl::MutexLock lock(&state_mu_);
    stop_requested_ = true;
  }
  if (thread_.joinable()) thread_.join();
  if (consumer_ != nullptr) consumer_->Close();
}

bool TopicFollower::StopRequestedWithin(absl::Duration timeout) {
  absl::MutexLock lock(&state_mu_);
  return state_mu_.AwaitWithTimeout(absl::Condition(&stop_requested_), timeout);
}

void TopicFollower::Follow() {
  bool caught_up = false;
  RecordBatch batch;  // refilled in place, batch after batch
  while (!StopRequestedWithin(absl::ZeroDuration())) {
    const absl::Status error = consumer_->PollBatch(batch, kMaxBatch, kPollInterval);
    if (!batch.empty()) handler_(batch.records());
    if (!caught_up && ReachedStartEnd(error.ok() && batch.empty())) {
      caught_up = true;
      // Stopping at the start end: closed (and its client's threads ended) before caught_up()
      // turns true, so that nothing is handled after it, nor fetched.
      if (reach_ == Reach::kStartEnd) {
        consumer_->Close();
        consumer_.reset();
      }
      {
        absl::MutexLock lock(&state_mu_);
        caught_up_ = true;
      }
      caught_up_gauge_.Set(1);
      log::Info("caught up with the topic", {{"topic", topic_}});
      if (reach_ == Reach::kStartEnd) {
        log::Info("stopped reading the topic at the end it had at start", {{"topic", topic_}});
        return;
      }
    }
    if (!error.ok()) {
      errors_.Increment();
      log::Error("topic consumer error; polling again shortly",
                 {{"topic", topic_}, {"error", error.ToString()}});
      if (StopRequestedWithin(kErrorBackoff)) break;
    }
  }
}

bool TopicFollower::ReachedStartEnd(bool polled_nothing) {
  if (polled_nothing) {
    if (absl::Status asked = consumer_->ForgetDeleted(topic_, start_end_, kDeletedQueryTimeout);
        !asked.ok()) {
      if (!deleted_query_failing_) {  // once until it works again: the broker may be down
        log::Warning("could not ask what was deleted from the topic",
                      {{"topic", topic_}, {"error", asked.ToString()}});
      }
      deleted_query_failing_ = true;
    } else {
      deleted_query_failing_ = false;
    }
  }
  absl::StatusOr<bool> reached = consumer_->ReadUpTo(topic_, start_end_);
  if (!reached.ok()) {
    log::Warning("topic positions unknown",
                 {{"topic", topic_}, {"error", reached.status().ToString()}});
    return false;
  }
  return *reached;
}

}  // namespace tiendo::kafka
