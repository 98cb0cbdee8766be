#include "services/metrics-ingest/submission_intake.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/core/civil_date.h"
#include "services/common/core/submission_rules.h"
#include "services/common/kafka/record.h"
#include "services/common/logging/log.h"
#include "services/metrics-ingest/lenient_items.h"

namespace tiendo::ingest {
namespace {

constexpr absl::string_view kSchema = "tiendo.events.v1.AcceptedSubmission";
// A batch's decoded items and the event each is written in share blocks of this size, and so
// do its answers: a few for a batch of 100.
google::protobuf::ArenaOptions ArenaBlocks() {
  constexpr size_t kBlockBytes = 16 * 1024;
  google::protobuf::ArenaOptions options;
  options.start_block_size = kBlockBytes;
  options.max_block_size = kBlockBytes;
  return options;
}

// "not_authorised" for REJECTION_REASON_NOT_AUTHORISED: the metric label.
std::string ReasonLabel(v1::RejectionReason reason) {
  std::string name = v1::RejectionReason_Name(reason);
  constexpr absl::string_view kPrefix = "REJECTION_REASON_";
  if (absl::StartsWith(name, kPrefix)) name = name.substr(kPrefix.size());
  return absl::AsciiStrToLower(name);
}

// Answers an item whose id was accepted before, or, `in_batch`, is written by an earlier
// item of its batch: `verdict` is kDuplicate or kConflict.
void AnswerKnown(LedgerVerdict verdict, v1::SubmissionResult& result, bool in_batch = false) {
  const std::string& id = result.submission_id();
  const absl::string_view known =
      in_batch ? " comes earlier in this batch" : " was accepted before";
  if (verdict == LedgerVerdict::kDuplicate) {
    result.set_outcome(v1::SUBMISSION_OUTCOME_DUPLICATE);
    result.set_message(absl::StrCat("submission ", id, known,
                                    " with the same content; this one changes nothing"));
    return;
  }
  result.set_outcome(v1::SUBMISSION_OUTCOME_REJECTED);
  result.set_reason(v1::REJECTION_REASON_CONFLICT);
  result.set_field("submission_id");
  result.set_message(absl::StrCat("submission ", id, known,
                                  " with other content (indicator, period, disaggregation, "
                                  "figure or kind); a correction needs a new submission id"));
}

// The days the plans tracking an indicator cover, looked up once per indicator and batch.
class HorizonCache {
 public:
  explicit HorizonCache(const registry_view::RegistryView& view) : view_(view) {}

  std::optional<std::pair<absl::CivilDay, absl::CivilDay>> operator()(
      absl::string_view indicator_id) {
    auto found = horizons_.find(indicator_id);
    if (found == horizons_.end()) {
      found = horizons_.emplace(indicator_id, view_.HorizonOf(indicator_id)).first;
    }
    return found->second;
  }

 private:
  const registry_view::RegistryView& view_;
  absl::flat_hash_map<std::string, std::optional<std::pair<absl::CivilDay, absl::CivilDay>>>
      horizons_;
};

}  // namespace

// A write of a batch: the item's ledger claim, and Kafka's word on it, which it passes on to
// its batch.
struct SubmissionIntake::Write final : kafka::DeliveryReceiver {
  Write(Batch& of, size_t at, const SubmissionLedger::Claim& claim, int for_item)
      : batch(of), index(at), key(claim.key), content(claim.content), item(for_item) {}
  void Delivered(absl::StatusOr<kafka::RecordPosition> position) override;

  Batch& batch;
  size_t index;  // in the batch's writes
  Fingerprint key;
  ContentFingerprint content;
  int item = 0;
  bool written = false;  // as Kafka reported it
};

// An item that passed the checks: written unless the ledger knows its id.
struct SubmissionIntake::Candidate {
  int item = 0;                // its index in the batch
  v1::Submission* submission;  // decoded, on Submit's arena
  Fingerprint key;             // of its LedgerKey
  ContentFingerprint content;
};

// A batch being answered. Its results are filled in as Kafka reports each write (on the
// producer's thread) and as the writes of other batches it waits for settle; once all have
// arrived it ends, unless the deadline timer ended it first. Its writes settle their
// reservations in the ledger together (SubmissionIntake::Settle), once Kafka has reported the
// last of them, whenever the batch ended. While it has writes, it holds itself alive until
// the last thing it waits for has arrived.
class SubmissionIntake::Batch {
  google::protobuf::Arena arena_{ArenaBlocks()};
  v1::SubmitBatchResponse* const answer_ =
      google::protobuf::Arena::CreateMessage<v1::SubmitBatchResponse>(&arena_);

