#include "services/registry/entity_kinds.h"

#include "services/common/core/enterprise_rules.h"
#include "services/common/core/public_service_rules.h"
#include "services/common/core/reporting_unit_rules.h"
#include "tiendo/registry/v1/enterprise.pb.h"
#include "tiendo/registry/v1/public_service.pb.h"
#include "tiendo/registry/v1/reporting_unit.pb.h"

namespace tiendo::registry {
namespace {

using google::protobuf::Message;

template <typename Entity>
const Entity& As(const Message& message) {
  return static_cast<const Entity&>(message);
}

template <typename Entity>
Entity& As(Message& message) {
  return *static_cast<Entity*>(&message);
}

class Enterprises final : public EntityRules {
 public:
  v1::EntityKind kind() const override { return v1::ENTITY_KIND_ENTERPRISE; }
  std::string key_field() const override { return "tax_code"; }
  std::string noun() const override { return "enterprise"; }
  std::unique_ptr<Message> New() const override { return std::make_unique<v1::Enterprise>(); }
  std::string KeyOf(const Message& entity) const override {
    return As<v1::Enterprise>(entity).tax_code();
  }
  void Normalize(Message& entity) const override {
    core::NormalizeEnterprise(As<v1::Enterprise>(entity));
  }
  std::vector<core::Problem> Validate(const Message& entity, const Message* stored,
                                      RegistryLookups& lookups) const override {
    return core::ValidateEnterprise(
        As<v1::Enterprise>(entity), lookups.administrative_units(),
        stored == nullptr ? nullptr : &As<v1::Enterprise>(*stored), lookups.today());
  }
  std::vector<std::string> ImmutablePaths() const override {
    return {"tax_code", "dissolution_date"};
  }
  std::vector<core::Problem> CheckUpdate(const Message& stored,
                                         const Message& updated) const override {
    const auto& before = As<v1::Enterprise>(stored);
    const auto& after = As<v1::Enterprise>(updated);
    const bool dissolves = after.status() == v1::ENTERPRISE_STATUS_DISSOLVED &&
                           before.status() != v1::ENTERPRISE_STATUS_DISSOLVED;
    const bool revives = before.status() == v1::ENTERPRISE_STATUS_DISSOLVED &&
                         after.status() != v1::ENTERPRISE_STATUS_DISSOLVED;
    if (!dissolves && !revives) return {};
    core::Problem problem;
    problem.path = "status";
    problem.rule = "immutable";
    problem.message = dissolves
                          ? "status DISSOLVED is set only by DissolveEnterprise, which also "
                            "records the dissolution date"
                          : "a dissolved enterprise cannot be made active again; register it "
                            "anew if it was dissolved by mistake";
    return {problem};
  }
};

class PublicServices final : public EntityRules {
 public:
  v1::EntityKind kind() const override { return v1::ENTITY_KIND_PUBLIC_SERVICE; }
  std::string key_field() const override { return "id"; }
  std::string noun() const override { return "public service"; }
  std::unique_ptr<Message> New() const override {
    return std::make_unique<v1::PublicService>();
  }
  std::string KeyOf(const Message& entity) const override {
    return As<v1::PublicService>(entity).id();
  }
  void Normalize(Message& entity) const override {
    core::NormalizePublicService(As<v1::PublicService>(entity));
  }
  std::vector<core::Problem> Validate(const Message& entity, const Message* stored,
                                      RegistryLookups& lookups) const override {
    return core::ValidatePublicService(
        As<v1::PublicService>(entity), lookups.administrative_units(),
        [&lookups](absl::string_view id) { return lookups.FindReportingUnit(id) != nullptr; },
        stored == nullptr ? nullptr : &As<v1::PublicService>(*stored), lookups.today());
  }
  std::vector<std::string> ImmutablePaths() const override {
    return {"id", "procedure_code", "administrative_unit_code"};
  }
};

class ReportingUnits final : public EntityRules {
 public:
  v1::EntityKind kind() const override { return v1::ENTITY_KIND_REPORTING_UNIT; }
  std::string key_field() const override { return "id"; }
  std::string noun() const override { return "reporting unit"; }
  std::unique_ptr<Message> New() const override {
    return std::make_unique<v1::ReportingUnit>();
  }
  std::string KeyOf(const Message& entity) const override {
    return As<v1::ReportingUnit>(entity).id();
  }
  void Normalize(Message& entity) const override {
    core::NormalizeReportingUnit(As<v1::ReportingUnit>(entity));
  }
  std::vector<core::Problem> Validate(const Message& entity, const Message*,
                                      RegistryLookups& lookups) const override {
    return core::ValidateReportingUnit(
        As<v1::ReportingUnit>(entity), lookups.administrative_units(),
        [&lookups](absl::string_view id) { return lookups.FindIndicator(id); },
        [&lookups](absl::string_view id) { return lookups.FindReportingUnit(id); });
  }
  std::vector<std::string> ImmutablePaths() const override { return {"id"}; }
};

}  // namespace

const EntityRules& EnterpriseRules() {
  static const auto* rules = new Enterprises();
  return *rules;
}

const EntityRules& PublicServiceRules() {
  static const auto* rules = new PublicServices();
  return *rules;
}

const EntityRules& ReportingUnitRules() {
  static const auto* rules = new ReportingUnits();
  return *rules;
}

}  // namespace tiendo::registry
