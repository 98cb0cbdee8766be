#include "services/metrics-ingest/submission_intake.h"

#include <memory>
#include <utility>
#include <variant>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/core/civil_date.h"
#include "services/common/core/submission_rules.h"
#include "services/common/kafka/record.h"
#include "services/metrics-ingest/lenient_items.h"

namespace tiendo::ingest {
namespace {

constexpr absl::string_view kSchema = "tiendo.events.v1.AcceptedSubmission";

// "not_authorised" for REJECTION_REASON_NOT_AUTHORISED: the metric label.
std::string ReasonLabel(v1::RejectionReason reason) {
  std::string name = v1::RejectionReason_Name(reason);
  constexpr absl::string_view kPrefix = "REJECTION_REASON_";
  if (absl::StartsWith(name, kPrefix)) name = name.substr(kPrefix.size());
  return absl::AsciiStrToLower(name);
}

// A batch whose accepted items are being written: filled in by delivery reports (on the
// producer's thread) and, if the deadline passes first, by the deadline timer.
struct PendingBatch {
  absl::Mutex mu;
  std::vector<v1::SubmissionResult> results ABSL_GUARDED_BY(mu);
  size_t outstanding ABSL_GUARDED_BY(mu) = 0;
  absl::Status failure ABSL_GUARDED_BY(mu);
  bool finished ABSL_GUARDED_BY(mu) = false;
  // Runs once, outside the lock, with the batch's outcome.
  std::function<void(absl::StatusOr<std::vector<v1::SubmissionResult>>)> finish;

