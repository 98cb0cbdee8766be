// The registry service in-process: a RegistryApplication on a fresh SQLite file in a
// temporary directory, with an injected clock, served on 127.0.0.1:0 and called through the
// generated stub as tiendoctl calls it (deadline, `tiendo-actor` metadata). No Kafka: what
// would be published is read back from the outbox table.
//
// Data: the seed plan (plans/brvt-63-kh-ubnd.yaml) and the synthetic registry files
// (data/synthetic/*.csv), read the way the importers read them.
#include <openssl/sha.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "services/common/core/administrative_units.h"
#include "services/common/core/enterprise_rules.h"
#include "services/common/grpc/grpc_status.h"
#include "services/common/kafka/record.h"
#include "services/common/planfile/plan_file_loader.h"
#include "services/common/rows/csv_reader.h"
#include "services/common/rows/proto_row.h"
#include "services/common/rows/registry_columns.h"
#include "services/common/status/field_violations.h"
#include "services/registry/entity_writer.h"
#include "services/registry/import_reactor.h"
#include "services/registry/registry_application.h"
#include "tests/support/source_file.h"
#include "tests/support/temp_dir.h"
#include "tiendo/events/v1/registry_event.pb.h"
#include "tiendo/registry/v1/registry.grpc.pb.h"

namespace tiendo::registry {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kPlanFile[] = "plans/brvt-63-kh-ubnd.yaml";
constexpr char kEnterprises[] = "data/synthetic/enterprises.csv";
constexpr char kPublicServices[] = "data/synthetic/public_services.csv";
constexpr char kActor[] = "ops:nguyen.van.a";

v1::PlanFile SeedPlan() {
  planfile::LoadedPlanFile loaded = planfile::LoadPlanFile(testing::ReadSourceFile(kPlanFile));
  EXPECT_TRUE(loaded.plan_file.has_value()) << kPlanFile << " does not load";
  return loaded.plan_file.value_or(v1::PlanFile());
}

// Rows of a registry CSV file as entities, with their line numbers.
template <typename Entity>
std::vector<std::pair<int, Entity>> ReadRows(const std::string& relative,
                                             const rows::ColumnAliases& aliases) {
  absl::StatusOr<rows::CsvTable> table = rows::ReadCsv(testing::ReadSourceFile(relative));
  if (!table.ok()) {
    ADD_FAILURE() << relative << ": " << table.status();
    return {};
  }
  absl::StatusOr<rows::ProtoRowMapping> mapping =
      rows::ProtoRowMapping::Create(*Entity::descriptor(), table->header, aliases);
  if (!mapping.ok()) {
    ADD_FAILURE() << relative << ": header: " << mapping.status();
    return {};
  }
  std::vector<std::pair<int, Entity>> entities;
  for (const rows::CsvRecord& record : table->records) {
    Entity entity;
    absl::Status filled = mapping->Fill(record.cells, entity);
    if (!filled.ok()) {
      ADD_FAILURE() << relative << ":" << record.line << ": " << filled;
      continue;
    }
    entities.emplace_back(record.line, std::move(entity));
  }
  return entities;
}

std::vector<std::pair<int, v1::Enterprise>> EnterpriseRows() {
  return ReadRows<v1::Enterprise>(kEnterprises, rows::EnterpriseColumnAliases());
}

std::vector<std::pair<int, v1::PublicService>> PublicServiceRows() {
  return ReadRows<v1::PublicService>(kPublicServices, rows::PublicServiceColumnAliases());
}

// SHA-256 of `text`, computed here rather than by the code under test.
std::string Sha256(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

// "field [rule]" for each violation, for readable assertions.
std::vector<std::string> Violations(const absl::Status& status) {
  std::vector<std::string> described;
  for (const common::v1::FieldViolation& violation : status::FieldViolationsOf(status)) {
    described.push_back(absl::StrCat(violation.field(), " [", violation.rule(), "]"));
  }
  return described;
}

std::vector<std::string> Violations(const v1::ImportRowResult& result) {
  std::vector<std::string> described;
  for (const common::v1::FieldViolation& violation : result.field_violations()) {
    described.push_back(absl::StrCat(violation.field(), " [", violation.rule(), "]"));
  }
  return described;
}

// An enterprise that passes every rule once the seed plan's units exist.
v1::Enterprise ValidEnterprise(const std::string& tax_code = "0100233488") {
  v1::Enterprise enterprise;
  enterprise.set_tax_code(tax_code);
  enterprise.set_name_vi("Công ty TNHH Phần mềm Biển Xanh");
  enterprise.set_name_en("Bien Xanh Software Company Limited");
  enterprise.set_administrative_unit_code("747");
  enterprise.set_registration_date("2020-05-04");
  enterprise.set_status(v1::ENTERPRISE_STATUS_ACTIVE);
  enterprise.add_categories("digital_technology");
  enterprise.add_industry_codes("6201");
  return enterprise;
}

v1::PublicService ValidPublicService() {
  v1::PublicService service;
  service.set_procedure_code("1.004227");
  service.set_name_vi("Cấp giấy phép thử nghiệm");
  service.set_administrative_unit_code("77");
  service.set_level(v1::ADMINISTRATIVE_LEVEL_PROVINCE);
  service.set_owning_reporting_unit_id("dept-st");
  service.set_effective_from("2020-01-01");
  service.set_status(v1::PUBLIC_SERVICE_STATUS_ACTIVE);
  return service;
}

class RegistryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(directory_.empty()) << "no temporary directory";
    RegistryOptions options;
    options.database = directory_ + "/registry.db";
    options.durability = "normal";
    options.worker_threads = 2;
    absl::StatusOr<std::unique_ptr<RegistryApplication>> application =
        RegistryApplication::Create(options, [this] { return Now(); });
    ASSERT_TRUE(application.ok()) << application.status();
    application_ = *std::move(application);

    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    for (grpc::Service* service : application_->GrpcServices()) builder.RegisterService(service);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port, 0);
    stub_ = v1::Registry::NewStub(grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                                      grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    server_.reset();
    if (application_ != nullptr) application_->StopWork();
    application_.reset();
    tiendo::testing::RemoveTree(directory_);
  }

  absl::Time Now() const { return absl::FromUnixMicros(now_micros_.load()); }
  void Advance(absl::Duration duration) {
    now_micros_.fetch_add(absl::ToInt64Microseconds(duration));
  }

