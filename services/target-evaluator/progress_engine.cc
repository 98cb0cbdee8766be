#include "services/target-evaluator/progress_engine.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/core/civil_date.h"
#include "services/common/core/progress_report.h"
#include "services/common/kafka/key_partition.h"
#include "services/common/logging/log.h"
#include "services/common/status/field_violations.h"
#include "services/common/status/status_macros.h"
#include "services/target-evaluator/completeness.h"
#include "tiendo/events/v1/progress_event.pb.h"

namespace tiendo::evaluator {
namespace {

using google::protobuf::util::TimeUtil;
using registry::v1::EntityKind;

constexpr absl::string_view kProgressSchema = "tiendo.events.v1.ProgressEvent";
// A snapshot's metadata: its settings line (this, then the number of partitions of the
// submissions topic, which decides what each replica holds), a newline, then the report
// receipts (ReportReceipts::Encode). Snapshots of version 1 had no receipts: they are not
// restored, and the log is replayed from the beginning.
constexpr absl::string_view kSnapshotSettingsPrefix =
    "tiendo-target-evaluator snapshot 2; submission partitions ";
// At most this many inputs are listed in a cause (ProgressCause).
constexpr int kMaxCauseRefs = 100;
// At most this many submission records wait for their indicator (ProgressEngine::
// held_submissions_), for at most this long; beyond, they are skipped. An indicator lags
// behind ingest's view of the registry by moments: the bounds are for a registry that never
// sends one.
constexpr size_t kMaxHeldSubmissions = 100000;
constexpr absl::Duration kMaxHoldTime = absl::Minutes(10);

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

// The progress without what changes by itself (as-of date) or only describes a publication
// (version, change time, cause): two progresses with the same outcome compare equal.
evaluator::v1::Progress Outcome(evaluator::v1::Progress progress) {
  progress.clear_as_of();
  progress.clear_version();
  progress.clear_last_changed_at();
  progress.clear_cause();
  return progress;
}

bool SameOutcome(const evaluator::v1::Progress& a, const evaluator::v1::Progress& b) {
  return google::protobuf::util::MessageDifferencer::Equals(Outcome(a), Outcome(b));
}

// Registry kinds in the order they are loaded: what others refer to first.
constexpr EntityKind kLoadOrder[] = {
    registry::v1::ENTITY_KIND_ADMINISTRATIVE_UNIT, registry::v1::ENTITY_KIND_INDICATOR,
    registry::v1::ENTITY_KIND_TARGET, registry::v1::ENTITY_KIND_ENTERPRISE,
    registry::v1::ENTITY_KIND_PUBLIC_SERVICE};

int LoadRank(EntityKind kind) {
  const auto* found = std::find(std::begin(kLoadOrder), std::end(kLoadOrder), kind);
  return static_cast<int>(found - std::begin(kLoadOrder));
}

// Adds `change` to a cause.
std::function<void(evaluator::v1::ProgressCause&)> EntityRef(
    const registry_view::RegistryChange& change) {
  return [&change](evaluator::v1::ProgressCause& cause) {
    evaluator::v1::RegistryEntityRef* ref = cause.add_registry_entities();
    ref->set_entity_kind(change.kind);
    ref->set_entity_key(change.key);
    ref->set_entity_version(change.version);
  };
}

}  // namespace

ProgressEngine::ProgressEngine(EngineOptions options, kafka::Producer& producer,
                               const ProgressReadModel& read_model,
                               metrics::MetricRegistry& metrics)
    : options_(std::move(options)),
      producer_(producer),
      read_model_(read_model),
      records_counter_(metrics.AddCounter(
          "tiendo_evaluator_submission_records_total",
          "Records of tiendo.submissions.v1 read (applied, duplicate or skipped), replays "
          "included.")),
      published_counter_(metrics.AddCounter("tiendo_evaluator_progress_published_total",
                                            "Progress events published.")),
      unchanged_counter_(metrics.AddCounter(
          "tiendo_evaluator_progress_unchanged_total",
          "Re-assessments that changed neither value nor status (nothing published).")),
      skipped_submissions_(metrics.AddCounter(
          "tiendo_evaluator_submissions_skipped_total",
          "Submission records not applied (logged with their position): undecodable, or for "
          "an indicator that takes no submissions, once held for it (beyond 100000 held "
          "records, or after 10 minutes, or when a version of it came that still takes "
          "none).")),
      held_submissions_gauge_(metrics.AddGauge(
          "tiendo_evaluator_submissions_held",
          "Submission records for an indicator this replica does not hold as reported, "
          "waiting for a version of it through tiendo.registry.v1 (ingest accepted them "
          "against a registry view ahead of this one's).")),
      failed_publications_(metrics.AddCounter(
          "tiendo_evaluator_progress_publish_failures_total",
          "Progress events Kafka did not take (the target is published again on its next "
          "change).")),
      live_partitions_(metrics.AddGauge(
          "tiendo_evaluator_partitions_live",
          "Partitions of tiendo.submissions.v1 this replica holds and publishes for.")),
      catching_up_partitions_(metrics.AddGauge(
          "tiendo_evaluator_partitions_catching_up",
          "Partitions of tiendo.submissions.v1 this replica was given and is still reading up "
          "to where they stood when given (from a snapshot's offsets or from the beginning).")),
      assessed_day_(core::VietnamDay(options_.clock())) {}

void ProgressEngine::CountPartitions() {
  live_partitions_.Set(static_cast<double>(live_.size()));
  catching_up_partitions_.Set(static_cast<double>(next_offsets_.size() - live_.size()));
}

int32_t ProgressEngine::PartitionOf(absl::string_view indicator_id) const {
  return kafka::KeyPartition(indicator_id, options_.submission_partitions);
}

bool ProgressEngine::Live(const registry::v1::Target& target) const {
  return live_.contains(PartitionOf(target.indicator_id()));
}

absl::CivilDay ProgressEngine::Today() const { return core::VietnamDay(options_.clock()); }

bool ProgressEngine::registry_loaded() const {
  absl::MutexLock lock(&mu_);
  return registry_loaded_;
}

// --- Registry ------------------------------------------------------------------------------

void ProgressEngine::LoadRegistry(const registry_view::RegistryView& view) {
  absl::MutexLock lock(&mu_);
  auto report = [](const absl::Status& status, absl::string_view what) {
    if (!status.ok()) {
      log::Warning("registry entity not applied", {{"entity", what},
                                                   {"error", status.ToString()}});
    }
  };
  view.ForEachAdministrativeUnit([&](const registry::v1::AdministrativeUnit& unit) {
    report(tracker_.UpsertAdministrativeUnit(unit).status(), unit.code());
  });
  // Entities a snapshot restored are counted again under units newer than the snapshot's.
  (void)tracker_.RecountIfUnitsMoved();
  view.ForEachIndicator([&](const registry::v1::Indicator& indicator) {
    report(tracker_.UpsertIndicator(indicator).status(), indicator.id());
  });
  view.ForEachTarget([&](const registry::v1::Target& target) { UpsertTarget(target); });
  view.ForEachEnterprise([&](const registry::v1::Enterprise& enterprise) {
    report(tracker_.UpsertEnterprise(enterprise).status(), enterprise.tax_code());
  });
  view.ForEachPublicService([&](const registry::v1::PublicService& service) {
    report(tracker_.UpsertPublicService(service).status(), service.id());
  });
  registry_loaded_ = true;
  log::Info("registry loaded into the evaluator",
            {{"targets", static_cast<int64_t>(targets_.size())}});
}

void ProgressEngine::UpsertTarget(const registry::v1::Target& target) {
  if (tracker_.FindIndicator(target.indicator_id()) == nullptr) {
    held_targets_[target.id()] = target;
    return;
  }
  held_targets_.erase(target.id());
  absl::StatusOr<core::UpsertOutcome> outcome = tracker_.UpsertTarget(target);
  if (!outcome.ok()) {
    log::Warning("target not applied", {{"target", target.id()},
                                        {"error", outcome.status().ToString()}});
    return;
  }
  if (std::optional<uint32_t> number = tracker_.FindTarget(target.id())) {
    targets_[target.id()] = *number;
  }
}

void ProgressEngine::RetryHeldTargets() {
  std::vector<registry::v1::Target> held;
  for (const auto& [id, target] : held_targets_) held.push_back(target);
  for (const registry::v1::Target& target : held) UpsertTarget(target);
}

void ProgressEngine::ApplyRegistryChanges(
    const std::vector<registry_view::RegistryChange>& changes,
    const registry_view::RegistryView& view) {
  absl::MutexLock lock(&mu_);
  if (!registry_loaded_) return;
  std::vector<const registry_view::RegistryChange*> ordered;
  for (const registry_view::RegistryChange& change : changes) {
    if (change.applied && LoadRank(change.kind) < static_cast<int>(std::size(kLoadOrder))) {
      ordered.push_back(&change);
    }
  }
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    return LoadRank(a->kind) < LoadRank(b->kind);
  });
  for (const registry_view::RegistryChange* change : ordered) ApplyChange(*change, view);
  // Entities counted before their units came (from another partition of the registry topic),
  // or under units that moved, are counted again: once for the batch.
  const std::vector<uint32_t> recounted = tracker_.RecountIfUnitsMoved();
  const auto unit = std::find_if(ordered.begin(), ordered.end(), [](const auto* change) {
    return change->kind == registry::v1::ENTITY_KIND_ADMINISTRATIVE_UNIT;
  });
  if (unit != ordered.end()) {
    for (uint32_t target : recounted) {
      Touch(target, evaluator::v1::CAUSE_KIND_REGISTRY_CHANGE, options_.clock(),
            EntityRef(**unit));
    }
  }
  Flush();
}

