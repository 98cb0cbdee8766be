// A service started while no broker runs at its address stays up and
// NOT_SERVING, says why in its log, and turns SERVING once a broker appears
// there. Also: a bad flag value stops a service before it starts, naming the
// flag.
#include <signal.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/child_process.h"
#include "tests/support/free_port.h"
#include "tests/support/http_get.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/service_under_test.h"

namespace tiendo {
namespace {

using ::testing::HasSubstr;
using ::tiendo::testing::ServiceUnderTest;
using Health = grpc::health::v1::HealthCheckResponse;

TEST(BrokerUnreachableTest, ServicesWaitNotServingAndTurnServingWhenABrokerAppears) {
  auto ports = testing::FreePorts(1);
  ASSERT_TRUE(ports.ok()) << ports.status();
  const std::string bootstrap = absl::StrCat("127.0.0.1:", (*ports)[0]);
  const std::string log_dir = testing::MakeTempDir("unreachable");

  std::vector<ServiceUnderTest> services;
  for (const auto& [binary, name] : std::vector<std::pair<std::string, std::string>>{
           {TIENDO_REGISTRY_BINARY, "tiendo-registry"},
           {TIENDO_INGEST_BINARY, "tiendo-metrics-ingest"},
           {TIENDO_EVALUATOR_BINARY, "tiendo-target-evaluator"}}) {
    auto service = testing::StartService(binary, name, bootstrap, "it.unreachable.", log_dir,
                                         {"--kafka-retry-interval=200ms"});
    ASSERT_TRUE(service.ok()) << service.status();
    services.push_back(*std::move(service));
  }

  // Up and answering, but NOT_SERVING, and staying so while there is no broker.
  for (ServiceUnderTest& service : services) {
    ASSERT_TRUE(testing::WaitUntil([&] { return testing::HealthStatus(service.address()).ok(); },
                                   absl::Seconds(30)))
        << service.name << " never answered health checks; log:\n" << service.process->Log();
  }
  const absl::Time watch_until = absl::Now() + absl::Seconds(3);
  while (absl::Now() < watch_until) {
    for (ServiceUnderTest& service : services) {
      auto status = testing::HealthStatus(service.address());
      ASSERT_TRUE(status.ok()) << service.name << ": " << status.status();
      ASSERT_EQ(*status, Health::NOT_SERVING) << service.name;
      ASSERT_TRUE(service.process->running()) << service.name;
    }
  }
  for (ServiceUnderTest& service : services) {
    auto readyz = testing::HttpGet(service.admin_port, "/readyz");
    ASSERT_TRUE(readyz.ok()) << readyz.status();
    EXPECT_EQ(readyz->status, 503) << service.name;
    auto healthz = testing::HttpGet(service.admin_port, "/healthz");
    ASSERT_TRUE(healthz.ok()) << healthz.status();
    EXPECT_EQ(healthz->status, 200) << service.name;
    auto metrics = testing::HttpGet(service.admin_port, "/metrics");
    ASSERT_TRUE(metrics.ok()) << metrics.status();
    EXPECT_THAT(metrics->body, HasSubstr("\ntiendo_serving 0\n")) << service.name;
    // Logged once the first probe gives up (3 s after "listening"), which may come after the
    // watch above on a loaded machine.
    constexpr absl::string_view kNotReachable =
        "\"msg\":\"kafka not reachable; NOT_SERVING, retrying\"";
    EXPECT_TRUE(testing::WaitUntil(
        [&] { return absl::StrContains(service.process->Log(), kNotReachable); },
        absl::Seconds(30)))
        << service.name << " did not log " << kNotReachable << "; log:\n"
        << service.process->Log();
    EXPECT_THAT(service.process->Log(), HasSubstr(bootstrap)) << service.name;
  }

  // A broker appears at that address.
  auto broker = testing::KafkaBroker::Start(testing::MakeTempDir("late-broker"), (*ports)[0]);
  ASSERT_TRUE(broker.ok()) << broker.status();
  for (ServiceUnderTest& service : services) {
    EXPECT_TRUE(testing::WaitUntil(
        [&] {
          auto status = testing::HealthStatus(service.address());
          return status.ok() && *status == Health::SERVING;
        },
        absl::Seconds(60)))
        << service.name << " did not turn SERVING; log:\n" << service.process->Log();
  }
  for (ServiceUnderTest& service : services) {
    service.process->Signal(SIGTERM);
    const std::optional<int> exit = service.process->WaitForExit(absl::Seconds(30));
    ASSERT_TRUE(exit.has_value()) << service.name << " ignored SIGTERM";
    EXPECT_EQ(*exit, 0) << service.name << " log:\n" << service.process->Log();
  }
}

TEST(BrokerUnreachableTest, SigtermWhileWaitingForKafkaStillExitsZero) {
  auto ports = testing::FreePorts(1);
  ASSERT_TRUE(ports.ok());
  const std::string log_dir = testing::MakeTempDir("waiting-sigterm");
  auto service = testing::StartService(TIENDO_INGEST_BINARY, "tiendo-metrics-ingest",
                                       absl::StrCat("127.0.0.1:", (*ports)[0]), "it.", log_dir,
                                       {"--shutdown-timeout=5s"});
  ASSERT_TRUE(service.ok()) << service.status();
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return testing::HealthStatus(service->address()).ok(); }, absl::Seconds(30)));
  service->process->Signal(SIGTERM);
  const std::optional<int> exit = service->process->WaitForExit(absl::Seconds(10));
  ASSERT_TRUE(exit.has_value()) << "still running; log:\n" << service->process->Log();
  EXPECT_EQ(*exit, 0) << service->process->Log();
}

TEST(ServiceFlagsTest, ABadFlagValueStopsTheServiceNamingTheFlag) {
  const std::string log_dir = testing::MakeTempDir("flags");
  const std::string log = absl::StrCat(log_dir, "/registry.log");
  auto status = testing::RunToCompletion({TIENDO_REGISTRY_BINARY, "--grpc-port=http"}, log,
                                         absl::Seconds(10));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(*status, 2);
  EXPECT_THAT(testing::ReadFile(log), HasSubstr("--grpc-port: \"http\" is not a port number"));

  // Kafka client settings too, before anything starts.
  const std::string kafka_log = absl::StrCat(log_dir, "/registry-kafka.log");
  status = testing::RunToCompletion(
      {TIENDO_REGISTRY_BINARY, "--kafka-properties=no.such.property=1"}, kafka_log,
      absl::Seconds(10));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(*status, 2);
  EXPECT_THAT(testing::ReadFile(kafka_log), HasSubstr("no.such.property"));
  EXPECT_THAT(testing::ReadFile(kafka_log), HasSubstr("--kafka-properties"));
}

TEST(ServiceFlagsTest, HelpListsTheFlagsWithTheirEnvironmentVariables) {
  const std::string log = absl::StrCat(testing::MakeTempDir("help"), "/help.log");
  auto status =
      testing::RunToCompletion({TIENDO_EVALUATOR_BINARY, "--help"}, log, absl::Seconds(10));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(*status, 0);
  const std::string help = testing::ReadFile(log);
  EXPECT_THAT(help, HasSubstr("Usage: tiendo-target-evaluator [flags]"));
  EXPECT_THAT(help, HasSubstr("environment: TIENDO_KAFKA_BOOTSTRAP_SERVERS"));
  EXPECT_THAT(help, HasSubstr("--grpc-port=VALUE"));
}

}  // namespace
}  // namespace tiendo