  // Ends the batch with `outcome` unless it has ended already.
  void End(absl::StatusOr<std::vector<v1::SubmissionResult>> outcome) {
    {
      absl::MutexLock lock(&mu);
      if (finished) return;
      finished = true;
    }
    finish(std::move(outcome));
  }
};

}  // namespace

struct SubmissionIntake::Decision {
  v1::SubmissionResult result;
  std::optional<events::v1::AcceptedSubmission> event;  // a new item to write
  ContentFingerprint content;
};

SubmissionIntake::SubmissionIntake(registry_view::RegistryFollower& registry,
                                   SubmissionLedger& ledger, kafka::Producer& producer,
                                   IntakeOptions options, metrics::MetricRegistry& metrics)
    : registry_(registry),
      ledger_(ledger),
      producer_(producer),
      options_(std::move(options)),
      metrics_(metrics) {}

void SubmissionIntake::Count(const v1::SubmissionResult& result) {
  std::string outcome = v1::SubmissionOutcome_Name(result.outcome());
  outcome = absl::AsciiStrToLower(outcome.substr(std::string("SUBMISSION_OUTCOME_").size()));
  const std::string reason =
      result.outcome() == v1::SUBMISSION_OUTCOME_REJECTED ? ReasonLabel(result.reason()) : "";
  const std::string key = absl::StrCat(outcome, "/", reason);
  metrics::Counter* counter;
  {
    absl::MutexLock lock(&counters_mu_);
    metrics::Counter*& slot = counters_[key];
    if (slot == nullptr) {
      metrics::Labels labels = {{"outcome", outcome}};
      if (!reason.empty()) labels.push_back({"reason", reason});
      slot = &metrics_.AddCounter("tiendo_ingest_items_total",
                                  "Submitted items by outcome (and reason, for rejections).",
                                  labels);
    }
    counter = slot;
  }
  counter->Increment();
}

SubmissionIntake::Decision SubmissionIntake::Decide(
    const Caller& caller, int index, const v1::LenientSubmission& item,
    const registry_view::RegistryView& view, absl::Time now,
    absl::flat_hash_map<std::string, ContentFingerprint>& seen) {
  Decision decision;
  v1::SubmissionResult& result = decision.result;
  result.set_index(index);
  result.set_submission_id(EchoedSubmissionId(item));
  auto reject = [&](const core::SubmissionRejection& rejection) {
    result.set_outcome(v1::SUBMISSION_OUTCOME_REJECTED);
    result.set_reason(rejection.reason);
    result.set_field(rejection.field);
    result.set_message(rejection.message);
    return std::move(decision);
  };
  std::variant<v1::Submission, core::SubmissionRejection> decoded = DecodeItem(item);
  if (auto* rejection = std::get_if<core::SubmissionRejection>(&decoded)) {
    return reject(*rejection);
  }
  v1::Submission& submission = std::get<v1::Submission>(decoded);
  const registry::v1::ReportingUnit* sender = view.FindReportingUnit(caller.reporting_unit_id);
  if (sender == nullptr) {
    return reject({v1::REJECTION_REASON_REPORTING_UNIT_INACTIVE, "",
                   absl::StrCat("reporting unit ", caller.reporting_unit_id,
                                " is no longer in the registry")});
  }
  core::SubmissionContext context;
  context.sender = sender;
  context.find_indicator = [&view](absl::string_view id) { return view.FindIndicator(id); };
  context.administrative_units = &view.administrative_units();
  context.horizon = [&view](absl::string_view id) { return view.HorizonOf(id); };
  context.today = core::VietnamDay(now);
  if (std::optional<core::SubmissionRejection> rejection =
          core::CheckSubmission(submission, context)) {
    return reject(*rejection);
  }
  submission.set_reporting_unit_id(caller.reporting_unit_id);
  if (submission.kind() == v1::SUBMISSION_KIND_UNSPECIFIED) {
    submission.set_kind(v1::SUBMISSION_KIND_REPORT);
  }
  decision.content = FingerprintOf(core::SubmissionContent(submission));
  const std::string key = absl::StrCat(caller.reporting_unit_id, "/", submission.submission_id());
  LedgerVerdict verdict;
  if (auto earlier = seen.find(key); earlier != seen.end()) {
    verdict = earlier->second == decision.content ? LedgerVerdict::kDuplicate
                                                  : LedgerVerdict::kConflict;
  } else {
    verdict = ledger_.Check(caller.reporting_unit_id, submission.submission_id(),
                            decision.content);
  }
  if (verdict == LedgerVerdict::kDuplicate) {
    result.set_outcome(v1::SUBMISSION_OUTCOME_DUPLICATE);
    result.set_message(absl::StrCat("submission ", submission.submission_id(),
                                    " was accepted before with the same content; nothing "
                                    "changed"));
    return decision;
  }
  if (verdict == LedgerVerdict::kConflict) {
    return reject({v1::REJECTION_REASON_CONFLICT, "submission_id",
                   absl::StrCat("submission ", submission.submission_id(),
                                " was accepted before with other content (indicator, period, "
                                "disaggregation, figure or kind); a correction needs a new "
                                "submission id")});
  }
  seen.emplace(key, decision.content);
  result.set_outcome(v1::SUBMISSION_OUTCOME_ACCEPTED);
  events::v1::AcceptedSubmission& event = decision.event.emplace();
  *event.mutable_submission() = std::move(submission);
  event.set_token_id(caller.token_id);
  *event.mutable_accepted_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  event.set_ingest_instance(options_.instance);
  return decision;
}

void SubmissionIntake::Submit(
    const Caller& caller, const google::protobuf::RepeatedPtrField<v1::LenientSubmission>& items,
    const BatchOrigin& origin, bool dry_run, absl::Time deadline, BatchCallback done) {
  const absl::Time now = options_.clock();
  std::vector<Decision> decisions;
  decisions.reserve(items.size());
  registry_.Read([&](const registry_view::RegistryView& view) {
    absl::flat_hash_map<std::string, ContentFingerprint> seen;
    for (int i = 0; i < items.size(); ++i) {
      decisions.push_back(Decide(caller, i, items[i], view, now, seen));
    }
  });
  std::vector<size_t> writes;
  for (size_t i = 0; i < decisions.size(); ++i) {
    if (decisions[i].event.has_value() && !dry_run) writes.push_back(i);
  }
  auto pending = std::make_shared<PendingBatch>();
  {
    absl::MutexLock lock(&pending->mu);
    for (Decision& decision : decisions) pending->results.push_back(decision.result);
    pending->outstanding = writes.size();
  }
  // Written items enter the ledger before the answer goes out, so that a resend that
  // follows the answer is recognised.
  auto accepted = std::make_shared<std::vector<std::tuple<std::string, ContentFingerprint>>>();
  for (size_t i : writes) {
    accepted->emplace_back(decisions[i].event->submission().submission_id(),
                           decisions[i].content);
  }
  pending->finish = [this, caller, accepted, done = std::move(done)](
                        absl::StatusOr<std::vector<v1::SubmissionResult>> outcome) {
    if (outcome.ok()) {
      for (const auto& [id, content] : *accepted) {
        ledger_.Record(caller.reporting_unit_id, id, content);
      }
      for (const v1::SubmissionResult& result : *outcome) Count(result);
    }
    done(std::move(outcome));
  };
  if (writes.empty()) {
    std::vector<v1::SubmissionResult> results;
    {
      absl::MutexLock lock(&pending->mu);
      results = pending->results;
    }
    pending->End(std::move(results));
    return;
  }
  if (deadline != absl::InfiniteFuture()) {
    std::weak_ptr<PendingBatch> waiting = pending;
    timer_.At(deadline, [waiting] {
      std::shared_ptr<PendingBatch> batch = waiting.lock();
      if (batch == nullptr) return;  // ended and gone
      batch->End(absl::UnavailableError(
          "kafka did not acknowledge every accepted item before the call's deadline; "
          "resend the batch with the same submission ids (written items come back "
          "DUPLICATE)"));
    });
  }
  for (size_t i : writes) {
    Decision& decision = decisions[i];
    if (origin.raw_record.has_value()) {
      *decision.event->mutable_raw_origin() = *origin.raw_record;
      decision.event->set_raw_item_index(static_cast<int32_t>(i));
    }
    decision.event->set_ingest_path(origin.path);
    kafka::OutgoingRecord record;
    record.topic = options_.submissions_topic;
    record.key = decision.event->submission().indicator_id();
    record.value = decision.event->SerializeAsString();
    record.headers.push_back({std::string(kafka::kSchemaHeader), std::string(kSchema)});
    auto delivered = [pending, i](absl::StatusOr<kafka::RecordPosition> position) {
      bool last;
      {
        absl::MutexLock lock(&pending->mu);
        if (position.ok()) {
          common::v1::RecordPosition* where = pending->results[i].mutable_position();
          where->set_topic(position->topic);
          where->set_partition(position->partition);
          where->set_offset(position->offset);
        } else if (pending->failure.ok()) {
          pending->failure = position.status();
        }
        last = --pending->outstanding == 0;
      }
      if (!last) return;
      absl::StatusOr<std::vector<v1::SubmissionResult>> outcome;
      {
        absl::MutexLock lock(&pending->mu);
        if (pending->failure.ok()) {
          outcome = pending->results;
        } else {
          outcome = absl::UnavailableError(absl::StrCat(
              "kafka did not take every accepted item (", pending->failure.message(),
              "); resend the batch with the same submission ids"));
        }
      }
      pending->End(std::move(outcome));
    };
    if (absl::Status queued = producer_.Produce(record, delivered); !queued.ok()) {
      delivered(queued);  // counts as a failed write
    }
  }
}

}  // namespace tiendo::ingest