  std::unique_ptr<grpc::ClientContext> Context(const std::string& actor) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    if (!actor.empty()) context->AddMetadata("tiendo-actor", actor);
    return context;
  }

  // One unary call, its status as the client library restores it (violations included).
  template <typename Request, typename Response>
  absl::Status Invoke(grpc::Status (v1::Registry::Stub::*method)(grpc::ClientContext*,
                                                                 const Request&, Response*),
                      const Request& request, Response* response,
                      const std::string& actor = kActor) {
    std::unique_ptr<grpc::ClientContext> context = Context(actor);
    return server::FromGrpcStatus(((*stub_).*method)(context.get(), request, response));
  }

  // The same, with the response or the status.
  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(grpc::Status (v1::Registry::Stub::*method)(
                                    grpc::ClientContext*, const Request&, Response*),
                                const Request& request, const std::string& actor = kActor) {
    Response response;
    absl::Status status = Invoke(method, request, &response, actor);
    if (!status.ok()) return status;
    return response;
  }

  absl::StatusOr<v1::ApplyPlanResponse> ApplyPlan(const v1::PlanFile& file,
                                                  bool dry_run = false) {
    v1::ApplyPlanRequest request;
    *request.mutable_plan_file() = file;
    request.set_dry_run(dry_run);
    return Call(&v1::Registry::Stub::ApplyPlan, request);
  }

  void ApplySeedPlan() {
    absl::StatusOr<v1::ApplyPlanResponse> applied = ApplyPlan(SeedPlan());
    ASSERT_TRUE(applied.ok()) << applied.status();
  }

  // Creates reporting unit dept-test, a department of the province allowed `indicators`.
  absl::StatusOr<v1::ReportingUnit> CreateTestUnit(
      const std::vector<std::string>& indicators = {}) {
    v1::CreateReportingUnitRequest request;
    v1::ReportingUnit& unit = *request.mutable_reporting_unit();
    unit.set_id("dept-test");
    unit.set_name_vi("Sở Thử nghiệm");
    unit.set_kind(v1::REPORTING_UNIT_KIND_DEPARTMENT);
    unit.set_administrative_unit_code("77");
    for (const std::string& indicator : indicators) unit.add_allowed_indicator_ids(indicator);
    return Call(&v1::Registry::Stub::CreateReportingUnit, request);
  }

  absl::StatusOr<v1::Enterprise> CreateEnterprise(const v1::Enterprise& enterprise,
                                                  const std::string& actor = kActor) {
    v1::CreateEnterpriseRequest request;
    *request.mutable_enterprise() = enterprise;
    return Call(&v1::Registry::Stub::CreateEnterprise, request, actor);
  }

  absl::StatusOr<v1::Plan> GetPlan(const std::string& id) {
    v1::GetPlanRequest request;
    request.set_id(id);
    return Call(&v1::Registry::Stub::GetPlan, request);
  }

  absl::StatusOr<v1::Enterprise> GetEnterprise(const std::string& tax_code) {
    v1::GetEnterpriseRequest request;
    request.set_tax_code(tax_code);
    return Call(&v1::Registry::Stub::GetEnterprise, request);
  }

  // Streams `rows` in messages of `per_message` rows.
  template <typename Request, typename Response, typename Entity>
  absl::StatusOr<Response> Import(
      std::unique_ptr<grpc::ClientWriter<Request>> (v1::Registry::Stub::*method)(
          grpc::ClientContext*, Response*),
      const std::vector<std::pair<int, Entity>>& rows, const v1::ImportOptions& options,
      size_t per_message = 100) {
    std::unique_ptr<grpc::ClientContext> context = Context(kActor);
    Response response;
    std::unique_ptr<grpc::ClientWriter<Request>> writer =
        ((*stub_).*method)(context.get(), &response);
    for (size_t start = 0; start < rows.size() || start == 0; start += per_message) {
      Request request;
      if (start == 0) *request.mutable_options() = options;
      for (size_t i = start; i < std::min(rows.size(), start + per_message); ++i) {
        auto* row = request.add_rows();
        row->set_row_number(rows[i].first);
        if constexpr (std::is_same_v<Entity, v1::Enterprise>) {
          *row->mutable_enterprise() = rows[i].second;
        } else {
          *row->mutable_public_service() = rows[i].second;
        }
      }
      if (!writer->Write(request)) break;  // the server ended the call; Finish says why
      if (rows.empty()) break;
    }
    writer->WritesDone();
    absl::Status status = server::FromGrpcStatus(writer->Finish());
    if (!status.ok()) return status;
    return response;
  }

  absl::StatusOr<v1::ImportEnterprisesResponse> ImportEnterprises(
      const std::vector<std::pair<int, v1::Enterprise>>& rows, const v1::ImportOptions& options,
      size_t per_message = 100) {
    return Import(&v1::Registry::Stub::ImportEnterprises, rows, options, per_message);
  }

  absl::StatusOr<v1::ImportPublicServicesResponse> ImportPublicServices(
      const std::vector<std::pair<int, v1::PublicService>>& rows,
      const v1::ImportOptions& options) {
    return Import(&v1::Registry::Stub::ImportPublicServices, rows, options);
  }

  // Every enterprise matching `request`'s filters, page by page; the tax codes in the
  // order received.
  std::vector<std::string> ListAllEnterprises(v1::ListEnterprisesRequest request,
                                              int page_size = 1000) {
    request.set_page_size(page_size);
    std::vector<std::string> keys;
    for (int page = 0; page < 1000; ++page) {
      v1::ListEnterprisesResponse response;
      absl::Status status = Invoke(&v1::Registry::Stub::ListEnterprises, request, &response);
      EXPECT_TRUE(status.ok()) << status;
      if (!status.ok()) break;
      EXPECT_LE(response.enterprises_size(), page_size);
      for (const v1::Enterprise& enterprise : response.enterprises()) {
        keys.push_back(enterprise.tax_code());
      }
      if (response.next_page_token().empty()) return keys;
      request.set_page_token(response.next_page_token());
    }
    ADD_FAILURE() << "paging did not end";
    return keys;
  }

  int64_t OutboxSize() {
    absl::StatusOr<int64_t> size = application_->store().OutboxSize();
    EXPECT_TRUE(size.ok()) << size.status();
    return size.ok() ? *size : -1;
  }

  // The outbox records committed since the previous call (or the start), in order.
  std::vector<OutboxRecord> NewOutboxRecords() {
    absl::StatusOr<std::vector<OutboxRecord>> records =
        application_->store().ReadOutbox(outbox_seen_, 1000000);
    EXPECT_TRUE(records.ok()) << records.status();
    if (!records.ok()) return {};
    if (!records->empty()) outbox_seen_ = records->back().sequence;
    return *std::move(records);
  }

  // Expects exactly one new outbox record, keyed `record_key`, whose event carries
  // `version`; returns the event.
  events::v1::RegistryEvent ExpectOneEvent(const std::string& record_key, int64_t version) {
    std::vector<OutboxRecord> records = NewOutboxRecords();
    events::v1::RegistryEvent event;
    EXPECT_THAT(records, SizeIs(1)) << "for " << record_key;
    if (records.size() != 1) return event;
    EXPECT_EQ(records[0].key, record_key);
    EXPECT_TRUE(records[0].value.has_value());
    EXPECT_TRUE(event.ParseFromString(records[0].value.value_or("")));
    EXPECT_EQ(event.entity_version(), version) << record_key;
    EXPECT_EQ(RecordKey(event.entity_kind(), event.entity_key()), record_key);
    EXPECT_EQ(event.actor(), kActor);
    return event;
  }

  const std::string directory_ = tiendo::testing::MakeTempDir("registry-service");
  // 2026-11-01 10:00 in Vietnam: after every date in the synthetic files.
  std::atomic<int64_t> now_micros_{
      absl::ToUnixMicros(absl::FromCivil(absl::CivilSecond(2026, 11, 1, 3, 0, 0),
                                         absl::UTCTimeZone()))};
  std::unique_ptr<RegistryApplication> application_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::Registry::Stub> stub_;
  int64_t outbox_seen_ = 0;
};

// ---------------------------------------------------------------------------------------
// ApplyPlan

// (kind, key) of every entity of `file`, in file order.
std::vector<std::pair<v1::EntityKind, std::string>> FileEntities(const v1::PlanFile& file) {
  std::vector<std::pair<v1::EntityKind, std::string>> entities;
  entities.emplace_back(v1::ENTITY_KIND_PLAN, file.plan().id());
  for (const auto& indicator : file.plan().indicators()) {
    entities.emplace_back(v1::ENTITY_KIND_INDICATOR, indicator.id());
  }
  for (const auto& target : file.plan().targets()) {
    entities.emplace_back(v1::ENTITY_KIND_TARGET, target.id());
  }
  for (const auto& unit : file.reporting_units()) {
    entities.emplace_back(v1::ENTITY_KIND_REPORTING_UNIT, unit.id());
  }
  for (const auto& unit : file.administrative_units()) {
    entities.emplace_back(v1::ENTITY_KIND_ADMINISTRATIVE_UNIT, unit.code());
  }
  return entities;
}

std::vector<std::pair<v1::EntityKind, std::string>> ChangedEntities(
    const v1::ApplyPlanResponse& response) {
  std::vector<std::pair<v1::EntityKind, std::string>> entities;
  for (const v1::EntityChange& change : response.changes()) {
    entities.emplace_back(change.entity_kind(), change.entity_key());
  }
  return entities;
}

// Every change of `response` is `change`, from `previous_version` to `version`.
void ExpectEveryChange(const v1::ApplyPlanResponse& response, v1::ChangeType change,
                       int64_t previous_version, int64_t version) {
  for (const v1::EntityChange& entity : response.changes()) {
    EXPECT_EQ(entity.change(), change) << entity.entity_key();
    EXPECT_EQ(entity.previous_version(), previous_version) << entity.entity_key();
    EXPECT_EQ(entity.version(), version) << entity.entity_key();
  }
}

TEST_F(RegistryServiceTest, ApplyPlanCreatesEveryEntityThenChangesNothing) {
  const v1::PlanFile file = SeedPlan();
  const auto entities = FileEntities(file);
  ASSERT_GT(entities.size(), 30u);

  absl::StatusOr<v1::ApplyPlanResponse> first = ApplyPlan(file);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->plan_id(), "brvt-63-kh-ubnd");
  EXPECT_FALSE(first->dry_run());
  EXPECT_THAT(ChangedEntities(*first), ElementsAreArray(entities));
  ExpectEveryChange(*first, v1::CHANGE_TYPE_CREATED, 0, 1);
  EXPECT_EQ(OutboxSize(), static_cast<int64_t>(entities.size()));

  absl::StatusOr<v1::ApplyPlanResponse> second = ApplyPlan(file);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_THAT(ChangedEntities(*second), ElementsAreArray(entities));
  ExpectEveryChange(*second, v1::CHANGE_TYPE_UNCHANGED, 1, 1);
  EXPECT_EQ(OutboxSize(), static_cast<int64_t>(entities.size()));

  absl::StatusOr<v1::Plan> plan = GetPlan("brvt-63-kh-ubnd");
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->targets_size(), file.plan().targets_size());
  EXPECT_EQ(plan->document_number(), "63/KH-UBND");
}

TEST_F(RegistryServiceTest, ApplyPlanOfAChangedFileBumpsOnlyWhatChangedAndDeletesTheDropped) {
  v1::PlanFile file = SeedPlan();
  ASSERT_TRUE(ApplyPlan(file).ok());
  NewOutboxRecords();

  v1::Target& changed = *file.mutable_plan()->mutable_targets(0);
  ASSERT_EQ(changed.id(), "brvt-63-kh-ubnd.t1");
  ASSERT_EQ(changed.milestones_size(), 2);
  changed.mutable_milestones(1)->set_value(450);
  const std::string dropped = file.plan().targets(file.plan().targets_size() - 1).id();
  file.mutable_plan()->mutable_targets()->RemoveLast();

  absl::StatusOr<v1::ApplyPlanResponse> applied = ApplyPlan(file);
  ASSERT_TRUE(applied.ok()) << applied.status();
  auto expected = FileEntities(file);
  expected.emplace_back(v1::ENTITY_KIND_TARGET, dropped);
  EXPECT_THAT(ChangedEntities(*applied), ElementsAreArray(expected));
  for (const v1::EntityChange& change : applied->changes()) {
    if (change.entity_key() == "brvt-63-kh-ubnd.t1") {
      EXPECT_EQ(change.change(), v1::CHANGE_TYPE_UPDATED);
      EXPECT_EQ(change.previous_version(), 1);
      EXPECT_EQ(change.version(), 2);
      EXPECT_THAT(change.changed_fields(), ElementsAre("milestones"));
    } else if (change.entity_key() == dropped) {
      EXPECT_EQ(change.change(), v1::CHANGE_TYPE_DELETED);
      EXPECT_EQ(change.previous_version(), 1);
      EXPECT_EQ(change.version(), 2);
    } else {
      EXPECT_EQ(change.change(), v1::CHANGE_TYPE_UNCHANGED) << change.entity_key();
      EXPECT_EQ(change.version(), 1) << change.entity_key();
    }
  }

  // Published: the new version of t1, then the deletion event and the tombstone of the
  // dropped target.
  std::vector<OutboxRecord> records = NewOutboxRecords();
  ASSERT_THAT(records, SizeIs(3));
  EXPECT_EQ(records[0].key, "target/brvt-63-kh-ubnd.t1");
  events::v1::RegistryEvent updated;
  ASSERT_TRUE(updated.ParseFromString(records[0].value.value_or("")));
  EXPECT_EQ(updated.entity_version(), 2);
  EXPECT_EQ(updated.target().milestones(1).value(), 450);
  EXPECT_EQ(records[1].key, absl::StrCat("target/", dropped));
  events::v1::RegistryEvent deleted;
  ASSERT_TRUE(deleted.ParseFromString(records[1].value.value_or("")));
  EXPECT_TRUE(deleted.deleted());
  EXPECT_EQ(deleted.entity_version(), 2);
  EXPECT_EQ(records[2].key, absl::StrCat("target/", dropped));
  EXPECT_FALSE(records[2].value.has_value());

  v1::GetTargetRequest get;
  get.set_id(dropped);
  v1::Target target;
  EXPECT_EQ(Invoke(&v1::Registry::Stub::GetTarget, get, &target).code(),
            absl::StatusCode::kNotFound);
  get.set_id("brvt-63-kh-ubnd.t1");
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::GetTarget, get, &target).ok());
  EXPECT_EQ(target.version(), 2);
  EXPECT_EQ(target.milestones(1).value(), 450);
}