 public:
  // Set up by Submit before the first write or wait can arrive; afterwards each slot of
  // `results` has one writer (the report or the settlement for its item), and the whole is
  // read by the last arrival only. On the batch's arena (whose allocations are thread-safe).
  google::protobuf::RepeatedPtrField<v1::SubmissionResult>& results;
  std::vector<SubmissionLedger::Claim> claims;
  std::vector<int> claim_items;  // the item of each claim
  // Items whose id an earlier item of the batch carries (its claim): answered once that
  // claim's verdict is known. Set up before the claims are reserved, ordered by claim.
  struct Repeat {
    int item;
    size_t claim;
    ContentFingerprint content;
  };
  std::vector<Repeat> repeats;
  std::vector<Write> writes;  // not resized once the first is produced
  std::shared_ptr<Batch> self;  // set while writes are in flight

  Batch(SubmissionIntake& intake, BatchCallback finish)
      : results(*answer_->mutable_results()), intake_(intake), finish_(std::move(finish)) {}

  // `count` more things to wait for.
  void Expect(size_t count) { outstanding_.fetch_add(count, std::memory_order_relaxed); }

  // Kafka's report on write `w`.
  void Reported(size_t w, absl::StatusOr<kafka::RecordPosition> position) {
    const Write& write = writes[w];
    if (position.ok()) {
      common::v1::RecordPosition* where = results[write.item].mutable_position();
      where->set_topic(std::move(position->topic));
      where->set_partition(position->partition);
      where->set_offset(position->offset);
    } else {
      Fail(absl::UnavailableError(
          absl::StrCat("kafka did not take every accepted item (", position.status().message(),
                       "); resend the batch with the same submission ids")));
    }
    writes[w].written = position.ok();
    // Written items enter the ledger before the answer goes out, so that a resend that
    // follows the answer is recognised: the last report settles them all together.
    if (writes_reported_.fetch_add(1, std::memory_order_acq_rel) + 1 == writes.size()) {
      intake_.Settle(writes);
    }
    Arrive();
  }

  // The write of another batch that claim `c` waited for has settled with `verdict`.
  void Settled(size_t c, LedgerVerdict verdict) {
    v1::SubmissionResult& result = results[claim_items[c]];
    if (verdict == LedgerVerdict::kNew) {
      Fail(absl::UnavailableError(absl::StrCat(
          "submission ", result.submission_id(),
          " was being written by an overlapping batch, whose write failed; resend the batch "
          "with the same submission ids")));
    } else {
      AnswerKnown(verdict, result);
      AnswerRepeats(c, verdict);
    }
    Arrive();
  }

  // Answers the repeats of claim `c`, whose verdict is `verdict` (not kWaiting): as if each
  // came after it. A claim to be written (kNew) is what they are judged against; otherwise
  // it is what the ledger holds.
  void AnswerRepeats(size_t c, LedgerVerdict verdict) {
    const auto first = std::partition_point(
        repeats.begin(), repeats.end(), [c](const Repeat& repeat) { return repeat.claim < c; });
    for (auto repeat = first; repeat != repeats.end() && repeat->claim == c; ++repeat) {
      const LedgerVerdict judged =
          verdict != LedgerVerdict::kNew ? intake_.ledger_.Check(claims[c].key, repeat->content)
          : repeat->content == claims[c].content ? LedgerVerdict::kDuplicate
                                                 : LedgerVerdict::kConflict;
      AnswerKnown(judged, results[repeat->item], /*in_batch=*/verdict == LedgerVerdict::kNew);
    }
  }

