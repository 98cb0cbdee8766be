// Unit tests of RegistryView: records of the registry topic applied by entity version, with
// deletions, tombstones, re-reads, the targets-by-indicator index, plan horizons and the
// administrative-unit index.

#include "services/common/registry_view/registry_view.h"

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo::registry_view {
namespace {

using events::v1::RegistryEvent;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The log under test: one partition, offsets handed out in order.
class RegistryLog {
 public:
  kafka::ConsumedRecord Event(const std::string& key, const RegistryEvent& event) {
    return Record(key, event.SerializeAsString());
  }
  kafka::ConsumedRecord Tombstone(const std::string& key) { return Record(key, std::nullopt); }
  kafka::ConsumedRecord Record(std::optional<std::string> key,
                               std::optional<std::string> value) {
    kafka::ConsumedRecord record;
    record.position = {"tiendo.registry.v1", 0, next_offset_++};
    record.key = std::move(key);
    record.value = std::move(value);
    return record;
  }

 private:
  int64_t next_offset_ = 0;
};

// An event about `kind` `key` at `version`, without its entity.
RegistryEvent EventAbout(registry::v1::EntityKind kind, const std::string& key, int64_t version) {
  RegistryEvent event;
  event.set_entity_kind(kind);
  event.set_entity_key(key);
  event.set_entity_version(version);
  return event;
}

RegistryEvent Enterprise(const std::string& tax_code, int64_t version, const std::string& name) {
  RegistryEvent event = EventAbout(registry::v1::ENTITY_KIND_ENTERPRISE, tax_code, version);
  event.mutable_enterprise()->set_tax_code(tax_code);
  event.mutable_enterprise()->set_name_vi(name);
  event.mutable_enterprise()->set_version(version);
  return event;
}

RegistryEvent Deletion(registry::v1::EntityKind kind, const std::string& key, int64_t version) {
  RegistryEvent event = EventAbout(kind, key, version);
  event.set_deleted(true);
  return event;
}

RegistryEvent Target(const std::string& id, const std::string& plan_id,
                     const std::string& indicator_id, int64_t version,
                     const std::string& baseline_date, const std::string& deadline) {
  RegistryEvent event = EventAbout(registry::v1::ENTITY_KIND_TARGET, id, version);
  registry::v1::Target& target = *event.mutable_target();
  target.set_id(id);
  target.set_plan_id(plan_id);
  target.set_indicator_id(indicator_id);
  if (!baseline_date.empty()) target.mutable_baseline()->set_date(baseline_date);
  target.add_milestones()->set_deadline(deadline);
  target.set_version(version);
  return event;
}

RegistryEvent Plan(const std::string& id, const std::string& issue_date,
                   const std::string& horizon_start, const std::string& horizon_end) {
  RegistryEvent event = EventAbout(registry::v1::ENTITY_KIND_PLAN, id, 1);
  registry::v1::Plan& plan = *event.mutable_plan();
  plan.set_id(id);
  plan.set_issue_date(issue_date);
  plan.set_horizon_start(horizon_start);
  plan.set_horizon_end(horizon_end);
  plan.set_version(1);
  return event;
}

RegistryEvent AdministrativeUnit(const std::string& code, int64_t version,
                                 const std::string& parent, const std::string& valid_to,
                                 const std::vector<std::string>& successors) {
  RegistryEvent event = EventAbout(registry::v1::ENTITY_KIND_ADMINISTRATIVE_UNIT, code, version);
  registry::v1::AdministrativeUnit& unit = *event.mutable_administrative_unit();
  unit.set_code(code);
  unit.set_name_vi(absl::StrCat("Đơn vị ", code));
  unit.set_parent_code(parent);
  unit.set_valid_to(valid_to);
  for (const std::string& successor : successors) unit.add_successor_codes(successor);
  unit.set_version(version);
  return event;
}

std::vector<std::string> TargetIds(const std::vector<const registry::v1::Target*>& targets) {
  std::vector<std::string> ids;
  for (const registry::v1::Target* target : targets) ids.push_back(target->id());
  return ids;
}

class RegistryViewTest : public ::testing::Test {
 protected:
  RegistryChange MustApply(const kafka::ConsumedRecord& record) {
    absl::StatusOr<RegistryChange> change = view_.Apply(record);
    EXPECT_TRUE(change.ok()) << change.status();
    return change.ok() ? *change : RegistryChange{};
  }

  RegistryLog log_;
  RegistryView view_;
};

TEST_F(RegistryViewTest, AppliesNewerVersionsAndIgnoresOlderOnes) {
  RegistryChange created =
      MustApply(log_.Event("enterprise/0100233488", Enterprise("0100233488", 1, "Công ty A")));
  EXPECT_TRUE(created.applied);
  EXPECT_EQ(created.kind, registry::v1::ENTITY_KIND_ENTERPRISE);
  EXPECT_EQ(created.key, "0100233488");
  EXPECT_EQ(created.version, 1);
  EXPECT_FALSE(created.deleted);

  EXPECT_TRUE(
      MustApply(log_.Event("enterprise/0100233488", Enterprise("0100233488", 3, "Công ty C")))
          .applied);
  RegistryChange older =
      MustApply(log_.Event("enterprise/0100233488", Enterprise("0100233488", 2, "Công ty B")));
  EXPECT_FALSE(older.applied);
  RegistryChange again =
      MustApply(log_.Event("enterprise/0100233488", Enterprise("0100233488", 3, "Công ty X")));
  EXPECT_FALSE(again.applied);

  const registry::v1::Enterprise* enterprise = view_.FindEnterprise("0100233488");
  ASSERT_NE(enterprise, nullptr);
  EXPECT_EQ(enterprise->name_vi(), "Công ty C");
  EXPECT_EQ(view_.Count(registry::v1::ENTITY_KIND_ENTERPRISE), 1u);
  EXPECT_EQ(view_.FindEnterprise("0100233489"), nullptr);
}

TEST_F(RegistryViewTest, DeletionAndTombstoneRemoveTheEntityAndOlderVersionsDoNotResurrectIt) {
  const kafka::ConsumedRecord v1 =
      log_.Event("enterprise/0100233488", Enterprise("0100233488", 1, "Công ty A"));
  MustApply(v1);
  RegistryChange deleted = MustApply(log_.Event(
      "enterprise/0100233488", Deletion(registry::v1::ENTITY_KIND_ENTERPRISE, "0100233488", 2)));
  EXPECT_TRUE(deleted.applied);
  EXPECT_TRUE(deleted.deleted);
  EXPECT_EQ(deleted.version, 2);
  EXPECT_EQ(view_.FindEnterprise("0100233488"), nullptr);

  RegistryChange tombstone = MustApply(log_.Tombstone("enterprise/0100233488"));
  EXPECT_FALSE(tombstone.applied) << "the deletion event already removed it";
  EXPECT_TRUE(tombstone.deleted);

  EXPECT_FALSE(MustApply(v1).applied);
  EXPECT_EQ(view_.FindEnterprise("0100233488"), nullptr);
  EXPECT_EQ(view_.Count(registry::v1::ENTITY_KIND_ENTERPRISE), 0u);

  // Re-created: the registry continues the version count.
  EXPECT_TRUE(
      MustApply(log_.Event("enterprise/0100233488", Enterprise("0100233488", 3, "Công ty A2")))
          .applied);
  ASSERT_NE(view_.FindEnterprise("0100233488"), nullptr);
  EXPECT_EQ(view_.FindEnterprise("0100233488")->name_vi(), "Công ty A2");
}

TEST_F(RegistryViewTest, TombstoneAloneDeletesWhatEarlierRecordsBrought) {
  MustApply(log_.Event("reporting_token/k3v7q2mx9adf4hzp", [] {
    RegistryEvent event =
        EventAbout(registry::v1::ENTITY_KIND_REPORTING_TOKEN, "k3v7q2mx9adf4hzp", 1);
    event.mutable_reporting_token()->mutable_token()->set_token_id("k3v7q2mx9adf4hzp");
    event.mutable_reporting_token()->set_secret_sha256(std::string(32, '\x01'));
    return event;
  }()));
  ASSERT_NE(view_.FindToken("k3v7q2mx9adf4hzp"), nullptr);
  EXPECT_EQ(view_.FindToken("k3v7q2mx9adf4hzp")->secret_sha256(), std::string(32, '\x01'));

  RegistryChange tombstone = MustApply(log_.Tombstone("reporting_token/k3v7q2mx9adf4hzp"));
  EXPECT_TRUE(tombstone.applied);
  EXPECT_EQ(tombstone.kind, registry::v1::ENTITY_KIND_REPORTING_TOKEN);
  EXPECT_EQ(tombstone.version, 1);
  EXPECT_EQ(view_.FindToken("k3v7q2mx9adf4hzp"), nullptr);
}

TEST_F(RegistryViewTest, ReadingTheLogAgainLeavesARecreatedEntityAlone) {
  std::vector<kafka::ConsumedRecord> log = {
      log_.Event("enterprise/0100233488", Enterprise("0100233488", 1, "Công ty A")),
      log_.Event("enterprise/0100233488",
                 Deletion(registry::v1::ENTITY_KIND_ENTERPRISE, "0100233488", 2)),
      log_.Tombstone("enterprise/0100233488"),
      log_.Event("enterprise/0100233488", Enterprise("0100233488", 3, "Công ty A2")),
  };
  for (const kafka::ConsumedRecord& record : log) MustApply(record);
  for (const kafka::ConsumedRecord& record : log) {
    EXPECT_FALSE(MustApply(record).applied) << "offset " << record.position.offset;
  }
  ASSERT_NE(view_.FindEnterprise("0100233488"), nullptr);
  EXPECT_EQ(view_.FindEnterprise("0100233488")->version(), 3);
}

TEST_F(RegistryViewTest, ADeletionSentAgainAfterTheEntityWasRecreatedLeavesItAlone) {
  // The relay sends again what followed a record Kafka refused (or what a crash left in the
  // outbox): the deletion and its tombstone come once more, after the re-creation.
  const std::vector<kafka::ConsumedRecord> sent = {
      log_.Event("enterprise/0100233488",
                 Deletion(registry::v1::ENTITY_KIND_ENTERPRISE, "0100233488", 2)),
      log_.Tombstone("enterprise/0100233488"),
      log_.Event("enterprise/0100233488", Enterprise("0100233488", 3, "Công ty A2")),
  };
  MustApply(log_.Event("enterprise/0100233488", Enterprise("0100233488", 1, "Công ty A")));
  for (const kafka::ConsumedRecord& record : sent) MustApply(record);
  for (const kafka::ConsumedRecord& record : sent) {
    kafka::ConsumedRecord again = log_.Record(record.key, record.value);
    EXPECT_FALSE(MustApply(again).applied) << "offset " << again.position.offset;
  }
  ASSERT_NE(view_.FindEnterprise("0100233488"), nullptr);
  EXPECT_EQ(view_.FindEnterprise("0100233488")->version(), 3);

  // A later deletion still deletes it.
  MustApply(log_.Event("enterprise/0100233488",
                       Deletion(registry::v1::ENTITY_KIND_ENTERPRISE, "0100233488", 4)));
  MustApply(log_.Tombstone("enterprise/0100233488"));
  EXPECT_EQ(view_.FindEnterprise("0100233488"), nullptr);
}

TEST_F(RegistryViewTest, UndecodableRecordsAreDataLossNamingKeyAndOffsetAndChangeNothing) {
  MustApply(log_.Event("enterprise/0100233488", Enterprise("0100233488", 1, "Công ty A")));

  const absl::Status garbage =
      view_.Apply(log_.Record("enterprise/0100233488", std::string("\xff\xff\xff", 3))).status();
  EXPECT_EQ(garbage.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(garbage.message(), HasSubstr("enterprise/0100233488"));
  EXPECT_THAT(garbage.message(), HasSubstr("@1"));

  const absl::Status no_key = view_.Apply(log_.Record(std::nullopt, "x")).status();
  EXPECT_EQ(no_key.code(), absl::StatusCode::kDataLoss);

  for (const std::string key : {"enterprise", "enterprise/", "company/0100233488",
                                "ENTERPRISE/0100233488", "unspecified/x"}) {
    EXPECT_EQ(view_.Apply(log_.Tombstone(key)).status().code(), absl::StatusCode::kDataLoss)
        << key;
  }

  const absl::Status wrong_key =
      view_.Apply(log_.Event("enterprise/0100233489", Enterprise("0100233488", 5, "B")))
          .status();
  EXPECT_EQ(wrong_key.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(wrong_key.message(), HasSubstr("0100233488"));

  // The event is about the key, but the entity in it gives itself another: a target's own id
  // is what the view indexes it by.
  RegistryEvent other_target = Target("p.t1", "p", "i1", 1, "", "2025-12-31");
  other_target.mutable_target()->set_id("p.t9");
  const absl::Status wrong_id = view_.Apply(log_.Event("target/p.t1", other_target)).status();
  EXPECT_EQ(wrong_id.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(wrong_id.message(), HasSubstr("p.t9, not p.t1"));
  EXPECT_EQ(view_.Count(registry::v1::ENTITY_KIND_TARGET), 0u);
  EXPECT_THAT(view_.TargetsOn("i1"), IsEmpty());

  RegistryEvent empty = Enterprise("0100233488", 6, "B");
  empty.clear_entity();
  EXPECT_EQ(view_.Apply(log_.Event("enterprise/0100233488", empty)).status().code(),
            absl::StatusCode::kDataLoss);

  ASSERT_NE(view_.FindEnterprise("0100233488"), nullptr);
  EXPECT_EQ(view_.FindEnterprise("0100233488")->version(), 1);
  EXPECT_TRUE(
      MustApply(log_.Event("enterprise/0100233488", Enterprise("0100233488", 2, "Công ty B")))
          .applied);
}

TEST_F(RegistryViewTest, TargetsOnFollowTheTargetsIndicator) {
  MustApply(log_.Event("target/p.t1", Target("p.t1", "p", "dte_count", 1, "", "2025-12-31")));
  MustApply(log_.Event("target/p.t2", Target("p.t2", "p", "dte_count", 1, "", "2030-12-31")));
  MustApply(log_.Event("target/p.t3", Target("p.t3", "p", "sme_share", 1, "", "2030-12-31")));
  EXPECT_THAT(TargetIds(view_.TargetsOn("dte_count")), ElementsAre("p.t1", "p.t2"));

  MustApply(log_.Event("target/p.t2", Target("p.t2", "p", "sme_share", 2, "", "2030-12-31")));
  EXPECT_THAT(TargetIds(view_.TargetsOn("dte_count")), ElementsAre("p.t1"));
  EXPECT_THAT(TargetIds(view_.TargetsOn("sme_share")), ElementsAre("p.t2", "p.t3"));

  MustApply(log_.Event("target/p.t1", Deletion(registry::v1::ENTITY_KIND_TARGET, "p.t1", 2)));
  EXPECT_THAT(view_.TargetsOn("dte_count"), IsEmpty());
  EXPECT_EQ(view_.FindTarget("p.t1"), nullptr);
  EXPECT_EQ(view_.Count(registry::v1::ENTITY_KIND_TARGET), 2u);

  std::vector<std::string> all;
  view_.ForEachTarget([&](const registry::v1::Target& target) { all.push_back(target.id()); });
  EXPECT_THAT(all, ::testing::UnorderedElementsAre("p.t2", "p.t3"));
}

TEST_F(RegistryViewTest, HorizonSpansThePlansWithATargetOnTheIndicator) {
  EXPECT_EQ(view_.HorizonOf("dte_count"), std::nullopt);
  MustApply(log_.Event("target/a.t1", Target("a.t1", "a", "dte_count", 1, "", "2025-12-31")));
  EXPECT_EQ(view_.HorizonOf("dte_count"), std::nullopt) << "plan a not yet known";

  MustApply(log_.Event("plan/a", Plan("a", "2024-03-01", "2024-01-01", "2030-12-31")));
  auto horizon = view_.HorizonOf("dte_count");
  ASSERT_TRUE(horizon.has_value());
  EXPECT_EQ(horizon->first, absl::CivilDay(2024, 1, 1));
  EXPECT_EQ(horizon->second, absl::CivilDay(2030, 12, 31));

  // Plan b states no horizon: it runs from its earliest baseline to its latest deadline.
  MustApply(log_.Event("plan/b", Plan("b", "2023-06-01", "", "")));
  MustApply(log_.Event("target/b.t1", Target("b.t1", "b", "dte_count", 1, "2022-12-31",
                                             "2027-12-31")));
  MustApply(log_.Event("target/b.t2", Target("b.t2", "b", "other", 1, "", "2035-12-31")));
  horizon = view_.HorizonOf("dte_count");
  ASSERT_TRUE(horizon.has_value());
  EXPECT_EQ(horizon->first, absl::CivilDay(2022, 12, 31));
  EXPECT_EQ(horizon->second, absl::CivilDay(2035, 12, 31));

  // Without a baseline, plan b starts on its issue date.
  MustApply(log_.Event("target/b.t1",
                       Target("b.t1", "b", "dte_count", 2, "", "2027-12-31")));
  EXPECT_EQ(view_.HorizonOf("dte_count")->first, absl::CivilDay(2023, 6, 1));

  MustApply(log_.Event("target/a.t1", Deletion(registry::v1::ENTITY_KIND_TARGET, "a.t1", 2)));
  MustApply(log_.Event("target/b.t1", Deletion(registry::v1::ENTITY_KIND_TARGET, "b.t1", 3)));
  EXPECT_EQ(view_.HorizonOf("dte_count"), std::nullopt);
}

TEST_F(RegistryViewTest, AdministrativeUnitsIndexFollowsChangesAndDeletions) {
  MustApply(log_.Event("administrative_unit/77",
                       AdministrativeUnit("77", 1, "", "", {})));
  MustApply(log_.Event("administrative_unit/752",
                       AdministrativeUnit("752", 1, "77", "", {})));
  EXPECT_TRUE(view_.administrative_units().ValidAt("752", absl::CivilDay(2025, 3, 1)).ok());

  MustApply(log_.Event("administrative_unit/757", AdministrativeUnit("757", 1, "77", "", {})));
  MustApply(log_.Event("administrative_unit/752",
                       AdministrativeUnit("752", 2, "77", "2024-12-31", {"757"})));
  EXPECT_FALSE(view_.administrative_units().ValidAt("752", absl::CivilDay(2025, 3, 1)).ok());
  EXPECT_THAT(*view_.administrative_units().Resolve("752", absl::CivilDay(2025, 3, 1)),
              ElementsAre("757"));
  ASSERT_NE(view_.FindAdministrativeUnit("752"), nullptr);
  EXPECT_EQ(view_.FindAdministrativeUnit("752")->valid_to(), "2024-12-31");

  MustApply(log_.Event("administrative_unit/757",
                       Deletion(registry::v1::ENTITY_KIND_ADMINISTRATIVE_UNIT, "757", 2)));
  EXPECT_EQ(view_.FindAdministrativeUnit("757"), nullptr);
  EXPECT_EQ(view_.administrative_units().Find("757"), nullptr);
  EXPECT_EQ(view_.administrative_units().size(), 2u);
  EXPECT_THAT(view_.administrative_units().Children("77", absl::CivilDay(2024, 1, 1)),
              ElementsAre("752"));

  // A unit the index refuses is an error that leaves the held version in place.
  const absl::Status refused =
      view_.Apply(log_.Event("administrative_unit/752",
                             AdministrativeUnit("752", 3, "77", "", {"757"})))
          .status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.message(), HasSubstr("administrative_unit/752"));
  EXPECT_EQ(view_.FindAdministrativeUnit("752")->version(), 2);
  EXPECT_EQ(view_.administrative_units().Find("752")->version(), 2);
}

TEST_F(RegistryViewTest, LooksUpEveryKindByItsKey) {
  RegistryEvent indicator = EventAbout(registry::v1::ENTITY_KIND_INDICATOR, "dte_count", 1);
  indicator.mutable_indicator()->set_id("dte_count");
  MustApply(log_.Event("indicator/dte_count", indicator));
  RegistryEvent unit = EventAbout(registry::v1::ENTITY_KIND_REPORTING_UNIT, "so-khdt", 1);
  unit.mutable_reporting_unit()->set_id("so-khdt");
  MustApply(log_.Event("reporting_unit/so-khdt", unit));
  RegistryEvent service =
      EventAbout(registry::v1::ENTITY_KIND_PUBLIC_SERVICE, "77:1.004227", 1);
  service.mutable_public_service()->set_id("77:1.004227");
  MustApply(log_.Event("public_service/77:1.004227", service));

  EXPECT_NE(view_.FindIndicator("dte_count"), nullptr);
  EXPECT_NE(view_.FindReportingUnit("so-khdt"), nullptr);
  EXPECT_NE(view_.FindPublicService("77:1.004227"), nullptr);
  EXPECT_EQ(view_.FindPlan("dte_count"), nullptr);
  EXPECT_EQ(view_.Count(registry::v1::ENTITY_KIND_INDICATOR), 1u);
  EXPECT_EQ(view_.Count(registry::v1::ENTITY_KIND_PUBLIC_SERVICE), 1u);
  int services = 0;
  view_.ForEachPublicService([&](const registry::v1::PublicService&) { ++services; });
  EXPECT_EQ(services, 1);
}

}  // namespace
}  // namespace tiendo::registry_view