TEST_F(RegistryServiceTest, ApplyPlanDryRunReportsTheChangesAndWritesNothing) {
  v1::PlanFile file = SeedPlan();
  absl::StatusOr<v1::ApplyPlanResponse> dry = ApplyPlan(file, /*dry_run=*/true);
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_TRUE(dry->dry_run());
  EXPECT_THAT(ChangedEntities(*dry), ElementsAreArray(FileEntities(file)));
  ExpectEveryChange(*dry, v1::CHANGE_TYPE_CREATED, 0, 1);
  EXPECT_EQ(OutboxSize(), 0);
  EXPECT_EQ(GetPlan("brvt-63-kh-ubnd").status().code(), absl::StatusCode::kNotFound);

  // After a real apply, a dry run of a change reports the version it would get and leaves
  // the stored one.
  ASSERT_TRUE(ApplyPlan(file).ok());
  const int64_t outbox = OutboxSize();
  file.mutable_plan()->mutable_targets(1)->mutable_milestones(0)->set_value(55);
  absl::StatusOr<v1::ApplyPlanResponse> change = ApplyPlan(file, /*dry_run=*/true);
  ASSERT_TRUE(change.ok()) << change.status();
  int updated = 0;
  for (const v1::EntityChange& entity : change->changes()) {
    if (entity.change() == v1::CHANGE_TYPE_UPDATED) {
      ++updated;
      EXPECT_EQ(entity.entity_key(), "brvt-63-kh-ubnd.t2");
      EXPECT_EQ(entity.version(), 2);
    }
  }
  EXPECT_EQ(updated, 1);
  EXPECT_EQ(OutboxSize(), outbox);
  v1::GetTargetRequest get_target;
  get_target.set_id("brvt-63-kh-ubnd.t2");
  v1::Target target;
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::GetTarget, get_target, &target).ok());
  EXPECT_EQ(target.version(), 1);
  EXPECT_EQ(target.milestones(0).value(), 50);
}

TEST_F(RegistryServiceTest, ApplyPlanRejectsMilestonesOutOfOrderAndUnknownIndicators) {
  v1::PlanFile disordered = SeedPlan();
  v1::Target& target = *disordered.mutable_plan()->mutable_targets(0);
  ASSERT_EQ(target.milestones_size(), 2);
  target.mutable_milestones()->SwapElements(0, 1);
  absl::StatusOr<v1::ApplyPlanResponse> applied = ApplyPlan(disordered);
  EXPECT_EQ(applied.status().code(), absl::StatusCode::kInvalidArgument) << applied.status();
  EXPECT_THAT(Violations(applied.status()),
              ::testing::Contains("plan.targets[0].milestones[1].deadline [order]"));

  v1::PlanFile unknown = SeedPlan();
  unknown.mutable_plan()->mutable_targets(2)->set_indicator_id("sme_platform_adoptoin");
  applied = ApplyPlan(unknown);
  EXPECT_EQ(applied.status().code(), absl::StatusCode::kInvalidArgument) << applied.status();
  EXPECT_THAT(Violations(applied.status()),
              ElementsAre("plan.targets[2].indicator_id [unknown_reference]"));

  EXPECT_EQ(OutboxSize(), 0);
  EXPECT_EQ(GetPlan("brvt-63-kh-ubnd").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(RegistryServiceTest, ApplyPlanDoesNotTakeOverAnotherPlansTarget) {
  ASSERT_TRUE(ApplyPlan(SeedPlan()).ok());
  const int64_t outbox = OutboxSize();
  v1::PlanFile other = SeedPlan();
  other.mutable_plan()->set_id("brvt-other");
  auto* targets = other.mutable_plan()->mutable_targets();
  targets->DeleteSubrange(1, targets->size() - 1);  // keeps brvt-63-kh-ubnd.t1, copied
  absl::StatusOr<v1::ApplyPlanResponse> applied = ApplyPlan(other);
  EXPECT_EQ(applied.status().code(), absl::StatusCode::kInvalidArgument) << applied.status();
  EXPECT_THAT(Violations(applied.status()), ElementsAre("plan.targets[0].id [duplicate]"));
  EXPECT_THAT(applied.status().message(), HasSubstr("belongs to plan brvt-63-kh-ubnd"));
  EXPECT_EQ(OutboxSize(), outbox) << "nothing was applied";
  EXPECT_EQ(GetPlan("brvt-other").status().code(), absl::StatusCode::kNotFound);
  // Its own plan applies it again as before.
  EXPECT_TRUE(ApplyPlan(SeedPlan()).ok());
}

// ---------------------------------------------------------------------------------------
// Validation

TEST_F(RegistryServiceTest, EnterpriseRulesAnswerWithFieldAndRule) {
  ApplySeedPlan();
  const int64_t outbox = OutboxSize();
  struct Case {
    std::string name;
    v1::Enterprise enterprise;
    std::string violation;
  };
  std::vector<Case> cases;
  cases.push_back({"check digit", ValidEnterprise("0100233480"),
                   "enterprise.tax_code [check_digit]"});
  cases.push_back({"format", ValidEnterprise("01002334"), "enterprise.tax_code [format]"});
  {
    v1::Enterprise enterprise = ValidEnterprise();
    enterprise.set_administrative_unit_code("999");
    cases.push_back({"unknown unit", enterprise,
                     "enterprise.administrative_unit_code [unknown_reference]"});
  }
  {
    // Long Điền (752) ended on 2024-12-31, merged into Long Đất.
    v1::Enterprise enterprise = ValidEnterprise();
    enterprise.set_administrative_unit_code("752");
    enterprise.set_registration_date("2025-03-01");
    cases.push_back({"unit ended", enterprise,
                     "enterprise.administrative_unit_code [not_valid_at_date]"});
  }
  {
    v1::Enterprise enterprise = ValidEnterprise();
    std::string name;
    for (size_t i = 0; i <= core::kMaxEnterpriseNameCharacters; ++i) name += "ệ";
    enterprise.set_name_vi(name);
    cases.push_back({"name too long", enterprise, "enterprise.name_vi [too_long]"});
  }
  for (const Case& c : cases) {
    absl::StatusOr<v1::Enterprise> created = CreateEnterprise(c.enterprise);
    EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument)
        << c.name << ": " << created.status();
    EXPECT_THAT(Violations(created.status()), ElementsAre(c.violation)) << c.name;
  }
  EXPECT_EQ(OutboxSize(), outbox) << "a rejected create publishes nothing";

  // The limit counts characters, not bytes: 500 three-byte characters pass.
  v1::Enterprise longest = ValidEnterprise();
  std::string name;
  for (size_t i = 0; i < core::kMaxEnterpriseNameCharacters; ++i) name += "ệ";
  longest.set_name_vi(name);
  absl::StatusOr<v1::Enterprise> created = CreateEnterprise(longest);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->version(), 1);

  absl::StatusOr<v1::Enterprise> again = CreateEnterprise(ValidEnterprise());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kInvalidArgument) << again.status();
  EXPECT_THAT(Violations(again.status()), ElementsAre("enterprise.tax_code [duplicate]"));
  absl::StatusOr<v1::Enterprise> stored = GetEnterprise("0100233488");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->name_vi(), name) << "the duplicate changed nothing";
  EXPECT_EQ(stored->version(), 1);
}

