// The registry against the run's real broker: what it commits to SQLite reaches
// tiendo.registry.v1 exactly once per entity version — a plan applied twice publishes
// nothing the second time, the topic alone rebuilds the imported enterprises, and a kill -9
// in the middle of an import loses nothing the client was told was committed.
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/common/planfile/plan_file_loader.h"
#include "services/common/rows/csv_reader.h"
#include "services/common/rows/proto_row.h"
#include "services/common/rows/registry_columns.h"
#include "tests/support/http_get.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/metric_series.h"
#include "tests/support/registry_topic.h"
#include "tests/support/service_under_test.h"
#include "tests/support/source_file.h"
#include "tests/support/synthetic_enterprises.h"
#include "tiendo/registry/v1/registry.grpc.pb.h"

namespace tiendo {
namespace {

namespace v1 = registry::v1;
using ::testing::Each;
using ::testing::Eq;

class RegistryOutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> bootstrap = testing::SharedBrokerBootstrap();
    ASSERT_TRUE(bootstrap.ok()) << bootstrap.status();
    bootstrap_ = *bootstrap;
    std::random_device random;
    prefix_ = absl::StrCat("it.registry.", random() % 1000000, ".");
    dir_ = testing::MakeTempDir("registry");
    StartRegistry();
  }

  // Starts (or restarts) the registry on the test's database and waits for SERVING.
  void StartRegistry() {
    auto service = testing::StartService(
        TIENDO_REGISTRY_BINARY, "tiendo-registry", bootstrap_, prefix_, dir_,
        {"--shutdown-timeout=10s", absl::StrCat("--database=", dir_, "/registry.db")});
    ASSERT_TRUE(service.ok()) << service.status();
    registry_ = std::make_unique<testing::ServiceUnderTest>(*std::move(service));
    ASSERT_TRUE(testing::WaitUntil(
        [&] {
          auto status = testing::HealthStatus(registry_->address());
          return status.ok() && *status == grpc::health::v1::HealthCheckResponse::SERVING;
        },
        absl::Seconds(60)))
        << "the registry never reported SERVING; log:\n" << registry_->process->Log();
    stub_ = v1::Registry::NewStub(
        grpc::CreateChannel(registry_->address(), grpc::InsecureChannelCredentials()));
  }

