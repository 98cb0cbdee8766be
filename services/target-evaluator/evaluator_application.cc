#include "services/target-evaluator/evaluator_application.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "services/common/kafka/consumer.h"
#include "services/common/kafka/topics.h"
#include "services/common/status/status_macros.h"
#include "services/target-evaluator/file_clock.h"

namespace tiendo::evaluator {
namespace {

constexpr absl::Duration kMetadataTimeout = absl::Seconds(5);

// How many partitions tiendo.submissions.v1 has: what target ownership is computed over.
absl::StatusOr<int32_t> SubmissionPartitions(const kafka::KafkaOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<kafka::Consumer> probe,
                   kafka::Consumer::Create(options, "tiendo-target-evaluator.metadata", ""));
  ASSIGN_OR_RETURN(auto marks,
                   probe->QueryWatermarks(kafka::TopicName(options, kafka::Topic::kSubmissions),
                                          kMetadataTimeout));
  return static_cast<int32_t>(marks.size());
}

}  // namespace

void RegisterEvaluatorFlags(config::FlagSet& flags, EvaluatorOptions* options) {
  flags.AddString("group-id", "TIENDO_EVALUATOR_GROUP_ID",
                  "Kafka consumer group the replicas share tiendo.submissions.v1 in (default: "
                  "<kafka topic prefix>tiendo-target-evaluator)",
                  &options->group_id);
  flags.AddString("instance-id", "TIENDO_EVALUATOR_INSTANCE_ID",
                  "stable name of this replica, e.g. the pod name of a StatefulSet: a replica "
                  "restarted under the same name takes its partitions back at once instead of "
                  "after the session timeout (static group membership); empty: dynamic "
                  "membership. Two running replicas must never share it",
                  &options->instance_id);
  flags.AddDuration("session-timeout", "TIENDO_EVALUATOR_SESSION_TIMEOUT",
                    "how long the group waits for a replica that went silent (crashed, or "
                    "stopped with --instance-id) before its partitions move to the others",
                    &options->session_timeout);
  flags.AddString("clock-file", "TIENDO_EVALUATOR_CLOCK_FILE",
                  "read the current time from this file (RFC 3339, e.g. 2030-12-31T17:00:00Z, "
                  "re-read as it changes) instead of the system clock: for tests, and to "
                  "preview what a date does to the statuses; empty: the system clock",
                  &options->clock_file);
  flags.AddString("state-dir", "TIENDO_EVALUATOR_STATE_DIR",
                  "directory (created if missing, locked while running) where the replica "
                  "keeps a snapshot of its state and the submission offsets it covers; a "
                  "restart loads it and reads on from there. Give each replica its own, e.g. "
                  "a persistent volume of a StatefulSet. Empty: no snapshots, every start "
                  "replays tiendo.submissions.v1 from the beginning",
                  &options->state_dir);
  flags.AddInt("snapshot-every-records", "TIENDO_EVALUATOR_SNAPSHOT_EVERY_RECORDS",
               "write a snapshot after this many submission records (or after "
               "--snapshot-interval, whichever comes first)",
               1, int64_t{1} << 40, &options->snapshot_every_records);
  flags.AddPositiveDuration("snapshot-interval", "TIENDO_EVALUATOR_SNAPSHOT_INTERVAL",
                            "write a snapshot this long after the last if submissions were read "
                            "since (or after --snapshot-every-records, whichever comes first)",
                            &options->snapshot_interval);
}

absl::StatusOr<std::unique_ptr<EvaluatorApplication>> EvaluatorApplication::Create(
    EvaluatorOptions options) {
  std::unique_ptr<SnapshotStore> snapshots;
  if (!options.state_dir.empty()) {
    ASSIGN_OR_RETURN(snapshots, SnapshotStore::Open(options.state_dir));
  }
  return std::unique_ptr<EvaluatorApplication>(
      new EvaluatorApplication(std::move(options), std::move(snapshots)));
}

EvaluatorApplication::EvaluatorApplication(EvaluatorOptions options,
                                           std::unique_ptr<SnapshotStore> snapshots)
    : options_(std::move(options)),
      snapshots_(std::move(snapshots)),
      clock_(options_.clock_file.empty() ? [] { return absl::Now(); }
                                         : FileClock(options_.clock_file)),
      service_([this] { return Waiting(); }) {}