// A proto3 string must be UTF-8: the C++ runtime serialises an invalid one anyway (with a
// logged error) but the server's parser refuses the request before the registry sees it —
// gRPC C++ 1.51 answers a request that does not parse with UNIMPLEMENTED and no message
// (grpc/grpc#30454) — so a client cannot get such a name to the rules over gRPC. What a
// user can rely on: the call fails and nothing is written.
TEST_F(RegistryServiceTest, NonUtf8NameNeverReachesTheStore) {
  ApplySeedPlan();
  const int64_t outbox = OutboxSize();
  v1::Enterprise enterprise = ValidEnterprise();
  enterprise.set_name_vi("C\xf4ng ty");  // Latin-1, not UTF-8
  absl::StatusOr<v1::Enterprise> created = CreateEnterprise(enterprise);
  EXPECT_FALSE(created.ok());
  EXPECT_EQ(GetEnterprise("0100233488").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(OutboxSize(), outbox);
}

// The rule itself is the core's, checked here as the registry runs it.
TEST(EnterpriseRulesTest, NonUtf8NameIsAFormatError) {
  v1::PlanFile file = SeedPlan();
  core::AdministrativeUnits units;
  for (const v1::AdministrativeUnit& unit : file.administrative_units()) {
    ASSERT_TRUE(units.Upsert(unit).ok()) << unit.code();
  }
  v1::Enterprise enterprise = ValidEnterprise();
  enterprise.set_name_vi("C\xf4ng ty");  // Latin-1, not UTF-8
  core::NormalizeEnterprise(enterprise);
  std::vector<std::string> problems;
  for (const core::Problem& problem :
       core::ValidateEnterprise(enterprise, units, nullptr, absl::CivilDay(2026, 11, 1))) {
    if (problem.severity == core::Severity::kError) {
      problems.push_back(absl::StrCat(problem.path, " [", problem.rule, "]"));
    }
  }
  EXPECT_THAT(problems, ElementsAre("name_vi [format]"));
}

TEST_F(RegistryServiceTest, ReportingUnitAndPublicServiceRulesAnswerWithFieldAndRule) {
  ApplySeedPlan();
  const int64_t outbox = OutboxSize();

  absl::Status status = CreateTestUnit({"procedure_results_digitized"}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(Violations(status),
              ElementsAre("reporting_unit.allowed_indicator_ids[0] [unknown_reference]"));

  v1::SetAllowedIndicatorsRequest allow;
  allow.set_reporting_unit_id("dept-st");
  allow.set_expected_version(1);
  allow.add_indicator_ids("no_such_indicator");
  v1::ReportingUnit allowed;
  status = Invoke(&v1::Registry::Stub::SetAllowedIndicators, allow, &allowed);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(Violations(status), ElementsAre("indicator_ids[0] [unknown_reference]"));

  allow.set_indicator_ids(0, "digital_tech_enterprises");  // derived from the registry
  status = Invoke(&v1::Registry::Stub::SetAllowedIndicators, allow, &allowed);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(Violations(status), ElementsAre("indicator_ids[0] [not_reportable]"));

  v1::CreatePublicServiceRequest create_service;
  *create_service.mutable_public_service() = ValidPublicService();
  create_service.mutable_public_service()->set_full_process_online(true);
  v1::PublicService service;
  status = Invoke(&v1::Registry::Stub::CreatePublicService, create_service, &service);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(Violations(status),
              ElementsAre("public_service.full_process_online [inconsistent]"));

  EXPECT_EQ(OutboxSize(), outbox);
  v1::GetReportingUnitRequest get;
  get.set_id("dept-st");
  v1::ReportingUnit stored;
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::GetReportingUnit, get, &stored).ok());
  EXPECT_EQ(stored.version(), 1);
  EXPECT_THAT(stored.allowed_indicator_ids(),
              ElementsAre("online_service_users_authenticated", "procedure_results_digitised"));

  // The valid versions go through.
  allow.set_indicator_ids(0, "procedure_results_digitised");
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::SetAllowedIndicators, allow, &allowed).ok());
  EXPECT_EQ(allowed.version(), 2);
  EXPECT_THAT(allowed.allowed_indicator_ids(), ElementsAre("procedure_results_digitised"));
  create_service.mutable_public_service()->set_eligible_full_process_online(true);
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::CreatePublicService, create_service, &service).ok());
  EXPECT_EQ(service.id(), "77:1.004227");
  EXPECT_EQ(service.version(), 1);
}

// ---------------------------------------------------------------------------------------
// Updates