  std::unique_ptr<grpc::ClientContext> Context(absl::Duration timeout = absl::Seconds(30)) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    context->AddMetadata("tiendo-actor", "it:registry-outbox-test");
    return context;
  }

  // A value of the registry's Prometheus metric `name` (no labels), or -1.
  double Metric(const std::string& name) {
    auto metrics = testing::HttpGet(registry_->admin_port, "/metrics");
    if (!metrics.ok()) return -1;
    return testing::MetricSeries(metrics->body, name).value_or(-1);
  }

  // Waits until the relay has emptied the outbox.
  void WaitForRelay() {
    ASSERT_TRUE(testing::WaitUntil(
        [&] { return Metric("tiendo_registry_outbox_pending_records") == 0; },
        absl::Seconds(60)))
        << "the outbox never drained; log:\n" << registry_->process->Log();
  }

  v1::ApplyPlanResponse ApplySeedPlan() {
    planfile::LoadedPlanFile file =
        planfile::LoadPlanFile(testing::ReadSourceFile("plans/brvt-63-kh-ubnd.yaml"));
    EXPECT_TRUE(file.plan_file.has_value());
    v1::ApplyPlanRequest request;
    *request.mutable_plan_file() = *file.plan_file;
    v1::ApplyPlanResponse response;
    grpc::Status status = stub_->ApplyPlan(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // Imports `enterprises` in one stream, `per_message` rows per message.
  grpc::Status Import(const std::vector<v1::Enterprise>& enterprises, int per_message,
                      v1::ImportEnterprisesResponse* response) {
    auto context = Context(absl::Seconds(120));
    auto stream = stub_->ImportEnterprises(context.get(), response);
    v1::ImportEnterprisesRequest request;
    request.mutable_options()->set_source_system("registry-outbox-test");
    for (size_t i = 0; i < enterprises.size(); ++i) {
      v1::EnterpriseImportRow* row = request.add_rows();
      row->set_row_number(static_cast<int64_t>(i) + 2);
      *row->mutable_enterprise() = enterprises[i];
      if (request.rows_size() == per_message || i + 1 == enterprises.size()) {
        if (!stream->Write(request)) break;
        request.Clear();
      }
    }
    stream->WritesDone();
    return stream->Finish();
  }

  // Every enterprise the registry lists, by tax code.
  std::map<std::string, v1::Enterprise> ListedEnterprises() {
    std::map<std::string, v1::Enterprise> listed;
    v1::ListEnterprisesRequest request;
    request.set_page_size(1000);
    do {
      v1::ListEnterprisesResponse page;
      grpc::Status status = stub_->ListEnterprises(Context().get(), request, &page);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const v1::Enterprise& enterprise : page.enterprises()) {
        listed[enterprise.tax_code()] = enterprise;
      }
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return listed;
  }

  std::string bootstrap_;
  std::string prefix_;
  std::string dir_;
  std::unique_ptr<testing::ServiceUnderTest> registry_;
  std::unique_ptr<v1::Registry::Stub> stub_;
};

TEST_F(RegistryOutboxTest, SeedPlanAppliedTwicePublishesOnlyTheFirstTime) {
  const v1::ApplyPlanResponse first = ApplySeedPlan();
  ASSERT_GT(first.changes_size(), 20);
  for (const v1::EntityChange& change : first.changes()) {
    EXPECT_EQ(change.change(), v1::CHANGE_TYPE_CREATED) << change.entity_key();
  }
  WaitForRelay();
  const double published = Metric("tiendo_registry_outbox_published_total");
  EXPECT_EQ(published, first.changes_size());

  const v1::ApplyPlanResponse second = ApplySeedPlan();
  ASSERT_EQ(second.changes_size(), first.changes_size());
  for (const v1::EntityChange& change : second.changes()) {
    EXPECT_EQ(change.change(), v1::CHANGE_TYPE_UNCHANGED) << change.entity_key();
    EXPECT_EQ(change.version(), 1) << change.entity_key();
  }
  WaitForRelay();
  EXPECT_EQ(Metric("tiendo_registry_outbox_published_total"), published);

  // On the topic: one event per entity, version 1, and nothing else.
  absl::StatusOr<testing::RegistryTopicContents> topic =
      testing::ReadRegistryTopic(bootstrap_, prefix_, absl::Seconds(60));
  ASSERT_TRUE(topic.ok()) << topic.status();
  EXPECT_EQ(topic->records, first.changes_size());
  for (const auto& [key, versions] : topic->versions) {
    EXPECT_EQ(versions, (std::map<int64_t, int>{{1, 1}})) << key;
  }
}

TEST_F(RegistryOutboxTest, TopicAloneRebuildsTheImportedEnterprises) {
  ApplySeedPlan();
  // The synthetic enterprises, read from the CSV the way the importer does.
  absl::StatusOr<rows::CsvTable> table = rows::ReadCsv(testing::ReadSourceFile("data/synthetic/enterprises.csv"));
  ASSERT_TRUE(table.ok()) << table.status();
  absl::StatusOr<rows::ProtoRowMapping> mapping = rows::ProtoRowMapping::Create(
      *v1::Enterprise::descriptor(), table->header, rows::EnterpriseColumnAliases());
  ASSERT_TRUE(mapping.ok()) << mapping.status();
  std::vector<v1::Enterprise> enterprises;
  for (const rows::CsvRecord& record : table->records) {
    ASSERT_TRUE(mapping->Fill(record.cells, enterprises.emplace_back()).ok()) << record.line;
  }
  v1::ImportEnterprisesResponse imported;
  grpc::Status status = Import(enterprises, 100, &imported);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(imported.summary().rows_created(), static_cast<int64_t>(enterprises.size()))
      << imported.DebugString().substr(0, 2000);

  // Dissolve one and update another: versions 2 must reach the topic too.
  const std::map<std::string, v1::Enterprise> before = ListedEnterprises();
  ASSERT_EQ(before.size(), enterprises.size());
  v1::DissolveEnterpriseRequest dissolve;
  dissolve.set_tax_code(before.begin()->first);
  dissolve.set_dissolution_date("2026-06-30");
  dissolve.set_expected_version(1);
  v1::Enterprise dissolved;
  status = stub_->DissolveEnterprise(Context().get(), dissolve, &dissolved);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(dissolved.version(), 2);

  const std::map<std::string, v1::Enterprise> listed = ListedEnterprises();
  WaitForRelay();
  absl::StatusOr<testing::RegistryTopicContents> topic =
      testing::ReadRegistryTopic(bootstrap_, prefix_, absl::Seconds(60));
  ASSERT_TRUE(topic.ok()) << topic.status();
  std::map<std::string, v1::Enterprise> rebuilt;
  for (const auto& [key, event] : topic->latest) {
    if (event.has_enterprise()) rebuilt[event.enterprise().tax_code()] = event.enterprise();
  }
  ASSERT_EQ(rebuilt.size(), listed.size());
  for (const auto& [tax_code, enterprise] : listed) {
    ASSERT_TRUE(rebuilt.contains(tax_code)) << tax_code;
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(rebuilt[tax_code], enterprise))
        << tax_code << "\nlisted: " << enterprise.ShortDebugString()
        << "\nfrom topic: " << rebuilt[tax_code].ShortDebugString();
    // One event per version, no more.
    const auto& versions = topic->versions[absl::StrCat("enterprise/", tax_code)];
    EXPECT_EQ(static_cast<int64_t>(versions.size()), enterprise.version()) << tax_code;
    for (const auto& [version, count] : versions) EXPECT_EQ(count, 1) << tax_code << " v" << version;
  }
}

