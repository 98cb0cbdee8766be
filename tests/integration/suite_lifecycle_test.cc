// The three services against the run's real broker: they turn SERVING, expose
// their APIs through reflection and their metrics over HTTP, create the
// suite's topics (each of which carries an event), answer tiendoctl, and
// stop cleanly on SIGTERM.
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <random>
#include <regex>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "services/common/kafka/consumer.h"
#include "services/common/kafka/kafka_admin.h"
#include "services/common/kafka/producer.h"
#include "services/common/kafka/topics.h"
#include "tests/support/child_process.h"
#include "tests/support/http_get.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/service_under_test.h"

namespace tiendo {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::tiendo::testing::ServiceUnderTest;

struct Suite {
  std::string bootstrap;
  std::string prefix;
  std::string log_dir;
  std::vector<ServiceUnderTest> services;
};

std::string UniquePrefix(const std::string& test) {
  std::random_device random;
  return absl::StrCat("it.", test, ".", random() % 1000000, ".");
}

// Starts the three services with a topic prefix of their own and waits until
// each reports SERVING.
void StartSuite(const std::string& test, Suite* suite) {
  absl::StatusOr<std::string> bootstrap = testing::SharedBrokerBootstrap();
  ASSERT_TRUE(bootstrap.ok()) << bootstrap.status();
  suite->bootstrap = *bootstrap;
  suite->prefix = UniquePrefix(test);
  suite->log_dir = testing::MakeTempDir(test);
  const std::vector<std::pair<std::string, std::string>> binaries = {
      {TIENDO_REGISTRY_BINARY, "tiendo-registry"},
      {TIENDO_INGEST_BINARY, "tiendo-metrics-ingest"},
      {TIENDO_EVALUATOR_BINARY, "tiendo-target-evaluator"}};
  for (const auto& [binary, name] : binaries) {
    auto service = testing::StartService(binary, name, suite->bootstrap, suite->prefix,
                                         suite->log_dir, {"--shutdown-timeout=10s"});
    ASSERT_TRUE(service.ok()) << service.status();
    suite->services.push_back(*std::move(service));
  }
  for (ServiceUnderTest& service : suite->services) {
    ASSERT_TRUE(testing::WaitUntil(
        [&] {
          auto status = testing::HealthStatus(service.address());
          return status.ok() && *status == grpc::health::v1::HealthCheckResponse::SERVING;
        },
        absl::Seconds(60)))
        << service.name << " never reported SERVING; its log:\n"
        << service.process->Log();
  }
}

class SuiteLifecycleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = new Suite();
    StartSuite("lifecycle", suite_);
  }
  static void TearDownTestSuite() {
    delete suite_;  // kills any service still running
    suite_ = nullptr;
  }
  void SetUp() override {
    if (suite_->services.size() != 3) GTEST_SKIP() << "the suite did not start";
  }
  static Suite* suite_;
};
Suite* SuiteLifecycleTest::suite_ = nullptr;

