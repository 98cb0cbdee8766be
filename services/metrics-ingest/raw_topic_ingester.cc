#include "services/metrics-ingest/raw_topic_ingester.h"

#include <algorithm>
#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/core/utf8_text.h"
#include "services/common/kafka/record.h"
#include "services/common/kafka/topics.h"
#include "services/common/logging/log.h"
#include "services/common/process/thread_name.h"
#include "services/metrics-ingest/lenient_items.h"
#include "services/metrics-ingest/token_authenticator.h"
#include "tiendo/events/v1/raw_submission_batch.pb.h"
#include "tiendo/events/v1/rejected_submission.pb.h"

namespace tiendo::ingest {
namespace {

using google::protobuf::util::TimeUtil;

constexpr absl::string_view kRawSchema = "tiendo.events.v1.RawSubmissionBatch";
constexpr absl::string_view kRejectedSchema = "tiendo.events.v1.RejectedSubmission";
// A raw record's key and headers at most (the authorization header aside): they are copied
// onto each of its accepted items' events and onto its dead letters.
constexpr size_t kMaxKeyAndHeaderBytes = 16 * 1024;
// How long Stop() lets the round in flight settle before it leaves it uncommitted.
constexpr absl::Duration kStopGrace = absl::Seconds(5);

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

// Whether a header carries the token: its name is "authorization" in any case, as in HTTP,
// so that a token sent as "Authorization" is neither refused nor copied anywhere.
bool IsAuthorization(absl::string_view name) {
  return absl::EqualsIgnoreCase(name, "authorization");
}

// Where a raw record was, and what it carried besides its value — never its token.
events::v1::SourceRecord SourceOf(const kafka::ConsumedRecord& record) {
  events::v1::SourceRecord source;
  source.mutable_position()->set_topic(record.position.topic);
  source.mutable_position()->set_partition(record.position.partition);
  source.mutable_position()->set_offset(record.position.offset);
  *source.mutable_record_timestamp() = ToTimestamp(record.timestamp);
  if (record.key.has_value()) source.set_key(*record.key);
  for (const kafka::Header& header : record.headers) {
    if (IsAuthorization(header.key)) continue;
    events::v1::RecordHeader* copy = source.add_headers();
    // The name is a proto string: one that is not UTF-8 would make the event unreadable.
    copy->set_key(core::IsValidUtf8(header.key) ? header.key : absl::CHexEscape(header.key));
    copy->set_value(header.value);
  }
  return source;
}

// Makes `rejected`, whose record is keyed `key`, fit in kafka::kMaxRecordBytes: it leaves out
// the source record's key and headers, shortens the key and the ids, and keeps the start of
// the original value, whose whole length goes into original_size. The message says so.
void FitDeadLetter(events::v1::RejectedSubmission& rejected, std::string& key) {
  constexpr size_t kMaxKeyBytes = 256;
  constexpr size_t kRoomForTheNote = 512;
  std::string original = std::move(*rejected.mutable_original_value());
  rejected.clear_original_value();
  rejected.mutable_source()->clear_key();
  rejected.mutable_source()->clear_headers();
  if (key.size() > kMaxKeyBytes) key.resize(kMaxKeyBytes);
  rejected.set_submission_id(core::ShowText(rejected.submission_id(), 128));
  rejected.set_batch_id(core::ShowText(rejected.batch_id(), 128));
  rejected.set_original_size(static_cast<int64_t>(original.size()));
  const size_t used = rejected.ByteSizeLong() + key.size() + kRoomForTheNote;
  original.resize(std::min(original.size(), used < kafka::kMaxRecordBytes
                                                ? kafka::kMaxRecordBytes - used
                                                : size_t{0}));
  absl::StrAppend(rejected.mutable_message(), " [this dead letter keeps the first ",
                  original.size(), " of the original's ", rejected.original_size(),
                  " bytes, and not the raw record's key and headers: all of it would not fit "
                  "in a Kafka record]");
  rejected.set_original_value(std::move(original));
}

}  // namespace

// The outputs of one round still waiting for Kafka.
struct RawTopicIngester::Round {
  absl::Mutex mu;
  int outstanding ABSL_GUARDED_BY(mu) = 0;
  absl::Status failure ABSL_GUARDED_BY(mu);

