#include "services/registry/outbox_relay.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/logging/log.h"
#include "services/common/process/thread_name.h"
#include "tiendo/events/v1/registry_event.pb.h"

namespace tiendo::registry {
namespace {

constexpr absl::string_view kSchema = "tiendo.events.v1.RegistryEvent";

// Delivery reports of one round, filled in by the producer's thread.
struct Round {
  explicit Round(size_t size)
      : outcomes(size, absl::UnavailableError("no delivery report yet")), pending(size) {}
  absl::Mutex mu;
  std::vector<absl::Status> outcomes ABSL_GUARDED_BY(mu);
  size_t pending ABSL_GUARDED_BY(mu);
};

// The record's event with its outbox sequence set. Appending a serialised message holding
// only that field merges it into the event (protobuf's concatenation rule), without a parse.
std::string WithSequence(const std::string& value, int64_t sequence) {
  events::v1::RegistryEvent tail;
  tail.set_outbox_sequence(sequence);
  return absl::StrCat(value, tail.SerializeAsString());
}

}  // namespace

OutboxRelay::OutboxRelay(RegistryStore& store, kafka::Producer& producer, RelayOptions options,
                         metrics::MetricRegistry& metrics)
    : store_(store),
      producer_(producer),
      options_(std::move(options)),
      published_(metrics.AddCounter("tiendo_registry_outbox_published_total",
                                    "Registry events acknowledged by Kafka (then removed "
                                    "from the outbox).")),
      failures_(metrics.AddCounter("tiendo_registry_outbox_failures_total",
                                   "Relay rounds that ended with an event not acknowledged "
                                   "(retried).")) {}

OutboxRelay::~OutboxRelay() { Stop(); }

void OutboxRelay::Start() {
  thread_ = std::thread([this] {
    process::NameThisThread("outbox-relay");
    Run();
  });
}

void OutboxRelay::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void OutboxRelay::Run() {
  int64_t after = 0;
  int64_t undeleted_through = 0;  // relayed records the outbox still holds
  // Deletes them; a failure is tried again each round, whether or not new records come.
  const auto delete_relayed = [&] {
    absl::Status deleted = store_.DeleteOutboxThrough(undeleted_through);
    if (deleted.ok()) {
      undeleted_through = 0;
    } else {
      log::Error("cannot delete relayed outbox records (they are on Kafka); retrying",
                 {{"error", deleted.ToString()}});
    }
    return deleted.ok();
  };
  while (!stop_.HasBeenNotified()) {
    if (undeleted_through > 0 && !delete_relayed()) {
      stop_.WaitForNotificationWithTimeout(options_.retry_backoff);
      continue;
    }
    absl::StatusOr<std::vector<OutboxRecord>> records =
        store_.ReadOutbox(after, options_.batch_records);
    if (!records.ok()) {
      log::Error("cannot read the outbox", {{"error", records.status().ToString()}});
      stop_.WaitForNotificationWithTimeout(options_.retry_backoff);
      continue;
    }
    if (records->empty()) {
      store_.AwaitOutboxAfter(after, options_.idle_wait);
      continue;
    }
    const size_t acknowledged = Publish(*records);
    if (acknowledged > 0) {
      const int64_t through = (*records)[acknowledged - 1].sequence;
      // Counted as published before they leave the outbox: whoever sees the outbox empty
      // sees them counted.
      after = through;
      relayed_through_.store(through);
      published_.Increment(static_cast<double>(acknowledged));
      undeleted_through = through;
      delete_relayed();
    }
    if (acknowledged < records->size() && !stop_.HasBeenNotified()) {
      failures_.Increment();
      stop_.WaitForNotificationWithTimeout(options_.retry_backoff);
    }
  }
}

size_t OutboxRelay::Publish(const std::vector<OutboxRecord>& records) {
  auto round = std::make_shared<Round>(records.size());
  size_t queued = 0;
  for (; queued < records.size() && !stop_.HasBeenNotified(); ++queued) {
    const OutboxRecord& record = records[queued];
    kafka::OutgoingRecord outgoing;
    outgoing.topic = options_.topic;
    outgoing.key = record.key;
    if (record.value.has_value()) outgoing.value = WithSequence(*record.value, record.sequence);
    outgoing.headers.push_back({std::string(kafka::kSchemaHeader), std::string(kSchema)});
    absl::Status produced = producer_.Produce(outgoing, [round, queued](auto delivered) {
      absl::MutexLock lock(&round->mu);
      round->outcomes[queued] = delivered.status();
      --round->pending;
    });
    if (absl::IsResourceExhausted(produced)) {
      // The producer's queue is full: let it drain, then try this record again.
      stop_.WaitForNotificationWithTimeout(absl::Milliseconds(10));
      --queued;
      continue;
    }
    if (!produced.ok()) {
      log::Warning("registry event not queued", {{"key", record.key},
                                                 {"error", produced.ToString()}});
      break;
    }
  }
  absl::MutexLock lock(&round->mu);
  // Records never queued will not be reported.
  round->pending -= records.size() - queued;
  auto done = [&round]() ABSL_SHARED_LOCKS_REQUIRED(round->mu) { return round->pending == 0; };
  while (!round->mu.AwaitWithTimeout(absl::Condition(&done), absl::Milliseconds(100))) {
    if (stop_.HasBeenNotified()) break;
  }
  size_t acknowledged = 0;
  while (acknowledged < queued && round->outcomes[acknowledged].ok()) ++acknowledged;
  if (acknowledged < queued && round->pending == 0) {
    log::Warning("registry event not acknowledged; retrying",
                 {{"key", records[acknowledged].key},
                  {"error", round->outcomes[acknowledged].ToString()}});
  }
  return acknowledged;
}

}  // namespace tiendo::registry