TEST_F(RegistryServiceTest, UpdateEnterpriseChangesOnlyMaskedFieldsAtTheExpectedVersion) {
  ApplySeedPlan();
  absl::StatusOr<v1::Enterprise> created = CreateEnterprise(ValidEnterprise(), "ops:creator");
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(created->version(), 1);
  EXPECT_EQ(created->audit().created_by(), "ops:creator");
  const int64_t outbox = OutboxSize();
  Advance(absl::Hours(1));

  v1::UpdateEnterpriseRequest update;
  *update.mutable_enterprise() = *created;
  update.mutable_enterprise()->set_name_en("Blue Sea Software");
  update.mutable_enterprise()->add_capabilities("dx_solutions");
  update.mutable_enterprise()->set_name_vi("Tên không được đổi");  // not in the mask
  update.mutable_update_mask()->add_paths("name_en");
  update.mutable_update_mask()->add_paths("capabilities");

  // Stale: someone else is at version 2 in their head, the store is at 1.
  update.set_expected_version(2);
  v1::Enterprise response;
  absl::Status status =
      Invoke(&v1::Registry::Stub::UpdateEnterprise, update, &response, "ops:editor");
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted) << status;
  absl::StatusOr<v1::Enterprise> unchanged = GetEnterprise("0100233488");
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(unchanged->SerializeAsString(), created->SerializeAsString());
  EXPECT_EQ(OutboxSize(), outbox);

  update.set_expected_version(1);
  status = Invoke(&v1::Registry::Stub::UpdateEnterprise, update, &response, "ops:editor");
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(response.version(), 2);
  EXPECT_EQ(response.name_en(), "Blue Sea Software");
  EXPECT_THAT(response.capabilities(), ElementsAre("dx_solutions"));
  EXPECT_EQ(response.name_vi(), created->name_vi());
  EXPECT_EQ(response.audit().created_by(), "ops:creator");
  EXPECT_EQ(response.audit().created_at(), created->audit().created_at());
  EXPECT_EQ(response.audit().updated_by(), "ops:editor");
  EXPECT_EQ(google::protobuf::util::TimeUtil::TimestampToMicroseconds(
                response.audit().updated_at()),
            absl::ToUnixMicros(Now()));
  absl::StatusOr<v1::Enterprise> stored = GetEnterprise("0100233488");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->SerializeAsString(), response.SerializeAsString());
  EXPECT_EQ(OutboxSize(), outbox + 1);

  // tax_code is the key: a mask naming it is refused.
  v1::UpdateEnterpriseRequest rename;
  *rename.mutable_enterprise() = response;
  rename.mutable_enterprise()->set_tax_code("0314409058");
  rename.mutable_update_mask()->add_paths("tax_code");
  rename.set_expected_version(2);
  status = Invoke(&v1::Registry::Stub::UpdateEnterprise, rename, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(Violations(status), ElementsAre("update_mask.paths[0] [immutable]"));

  v1::UpdateEnterpriseRequest missing;
  *missing.mutable_enterprise() = ValidEnterprise("0314409058");
  missing.set_expected_version(1);
  status = Invoke(&v1::Registry::Stub::UpdateEnterprise, missing, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
  EXPECT_EQ(OutboxSize(), outbox + 1);
}

TEST_F(RegistryServiceTest, DissolveEnterpriseSetsStatusAndDate) {
  ApplySeedPlan();
  ASSERT_TRUE(CreateEnterprise(ValidEnterprise()).ok());
  v1::DissolveEnterpriseRequest dissolve;
  dissolve.set_tax_code("0100233488");
  dissolve.set_dissolution_date("2026-01-15");
  dissolve.set_expected_version(3);
  v1::Enterprise response;
  EXPECT_EQ(Invoke(&v1::Registry::Stub::DissolveEnterprise, dissolve, &response).code(),
            absl::StatusCode::kAborted);

  dissolve.set_expected_version(1);
  absl::Status status = Invoke(&v1::Registry::Stub::DissolveEnterprise, dissolve, &response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(response.status(), v1::ENTERPRISE_STATUS_DISSOLVED);
  EXPECT_EQ(response.dissolution_date(), "2026-01-15");
  EXPECT_EQ(response.version(), 2);
  absl::StatusOr<v1::Enterprise> stored = GetEnterprise("0100233488");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->status(), v1::ENTERPRISE_STATUS_DISSOLVED);
  EXPECT_EQ(stored->dissolution_date(), "2026-01-15");

  // The date, once recorded, stays: again on that date changes nothing, on another is
  // refused.
  dissolve.set_expected_version(2);
  status = Invoke(&v1::Registry::Stub::DissolveEnterprise, dissolve, &response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(response.version(), 2);
  dissolve.set_dissolution_date("2026-03-01");
  status = Invoke(&v1::Registry::Stub::DissolveEnterprise, dissolve, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_THAT(status.message(), HasSubstr("was dissolved on 2026-01-15"));
  EXPECT_EQ(GetEnterprise("0100233488")->dissolution_date(), "2026-01-15");

  // Naming no enterprise is bad input, not an enterprise "" that does not exist.
  dissolve.clear_tax_code();
  status = Invoke(&v1::Registry::Stub::DissolveEnterprise, dissolve, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(Violations(status), ElementsAre("tax_code [required]"));
  v1::SetAllowedIndicatorsRequest allow_nobody;
  allow_nobody.add_indicator_ids("dte_count");
  v1::ReportingUnit unit;
  status = Invoke(&v1::Registry::Stub::SetAllowedIndicators, allow_nobody, &unit);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(Violations(status), ElementsAre("reporting_unit_id [required]"));

  // Only DissolveEnterprise dissolves, and nothing revives.
  v1::UpdateEnterpriseRequest revive;
  *revive.mutable_enterprise() = *stored;
  revive.mutable_enterprise()->set_status(v1::ENTERPRISE_STATUS_ACTIVE);
  revive.mutable_update_mask()->add_paths("status");
  revive.set_expected_version(2);
  status = Invoke(&v1::Registry::Stub::UpdateEnterprise, revive, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(Violations(status), ::testing::Contains("enterprise.status [immutable]"));
}

// ---------------------------------------------------------------------------------------
// Imports and lists

v1::ImportOptions Upsert() {
  v1::ImportOptions options;
  options.set_mode(v1::IMPORT_MODE_UPSERT);
  return options;
}

std::string Summary(const v1::ImportSummary& summary) {
  return absl::StrCat("received ", summary.rows_received(), " created ", summary.rows_created(),
                      " updated ", summary.rows_updated(), " unchanged ",
                      summary.rows_unchanged(), " rejected ", summary.rows_rejected());
}

// However many rows are rejected, the response lists about 2 MiB of their results and counts
// the rest, so that a client taking 4 MiB still gets the summary.
TEST_F(RegistryServiceTest, AnImportListsRejectedRowsUpToABoundAndCountsTheRest) {
  ApplySeedPlan();
  std::vector<std::pair<int, v1::Enterprise>> rows;
  for (int i = 0; i < 8000; ++i) {
    v1::Enterprise bad = ValidEnterprise(absl::StrCat("not-a-tax-code-", i));
    bad.set_administrative_unit_code(absl::StrCat("nowhere-", i));
    bad.set_registration_date("someday");
    bad.add_categories("Not A Category");
    bad.set_name_en(std::string(600, 'x'));
    rows.emplace_back(i + 2, bad);
  }
  absl::StatusOr<v1::ImportEnterprisesResponse> imported =
      ImportEnterprises(rows, Upsert(), /*per_message=*/1000);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->summary().rows_received(), 8000);
  EXPECT_EQ(imported->summary().rows_rejected(), 8000);
  EXPECT_GT(imported->summary().results_omitted(), 0);
  EXPECT_EQ(imported->results_size() + imported->summary().results_omitted(), 8000);
  EXPECT_LE(imported->ByteSizeLong(), kMaxListedResultBytes + 1024);
  ASSERT_GT(imported->results_size(), 0);
  EXPECT_EQ(imported->results(0).row_number(), 2);  // the first rows are the ones listed
}

TEST_F(RegistryServiceTest, ImportEnterprisesCreatesThenReportsUnchanged) {
  ApplySeedPlan();
  const auto rows = EnterpriseRows();
  ASSERT_EQ(rows.size(), 450u);
  const int64_t n = static_cast<int64_t>(rows.size());
  const int64_t outbox = OutboxSize();

  absl::StatusOr<v1::ImportEnterprisesResponse> first = ImportEnterprises(rows, Upsert());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(Summary(first->summary()), Summary([&] {
              v1::ImportSummary s;
              s.set_rows_received(n);
              s.set_rows_created(n);
              return s;
            }()));
  EXPECT_THAT(first->results(), IsEmpty()) << first->results(0).DebugString();
  EXPECT_EQ(OutboxSize(), outbox + n);
  absl::StatusOr<v1::Enterprise> one = GetEnterprise(rows[0].second.tax_code());
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->name_vi(), rows[0].second.name_vi());
  EXPECT_EQ(one->version(), 1);
  EXPECT_EQ(one->audit().created_by(), kActor);

  absl::StatusOr<v1::ImportEnterprisesResponse> second = ImportEnterprises(rows, Upsert());
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->summary().rows_received(), n);
  EXPECT_EQ(second->summary().rows_unchanged(), n) << Summary(second->summary());
  EXPECT_EQ(OutboxSize(), outbox + n);

  v1::ImportOptions create_only;
  create_only.set_mode(v1::IMPORT_MODE_CREATE_ONLY);
  absl::StatusOr<v1::ImportEnterprisesResponse> third = ImportEnterprises(rows, create_only);
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(third->summary().rows_rejected(), n) << Summary(third->summary());
  ASSERT_EQ(third->results_size(), n);
  for (int i = 0; i < third->results_size(); ++i) {
    const v1::ImportRowResult& result = third->results(i);
    EXPECT_EQ(result.row_number(), rows[static_cast<size_t>(i)].first);
    EXPECT_EQ(result.key(), rows[static_cast<size_t>(i)].second.tax_code());
    EXPECT_EQ(result.outcome(), v1::IMPORT_OUTCOME_REJECTED);
    EXPECT_THAT(Violations(result), ElementsAre("tax_code [duplicate]"));
  }
  EXPECT_EQ(OutboxSize(), outbox + n);
}

TEST_F(RegistryServiceTest, ImportReportsRejectedRowsByNumberAndKeepsTheOthers) {
  ApplySeedPlan();
  std::vector<std::pair<int, v1::Enterprise>> rows = {
      {12, ValidEnterprise("0100233488")},
      {13, ValidEnterprise("0100233480")},
      {14, ValidEnterprise("3509001001")},
  };
  rows[2].second.set_administrative_unit_code("999");
  rows.push_back({15, ValidEnterprise("0314409058")});
  v1::ImportOptions options = Upsert();
  options.set_source_system("dkkd-export");
  absl::StatusOr<v1::ImportEnterprisesResponse> imported =
      ImportEnterprises(rows, options, /*per_message=*/2);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->summary().rows_received(), 4);
  EXPECT_EQ(imported->summary().rows_created(), 2);
  EXPECT_EQ(imported->summary().rows_rejected(), 2);
  ASSERT_EQ(imported->results_size(), 2);
  EXPECT_EQ(imported->results(0).row_number(), 13);
  EXPECT_EQ(imported->results(0).key(), "0100233480");
  EXPECT_THAT(Violations(imported->results(0)), ElementsAre("tax_code [check_digit]"));
  EXPECT_EQ(imported->results(1).row_number(), 14);
  EXPECT_THAT(Violations(imported->results(1)),
              ElementsAre("administrative_unit_code [unknown_reference]"));
  absl::StatusOr<v1::Enterprise> kept = GetEnterprise("0314409058");
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(kept->source_system(), "dkkd-export");
  EXPECT_EQ(GetEnterprise("3509001001").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(RegistryServiceTest, AnEntityTooLargeForAKafkaRecordIsRefusedAndLeavesNothingToRelay) {
  ApplySeedPlan();
  NewOutboxRecords();
  // The relay could never publish its event: it would try for ever, holding up every change
  // after it (token revocations among them).
  v1::Enterprise huge = ValidEnterprise("0314409058");
  huge.set_address(std::string(kafka::kMaxRecordBytes, 'x'));
  absl::StatusOr<v1::Enterprise> created = CreateEnterprise(huge);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument) << created.status();
  EXPECT_THAT(Violations(created.status()), ElementsAre("enterprise.address [too_large]"));
  EXPECT_THAT(created.status().message(), HasSubstr("shorten its address"));
  EXPECT_THAT(NewOutboxRecords(), IsEmpty());

  // In an import, that row alone is refused.
  absl::StatusOr<v1::ImportEnterprisesResponse> imported = ImportEnterprises(
      {{2, ValidEnterprise("0100233488")}, {3, huge}}, Upsert(), /*per_message=*/2);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->summary().rows_created(), 1);
  EXPECT_EQ(imported->summary().rows_rejected(), 1);
  ASSERT_EQ(imported->results_size(), 1);
  EXPECT_EQ(imported->results(0).row_number(), 3);
  EXPECT_THAT(Violations(imported->results(0)), ElementsAre("address [too_large]"));
  EXPECT_EQ(NewOutboxRecords().size(), 1u);

  // In a plan file, the violation names where the file holds the entity.
  v1::PlanFile plan = SeedPlan();
  ASSERT_GE(plan.plan().indicators_size(), 2);
  plan.mutable_plan()->mutable_indicators(1)->set_description_vi(
      std::string(kafka::kMaxRecordBytes, 'x'));
  absl::StatusOr<v1::ApplyPlanResponse> applied = ApplyPlan(plan);
  EXPECT_EQ(applied.status().code(), absl::StatusCode::kInvalidArgument) << applied.status();
  EXPECT_THAT(Violations(applied.status()),
              ElementsAre("plan.indicators[1].description_vi [too_large]"));
  EXPECT_THAT(NewOutboxRecords(), IsEmpty());
}

TEST_F(RegistryServiceTest, AnImportNeitherDissolvesNorRevivesAndKeepsTheDissolutionDate) {
  ApplySeedPlan();
  ASSERT_TRUE(CreateEnterprise(ValidEnterprise("0100233488")).ok());
  ASSERT_TRUE(CreateEnterprise(ValidEnterprise("0314409058")).ok());
  v1::DissolveEnterpriseRequest dissolve;
  dissolve.set_tax_code("0100233488");
  dissolve.set_dissolution_date("2026-01-15");
  dissolve.set_expected_version(1);
  v1::Enterprise dissolved;
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::DissolveEnterprise, dissolve, &dissolved).ok());

  // A re-export that lost the status (blank: active), and one that dissolves without a date.
  v1::Enterprise stale = ValidEnterprise("0100233488");
  stale.set_short_name("BIEN XANH");
  v1::Enterprise dissolving = ValidEnterprise("0314409058");
  dissolving.set_status(v1::ENTERPRISE_STATUS_DISSOLVED);
  absl::StatusOr<v1::ImportEnterprisesResponse> imported =
      ImportEnterprises({{2, stale}, {3, dissolving}}, Upsert());
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->summary().rows_rejected(), 2);
  ASSERT_EQ(imported->results_size(), 2);
  EXPECT_THAT(Violations(imported->results(0)), ::testing::Contains("status [immutable]"));
  EXPECT_THAT(Violations(imported->results(1)), ::testing::Contains("status [immutable]"));

  // A row of the dissolved one that keeps its status changes the rest, and its date stays;
  // one that gives another date is told it stays.
  stale.set_status(v1::ENTERPRISE_STATUS_DISSOLVED);
  v1::Enterprise redated = stale;
  redated.set_dissolution_date("2026-02-01");
  imported = ImportEnterprises({{2, redated}}, Upsert());
  ASSERT_TRUE(imported.ok()) << imported.status();
  ASSERT_EQ(imported->results_size(), 1);
  EXPECT_THAT(Violations(imported->results(0)), ElementsAre("dissolution_date [immutable]"));
  imported = ImportEnterprises({{2, stale}}, Upsert());
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->summary().rows_updated(), 1) << Summary(imported->summary());
  absl::StatusOr<v1::Enterprise> stored = GetEnterprise("0100233488");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->status(), v1::ENTERPRISE_STATUS_DISSOLVED);
  EXPECT_EQ(stored->dissolution_date(), "2026-01-15");
  EXPECT_EQ(stored->short_name(), "BIEN XANH");
  EXPECT_EQ(GetEnterprise("0314409058")->status(), v1::ENTERPRISE_STATUS_ACTIVE);
}