  void Add() {
    absl::MutexLock lock(&mu);
    ++outstanding;
  }
  void Done(const absl::Status& status) {
    absl::MutexLock lock(&mu);
    if (!status.ok() && failure.ok()) failure = status;
    --outstanding;
  }
};

RawTopicIngester::RawTopicIngester(const kafka::KafkaOptions& kafka, RawTopicOptions options,
                                   registry_view::RegistryFollower& registry,
                                   SubmissionIntake& intake, kafka::Producer& producer,
                                   metrics::MetricRegistry& metrics)
    : kafka_(kafka),
      options_(std::move(options)),
      raw_topic_(kafka::TopicName(kafka, kafka::Topic::kSubmissionsRaw)),
      rejected_topic_(kafka::TopicName(kafka, kafka::Topic::kSubmissionsRejected)),
      registry_(registry),
      intake_(intake),
      producer_(producer),
      records_(metrics.AddCounter("tiendo_ingest_raw_records_total",
                                  "Records read from the raw submissions topic.")),
      dead_letters_(metrics.AddCounter("tiendo_ingest_dead_letters_total",
                                       "Dead letters written (whole records and items).")),
      retries_(metrics.AddCounter("tiendo_ingest_raw_round_retries_total",
                                  "Raw rounds retried because Kafka did not take an output.")) {}

RawTopicIngester::~RawTopicIngester() { Stop(); }

absl::Status RawTopicIngester::Start() {
  thread_ = std::thread([this] {
    process::NameThisThread("raw-ingester");
    Run();
  });
  return absl::OkStatus();
}

void RawTopicIngester::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void RawTopicIngester::Run() {
  while (!stop_.HasBeenNotified()) {
    // A fresh consumer per attempt: after a failed round it resumes from the committed
    // offsets, so nothing of that round is skipped.
    absl::StatusOr<std::unique_ptr<kafka::Consumer>> consumer =
        kafka::Consumer::Create(kafka_, "tiendo-metrics-ingest.raw", options_.group_id);
    absl::Status subscribed = consumer.ok() ? (*consumer)->Subscribe({raw_topic_})
                                            : consumer.status();
    if (!subscribed.ok()) {
      log::Warning("raw submissions path not started; retrying",
                   {{"error", subscribed.ToString()}});
      stop_.WaitForNotificationWithTimeout(options_.retry_backoff);
      continue;
    }
    while (!stop_.HasBeenNotified()) {
      if (!RunRound(**consumer)) {
        if (stop_.HasBeenNotified()) break;  // not a retry: read again by the next owner
        retries_.Increment();
        stop_.WaitForNotificationWithTimeout(options_.retry_backoff);
        break;
      }
    }
    (*consumer)->Close();
  }
}

bool RawTopicIngester::RunRound(kafka::Consumer& consumer) {
  auto round = std::make_shared<Round>();
  std::map<std::pair<std::string, int32_t>, int64_t> next_offsets;
  // Stopping, no more is read: what was read is finished (below).
  for (int i = 0; i < options_.records_per_round && !stop_.HasBeenNotified(); ++i) {
    absl::StatusOr<std::optional<kafka::ConsumedRecord>> record =
        consumer.Poll(i == 0 ? absl::Milliseconds(200) : absl::ZeroDuration());
    if (!record.ok()) {
      log::Error("raw submissions consumer failed", {{"error", record.status().ToString()}});
      return false;
    }
    if (!record->has_value()) break;
    records_.Increment();
    Handle(**record, round);
    const kafka::RecordPosition& position = (*record)->position;
    next_offsets[{position.topic, position.partition}] = position.offset + 1;
  }
  if (next_offsets.empty()) return true;
  // Every output acknowledged (or failed) before anything is committed.
  {
    absl::MutexLock lock(&round->mu);
    auto settled = [&round]() ABSL_SHARED_LOCKS_REQUIRED(round->mu) {
      return round->outstanding == 0;
    };
    // Stopping, the round still gets a while to settle and be committed, so that the
    // replica taking the partitions over neither writes its items again nor dead-letters its
    // records twice; past that (Kafka unreachable) it is left to be read again.
    std::optional<absl::Time> give_up;
    while (!round->mu.AwaitWithTimeout(absl::Condition(&settled), absl::Milliseconds(200))) {
      if (!stop_.HasBeenNotified()) continue;
      if (!give_up.has_value()) give_up = absl::Now() + kStopGrace;
      if (absl::Now() >= *give_up) return false;
    }
    if (!round->failure.ok()) {
      log::Warning("raw round not committed: kafka did not take an output; retrying",
                   {{"error", round->failure.ToString()}});
      return false;
    }
  }
  std::vector<kafka::RecordPosition> commit;
  for (const auto& [partition, offset] : next_offsets) {
    commit.push_back({partition.first, partition.second, offset});
  }
  if (absl::Status committed = consumer.Commit(commit); !committed.ok()) {
    log::Warning("raw offsets not committed; the round will be read again",
                 {{"error", committed.ToString()}});
    return false;
  }
  return true;
}

void RawTopicIngester::Handle(const kafka::ConsumedRecord& record,
                              const std::shared_ptr<Round>& round) {
  if (!record.value.has_value() || record.value->empty()) {
    DeadLetter(round, record, v1::REJECTION_REASON_UNDECODABLE,
               "the record has no value; expected a tiendo.events.v1.RawSubmissionBatch");
    return;
  }
  // What is copied onto every accepted item's event, measured as it is written there: each
  // header's framing counts, so that ten thousand empty headers are not free.
  events::v1::SourceRecord source = SourceOf(record);
  if (const size_t copied = source.ByteSizeLong(); copied > kMaxKeyAndHeaderBytes) {
    DeadLetter(round, record, v1::REJECTION_REASON_TOO_LARGE,
               absl::StrCat("the record's key and headers (", source.headers_size(),
                            " headers) take ", copied,
                            " bytes as copied onto every accepted item (the authorization "
                            "header aside); at most ",
                            kMaxKeyAndHeaderBytes));
    return;
  }
  if (const auto schema = record.HeaderValue(kafka::kSchemaHeader);
      schema.has_value() && *schema != kRawSchema) {
    DeadLetter(round, record, v1::REJECTION_REASON_SCHEMA_MISMATCH,
               absl::StrCat("header tiendo-schema says \"", core::ShowText(*schema),
                            "\"; this topic takes \"", kRawSchema, "\""));
    return;
  }
  if (static_cast<int64_t>(record.value->size()) > options_.max_record_bytes) {
    DeadLetter(round, record, v1::REJECTION_REASON_TOO_LARGE,
               absl::StrCat("the record has ", record.value->size(), " bytes; at most ",
                            options_.max_record_bytes));
    return;
  }
  v1::LenientSubmissionBatch batch;
  if (!batch.ParseFromString(*record.value)) {
    DeadLetter(round, record, v1::REJECTION_REASON_UNDECODABLE,
               "the record's value is not a tiendo.events.v1.RawSubmissionBatch (protobuf "
               "binary)");
    return;
  }
  const std::string batch_id = core::IsValidUtf8(batch.batch_id()) ? batch.batch_id() : "";
  const absl::Time now = options_.clock();
  std::string authorization;
  for (const kafka::Header& header : record.headers) {
    if (IsAuthorization(header.key)) authorization = header.value;
  }
  absl::StatusOr<Caller> caller = registry_.Read(
      [&](const registry_view::RegistryView& view) { return Authenticate(authorization, view, now); });
  if (!caller.ok()) {
    DeadLetter(round, record, v1::REJECTION_REASON_UNAUTHENTICATED,
               std::string(caller.status().message()), "", std::nullopt, "", "", "", batch_id);
    return;
  }
  if (batch.submissions_size() == 0 || batch.submissions_size() > options_.max_items_per_batch) {
    DeadLetter(round, record,
               batch.submissions_size() == 0 ? v1::REJECTION_REASON_MALFORMED
                                             : v1::REJECTION_REASON_TOO_LARGE,
               absl::StrCat("the batch has ", batch.submissions_size(),
                            " items; send 1 to ", options_.max_items_per_batch),
               "submissions", std::nullopt, "", caller->reporting_unit_id, "", batch_id);
    return;
  }
  BatchOrigin origin;
  origin.path = events::v1::INGEST_PATH_RAW_TOPIC;
  origin.raw_record = std::move(source);
  round->Add();
  auto items = std::make_shared<v1::LenientSubmissionBatch>(std::move(batch));
  intake_.Submit(
      *caller, items->submissions(), origin, /*dry_run=*/false, absl::InfiniteFuture(),
      [this, round, items, record, caller = *caller,
       batch_id](absl::StatusOr<v1::SubmitBatchResponse*> answer) {
        if (answer.ok()) {
          for (const v1::SubmissionResult& result : (*answer)->results()) {
            if (result.outcome() != v1::SUBMISSION_OUTCOME_REJECTED) continue;
            DeadLetter(round, record, result.reason(), result.message(), result.field(),
                       result.index(), items->submissions(result.index()).SerializeAsString(),
                       caller.reporting_unit_id, result.submission_id(), batch_id);
          }
        }
        round->Done(answer.status());
      });
}

void RawTopicIngester::DeadLetter(const std::shared_ptr<Round>& round,
                                  const kafka::ConsumedRecord& record,
                                  v1::RejectionReason reason, const std::string& message,
                                  const std::string& field, std::optional<int> item_index,
                                  const std::string& item_bytes,
                                  const std::string& reporting_unit_id,
                                  const std::string& submission_id,
                                  const std::string& batch_id) {
  events::v1::RejectedSubmission rejected;
  rejected.set_reason(reason);
  rejected.set_message(message);
  rejected.set_field(field);
  *rejected.mutable_rejected_at() = ToTimestamp(options_.clock());
  *rejected.mutable_source() = SourceOf(record);
  if (item_index.has_value()) {
    rejected.set_item_index(*item_index);
    rejected.set_original_value(item_bytes);
  } else {
    rejected.set_original_value(record.value.value_or(""));
  }
  rejected.set_reporting_unit_id(reporting_unit_id);
  rejected.set_submission_id(submission_id);
  rejected.set_batch_id(batch_id);
  kafka::OutgoingRecord out;
  out.topic = rejected_topic_;
  out.key = record.key.value_or("");
  if (rejected.ByteSizeLong() + out.key.size() > kafka::kMaxRecordBytes) {
    FitDeadLetter(rejected, out.key);
  }
  out.value = rejected.SerializeAsString();
  out.headers.push_back({std::string(kafka::kSchemaHeader), std::string(kRejectedSchema)});
  round->Add();
  dead_letters_.Increment();
  absl::Status queued = producer_.Produce(
      out, [round](absl::StatusOr<kafka::RecordPosition> written) { round->Done(written.status()); });
  if (!queued.ok()) round->Done(queued);
}

}  // namespace tiendo::ingest