TEST_F(SuiteLifecycleTest, ReflectionListsEachTiendoServiceAndHealth) {
  const std::vector<std::string> expected = {"tiendo.registry.v1.Registry",
                                             "tiendo.ingest.v1.MetricsIngest",
                                             "tiendo.evaluator.v1.TargetEvaluator"};
  for (size_t i = 0; i < suite_->services.size(); ++i) {
    auto stub = grpc::reflection::v1alpha::ServerReflection::NewStub(grpc::CreateChannel(
        suite_->services[i].address(), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    auto stream = stub->ServerReflectionInfo(&context);
    grpc::reflection::v1alpha::ServerReflectionRequest request;
    request.set_list_services("");
    ASSERT_TRUE(stream->Write(request));
    grpc::reflection::v1alpha::ServerReflectionResponse response;
    ASSERT_TRUE(stream->Read(&response));
    stream->WritesDone();
    std::set<std::string> names;
    for (const auto& service : response.list_services_response().service()) {
      names.insert(service.name());
    }
    EXPECT_THAT(names, Contains(expected[i])) << suite_->services[i].name;
    EXPECT_THAT(names, Contains("grpc.health.v1.Health")) << suite_->services[i].name;
  }
}

TEST_F(SuiteLifecycleTest, AdminPortServesPrometheusTextAndProbes) {
  const std::regex comment(R"(# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped)))");
  const std::regex sample(
      R"([a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? (-?[0-9.]+([eE][-+]?[0-9]+)?|NaN|[-+]Inf))");
  for (const ServiceUnderTest& service : suite_->services) {
    auto metrics = testing::HttpGet(service.admin_port, "/metrics");
    ASSERT_TRUE(metrics.ok()) << metrics.status();
    EXPECT_EQ(metrics->status, 200);
    EXPECT_THAT(metrics->content_type, HasSubstr("text/plain; version=0.0.4"));
    ASSERT_FALSE(metrics->body.empty());
    EXPECT_EQ(metrics->body.back(), '\n');
    for (absl::string_view line : absl::StrSplit(metrics->body, '\n', absl::SkipEmpty())) {
      const std::string text(line);
      EXPECT_TRUE(std::regex_match(text, comment) || std::regex_match(text, sample))
          << service.name << ": not Prometheus text: " << text;
    }
    EXPECT_THAT(metrics->body, HasSubstr("\ntiendo_serving 1\n"));
    EXPECT_THAT(metrics->body,
                HasSubstr(absl::StrCat("tiendo_build_info{service=\"", service.name, "\"")));
    // The health checks that found it SERVING went through the RPC counter.
    EXPECT_THAT(metrics->body, HasSubstr("tiendo_grpc_server_handled_total{method=\"/"
                                         "grpc.health.v1.Health/Check\",code=\"OK\"}"));

    auto healthz = testing::HttpGet(service.admin_port, "/healthz");
    ASSERT_TRUE(healthz.ok());
    EXPECT_EQ(healthz->status, 200);
    auto readyz = testing::HttpGet(service.admin_port, "/readyz");
    ASSERT_TRUE(readyz.ok());
    EXPECT_EQ(readyz->status, 200);
    EXPECT_EQ(readyz->body, "SERVING\n");
  }
}

TEST_F(SuiteLifecycleTest, EverySuiteTopicExistsAndCarriesAnEvent) {
  kafka::KafkaOptions options;
  options.bootstrap_servers = suite_->bootstrap;
  options.topic_prefix = suite_->prefix;
  auto admin = kafka::KafkaAdmin::Create(options, "it-admin");
  ASSERT_TRUE(admin.ok()) << admin.status();
  auto producer = kafka::Producer::Create(options, "it-producer");
  ASSERT_TRUE(producer.ok()) << producer.status();

  for (kafka::Topic topic : kafka::AllTopics()) {
    const std::string name = kafka::TopicName(options, topic);
    auto partitions = (*admin)->PartitionCount(name, absl::Seconds(10));
    ASSERT_TRUE(partitions.ok()) << partitions.status();
    EXPECT_EQ(*partitions, 2) << name;  // as the services were told to create them

    const std::string key = absl::StrCat("probe-", name);
    auto written = (*producer)->ProduceAndWait(
        {name, key, "Tiến độ", {{std::string(kafka::kSchemaHeader), "test.Probe"}}},
        absl::Seconds(20));
    ASSERT_TRUE(written.ok()) << written.status();

    auto consumer = kafka::Consumer::Create(options, "it-consumer", "");
    ASSERT_TRUE(consumer.ok()) << consumer.status();
    ASSERT_TRUE((*consumer)->AssignFromBeginning(name, absl::Seconds(10)).ok());
    std::optional<kafka::ConsumedRecord> read;
    ASSERT_TRUE(testing::WaitUntil(
        [&] {
          auto polled = (*consumer)->Poll(absl::Milliseconds(200));
          if (polled.ok() && polled->has_value() && (*polled)->key == key) read = **polled;
          return read.has_value();
        },
        absl::Seconds(30)))
        << "nothing read back from " << name;
    EXPECT_EQ(read->value, "Tiến độ");
    EXPECT_EQ(read->HeaderValue(kafka::kSchemaHeader), "test.Probe");
    EXPECT_EQ(read->position.offset, written->offset);
    (*consumer)->Close();
  }
}

TEST_F(SuiteLifecycleTest, TiendoctlHealthReportsEveryServiceServing) {
  const std::string log = absl::StrCat(suite_->log_dir, "/tiendoctl-health.log");
  auto status = testing::RunToCompletion(
      {TIENDOCTL_BINARY, "health", absl::StrCat("--registry=", suite_->services[0].address()),
       absl::StrCat("--ingest=", suite_->services[1].address()),
       absl::StrCat("--evaluator=", suite_->services[2].address())},
      log, absl::Seconds(30));
  ASSERT_TRUE(status.ok()) << status.status();
  const std::string output = testing::ReadFile(log);
  EXPECT_EQ(*status, 0) << output;
  for (const char* name : {"tiendo-registry", "tiendo-metrics-ingest", "tiendo-target-evaluator"}) {
    EXPECT_THAT(output, HasSubstr(name));
  }
  EXPECT_THAT(output, Not(HasSubstr("NOT_SERVING")));
  EXPECT_THAT(output, Not(HasSubstr("UNREACHABLE")));
}

TEST(ServiceShutdownTest, SigtermStopsEachServiceWithExitZeroWithinItsDeadline) {
  Suite suite;
  StartSuite("shutdown", &suite);
  if (::testing::Test::HasFatalFailure()) return;
  for (ServiceUnderTest& service : suite.services) {
    service.process->Signal(SIGTERM);
    // The shutdown timeout is 10 s; allow start-up of the sequence on a busy machine.
    const std::optional<int> exit = service.process->WaitForExit(absl::Seconds(15));
    ASSERT_TRUE(exit.has_value()) << service.name << " still running 15 s after SIGTERM; log:\n"
                                  << service.process->Log();
    EXPECT_EQ(*exit, 0) << service.name << " log:\n" << service.process->Log();
    const std::string log = service.process->Log();
    EXPECT_THAT(log, HasSubstr("\"msg\":\"kafka producer flushed\"")) << service.name;
    EXPECT_THAT(log, HasSubstr("\"msg\":\"stopped\"")) << service.name;
    EXPECT_FALSE(testing::HealthStatus(service.address(), absl::Milliseconds(500)).ok())
        << service.name << " still answers after exiting";
  }
}

}  // namespace
}  // namespace tiendo