TEST_F(RegistryServiceTest, ImportDryRunWritesNothing) {
  ApplySeedPlan();
  const int64_t outbox = OutboxSize();
  const auto rows = EnterpriseRows();
  v1::ImportOptions options = Upsert();
  options.set_dry_run(true);
  absl::StatusOr<v1::ImportEnterprisesResponse> imported = ImportEnterprises(rows, options);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->summary().rows_received(), static_cast<int64_t>(rows.size()));
  EXPECT_EQ(imported->summary().rows_created(), static_cast<int64_t>(rows.size()))
      << Summary(imported->summary());
  EXPECT_EQ(OutboxSize(), outbox);
  EXPECT_EQ(GetEnterprise(rows[0].second.tax_code()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_THAT(ListAllEnterprises(v1::ListEnterprisesRequest()), IsEmpty());
}

TEST_F(RegistryServiceTest, ImportPublicServicesCreatesThenReportsUnchanged) {
  const auto rows = PublicServiceRows();
  ASSERT_EQ(rows.size(), 232u);
  const int64_t n = static_cast<int64_t>(rows.size());

  // Without the plan, the administrative and reporting units do not exist.
  absl::StatusOr<v1::ImportPublicServicesResponse> orphan = ImportPublicServices(rows, Upsert());
  ASSERT_TRUE(orphan.ok()) << orphan.status();
  EXPECT_EQ(orphan->summary().rows_rejected(), n) << Summary(orphan->summary());
  ASSERT_GT(orphan->results_size(), 0);
  EXPECT_THAT(Violations(orphan->results(0)),
              ::testing::Contains("administrative_unit_code [unknown_reference]"));
  EXPECT_EQ(OutboxSize(), 0);

  ApplySeedPlan();
  const int64_t outbox = OutboxSize();
  v1::ImportOptions dry = Upsert();
  dry.set_dry_run(true);
  absl::StatusOr<v1::ImportPublicServicesResponse> dry_run = ImportPublicServices(rows, dry);
  ASSERT_TRUE(dry_run.ok()) << dry_run.status();
  EXPECT_EQ(dry_run->summary().rows_created(), n) << Summary(dry_run->summary());
  EXPECT_EQ(OutboxSize(), outbox);

  absl::StatusOr<v1::ImportPublicServicesResponse> first = ImportPublicServices(rows, Upsert());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->summary().rows_received(), n);
  EXPECT_EQ(first->summary().rows_created(), n) << Summary(first->summary());
  EXPECT_EQ(OutboxSize(), outbox + n);

  absl::StatusOr<v1::ImportPublicServicesResponse> second = ImportPublicServices(rows, Upsert());
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->summary().rows_unchanged(), n) << Summary(second->summary());
  EXPECT_EQ(OutboxSize(), outbox + n);

  v1::ImportOptions create_only;
  create_only.set_mode(v1::IMPORT_MODE_CREATE_ONLY);
  absl::StatusOr<v1::ImportPublicServicesResponse> third =
      ImportPublicServices(rows, create_only);
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(third->summary().rows_rejected(), n);
  ASSERT_EQ(third->results_size(), n);
  EXPECT_EQ(third->results(0).row_number(), rows[0].first);
  EXPECT_THAT(Violations(third->results(0)), ElementsAre("id [duplicate]"));

  v1::ListPublicServicesRequest list;
  list.set_page_size(1000);
  list.set_owning_reporting_unit_id("dept-st");
  v1::ListPublicServicesResponse listed;
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::ListPublicServices, list, &listed).ok());
  const auto owned = std::count_if(rows.begin(), rows.end(), [](const auto& row) {
    return row.second.owning_reporting_unit_id() == "dept-st";
  });
  EXPECT_EQ(listed.public_services_size(), owned);
}

// A stored entity the registry cannot read is a failure of the store, answered as one
// (DATA_LOSS naming it), not as an unknown reference the caller would go looking for.
TEST_F(RegistryServiceTest, AnUnreadableReferenceIsAStoreFailureNotAnUnknownOne) {
  ApplySeedPlan();
  ASSERT_TRUE(application_->store()
                  .Write({"test", "corrupt"}, /*dry_run=*/false,
                         [](RegistryWrite& write) {
                           StoredEntity garbage;
                           garbage.version = 9;
                           garbage.body = "\xff\xff not a reporting unit";
                           return write.Put(v1::ENTITY_KIND_REPORTING_UNIT, "dept-st", garbage,
                                            v1::CHANGE_TYPE_UPDATED, "", {});
                         })
                  .ok());
  v1::IssueTokenRequest issue;
  issue.set_reporting_unit_id("dept-st");
  issue.set_description("test");
  v1::IssueTokenResponse issued;
  const absl::Status refused = Invoke(&v1::Registry::Stub::IssueToken, issue, &issued);
  EXPECT_EQ(refused.code(), absl::StatusCode::kDataLoss) << refused;
  EXPECT_THAT(refused.message(), HasSubstr("reporting_unit/dept-st version 9 does not parse"));

  auto rows = PublicServiceRows();
  const auto owned = std::find_if(rows.begin(), rows.end(), [](const auto& row) {
    return row.second.owning_reporting_unit_id() == "dept-st";
  });
  ASSERT_NE(owned, rows.end());
  absl::StatusOr<v1::ImportPublicServicesResponse> imported =
      ImportPublicServices({*owned}, Upsert());
  EXPECT_EQ(imported.status().code(), absl::StatusCode::kDataLoss) << imported.status();
}

// A stream keeps what its rows referred to only once found: a reporting unit created by
// another call while the stream runs is seen by the rows after it.
TEST_F(RegistryServiceTest, ImportSeesAReportingUnitCreatedWhileItStreams) {
  ApplySeedPlan();
  const auto rows = PublicServiceRows();
  ASSERT_GE(rows.size(), 2u);
  const v1::PublicService& existing_owner = rows[0].second;
  v1::PublicService new_owner = rows[1].second;
  new_owner.set_owning_reporting_unit_id("dept-test");

  std::unique_ptr<grpc::ClientContext> context = Context(kActor);
  v1::ImportPublicServicesResponse response;
  std::unique_ptr<grpc::ClientWriter<v1::ImportPublicServicesRequest>> writer =
      stub_->ImportPublicServices(context.get(), &response);
  v1::ImportPublicServicesRequest before;
  *before.mutable_options() = Upsert();
  auto* row = before.add_rows();
  row->set_row_number(1);
  *row->mutable_public_service() = existing_owner;
  row = before.add_rows();
  row->set_row_number(2);
  *row->mutable_public_service() = new_owner;
  ASSERT_TRUE(writer->Write(before));
  // The first message is done once its created row can be read.
  v1::GetPublicServiceRequest get;
  get.set_id(existing_owner.id());
  v1::PublicService got;
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (!Invoke(&v1::Registry::Stub::GetPublicService, get, &got).ok()) {
    ASSERT_LT(absl::Now(), give_up) << "the first message was not committed";
    absl::SleepFor(absl::Milliseconds(20));
  }

  absl::StatusOr<v1::ReportingUnit> created_unit = CreateTestUnit();
  ASSERT_TRUE(created_unit.ok()) << created_unit.status();

  v1::ImportPublicServicesRequest after;
  row = after.add_rows();
  row->set_row_number(3);
  *row->mutable_public_service() = new_owner;
  ASSERT_TRUE(writer->Write(after));
  writer->WritesDone();
  ASSERT_TRUE(writer->Finish().ok());
  EXPECT_EQ(response.summary().rows_created(), 2) << Summary(response.summary());
  EXPECT_EQ(response.summary().rows_rejected(), 1);
  ASSERT_EQ(response.results_size(), 1);
  EXPECT_EQ(response.results(0).row_number(), 2);
  EXPECT_THAT(Violations(response.results(0)),
              ElementsAre("owning_reporting_unit_id [unknown_reference]"));
}

class EnterpriseListTest : public RegistryServiceTest {
 protected:
  void SetUp() override {
    RegistryServiceTest::SetUp();
    if (HasFatalFailure()) return;
    file_ = SeedPlan();
    ApplySeedPlan();
    if (HasFatalFailure()) return;
    rows_ = EnterpriseRows();
    absl::StatusOr<v1::ImportEnterprisesResponse> imported = ImportEnterprises(rows_, Upsert());
    ASSERT_TRUE(imported.ok()) << imported.status();
    ASSERT_EQ(imported->summary().rows_created(), static_cast<int64_t>(rows_.size()));
    for (const v1::AdministrativeUnit& unit : file_.administrative_units()) {
      ASSERT_TRUE(units_.Upsert(unit).ok());
    }
  }

  // The tax codes of the CSV rows `keep` accepts, in key order.
  std::vector<std::string> Expected(const std::function<bool(const v1::Enterprise&)>& keep) {
    std::vector<std::string> keys;
    for (const auto& [line, enterprise] : rows_) {
      if (keep(enterprise)) keys.push_back(enterprise.tax_code());
    }
    std::sort(keys.begin(), keys.end());
    return keys;
  }

  static bool Has(const google::protobuf::RepeatedPtrField<std::string>& list,
                  const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
  }

  v1::PlanFile file_;
  std::vector<std::pair<int, v1::Enterprise>> rows_;
  core::AdministrativeUnits units_;
};

