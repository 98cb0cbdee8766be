// LedgerAnnouncer: tells the other ingest replicas the ids this one had written and Kafka
// acknowledged, on tiendo.submissions.ledger.v1: AcceptedIds records keyed by the ledger's
// writer, so that every follower skips its own without decoding them.
//
// The ids handed over within one interval go out together, in as few records as hold them
// (kMaxIdsPerRecord): under load a replica writes a few large records a second rather than one
// per batch, which every replica's follower, and the broker serving it, would otherwise fetch
// one by one. A resend to another replica is recognised that much later (the interval, plus
// the follower's fetch wait). An interval of zero writes each hand-over at once.
//
// A record the producer's queue has no room for goes with the next interval. One Kafka does
// not take is counted and logged, not retried: the other replicas learn its ids when they
// restart (they read tiendo.submissions.v1 at start-up).
//
// Thread-safe. Kafka's reports on its records reach only metric counters, so it need not
// outlive the producer's last report; it must be stopped before the producer's last flush.
#pragma once

#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/kafka/producer.h"
#include "services/common/metrics/metric_registry.h"
#include "services/metrics-ingest/accepted_ids.h"

namespace tiendo::ingest {

class LedgerAnnouncer {
 public:
  LedgerAnnouncer(kafka::Producer& producer, std::string topic, std::string writer,
                  absl::Duration interval, metrics::MetricRegistry& metrics);
  ~LedgerAnnouncer();  // Stop()
  LedgerAnnouncer(const LedgerAnnouncer&) = delete;
  LedgerAnnouncer& operator=(const LedgerAnnouncer&) = delete;

  // Announces `ids` with the others of their interval; at once if the interval is zero or the
  // announcer was stopped.
  void Announce(std::vector<AcceptedIdFingerprints> ids);

  // Writes the ids waiting for their interval, and from then on each hand-over at once.
  void Stop();

 private:
  // Writes each interval's ids once it has passed, until Stop.
  void Run();
  // Writes `ids`. Records the producer's queue has no room for are given back (their ids)
  // if `return_unqueued`, else counted and logged as failures, as are those Kafka refuses.
  std::vector<AcceptedIdFingerprints> Write(const std::vector<AcceptedIdFingerprints>& ids,
                                            bool return_unqueued);

  kafka::Producer& producer_;
  const std::string topic_;
  const std::string writer_;
  const absl::Duration interval_;
  metrics::Counter& announced_;
  metrics::Counter& failures_;
  absl::Mutex mu_;
  std::vector<AcceptedIdFingerprints> waiting_ ABSL_GUARDED_BY(mu_);
  // Whether ids wait for their interval: until Stop, for an interval above zero.
  bool batching_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;  // none for an interval of zero
};

}  // namespace tiendo::ingest