void ProgressEngine::ApplyChange(const registry_view::RegistryChange& change,
                                 const registry_view::RegistryView& view) {
  if (change.deleted) {
    if (change.kind == registry::v1::ENTITY_KIND_TARGET) {
      RemoveTarget(change.key, &change);
      return;
    }
    // Other entities are dissolved or closed by a new version rather than deleted.
    log::Warning("registry deletion not applied by the evaluator",
                 {{"kind", registry::v1::EntityKind_Name(change.kind)}, {"key", change.key}});
    return;
  }
  absl::StatusOr<core::ProgressTracker::EntityApplied> entity;
  switch (change.kind) {
    case registry::v1::ENTITY_KIND_ADMINISTRATIVE_UNIT:
      if (const auto* unit = view.FindAdministrativeUnit(change.key)) {
        if (absl::Status applied = tracker_.UpsertAdministrativeUnit(*unit).status();
            !applied.ok()) {
          log::Warning("administrative unit not applied", {{"unit", change.key},
                                                          {"error", applied.ToString()}});
        }
      }
      return;
    case registry::v1::ENTITY_KIND_INDICATOR:
      if (const auto* indicator = view.FindIndicator(change.key)) {
        if (absl::Status applied = tracker_.UpsertIndicator(*indicator).status(); !applied.ok()) {
          log::Warning("indicator not applied", {{"indicator", change.key},
                                                 {"error", applied.ToString()}});
        }
        RetryHeldTargets();
        ApplyHeldSubmissions(change.key);
        TouchIndicator(change.key, change);
      }
      return;
    case registry::v1::ENTITY_KIND_TARGET:
      if (const auto* target = view.FindTarget(change.key)) {
        UpsertTarget(*target);
        if (targets_.contains(change.key)) TouchIndicator(target->indicator_id(), change);
      }
      return;
    case registry::v1::ENTITY_KIND_ENTERPRISE:
      if (const auto* enterprise = view.FindEnterprise(change.key)) {
        entity = tracker_.UpsertEnterprise(*enterprise);
      }
      break;
    case registry::v1::ENTITY_KIND_PUBLIC_SERVICE:
      if (const auto* service = view.FindPublicService(change.key)) {
        entity = tracker_.UpsertPublicService(*service);
      }
      break;
    default:
      return;
  }
  if (!entity.ok()) {
    log::Warning("registry entity not applied", {{"key", change.key},
                                                 {"error", entity.status().ToString()}});
    return;
  }
  for (uint32_t target : entity->affected_targets) {
    Touch(target, evaluator::v1::CAUSE_KIND_REGISTRY_CHANGE, options_.clock(),
          EntityRef(change));
  }
}