  // One thing waited for has arrived; the last one ends the batch and lets it go. The caller
  // must not touch the batch afterwards.
  void Arrive() {
    if (outstanding_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    const std::shared_ptr<Batch> last_hold = std::move(self);
    absl::StatusOr<v1::SubmitBatchResponse*> outcome;
    {
      absl::MutexLock lock(&mu_);
      if (failure_.ok()) {
        outcome = answer_;
      } else {
        outcome = failure_;
      }
    }
    End(std::move(outcome));
  }

  // Ends the batch with `outcome` unless it has ended already.
  void End(absl::StatusOr<v1::SubmitBatchResponse*> outcome) {
    {
      absl::MutexLock lock(&mu_);
      if (finished_) return;
      finished_ = true;
    }
    finish_(std::move(outcome));
  }

 private:
  void Fail(absl::Status status) {
    absl::MutexLock lock(&mu_);
    if (failure_.ok()) failure_ = std::move(status);
  }

  SubmissionIntake& intake_;
  const BatchCallback finish_;  // runs once, outside the lock
  // Submit holds one until it has started everything.
  std::atomic<size_t> outstanding_{1};
  std::atomic<size_t> writes_reported_{0};
  absl::Mutex mu_;
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

void SubmissionIntake::Write::Delivered(absl::StatusOr<kafka::RecordPosition> position) {
  batch.Reported(index, std::move(position));
}

SubmissionIntake::SubmissionIntake(registry_view::RegistryFollower& registry,
                                   SubmissionLedger& ledger, LedgerAnnouncer& announcer,
                                   kafka::Producer& producer, IntakeOptions options,
                                   metrics::MetricRegistry& metrics)
    : registry_(registry),
      ledger_(ledger),
      announcer_(announcer),
      producer_(producer),
      options_(std::move(options)),
      metrics_(metrics) {}

void SubmissionIntake::Settle(const std::vector<Write>& writes) {
  std::vector<SubmissionLedger::Settlement> settlements;
  settlements.reserve(writes.size());
  std::vector<AcceptedIdFingerprints> written;
  written.reserve(writes.size());
  for (const Write& write : writes) {
    settlements.push_back({write.key, write.written});
    if (write.written) written.emplace_back(write.key, write.content);
  }
  ledger_.Settle(settlements);
  announcer_.Announce(std::move(written));
}

metrics::Counter& SubmissionIntake::CounterFor(bool dry_run, v1::SubmissionOutcome outcome,
                                               v1::RejectionReason reason) {
  metrics::Counter*& counter = counters_[{dry_run, outcome, reason}];
  if (counter == nullptr) {
    std::string name = v1::SubmissionOutcome_Name(outcome);
    name = absl::AsciiStrToLower(name.substr(std::string("SUBMISSION_OUTCOME_").size()));
    metrics::Labels labels = {{"outcome", name}};
    if (outcome == v1::SUBMISSION_OUTCOME_REJECTED) {
      labels.push_back({"reason", ReasonLabel(reason)});
    }
    counter = &metrics_.AddCounter(
        dry_run ? "tiendo_ingest_dry_run_items_total" : "tiendo_ingest_items_total",
        dry_run ? "Items of dry runs by outcome (and reason, for rejections); none was written."
                : "Submitted items by outcome (and reason, for rejections); dry runs aside.",
        labels);
  }
  return *counter;
}

void SubmissionIntake::Count(
    const google::protobuf::RepeatedPtrField<v1::SubmissionResult>& results, bool dry_run) {
  // Few distinct (outcome, reason) pairs per batch: tallied first, one lock for all.
  absl::InlinedVector<std::pair<std::pair<v1::SubmissionOutcome, v1::RejectionReason>, int>, 4>
      tally;
  for (const v1::SubmissionResult& result : results) {
    const std::pair<v1::SubmissionOutcome, v1::RejectionReason> key = {
        result.outcome(), result.outcome() == v1::SUBMISSION_OUTCOME_REJECTED
                              ? result.reason()
                              : v1::REJECTION_REASON_UNSPECIFIED};
    auto found = std::find_if(tally.begin(), tally.end(),
                              [&key](const auto& counted) { return counted.first == key; });
    if (found == tally.end()) {
      tally.push_back({key, 1});
    } else {
      ++found->second;
    }
  }
  absl::MutexLock lock(&counters_mu_);
  for (const auto& [key, count] : tally) {
    CounterFor(dry_run, key.first, key.second).Increment(count);
  }
}

std::optional<SubmissionIntake::Candidate> SubmissionIntake::Decide(
    const Caller& caller, const v1::LenientSubmission& item, const core::SubmissionContext& context,
    google::protobuf::Arena& arena, v1::SubmissionResult& result) const {
  auto reject = [&result](const core::SubmissionRejection& rejection) {
    result.set_outcome(v1::SUBMISSION_OUTCOME_REJECTED);
    result.set_reason(rejection.reason);
    result.set_field(rejection.field);
    result.set_message(rejection.message);
    return std::nullopt;
  };
  v1::Submission& submission = *google::protobuf::Arena::CreateMessage<v1::Submission>(&arena);
  if (std::optional<core::SubmissionRejection> rejection = DecodeItem(item, submission)) {
    return reject(*rejection);
  }
  if (context.sender == nullptr) {
    return reject({v1::REJECTION_REASON_REPORTING_UNIT_INACTIVE, "",
                   absl::StrCat("reporting unit ", caller.reporting_unit_id,
                                " is no longer in the registry")});
  }
  const std::optional<core::SubmissionRejection> rejection =
      core::CheckSubmission(submission, context);
  submission.set_reporting_unit_id(caller.reporting_unit_id);
  if (submission.kind() == v1::SUBMISSION_KIND_UNSPECIFIED) {
    submission.set_kind(v1::SUBMISSION_KIND_REPORT);
  }
  Candidate candidate{
      0, &submission,
      FingerprintOf(LedgerKey(caller.reporting_unit_id, submission.submission_id())),
      FingerprintOf(core::SubmissionContent(submission))};
  // The first write of an id stands: a resend of it is DUPLICATE (the ledger's verdict, and
  // the ledger forgets nothing) even if the registry has changed since (the unit suspended,
  // the indicator taken from it, the plan's horizon moved).
  if (rejection.has_value() &&
      ledger_.Check(candidate.key, candidate.content) != LedgerVerdict::kDuplicate) {
    return reject(*rejection);
  }
  return candidate;
}

void SubmissionIntake::Submit(
    const Caller& caller, const google::protobuf::RepeatedPtrField<v1::LenientSubmission>& items,
    const BatchOrigin& origin, bool dry_run, absl::Time deadline, BatchCallback done) {
  const absl::Time now = options_.clock();
  auto batch = std::make_shared<Batch>(
      *this,
      [this, dry_run, done = std::move(done)](absl::StatusOr<v1::SubmitBatchResponse*> outcome) {
        if (outcome.ok()) Count((*outcome)->results(), dry_run);
        done(std::move(outcome));
      });
  google::protobuf::RepeatedPtrField<v1::SubmissionResult>& results = batch->results;
  results.Reserve(items.size());
  for (int i = 0; i < items.size(); ++i) results.Add();
  // The decoded items live until they are written, at the end of Submit.
  google::protobuf::Arena arena(ArenaBlocks());
  std::vector<Candidate> candidates;
  registry_.Read([&](const registry_view::RegistryView& view) {
    HorizonCache horizons(view);
    core::SubmissionContext context;
    context.sender = view.FindReportingUnit(caller.reporting_unit_id);
    context.find_indicator = [&view](absl::string_view id) { return view.FindIndicator(id); };
    context.administrative_units = &view.administrative_units();
    context.horizon = std::ref(horizons);
    context.today = core::VietnamDay(now);
    for (int i = 0; i < items.size(); ++i) {
      results[i].set_index(i);
      const absl::string_view echoed = EchoedSubmissionId(items[i]);
      results[i].set_submission_id(echoed.data(), echoed.size());
      std::optional<Candidate> candidate =
          Decide(caller, items[i], context, arena, results[i]);
      if (!candidate.has_value()) continue;
      candidate->item = i;
      candidates.push_back(*std::move(candidate));
    }
  });

  // An id the batch carries more than once is claimed by its first item; the others are
  // answered as if they came after it (the caller's unit is the same for all: the
  // fingerprint of the id's LedgerKey stands for the id).
  absl::flat_hash_map<Fingerprint, size_t> claim_of;
  std::vector<Candidate*> claimed;  // the candidate of each claim
  for (Candidate& candidate : candidates) {
    const auto [earlier, inserted] = claim_of.try_emplace(candidate.key, batch->claims.size());
    if (inserted) {
      batch->claims.push_back({candidate.key, candidate.content});
      batch->claim_items.push_back(candidate.item);
      claimed.push_back(&candidate);
    } else {
      batch->repeats.push_back({candidate.item, earlier->second, candidate.content});
    }
  }
  // Each claim finds its repeats together (AnswerRepeats).
  std::stable_sort(
      batch->repeats.begin(), batch->repeats.end(),
      [](const Batch::Repeat& a, const Batch::Repeat& b) { return a.claim < b.claim; });
  std::vector<LedgerVerdict> verdicts;
  if (dry_run) {
    for (const SubmissionLedger::Claim& claim : batch->claims) {
      verdicts.push_back(ledger_.Check(claim.key, claim.content));
    }
  } else {
    // Every claim is waited for until it is answered, before a settlement can arrive.
    batch->Expect(batch->claims.size());
    verdicts = ledger_.Reserve(
        batch->claims, [batch](size_t c, LedgerVerdict verdict) { batch->Settled(c, verdict); });
  }
  std::vector<Candidate*> to_write;
  batch->writes.reserve(verdicts.size());
  bool waiting = false;
  for (size_t c = 0; c < verdicts.size(); ++c) {
    v1::SubmissionResult& result = results[batch->claim_items[c]];
    // The repeats of a claim that waits are answered when it settles (Batch::Settled).
    if (verdicts[c] != LedgerVerdict::kWaiting) batch->AnswerRepeats(c, verdicts[c]);
    switch (verdicts[c]) {
      case LedgerVerdict::kNew:
        result.set_outcome(v1::SUBMISSION_OUTCOME_ACCEPTED);
        if (dry_run) break;
        batch->writes.emplace_back(*batch, batch->writes.size(), batch->claims[c],
                                   batch->claim_items[c]);
        to_write.push_back(claimed[c]);
        break;
      case LedgerVerdict::kWaiting:
        waiting = true;
        break;
      default:
        AnswerKnown(verdicts[c], result);
        if (!dry_run) batch->Arrive();
        break;
    }
  }
  if ((!to_write.empty() || waiting) && deadline != absl::InfiniteFuture()) {
    std::weak_ptr<Batch> waited = batch;
    timer_.At(deadline, [waited] {
      std::shared_ptr<Batch> ended = waited.lock();
      if (ended == nullptr) return;  // answered and gone
      ended->End(absl::UnavailableError(
          "kafka did not acknowledge every accepted item before the call's deadline; "
          "resend the batch with the same submission ids (written items come back "
          "DUPLICATE)"));
    });
  }
  // The writes report to the batch, which must be there for the last of them.
  if (!batch->writes.empty()) batch->self = batch;
  kafka::OutgoingRecord record;
  record.topic = options_.submissions_topic;
  record.headers = {{std::string(kafka::kSchemaHeader), std::string(kSchema)}};
  record.value.emplace();
  // What the batch's events share is set once; each item's submission is lent to the event
  // for its write.
  auto& event = *google::protobuf::Arena::CreateMessage<events::v1::AcceptedSubmission>(&arena);
  event.set_token_id(caller.token_id);
  *event.mutable_accepted_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  event.set_ingest_path(origin.path);
  event.set_ingest_instance(options_.instance);
  if (origin.raw_record.has_value()) *event.mutable_raw_origin() = *origin.raw_record;
  for (size_t w = 0; w < to_write.size(); ++w) {
    v1::Submission* submission = to_write[w]->submission;
    if (origin.raw_record.has_value()) event.set_raw_item_index(to_write[w]->item);
    event.unsafe_arena_set_allocated_submission(submission);
    event.SerializeToString(&*record.value);
    event.unsafe_arena_release_submission();
    record.key = submission->indicator_id();
    if (absl::Status queued = producer_.Produce(record, batch->writes[w]); !queued.ok()) {
      batch->Reported(w, queued);  // counts as a failed write
    }
  }
  batch->Arrive();
}

}  // namespace tiendo::ingest
