#include "services/metrics-ingest/ingest_application.h"

#include "absl/strings/str_cat.h"
#include "services/common/kafka/topics.h"
#include "services/common/logging/log.h"
#include "services/common/status/status_macros.h"

namespace tiendo::ingest {
namespace {

// How long accepted ids wait to be announced together to the other replicas.
constexpr absl::Duration kAnnounceInterval = absl::Milliseconds(50);

}  // namespace

void RegisterIngestFlags(config::FlagSet& flags, IngestOptions* options) {
  flags.AddInt("max-items-per-batch", "TIENDO_INGEST_MAX_ITEMS_PER_BATCH",
               "most items one batch may carry; larger batches are refused with "
               "RESOURCE_EXHAUSTED (gRPC) or dead-lettered as too_large (raw topic)",
               1, 100000, &options->limits.max_items_per_batch);
  flags.AddInt("max-message-bytes", "TIENDO_INGEST_MAX_MESSAGE_BYTES",
               "largest request message (gRPC) or raw record taken; larger ones are refused "
               "with RESOURCE_EXHAUSTED (gRPC) or dead-lettered as too_large (raw topic)",
               1024, 64 * 1024 * 1024, &options->limits.max_message_bytes);
  flags.AddPositiveDuration("publish-timeout", "TIENDO_INGEST_PUBLISH_TIMEOUT",
                            "how long a batch waits for Kafka to acknowledge its accepted items "
                            "before the call fails with UNAVAILABLE (a client deadline that "
                            "comes earlier wins)",
                            &options->limits.publish_timeout);
  flags.AddBool("raw-path", "TIENDO_INGEST_RAW_PATH",
                "also ingest batches produced straight to tiendo.submissions.raw.v1",
                &options->raw_path);
  flags.AddString("raw-group-id", "TIENDO_INGEST_RAW_GROUP_ID",
                  "Kafka consumer group of the raw path, shared by the replicas (default: "
                  "<kafka topic prefix>tiendo-metrics-ingest)",
                  &options->raw_group_id);
}

IngestApplication::IngestApplication(IngestOptions options, std::function<absl::Time()> clock)
    : options_(std::move(options)),
      clock_(std::move(clock)),
      service_(options_.limits, [this] { return Waiting(); }, clock_) {}

std::vector<grpc::Service*> IngestApplication::GrpcServices() { return {&service_}; }

void IngestApplication::ConfigureServer(grpc::ServerBuilder& builder) {
  builder.SetMaxReceiveMessageSize(static_cast<int>(options_.limits.max_message_bytes));
}

absl::Status IngestApplication::StartKafka(const server::KafkaContext& kafka) {
  if (registry_ == nullptr) {
    ASSIGN_OR_RETURN(registry_, registry_view::RegistryFollower::Start(
                                    kafka.options, "tiendo-metrics-ingest.registry",
                                    kafka.metrics));
  }
  if (submission_log_ == nullptr) {
    ASSIGN_OR_RETURN(submission_log_,
                     SubmissionLogFollower::Start(kafka.options, ledger_, kafka.metrics));
  }
  if (intake_ == nullptr) {
    announcer_ = std::make_unique<LedgerAnnouncer>(
        kafka.producer, kafka::TopicName(kafka.options, kafka::Topic::kSubmissionsLedger),
        ledger_.writer(), kAnnounceInterval, kafka.metrics);
    IntakeOptions intake;
    intake.submissions_topic = kafka::TopicName(kafka.options, kafka::Topic::kSubmissions);
    intake.instance = kafka.instance;
    intake.clock = clock_;
    intake_ = std::make_unique<SubmissionIntake>(*registry_, ledger_, *announcer_,
                                                 kafka.producer, std::move(intake),
                                                 kafka.metrics);
    service_.Attach(registry_.get(), intake_.get());
  }
  if (options_.raw_path && raw_ == nullptr) {
    RawTopicOptions raw;
    raw.group_id = options_.raw_group_id.empty()
                       ? absl::StrCat(kafka.options.topic_prefix, "tiendo-metrics-ingest")
                       : options_.raw_group_id;
    raw.max_items_per_batch = options_.limits.max_items_per_batch;
    raw.max_record_bytes = options_.limits.max_message_bytes;
    raw.clock = clock_;
    raw_ = std::make_unique<RawTopicIngester>(kafka.options, std::move(raw), *registry_,
                                              *intake_, kafka.producer, kafka.metrics);
  }
  return absl::OkStatus();
}

absl::Status IngestApplication::Waiting() const {
  if (registry_ == nullptr || submission_log_ == nullptr) {
    return absl::UnavailableError("Kafka is not reachable yet");
  }
  if (!registry_->caught_up()) {
    return absl::UnavailableError("reading tiendo.registry.v1 up to its end");
  }
  if (!submission_log_->caught_up()) {
    return absl::UnavailableError(
        "reading tiendo.submissions.v1 and tiendo.submissions.ledger.v1 up to their ends");
  }
  return absl::OkStatus();
}

absl::Status IngestApplication::Readiness() {
  RETURN_IF_ERROR(Waiting());
  // The raw path starts only once items can be judged against a complete view.
  bool started = false;
  if (raw_ != nullptr && raw_started_.compare_exchange_strong(started, true)) {
    return raw_->Start();
  }
  return absl::OkStatus();
}

void IngestApplication::StopWork() {
  if (raw_ != nullptr) raw_->Stop();
  // What waits for its interval goes out with the host's flush; ids settled later (reports
  // of batches whose calls gave up) are announced at once.
  if (announcer_ != nullptr) announcer_->Stop();
}

void IngestApplication::CloseConsumers() {
  if (submission_log_ != nullptr) submission_log_->Stop();
  if (registry_ != nullptr) registry_->Stop();
}

}  // namespace tiendo::ingest