void ProgressEngine::TouchIndicator(absl::string_view indicator_id,
                                    const registry_view::RegistryChange& change) {
  for (const auto& [id, number] : targets_) {
    if (tracker_.target(number).indicator_id() != indicator_id) continue;
    Touch(number, evaluator::v1::CAUSE_KIND_REGISTRY_CHANGE, options_.clock(),
          EntityRef(change));
  }
}

// --- Submissions ----------------------------------------------------------------------------

int64_t ProgressEngine::Take(int32_t partition) {
  absl::MutexLock lock(&mu_);
  auto parked = parked_.find(partition);
  const int64_t from = parked == parked_.end() ? 0 : parked->second;
  if (parked != parked_.end()) parked_.erase(parked);
  next_offsets_[partition] = from;
  CountPartitions();
  return from;
}

std::map<int32_t, int64_t> ProgressEngine::NextOffsets() const {
  absl::MutexLock lock(&mu_);
  return next_offsets_;
}

void ProgressEngine::ApplySubmissions(const SubmissionBatch& batch) {
  absl::MutexLock lock(&mu_);
  ApplyEntries(batch, /*may_hold=*/true);
  records_counter_.Increment(static_cast<double>(batch.size()));
  Flush();
}

void ProgressEngine::ApplyEntries(const SubmissionBatch& batch, bool may_hold) {
  // Decoded first, then applied together: the tracker refreshes each series once a batch.
  decoded_.clear();
  decoded_from_.clear();
  for (const SubmissionBatch::Entry& entry : batch.entries()) {
    if (std::optional<core::CellSubmission> submission = DecodeSubmission(entry, may_hold)) {
      decoded_.push_back(*submission);
      decoded_from_.push_back(&entry);
    }
  }
  tracker_.ApplyAll(decoded_, [&](size_t i, const core::ProgressTracker::Applied& applied) {
    RecordApplied(*decoded_from_[i], applied);
  });
}

