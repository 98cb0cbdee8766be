// OutboxRelay: publishes the registry's outbox to tiendo.registry.v1, in commit order, and
// deletes outbox records only after Kafka acknowledged them (idempotent producer, acks=all).
//
// One thread reads a batch of records after the last one relayed, produces them all, waits
// for every delivery report, then deletes the acknowledged prefix of the batch. After a
// failure it backs off and re-reads from the first unacknowledged record, so a record may be
// published twice (after a crash too) but never lost; consumers apply registry events by
// entity version, which makes a repeat harmless. Each event gets its outbox sequence as it
// leaves.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/common/kafka/producer.h"
#include "services/common/metrics/metric_registry.h"
#include "services/registry/store/registry_store.h"

namespace tiendo::registry {

struct RelayOptions {
  std::string topic;           // the registry topic's full name
  int batch_records = 5000;    // records read and produced per round
  absl::Duration idle_wait = absl::Seconds(1);  // re-check interval with nothing to do
  absl::Duration retry_backoff = absl::Seconds(1);
};

class OutboxRelay {
 public:
  OutboxRelay(RegistryStore& store, kafka::Producer& producer, RelayOptions options,
              metrics::MetricRegistry& metrics);
  ~OutboxRelay();
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  void Start();
  // Stops after the round in flight (whose unacknowledged records stay in the outbox).
  void Stop();

  // Outbox sequence of the last record known to be on Kafka (0 before the first).
  int64_t relayed_through() const { return relayed_through_.load(); }

 private:
  void Run();
  // Produces `records` and waits for their reports; returns how many, from the front, were
  // acknowledged.
  size_t Publish(const std::vector<OutboxRecord>& records);

  RegistryStore& store_;
  kafka::Producer& producer_;
  const RelayOptions options_;
  metrics::Counter& published_;
  metrics::Counter& failures_;
  std::atomic<int64_t> relayed_through_{0};
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace tiendo::registry