TEST_F(EnterpriseListTest, EveryFilterKeepsExactlyTheMatchingEnterprises) {
  EXPECT_THAT(ListAllEnterprises(v1::ListEnterprisesRequest()),
              ElementsAreArray(Expected([](const v1::Enterprise&) { return true; })));

  // Vũng Tàu city: its own enterprises, and those of Ho Chi Minh City, which it became part
  // of — the core's InArea.
  v1::ListEnterprisesRequest area;
  area.set_administrative_unit_code("747");
  google::protobuf::RepeatedPtrField<std::string> areas;
  *areas.Add() = "747";
  const std::vector<std::string> in_area = Expected([&](const v1::Enterprise& e) {
    return units_.InArea(e.administrative_unit_code(), areas);
  });
  const std::vector<std::string> in_city =
      Expected([](const v1::Enterprise& e) { return e.administrative_unit_code() == "747"; });
  EXPECT_GT(in_area.size(), in_city.size());
  EXPECT_THAT(ListAllEnterprises(area), ElementsAreArray(in_area));
  for (const std::string& key : in_city) {
    EXPECT_TRUE(std::binary_search(in_area.begin(), in_area.end(), key)) << key;
  }
  for (const std::string& key :
       Expected([](const v1::Enterprise& e) { return e.administrative_unit_code() == "748"; })) {
    EXPECT_FALSE(std::binary_search(in_area.begin(), in_area.end(), key)) << key;
  }

  v1::ListEnterprisesRequest categories;
  categories.add_categories("innovative_startup");
  categories.add_categories("digital_technology");
  const auto both = Expected([](const v1::Enterprise& e) {
    return Has(e.categories(), "innovative_startup") && Has(e.categories(), "digital_technology");
  });
  EXPECT_FALSE(both.empty());
  EXPECT_THAT(ListAllEnterprises(categories), ElementsAreArray(both));

  v1::ListEnterprisesRequest capabilities;
  capabilities.add_capabilities("dx_solutions");
  const auto capable =
      Expected([](const v1::Enterprise& e) { return Has(e.capabilities(), "dx_solutions"); });
  EXPECT_FALSE(capable.empty());
  EXPECT_THAT(ListAllEnterprises(capabilities), ElementsAreArray(capable));

  v1::ListEnterprisesRequest statuses;
  statuses.add_statuses(v1::ENTERPRISE_STATUS_DISSOLVED);
  statuses.add_statuses(v1::ENTERPRISE_STATUS_SUSPENDED);
  const auto inactive = Expected([](const v1::Enterprise& e) {
    return e.status() == v1::ENTERPRISE_STATUS_DISSOLVED ||
           e.status() == v1::ENTERPRISE_STATUS_SUSPENDED;
  });
  EXPECT_FALSE(inactive.empty());
  EXPECT_THAT(ListAllEnterprises(statuses), ElementsAreArray(inactive));

  v1::ListEnterprisesRequest registered;
  registered.set_registered_from("2024-01-01");
  registered.set_registered_to("2024-12-31");
  const auto in_2024 = Expected([](const v1::Enterprise& e) {
    return e.registration_date() >= "2024-01-01" && e.registration_date() <= "2024-12-31";
  });
  EXPECT_FALSE(in_2024.empty());
  EXPECT_THAT(ListAllEnterprises(registered), ElementsAreArray(in_2024));

  v1::ListEnterprisesRequest combined = area;
  combined.add_categories("digital_technology");
  combined.set_registered_from("2023-06-01");
  EXPECT_THAT(ListAllEnterprises(combined), ElementsAreArray(Expected([&](const v1::Enterprise& e) {
                return units_.InArea(e.administrative_unit_code(), areas) &&
                       Has(e.categories(), "digital_technology") &&
                       e.registration_date() >= "2023-06-01";
              })));
}

TEST_F(EnterpriseListTest, PagesOfSevenReturnEveryMatchOnceInKeyOrder) {
  v1::ListEnterprisesRequest area;
  area.set_administrative_unit_code("747");
  google::protobuf::RepeatedPtrField<std::string> areas;
  *areas.Add() = "747";
  const std::vector<std::string> expected = Expected(
      [&](const v1::Enterprise& e) { return units_.InArea(e.administrative_unit_code(), areas); });
  ASSERT_GT(expected.size(), 7u);
  EXPECT_THAT(ListAllEnterprises(area, /*page_size=*/7), ElementsAreArray(expected));
  EXPECT_THAT(ListAllEnterprises(v1::ListEnterprisesRequest(), 7),
              ElementsAreArray(Expected([](const v1::Enterprise&) { return true; })));
}

TEST_F(EnterpriseListTest, PageTokenOfOtherFiltersIsRefused) {
  v1::ListEnterprisesRequest request;
  request.set_page_size(7);
  request.set_administrative_unit_code("747");
  v1::ListEnterprisesResponse first;
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::ListEnterprises, request, &first).ok());
  ASSERT_FALSE(first.next_page_token().empty());

  request.set_page_token(first.next_page_token());
  request.set_administrative_unit_code("748");
  v1::ListEnterprisesResponse next;
  EXPECT_EQ(Invoke(&v1::Registry::Stub::ListEnterprises, request, &next).code(),
            absl::StatusCode::kInvalidArgument);
  request.set_administrative_unit_code("747");
  request.add_statuses(v1::ENTERPRISE_STATUS_ACTIVE);
  EXPECT_EQ(Invoke(&v1::Registry::Stub::ListEnterprises, request, &next).code(),
            absl::StatusCode::kInvalidArgument);
  request.set_page_token("not-a-token");
  request.clear_statuses();
  EXPECT_EQ(Invoke(&v1::Registry::Stub::ListEnterprises, request, &next).code(),
            absl::StatusCode::kInvalidArgument);
  // A different page size is not a different filter.
  request.set_page_token(first.next_page_token());
  request.set_page_size(3);
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::ListEnterprises, request, &next).ok());
  ASSERT_GT(next.enterprises_size(), 0);
  EXPECT_GT(next.enterprises(0).tax_code(), first.enterprises(6).tax_code());
}

// ---------------------------------------------------------------------------------------
// Tokens