std::optional<core::CellSubmission> ProgressEngine::DecodeSubmission(
    const SubmissionBatch::Entry& entry, bool may_hold) {
  const kafka::RecordPosition& position = entry.position;
  auto next = next_offsets_.find(position.partition);
  // Read before the group took the partition away (a batch polled across the revocation):
  // its cells went with the partition, and its next owner applies it.
  if (next == next_offsets_.end()) return std::nullopt;
  next->second = std::max(next->second, position.offset + 1);  // a held record comes again
  if (!entry.parsed) {
    skipped_submissions_.Increment();
    log::Warning("submission record skipped: not an AcceptedSubmission",
                 {{"partition", position.partition}, {"offset", position.offset}});
    return std::nullopt;
  }
  const core::SubmissionFields& submission = entry.event.submission;
  if (may_hold && tracker_.Series(submission.indicator_id) == nullptr &&
      HoldSubmission(entry)) {
    return std::nullopt;
  }
  absl::StatusOr<core::CellSubmission> decoded =
      tracker_.Decode(submission, submission.reporting_unit_id, position.offset);
  if (!decoded.ok()) {
    skipped_submissions_.Increment();
    log::Warning("submission record skipped",
                 {{"partition", position.partition}, {"offset", position.offset},
                  {"error", decoded.status().ToString()}});
    return std::nullopt;
  }
  return *decoded;
}

bool ProgressEngine::HoldSubmission(const SubmissionBatch::Entry& entry) {
  if (held_submission_count_ >= kMaxHeldSubmissions) return false;
  const absl::string_view indicator_id = entry.event.submission.indicator_id;
  HeldSubmissions& held = held_submissions_[indicator_id];
  if (held.records.empty()) {
    // Real time, not the domain clock: a --clock-file moved on for a preview must not
    // expire them, nor a fixed one keep them for ever.
    held.since = absl::Now();
    log::Info("submissions held until their indicator comes through the registry as reported",
              {{"indicator", indicator_id},
               {"partition", entry.position.partition},
               {"offset", entry.position.offset}});
  }
  held.records.push_back(*entry.record);
  ++held_submission_count_;
  held_submissions_gauge_.Set(static_cast<double>(held_submission_count_));
  return true;
}

void ProgressEngine::ApplyHeldSubmissions(absl::string_view indicator_id) {
  auto found = held_submissions_.find(indicator_id);
  if (found == held_submissions_.end()) return;
  const std::vector<kafka::ConsumedRecord> records = std::move(found->second.records);
  held_submissions_.erase(found);
  held_submission_count_ -= records.size();
  held_submissions_gauge_.Set(static_cast<double>(held_submission_count_));
  SubmissionBatch batch;
  batch.Parse(records);
  ApplyEntries(batch, /*may_hold=*/false);
}

