// SubmissionIntake: what happens to a batch of items from an authenticated reporting unit,
// whichever way it came (gRPC or the raw topic). Each item is decoded, checked by the core's
// submission rules against the registry view, and looked up in the ledger: REJECTED with a
// reason, DUPLICATE, or new (an item the rules refuse today is still DUPLICATE if the ledger
// holds its id with the same content: the first write stands). New items (unless it is a
// dry run) are reserved in the ledger, written to tiendo.submissions.v1, keyed by indicator,
// and are ACCEPTED only once Kafka acknowledged them; then the ledger learns them, and so do
// the other replicas (through the LedgerAnnouncer, not waited for). An item whose id another
// batch is writing waits for that write: then it is DUPLICATE or REJECTED (CONFLICT) as if it came
// after it, or, if that write failed, its own batch fails UNAVAILABLE so that it is resent.
// An id a batch carries more than once is claimed by its first item; each later one is
// answered as if it came after that item: DUPLICATE or REJECTED (CONFLICT) against what the
// first wrote, or against what was accepted before if the first was refused.
//
// Thread-safe; answers come through a callback so that no caller blocks on Kafka. Kafka's
// reports reach the intake, so it must outlive the producer's last delivery report, and so
// must the announcer.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "services/common/core/submission_rules.h"
#include "services/common/kafka/producer.h"
#include "services/common/metrics/metric_registry.h"
#include "services/common/registry_view/registry_follower.h"
#include "services/metrics-ingest/deadline_timer.h"
#include "services/metrics-ingest/ledger_announcer.h"
#include "services/metrics-ingest/submission_ledger.h"
#include "services/metrics-ingest/token_authenticator.h"
#include "tiendo/events/v1/submission_event.pb.h"
#include "tiendo/ingest/v1/ingest.pb.h"
#include "tiendo/ingest/v1/lenient_submission.pb.h"
#include "tiendo/ingest/v1/submission_result.pb.h"

namespace tiendo::ingest {

struct IntakeOptions {
  // Full names, with any prefix.
  std::string submissions_topic;
  std::string instance;  // recorded on each accepted event, e.g. host:pid
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

// Where a batch came from, recorded on its accepted events.
struct BatchOrigin {
  events::v1::IngestPath path = events::v1::INGEST_PATH_GRPC;
  std::optional<events::v1::SourceRecord> raw_record;  // for the raw topic
};

// A batch's answer: a response whose `results` hold one result per item, in item order (the
// rest of it is the caller's to fill in). It lives on the batch's arena, so that the results
// cost no allocations of their own, and only until the callback returns.
using BatchCallback = std::function<void(absl::StatusOr<v1::SubmitBatchResponse*>)>;

class SubmissionIntake {
 public:
  SubmissionIntake(registry_view::RegistryFollower& registry, SubmissionLedger& ledger,
                   LedgerAnnouncer& announcer, kafka::Producer& producer, IntakeOptions options,
                   metrics::MetricRegistry& metrics);

  // Decides every item and calls `done` exactly once: with the results, after Kafka
  // acknowledged every accepted item; or UNAVAILABLE if a write failed or `deadline` passed
  // first (some items may then have been written: a resend answers them DUPLICATE). May
  // call `done` before returning (nothing to write, or a dry run).
  void Submit(const Caller& caller,
              const google::protobuf::RepeatedPtrField<v1::LenientSubmission>& items,
              const BatchOrigin& origin, bool dry_run, absl::Time deadline, BatchCallback done);

 private:
  struct Candidate;
  class Batch;
  // The checks of one item: REJECTED in `result`, or a candidate to write. The context's
  // sender is nullptr when the caller's unit is no longer in the registry.
  std::optional<Candidate> Decide(const Caller& caller, const v1::LenientSubmission& item,
                                  const core::SubmissionContext& context,
                                  google::protobuf::Arena& arena,
                                  v1::SubmissionResult& result) const;
  struct Write;
  // Settles a batch's writes in the ledger, once Kafka reported them all, and tells the other
  // replicas of those written.
  void Settle(const std::vector<Write>& writes);
  // Counts a batch's answered items, by outcome and reason; those of a dry run apart.
  void Count(const google::protobuf::RepeatedPtrField<v1::SubmissionResult>& results,
             bool dry_run);
  metrics::Counter& CounterFor(bool dry_run, v1::SubmissionOutcome outcome,
                               v1::RejectionReason reason)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(counters_mu_);

  registry_view::RegistryFollower& registry_;
  SubmissionLedger& ledger_;
  LedgerAnnouncer& announcer_;
  kafka::Producer& producer_;
  const IntakeOptions options_;
  metrics::MetricRegistry& metrics_;
  DeadlineTimer timer_;
  absl::Mutex counters_mu_;
  absl::flat_hash_map<std::tuple<bool, int, int>, metrics::Counter*> counters_
      ABSL_GUARDED_BY(counters_mu_);
};

}  // namespace tiendo::ingest
