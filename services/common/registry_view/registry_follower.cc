#include "services/common/registry_view/registry_follower.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "services/common/kafka/topics.h"
#include "services/common/logging/log.h"
#include "services/common/status/status_macros.h"

namespace tiendo::registry_view {
namespace {

// "enterprise", "public_service", ...: the metric label of a kind.
std::string KindLabel(registry::v1::EntityKind kind) {
  std::string name = registry::v1::EntityKind_Name(kind);
  constexpr absl::string_view kPrefix = "ENTITY_KIND_";
  if (absl::StartsWith(name, kPrefix)) name.erase(0, kPrefix.size());
  return absl::AsciiStrToLower(name);
}

}  // namespace

absl::StatusOr<std::unique_ptr<RegistryFollower>> RegistryFollower::Start(
    const kafka::KafkaOptions& options, const std::string& client_id,
    metrics::MetricRegistry& metrics, ChangeCallback on_change) {
  std::unique_ptr<RegistryFollower> follower(
      new RegistryFollower(RegisterMetrics(metrics), std::move(on_change)));
  ASSIGN_OR_RETURN(
      follower->topic_follower_,
      kafka::TopicFollower::Start(
          options, kafka::TopicName(options, kafka::Topic::kRegistry), client_id,
          [raw = follower.get()](absl::Span<const kafka::ConsumedRecord> records) {
            raw->Handle(records);
          },
          metrics, "tiendo_registry_view"));
  return follower;
}

RegistryFollower::RegistryFollower(Metrics metrics, ChangeCallback on_change)
    : metrics_(std::move(metrics)), on_change_(std::move(on_change)) {}

RegistryFollower::~RegistryFollower() { Stop(); }

RegistryFollower::Metrics RegistryFollower::RegisterMetrics(metrics::MetricRegistry& registry) {
  Metrics metrics;
  metrics.applied = &registry.AddCounter("tiendo_registry_view_records_applied_total",
                                         "Registry records that changed the in-memory view.");
  metrics.skipped = &registry.AddCounter(
      "tiendo_registry_view_records_skipped_total",
      "Registry records that changed nothing: an entity version not newer than the one held, "
      "or a tombstone for an entity already gone.");
  metrics.undecodable = &registry.AddCounter(
      "tiendo_registry_view_records_undecodable_total",
      "Registry records skipped because they do not decode (logged with their position).");
  for (int kind = registry::v1::EntityKind_MIN; kind <= registry::v1::EntityKind_MAX; ++kind) {
    if (!registry::v1::EntityKind_IsValid(kind) ||
        kind == registry::v1::ENTITY_KIND_UNSPECIFIED) {
      continue;
    }
    const auto entity_kind = static_cast<registry::v1::EntityKind>(kind);
    metrics.entities[entity_kind] =
        &registry.AddGauge("tiendo_registry_view_entities", "Registry entities held, by kind.",
                           {{"kind", KindLabel(entity_kind)}});
  }
  return metrics;
}

bool RegistryFollower::caught_up() const {
  return topic_follower_ != nullptr && topic_follower_->caught_up();
}

bool RegistryFollower::WaitCaughtUp(absl::Duration timeout) const {
  return topic_follower_ != nullptr && topic_follower_->WaitCaughtUp(timeout);
}

void RegistryFollower::Stop() {
  if (topic_follower_ != nullptr) topic_follower_->Stop();
}

void RegistryFollower::Handle(absl::Span<const kafka::ConsumedRecord> records) {
  std::vector<RegistryChange> changes = ApplyBatch(records);
  if (!changes.empty() && on_change_) on_change_(changes);
}

std::vector<RegistryChange> RegistryFollower::ApplyBatch(
    absl::Span<const kafka::ConsumedRecord> records) {
  std::vector<RegistryChange> changes;
  absl::MutexLock lock(&view_mu_);
  for (const kafka::ConsumedRecord& record : records) {
    absl::StatusOr<RegistryChange> change = view_.Apply(record);
    if (!change.ok()) {
      metrics_.undecodable->Increment();
      log::Warning("registry record skipped", {{"error", change.status().ToString()}});
      continue;
    }
    if (!change->applied) {
      metrics_.skipped->Increment();
      continue;
    }
    metrics_.applied->Increment();
    changes.push_back(*std::move(change));
  }
  for (const auto& [kind, gauge] : metrics_.entities) {
    gauge->Set(static_cast<double>(view_.Count(kind)));
  }
  return changes;
}

}  // namespace tiendo::registry_view