TEST_F(RegistryServiceTest, TokenIsShownOnceAndOnlyItsHashIsKept) {
  ApplySeedPlan();
  NewOutboxRecords();
  v1::IssueTokenRequest issue;
  issue.set_reporting_unit_id("dept-st");
  issue.set_description("DST connector, test");
  v1::IssueTokenResponse issued;
  absl::Status status = Invoke(&v1::Registry::Stub::IssueToken, issue, &issued);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_THAT(issued.bearer_token(),
              ::testing::MatchesRegex("tdo1\\.[a-z2-7]{16}\\.[A-Za-z0-9_-]{43}"));
  const std::vector<std::string> parts = absl::StrSplit(issued.bearer_token(), '.');
  ASSERT_THAT(parts, SizeIs(3));
  EXPECT_EQ(issued.token().token_id(), parts[1]);
  EXPECT_EQ(issued.token().reporting_unit_id(), "dept-st");
  EXPECT_EQ(issued.token().created_by(), kActor);
  EXPECT_EQ(issued.token().version(), 1);
  const std::string secret = parts[2];
  const std::string hash = Sha256(issued.bearer_token());

  events::v1::RegistryEvent event =
      ExpectOneEvent(absl::StrCat("reporting_token/", parts[1]), 1);
  EXPECT_EQ(event.reporting_token().secret_sha256(), hash);
  EXPECT_EQ(event.reporting_token().token().token_id(), parts[1]);
  EXPECT_EQ(event.SerializeAsString().find(secret), std::string::npos)
      << "the event must not carry the secret";

  v1::IssueTokenResponse another;
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::IssueToken, issue, &another).ok());
  EXPECT_NE(another.bearer_token(), issued.bearer_token());
  NewOutboxRecords();

  v1::ListTokensRequest list;
  list.set_reporting_unit_id("dept-st");
  v1::ListTokensResponse listed;
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::ListTokens, list, &listed).ok());
  ASSERT_EQ(listed.tokens_size(), 2);
  const std::string wire = listed.SerializeAsString();
  for (const std::string& leak : {issued.bearer_token(), secret, hash,
                                  another.bearer_token(), Sha256(another.bearer_token())}) {
    EXPECT_EQ(wire.find(leak), std::string::npos);
  }

  // Revoke: revoked_at from the clock; a second revoke returns it unchanged.
  Advance(absl::Minutes(5));
  const absl::Time revoked_at = Now();
  v1::RevokeTokenRequest revoke;
  revoke.set_token_id(issued.token().token_id());
  v1::ReportingToken revoked;
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::RevokeToken, revoke, &revoked).ok());
  EXPECT_EQ(google::protobuf::util::TimeUtil::TimestampToMicroseconds(revoked.revoked_at()),
            absl::ToUnixMicros(revoked_at));
  EXPECT_EQ(revoked.revoked_by(), kActor);
  EXPECT_EQ(revoked.version(), 2);
  ExpectOneEvent(absl::StrCat("reporting_token/", parts[1]), 2);

  Advance(absl::Minutes(5));
  v1::ReportingToken again;
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::RevokeToken, revoke, &again, "ops:someone.else").ok());
  EXPECT_EQ(again.SerializeAsString(), revoked.SerializeAsString());
  EXPECT_THAT(NewOutboxRecords(), IsEmpty());

  listed.Clear();
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::ListTokens, list, &listed).ok());
  ASSERT_EQ(listed.tokens_size(), 1);
  EXPECT_EQ(listed.tokens(0).token_id(), another.token().token_id());
  list.set_include_inactive(true);
  listed.Clear();
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::ListTokens, list, &listed).ok());
  EXPECT_EQ(listed.tokens_size(), 2);

  // dept-ic merged into dept-st: it may still correct the periods it covered.
  v1::IssueTokenRequest merged;
  merged.set_reporting_unit_id("dept-ic");
  merged.set_description("old connector, late corrections");
  v1::IssueTokenResponse late;
  EXPECT_TRUE(Invoke(&v1::Registry::Stub::IssueToken, merged, &late).ok());
  EXPECT_FALSE(late.token().has_expires_at()) << "no ttl: it never expires";
  v1::IssueTokenRequest day = merged;
  day.mutable_ttl()->set_seconds(86400);
  v1::IssueTokenResponse for_a_day;
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::IssueToken, day, &for_a_day).ok());
  EXPECT_EQ(for_a_day.token().expires_at().seconds() - for_a_day.token().created_at().seconds(),
            86400);

  // A suspended unit gets no token.
  v1::GetReportingUnitRequest get;
  get.set_id("dept-pi");
  v1::ReportingUnit current;
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::GetReportingUnit, get, &current).ok());
  v1::UpdateReportingUnitRequest suspend;
  suspend.mutable_reporting_unit()->set_id("dept-pi");
  suspend.mutable_reporting_unit()->set_status(v1::REPORTING_UNIT_STATUS_SUSPENDED);
  suspend.mutable_update_mask()->add_paths("status");
  suspend.set_expected_version(current.version());
  v1::ReportingUnit suspended;
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::UpdateReportingUnit, suspend, &suspended).ok());
  EXPECT_EQ(NewOutboxRecords().size(), 3u);  // dept-ic's tokens, dept-pi's suspension
  v1::IssueTokenRequest barred;
  barred.set_reporting_unit_id("dept-pi");
  barred.set_description("while suspended");
  v1::IssueTokenResponse refused;
  EXPECT_EQ(Invoke(&v1::Registry::Stub::IssueToken, barred, &refused).code(),
            absl::StatusCode::kFailedPrecondition);

  v1::IssueTokenRequest unknown;
  unknown.set_reporting_unit_id("dept-nowhere");
  unknown.set_description("nobody");
  v1::IssueTokenResponse none;
  EXPECT_EQ(Invoke(&v1::Registry::Stub::IssueToken, unknown, &none).code(),
            absl::StatusCode::kNotFound);

  // A request that names nothing, or a lifetime past ten years, is bad input.
  v1::IssueTokenRequest unnamed;
  unnamed.set_description("no unit");
  absl::Status refusal = Invoke(&v1::Registry::Stub::IssueToken, unnamed, &none);
  EXPECT_EQ(refusal.code(), absl::StatusCode::kInvalidArgument) << refusal;
  EXPECT_THAT(Violations(refusal), ElementsAre("reporting_unit_id [required]"));
  v1::IssueTokenRequest endless = merged;
  endless.mutable_ttl()->set_seconds(int64_t{300} * 1000 * 1000 * 1000);  // past year 9999
  refusal = Invoke(&v1::Registry::Stub::IssueToken, endless, &none);
  EXPECT_EQ(refusal.code(), absl::StatusCode::kInvalidArgument) << refusal;
  EXPECT_THAT(Violations(refusal), ElementsAre("ttl [out_of_range]"));
  // A lifetime is whole seconds: under one, it would be an expiry already past, and its nanos
  // dropped, one that never comes.
  for (int64_t seconds : {0, 1}) {
    v1::IssueTokenRequest fractional = merged;
    fractional.mutable_ttl()->set_seconds(seconds);
    fractional.mutable_ttl()->set_nanos(500);
    refusal = Invoke(&v1::Registry::Stub::IssueToken, fractional, &none);
    EXPECT_EQ(refusal.code(), absl::StatusCode::kInvalidArgument) << refusal;
    EXPECT_THAT(Violations(refusal), ElementsAre("ttl [out_of_range]"));
    EXPECT_THAT(refusal.message(), HasSubstr("whole seconds"));
  }
  v1::IssueTokenRequest rambling = merged;
  rambling.set_description(absl::StrCat("Kết nối ", std::string(200, 'x')));
  refusal = Invoke(&v1::Registry::Stub::IssueToken, rambling, &none);
  EXPECT_EQ(refusal.code(), absl::StatusCode::kInvalidArgument) << refusal;
  EXPECT_THAT(Violations(refusal), ElementsAre("description [too_long]"));
  EXPECT_THAT(refusal.message(), HasSubstr("208 characters; at most 200"));
  v1::RevokeTokenRequest revoke_nothing;
  v1::ReportingToken not_revoked;
  refusal = Invoke(&v1::Registry::Stub::RevokeToken, revoke_nothing, &not_revoked);
  EXPECT_EQ(refusal.code(), absl::StatusCode::kInvalidArgument) << refusal;
  EXPECT_THAT(Violations(refusal), ElementsAre("token_id [required]"));
  EXPECT_THAT(NewOutboxRecords(), IsEmpty());
}

// ---------------------------------------------------------------------------------------
// Outbox

TEST_F(RegistryServiceTest, EveryCommittedVersionHasExactlyOneEventAndFailuresHaveNone) {
  ApplySeedPlan();
  NewOutboxRecords();

  absl::StatusOr<v1::Enterprise> created = CreateEnterprise(ValidEnterprise());
  ASSERT_TRUE(created.ok()) << created.status();
  events::v1::RegistryEvent event = ExpectOneEvent("enterprise/0100233488", created->version());
  EXPECT_EQ(event.entity_kind(), v1::ENTITY_KIND_ENTERPRISE);
  EXPECT_EQ(event.enterprise().SerializeAsString(), created->SerializeAsString());

  EXPECT_FALSE(CreateEnterprise(ValidEnterprise()).ok());  // duplicate
  EXPECT_FALSE(CreateEnterprise(ValidEnterprise("0100233480")).ok());
  EXPECT_THAT(NewOutboxRecords(), IsEmpty());

  v1::UpdateEnterpriseRequest update;
  *update.mutable_enterprise() = *created;
  update.mutable_enterprise()->set_short_name("BIEN XANH");
  update.mutable_update_mask()->add_paths("short_name");
  update.set_expected_version(7);
  v1::Enterprise updated;
  EXPECT_EQ(Invoke(&v1::Registry::Stub::UpdateEnterprise, update, &updated).code(),
            absl::StatusCode::kAborted);
  EXPECT_THAT(NewOutboxRecords(), IsEmpty());
  update.set_expected_version(1);
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::UpdateEnterprise, update, &updated).ok());
  event = ExpectOneEvent("enterprise/0100233488", updated.version());
  EXPECT_EQ(updated.version(), 2);
  EXPECT_EQ(event.enterprise().short_name(), "BIEN XANH");

  // An update that changes nothing commits nothing.
  update.set_expected_version(2);
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::UpdateEnterprise, update, &updated).ok());
  EXPECT_EQ(updated.version(), 2);
  EXPECT_THAT(NewOutboxRecords(), IsEmpty());

  v1::DissolveEnterpriseRequest dissolve;
  dissolve.set_tax_code("0100233488");
  dissolve.set_dissolution_date("2026-02-01");
  dissolve.set_expected_version(2);
  v1::Enterprise dissolved;
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::DissolveEnterprise, dissolve, &dissolved).ok());
  ExpectOneEvent("enterprise/0100233488", dissolved.version());

  absl::StatusOr<v1::ReportingUnit> created_unit = CreateTestUnit();
  ASSERT_TRUE(created_unit.ok()) << created_unit.status();
  ExpectOneEvent("reporting_unit/dept-test", created_unit->version());

  v1::SetAllowedIndicatorsRequest allow;
  allow.set_reporting_unit_id("dept-test");
  allow.add_indicator_ids("procedure_results_digitised");
  allow.set_expected_version(1);
  v1::ReportingUnit allowed;
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::SetAllowedIndicators, allow, &allowed).ok());
  event = ExpectOneEvent("reporting_unit/dept-test", allowed.version());
  EXPECT_EQ(allowed.version(), 2);
  EXPECT_THAT(event.reporting_unit().allowed_indicator_ids(),
              ElementsAre("procedure_results_digitised"));

  v1::CreatePublicServiceRequest create_service;
  *create_service.mutable_public_service() = ValidPublicService();
  v1::PublicService service;
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::CreatePublicService, create_service, &service).ok());
  ExpectOneEvent("public_service/77:1.004227", service.version());

  v1::UpdatePublicServiceRequest update_service;
  *update_service.mutable_public_service() = service;
  update_service.mutable_public_service()->set_name_en("Test licence");
  update_service.mutable_update_mask()->add_paths("name_en");
  update_service.set_expected_version(1);
  ASSERT_TRUE(
      Invoke(&v1::Registry::Stub::UpdatePublicService, update_service, &service).ok());
  EXPECT_EQ(service.version(), 2);
  ExpectOneEvent("public_service/77:1.004227", 2);
}

TEST_F(RegistryServiceTest, WriteWithoutActorIsAuditedWithThePeer) {
  ApplySeedPlan();
  v1::CreateEnterpriseRequest request;
  *request.mutable_enterprise() = ValidEnterprise();
  v1::Enterprise created;
  ASSERT_TRUE(Invoke(&v1::Registry::Stub::CreateEnterprise, request, &created, /*actor=*/"").ok());
  EXPECT_THAT(created.audit().created_by(), ::testing::StartsWith("anonymous (ipv4:127.0.0.1:"));
  EXPECT_EQ(created.audit().updated_by(), created.audit().created_by());
}

// gRPC carries only printable ASCII in plain metadata: a Vietnamese name comes as
// tiendo-actor-bin, and is recorded as it was written.
TEST_F(RegistryServiceTest, AnActorNameBeyondAsciiComesInTheBinaryMetadata) {
  ApplySeedPlan();
  v1::CreateEnterpriseRequest request;
  *request.mutable_enterprise() = ValidEnterprise();
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  context.AddMetadata("tiendo-actor-bin", "ops:Nguyễn Văn A");
  v1::Enterprise created;
  const grpc::Status status = stub_->CreateEnterprise(&context, request, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.audit().created_by(), "ops:Nguyễn Văn A");
}

}  // namespace
}  // namespace tiendo::registry