TEST_F(RegistryOutboxTest, KillDuringImportLosesNothingCommitted) {
  ApplySeedPlan();
  // Many small imports, one after another, so that each answer tells the client that its
  // rows are committed; the registry is killed while they run.
  const std::vector<v1::Enterprise> enterprises = testing::SyntheticEnterprises(30000);
  constexpr size_t kPerCall = 500;
  std::set<std::string> committed;
  std::atomic<bool> killed{false};
  std::atomic<bool> relayed_before_kill{false};
  std::thread killer([&] {
    relayed_before_kill = testing::WaitUntil(
        [&] { return Metric("tiendo_registry_outbox_published_total") > 3000; },
        absl::Seconds(60));
    registry_->process->Signal(SIGKILL);
    killed = true;
  });
  size_t next = 0;
  for (; next < enterprises.size(); next += kPerCall) {
    // Usually killed well before half the rows are in; should the relay lag that far (a
    // starved broker), the import waits there for the kill rather than finishing first.
    if (next == enterprises.size() / 2) {
      testing::WaitUntil([&] { return killed.load(); }, absl::Seconds(90));
    }
    std::vector<v1::Enterprise> call(enterprises.begin() + next,
                                     enterprises.begin() + std::min(next + kPerCall,
                                                                    enterprises.size()));
    v1::ImportEnterprisesResponse response;
    if (!Import(call, 100, &response).ok()) break;
    ASSERT_EQ(response.summary().rows_created(), static_cast<int64_t>(call.size()));
    for (const v1::Enterprise& enterprise : call) committed.insert(enterprise.tax_code());
  }
  killer.join();
  ASSERT_TRUE(killed);
  ASSERT_TRUE(relayed_before_kill) << "the relay had not published 3000 records within 60 s";
  ASSERT_LT(next, enterprises.size()) << "the import finished before the kill; make it larger";
  ASSERT_GT(committed.size(), 0u);
  ASSERT_TRUE(registry_->process->WaitForExit(absl::Seconds(10)).has_value());

  StartRegistry();
  const std::map<std::string, v1::Enterprise> listed = ListedEnterprises();
  for (const std::string& tax_code : committed) {
    EXPECT_TRUE(listed.contains(tax_code)) << tax_code << " was acknowledged but is missing";
  }
  WaitForRelay();
  absl::StatusOr<testing::RegistryTopicContents> topic =
      testing::ReadRegistryTopic(bootstrap_, prefix_, absl::Seconds(60));
  ASSERT_TRUE(topic.ok()) << topic.status();
  // Nothing half-written: SQLite and the topic hold the same enterprises (a message that was
  // in flight at the kill is in both or in neither), each at version 1.
  std::set<std::string> on_topic;
  for (const auto& [key, event] : topic->latest) {
    if (event.has_enterprise()) on_topic.insert(event.enterprise().tax_code());
  }
  std::set<std::string> in_store;
  for (const auto& [tax_code, enterprise] : listed) {
    in_store.insert(tax_code);
    EXPECT_EQ(enterprise.version(), 1) << tax_code;
  }
  EXPECT_EQ(on_topic, in_store);
  EXPECT_GE(in_store.size(), committed.size());
  EXPECT_EQ(in_store.size() % 100, 0u) << "a message was committed in part";
}

}  // namespace
}  // namespace tiendo