void ProgressEngine::ExpireHeldSubmissions() {
  const absl::Time now = absl::Now();
  std::vector<std::string> expired;
  for (const auto& [indicator_id, held] : held_submissions_) {
    if (now - held.since >= kMaxHoldTime) expired.push_back(indicator_id);
  }
  for (const std::string& indicator_id : expired) {
    log::Warning("held submissions skipped: their indicator did not come through the registry "
                 "as reported",
                 {{"indicator", indicator_id},
                  {"records", static_cast<int64_t>(
                                  held_submissions_[indicator_id].records.size())}});
    ApplyHeldSubmissions(indicator_id);
  }
}

void ProgressEngine::RecordApplied(const SubmissionBatch::Entry& entry,
                                   const core::ProgressTracker::Applied& applied) {
  if (!applied.change.changed()) return;
  const core::SubmissionFields& submission = entry.event.submission;
  const kafka::RecordPosition& position = entry.position;
  const absl::Time accepted_at = entry.event.accepted_at();
  receipts_.Record(submission.reporting_unit_id, submission.indicator_id, submission.period,
                   accepted_at, applied.change);
  for (uint32_t target : applied.affected_targets) {
    Touch(target, evaluator::v1::CAUSE_KIND_SUBMISSION, accepted_at,
          [&](evaluator::v1::ProgressCause& cause) {
            evaluator::v1::SubmissionRef* ref = cause.add_submissions();
            ref->set_submission_id(std::string(submission.submission_id));
            ref->set_reporting_unit_id(std::string(submission.reporting_unit_id));
            ref->set_period(std::string(submission.period));
            ref->mutable_position()->set_topic(position.topic);
            ref->mutable_position()->set_partition(position.partition);
            ref->mutable_position()->set_offset(position.offset);
          });
  }
}

void ProgressEngine::GoLive(int32_t partition) {
  absl::MutexLock lock(&mu_);
  live_.insert(partition);
  CountPartitions();
  for (const auto& [id, number] : targets_) {
    const registry::v1::Target& target = tracker_.target(number);
    if (PartitionOf(target.indicator_id()) != partition) continue;
    touched_.try_emplace(number);  // compared with what the topic holds, at least
  }
  // Targets the topic holds and the registry no longer has: removed while no replica held
  // the partition live.
  for (const evaluator::v1::Progress& progress :
       read_model_.List([&](const evaluator::v1::Progress& held) {
         return PartitionOf(held.indicator_id()) == partition &&
                !targets_.contains(held.target_id()) && !held_targets_.contains(held.target_id());
       })) {
    RemoveTarget(progress.target_id(), nullptr);
  }
  Flush();
}

void ProgressEngine::Drop(int32_t partition) {
  absl::MutexLock lock(&mu_);
  DropLocked(partition);
}

void ProgressEngine::DropParked() {
  absl::MutexLock lock(&mu_);
  while (!parked_.empty()) DropLocked(parked_.begin()->first);
}

void ProgressEngine::DropLocked(int32_t partition) {
  live_.erase(partition);
  next_offsets_.erase(partition);
  parked_.erase(partition);
  CountPartitions();
  // Its cells go: if the partition comes back, it is replayed from its start.
  auto in_partition = [&](absl::string_view indicator_id) {
    return PartitionOf(indicator_id) == partition;
  };
  const size_t dropped = tracker_.DropSubmissions(in_partition);
  for (auto held = held_submissions_.begin(); held != held_submissions_.end();) {
    if (held->second.records.front().position.partition != partition) {
      ++held;
      continue;
    }
    held_submission_count_ -= held->second.records.size();
    held_submissions_.erase(held++);
  }
  held_submissions_gauge_.Set(static_cast<double>(held_submission_count_));
  receipts_.Drop(in_partition);
  log::Info("submissions partition dropped", {{"partition", partition},
                                               {"cells", static_cast<int64_t>(dropped)}});
  for (const auto& [id, number] : targets_) {
    if (PartitionOf(tracker_.target(number).indicator_id()) != partition) continue;
    published_.erase(number);
    touched_.erase(number);
  }
}