std::vector<grpc::Service*> EvaluatorApplication::GrpcServices() { return {&service_}; }

std::map<std::string, std::string> EvaluatorApplication::ProducerSettings() const {
  return {{"linger.ms", "0"}};
}

absl::Status EvaluatorApplication::StartKafka(const server::KafkaContext& kafka) {
  if (read_model_ == nullptr) {
    ASSIGN_OR_RETURN(read_model_, ProgressReadModel::Start(
                                      kafka.options, "tiendo-target-evaluator.progress",
                                      kafka.metrics));
  }
  if (engine_ == nullptr) {
    EngineOptions engine;
    engine.progress_topic = kafka::TopicName(kafka.options, kafka::Topic::kProgress);
    engine.submissions_topic = kafka::TopicName(kafka.options, kafka::Topic::kSubmissions);
    ASSIGN_OR_RETURN(engine.submission_partitions, SubmissionPartitions(kafka.options));
    engine.instance = kafka.instance;
    engine.clock = clock_;
    engine_ = std::make_unique<ProgressEngine>(std::move(engine), kafka.producer, *read_model_,
                                               kafka.metrics);
  }
  if (registry_ == nullptr) {
    ASSIGN_OR_RETURN(
        registry_,
        registry_view::RegistryFollower::Start(
            kafka.options, "tiendo-target-evaluator.registry", kafka.metrics,
            [this](const std::vector<registry_view::RegistryChange>& changes) {
              // Until the reader loaded the registry (after registry_ was set), the view
              // itself is what will be loaded.
              if (!engine_->registry_loaded()) return;
              registry_->Read([&](const registry_view::RegistryView& view) {
                engine_->ApplyRegistryChanges(changes, view);
              });
            }));
  }
  if (reader_ == nullptr) {
    const std::string group_id =
        options_.group_id.empty()
            ? absl::StrCat(kafka.options.topic_prefix, "tiendo-target-evaluator")
            : options_.group_id;
    // A replay reads slower than the broker serves: with librdkafka's default local queue
    // (100,000 records or 64 MiB) the queue fills, fetching backs off, and the queue runs dry
    // before it resumes (a 1,000,000-record replay ran at 40% of its speed). A queue of up
    // to 1,000,000 records or 256 MiB keeps a second or more of work at hand.
    std::map<std::string, std::string> membership = {
        {"queued.min.messages", "1000000"},
        {"queued.max.messages.kbytes", "262144"},
        {"session.timeout.ms",
         absl::StrCat(absl::ToInt64Milliseconds(options_.session_timeout))}};
    if (!options_.instance_id.empty()) {
      membership["group.instance.id"] = options_.instance_id;
    }
    SnapshotPolicy snapshots;
    snapshots.store = snapshots_.get();
    snapshots.every_records = options_.snapshot_every_records;
    snapshots.interval = options_.snapshot_interval;
    if (snapshots_ != nullptr) snapshots_->ExportMetrics(kafka.metrics);
    reader_ = std::make_unique<SubmissionReader>(kafka.options, group_id, membership,
                                                 *registry_, *read_model_, *engine_,
                                                 kafka.producer, snapshots);
    reader_->Start();
    service_.Attach(read_model_.get(), engine_.get(), registry_.get(), kafka.options);
    started_.store(true, std::memory_order_release);
  }
  return absl::OkStatus();
}

absl::Status EvaluatorApplication::Waiting() const {
  if (!started_.load(std::memory_order_acquire)) {
    return absl::UnavailableError("Kafka is not reachable yet");
  }
  if (!registry_->caught_up()) {
    return absl::UnavailableError("reading tiendo.registry.v1 up to its end");
  }
  if (!read_model_->caught_up()) {
    return absl::UnavailableError("reading tiendo.progress.v1 up to its end");
  }
  if (!engine_->registry_loaded()) {
    return absl::UnavailableError("loading the registry into the evaluator");
  }
  return absl::OkStatus();
}

absl::Status EvaluatorApplication::Readiness() { return Waiting(); }

void EvaluatorApplication::EndStreams() { service_.EndWatches(); }

void EvaluatorApplication::StopWork() {
  if (reader_ != nullptr) reader_->Stop();
}

void EvaluatorApplication::CloseConsumers() {
  if (registry_ != nullptr) registry_->Stop();
  if (read_model_ != nullptr) read_model_->Stop();
}

}  // namespace tiendo::evaluator
