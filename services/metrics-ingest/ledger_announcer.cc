#include "services/metrics-ingest/ledger_announcer.h"

#include <string>

#include "services/common/kafka/record.h"
#include "services/common/logging/log.h"
#include "services/common/process/thread_name.h"
#include "services/metrics-ingest/accepted_ids.h"

namespace tiendo::ingest {
namespace {

constexpr char kSchema[] = "tiendo.events.v1.AcceptedIds";

}  // namespace

LedgerAnnouncer::LedgerAnnouncer(kafka::Producer& producer, std::string topic,
                                 std::string writer, absl::Duration interval,
                                 metrics::MetricRegistry& metrics)
    : producer_(producer),
      topic_(std::move(topic)),
      writer_(std::move(writer)),
      interval_(interval),
      announced_(metrics.AddCounter(
          "tiendo_ingest_ledger_announcements_total",
          "AcceptedIds records written to tiendo.submissions.ledger.v1 for the other replicas: "
          "the ids accepted within an interval, 10000 at most a record.")),
      failures_(metrics.AddCounter(
          "tiendo_ingest_ledger_announcement_failures_total",
          "AcceptedIds records that could not be written to tiendo.submissions.ledger.v1: "
          "other replicas learn those ids only when they restart.")),
      batching_(interval > absl::ZeroDuration()) {
  if (batching_) {
    thread_ = std::thread([this] {
      process::NameThisThread("ledger-announce");
      Run();
    });
  }
}

LedgerAnnouncer::~LedgerAnnouncer() { Stop(); }

void LedgerAnnouncer::Announce(std::vector<AcceptedIdFingerprints> ids) {
  if (ids.empty()) return;
  {
    absl::MutexLock lock(&mu_);
    if (batching_) {
      if (waiting_.empty()) {
        waiting_ = std::move(ids);
      } else {
        waiting_.insert(waiting_.end(), ids.begin(), ids.end());
      }
      return;
    }
  }
  Write(ids, /*return_unqueued=*/false);
}

void LedgerAnnouncer::Stop() {
  std::vector<AcceptedIdFingerprints> waiting;
  {
    absl::MutexLock lock(&mu_);
    if (!batching_) return;
    batching_ = false;
    waiting.swap(waiting_);
  }
  if (thread_.joinable()) thread_.join();
  Write(waiting, /*return_unqueued=*/false);
}

void LedgerAnnouncer::Run() {
  const auto has_ids_or_stopped = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return !batching_ || !waiting_.empty();
  };
  const auto stopped = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return !batching_; };
  while (true) {
    std::vector<AcceptedIdFingerprints> due;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(&has_ids_or_stopped));
      if (!batching_) return;  // Stop writes what waits
      // The interval starts with its first ids.
      if (mu_.AwaitWithTimeout(absl::Condition(&stopped), interval_)) return;
      due.swap(waiting_);
    }
    std::vector<AcceptedIdFingerprints> unqueued = Write(due, /*return_unqueued=*/true);
    if (unqueued.empty()) continue;
    {
      absl::MutexLock lock(&mu_);
      if (batching_) {  // the producer's queue was full: they go with the next interval
        waiting_.insert(waiting_.begin(), unqueued.begin(), unqueued.end());
        continue;
      }
    }
    Write(unqueued, /*return_unqueued=*/false);  // stopped meanwhile: a last try
    return;
  }
}

std::vector<AcceptedIdFingerprints> LedgerAnnouncer::Write(
    const std::vector<AcceptedIdFingerprints>& ids, bool return_unqueued) {
  std::vector<AcceptedIdFingerprints> unqueued;
  auto first_id = ids.begin();  // of the record being written
  for (const events::v1::AcceptedIds& announced : PackAcceptedIds(writer_, ids)) {
    const auto record_ids = first_id;
    first_id += announced.ids_size();
    kafka::OutgoingRecord record;
    record.topic = topic_;
    record.key = writer_;
    record.headers = {{std::string(kafka::kSchemaHeader), kSchema}};
    record.value = announced.SerializeAsString();
    // Reports may come after the announcer is gone: they use the counters only.
    auto failed = [&failures = failures_, topic = topic_,
                   ids = announced.ids_size()](const absl::Status& status) {
      failures.Increment();
      log::Warning("accepted ids not told to the other replicas",
                   {{"topic", topic},
                    {"ids", static_cast<int64_t>(ids)},
                    {"error", status.ToString()}});
    };
    absl::Status queued = producer_.Produce(
        record, [&written = announced_, failed](absl::StatusOr<kafka::RecordPosition> position) {
          if (position.ok()) {
            written.Increment();
          } else {
            failed(position.status());
          }
        });
    if (return_unqueued && absl::IsResourceExhausted(queued)) {
      unqueued.insert(unqueued.end(), record_ids, first_id);
    } else if (!queued.ok()) {
      failed(queued);
    }
  }
  return unqueued;
}

}  // namespace tiendo::ingest