void ProgressEngine::Tick() {
  absl::MutexLock lock(&mu_);
  if (!held_submissions_.empty()) {
    ExpireHeldSubmissions();
    Flush();
  }
  const absl::CivilDay today = Today();
  if (today == assessed_day_) return;
  assessed_day_ = today;
  for (const auto& [id, number] : targets_) {
    Touch(number, evaluator::v1::CAUSE_KIND_CLOCK, options_.clock(), nullptr);
  }
  Flush();
}

// --- Publication ----------------------------------------------------------------------------

void ProgressEngine::Touch(uint32_t target, evaluator::v1::CauseKind kind, absl::Time at,
                           const std::function<void(evaluator::v1::ProgressCause&)>& add_ref) {
  PendingCause& pending = touched_[target];
  evaluator::v1::ProgressCause& cause = pending.cause;
  if (cause.kind() != kind) {  // the latest kind of input wins; its references replace others
    cause.Clear();
    cause.set_kind(kind);
  }
  if (add_ref != nullptr) {
    if (cause.submissions_size() + cause.registry_entities_size() < kMaxCauseRefs) {
      add_ref(cause);
    } else {
      cause.set_omitted_count(cause.omitted_count() + 1);
    }
  }
  pending.changed_at = std::max(pending.changed_at, at);
}

void ProgressEngine::Flush() {
  std::vector<std::pair<uint32_t, PendingCause>> ready;
  for (auto it = touched_.begin(); it != touched_.end();) {
    const registry::v1::Target& definition = tracker_.target(it->first);
    if (!targets_.contains(definition.id())) {  // removed: nothing more is published for it
      touched_.erase(it++);
    } else if (Live(definition)) {
      ready.emplace_back(it->first, std::move(it->second));
      touched_.erase(it++);
    } else {
      ++it;  // kept, with its cause, until the partition goes live
    }
  }
  std::sort(ready.begin(), ready.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [target, pending] : ready) PublishIfChanged(target, pending);
}

void ProgressEngine::RemoveTarget(const std::string& target_id,
                                  const registry_view::RegistryChange* change) {
  held_targets_.erase(target_id);
  std::optional<evaluator::v1::Progress> last;
  if (auto found = targets_.find(target_id); found != targets_.end()) {
    const uint32_t number = found->second;
    targets_.erase(found);
    touched_.erase(number);
    const bool live = live_.contains(PartitionOf(tracker_.target(number).indicator_id()));
    if (auto published = published_.find(number); published != published_.end()) {
      last = std::move(published->second);
      published_.erase(published);
    }
    if (!live) return;  // the replica that takes the partition live removes it
  }
  if (!last.has_value()) last = read_model_.Find(target_id);
  if (!last.has_value()) return;  // never published: nothing to take back
  // The final version: the last progress, marked removed. It stays the key's last record, no
  // tombstone after it: compaction keeps it, and with it the version a returning target
  // continues from, for replicas that start later (the topic never forgets the target's id).
  events::v1::ProgressEvent event;
  evaluator::v1::Progress& progress = *event.mutable_progress();
  progress = *std::move(last);
  progress.set_version(progress.version() + 1);
  *progress.mutable_last_changed_at() = ToTimestamp(options_.clock());
  progress.mutable_cause()->Clear();
  progress.mutable_cause()->set_kind(evaluator::v1::CAUSE_KIND_REGISTRY_CHANGE);
  if (change != nullptr) EntityRef(*change)(*progress.mutable_cause());
  event.set_target_removed(true);
  *event.mutable_published_at() = ToTimestamp(options_.clock());
  event.set_evaluator_instance(options_.instance);
  kafka::OutgoingRecord record = ProgressRecord(target_id);
  record.value = event.SerializeAsString();
  absl::Status queued = producer_.Produce(
      record, [this, target_id](absl::StatusOr<kafka::RecordPosition> written) {
        if (!written.ok()) PublicationFailed(target_id, written.status());
      });
  if (!queued.ok()) PublicationFailed(target_id, queued);
  published_counter_.Increment();
  log::Info("target removed", {{"target", target_id}, {"version", progress.version()}});
}

kafka::OutgoingRecord ProgressEngine::ProgressRecord(const std::string& target_id) const {
  kafka::OutgoingRecord record;
  record.topic = options_.progress_topic;
  record.key = target_id;
  record.headers.push_back({std::string(kafka::kSchemaHeader), std::string(kProgressSchema)});
  return record;
}

void ProgressEngine::PublicationFailed(const std::string& target_id, const absl::Status& error) {
  failed_publications_.Increment();
  log::Error("progress event not published", {{"target", target_id},
                                              {"error", error.ToString()}});
}

void ProgressEngine::PublishIfChanged(uint32_t target, const PendingCause& pending) {
  evaluator::v1::Progress progress = core::DescribeProgress(tracker_, target, assessed_day_);
  // Carried on from what the topic holds when it is newer than what this replica published
  // last, or this replica published nothing yet: another replica may have published since
  // (the target's indicator was on a partition it held, e.g. a target moved to another
  // indicator and back).
  auto last = published_.find(target);
  if (last == published_.end() ||
      read_model_.LastVersion(progress.target_id()) > last->second.version()) {
    if (std::optional<evaluator::v1::Progress> known = read_model_.Find(progress.target_id());
        known.has_value() &&
        (last == published_.end() || known->version() > last->second.version())) {
      last = published_.insert_or_assign(target, *std::move(known)).first;
    }
  }
  if (last != published_.end() && SameOutcome(last->second, progress)) {
    unchanged_counter_.Increment();
    return;
  }
  // A target removed and added again continues after its removal's version.
  progress.set_version((last == published_.end() ? read_model_.LastVersion(progress.target_id())
                                                 : last->second.version()) +
                       1);
  const absl::Time changed_at =
      pending.changed_at == absl::InfinitePast() ? options_.clock() : pending.changed_at;
  *progress.mutable_last_changed_at() = ToTimestamp(changed_at);
  *progress.mutable_cause() = pending.cause;
  if (progress.cause().kind() == evaluator::v1::CAUSE_KIND_UNSPECIFIED) {
    // Published when the partition went live, with nothing new touching it: the state its
    // inputs gave (the registry's for a derived indicator) differs from what the topic held.
    const registry::v1::Indicator* indicator = tracker_.FindIndicator(progress.indicator_id());
    progress.mutable_cause()->set_kind(indicator != nullptr && indicator->has_derived()
                                           ? evaluator::v1::CAUSE_KIND_REGISTRY_CHANGE
                                           : evaluator::v1::CAUSE_KIND_SUBMISSION);
  }
  events::v1::ProgressEvent event;
  *event.mutable_progress() = progress;
  *event.mutable_published_at() = ToTimestamp(options_.clock());
  event.set_evaluator_instance(options_.instance);
  kafka::OutgoingRecord record = ProgressRecord(progress.target_id());
  record.value = event.SerializeAsString();
  const std::string target_id = progress.target_id();
  const int64_t version = progress.version();
  published_[target] = std::move(progress);
  published_counter_.Increment();
  // A version Kafka did not take is forgotten, so the next one follows what the topic holds;
  // unless a later one was published since (it may be on the topic, and its number taken).
  absl::Status queued = producer_.Produce(
      record, [this, target, target_id, version](absl::StatusOr<kafka::RecordPosition> written) {
        if (written.ok()) return;
        PublicationFailed(target_id, written.status());
        absl::MutexLock lock(&mu_);
        if (auto held = published_.find(target);
            held != published_.end() && held->second.version() == version) {
          published_.erase(held);
        }
        touched_.try_emplace(target);
      });
  if (!queued.ok()) {
    PublicationFailed(target_id, queued);
    published_.erase(target);
  }
}

// --- Snapshots ------------------------------------------------------------------------------

std::string ProgressEngine::SnapshotSettings() const {
  return absl::StrCat(kSnapshotSettingsPrefix, options_.submission_partitions);
}

EncodedSnapshot ProgressEngine::Snapshot() const {
  absl::MutexLock lock(&mu_);
  EncodedSnapshot snapshot;
  std::map<int32_t, int64_t>& offsets = snapshot.offsets[options_.submissions_topic];
  offsets = next_offsets_;
  offsets.insert(parked_.begin(), parked_.end());
  for (const auto& [indicator_id, held] : held_submissions_) {
    const kafka::RecordPosition& first = held.records.front().position;
    if (auto resume = offsets.find(first.partition); resume != offsets.end()) {
      resume->second = std::min(resume->second, first.offset);
    }
  }
  snapshot.bytes = core::EncodeTrackerSnapshot(
      tracker_, snapshot.offsets, absl::StrCat(SnapshotSettings(), "\n", receipts_.Encode()));
  return snapshot;
}

absl::StatusOr<size_t> ProgressEngine::Restore(core::TrackerSnapshot snapshot) {
  const absl::string_view metadata = snapshot.metadata;
  const size_t settings_end = std::min(metadata.find('\n'), metadata.size());
  const absl::string_view settings = metadata.substr(0, settings_end);
  if (settings != SnapshotSettings()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the snapshot was made under other settings (\"", settings,
        "\"; this replica has \"", SnapshotSettings(),
        "\"): the partitions of the submissions topic, and so what each replica holds, "
        "changed"));
  }
  std::map<int32_t, int64_t> offsets;
  for (auto& [topic, partitions] : snapshot.offsets) {
    if (topic != options_.submissions_topic) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the snapshot covers topic ", topic, "; this replica reads ",
          options_.submissions_topic));
    }
    offsets = partitions;
  }
  ASSIGN_OR_RETURN(ReportReceipts receipts,
                   ReportReceipts::Decode(metadata.substr(std::min(settings_end + 1,
                                                                   metadata.size())),
                                          "the snapshot's metadata"));
  absl::MutexLock lock(&mu_);
  tracker_ = std::move(*snapshot.tracker);
  receipts_ = std::move(receipts);
  targets_.clear();
  held_targets_.clear();
  held_submissions_.clear();
  held_submission_count_ = 0;
  held_submissions_gauge_.Set(0);
  parked_ = std::move(offsets);
  return parked_.size();
}

absl::StatusOr<evaluator::v1::Progress> ProgressEngine::ProgressAt(absl::string_view target_id,
                                                                   absl::CivilDay as_of) const {
  absl::MutexLock lock(&mu_);
  auto found = targets_.find(target_id);
  if (found == targets_.end()) {
    return absl::NotFoundError(absl::StrCat("no target has the id \"", target_id, "\""));
  }
  const registry::v1::Target& target = tracker_.target(found->second);
  if (!Live(target)) {
    return absl::UnavailableError(absl::StrCat(
        "target ", target_id, " is evaluated by the replica holding partition ",
        PartitionOf(target.indicator_id()),
        " of the submissions topic, not this one (or it is still catching up); retry"));
  }
  return core::DescribeProgress(tracker_, found->second, as_of);
}

absl::StatusOr<ProgressEngine::CellRecords> ProgressEngine::CellHistory(
    const evaluator::v1::GetCellHistoryRequest& request) const {
  absl::StatusOr<core::Period> period = core::Period::Parse(request.period());
  if (!period.ok()) {
    return status::InvalidArgumentWithViolations(
        {status::Violation("period", "format", std::string(period.status().message()))});
  }
  absl::MutexLock lock(&mu_);
  if (tracker_.Series(request.indicator_id()) == nullptr) {
    return absl::NotFoundError(absl::StrCat("no reported indicator has the id \"",
                                            request.indicator_id(), "\""));
  }
  CellRecords records;
  records.partition = PartitionOf(request.indicator_id());
  if (!live_.contains(records.partition)) {
    return absl::UnavailableError(absl::StrCat(
        "the cells of indicator ", request.indicator_id(),
        " are held by the replica holding partition ", records.partition,
        " of the submissions topic, not this one (or it is still catching up); retry"));
  }
  records.applied =
      tracker_.CellHistory(request.reporting_unit_id(), request.indicator_id(), *period,
                           core::CanonicalDisaggregation(request.disaggregation()));
  return records;
}

absl::StatusOr<evaluator::v1::GetCompletenessResponse> ProgressEngine::Completeness(
    const registry_view::RegistryView& registry,
    const evaluator::v1::GetCompletenessRequest& request) const {
  absl::MutexLock lock(&mu_);
  return evaluator::Completeness(registry, receipts_, request, Today(),
                                 [&](absl::string_view indicator_id) {
                                   return live_.contains(PartitionOf(indicator_id));
                                 });
}

}  // namespace tiendo::evaluator
