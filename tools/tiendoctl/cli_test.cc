#include "tools/tiendoctl/cli.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/free_port.h"

namespace tiendo::ctl {
namespace {

using ::testing::HasSubstr;

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result RunCtl(std::vector<std::string> args) {
  std::ostringstream out;
  std::ostringstream err;
  Io io{out, err, [](absl::string_view) { return std::nullopt; }};
  const int code = RunCli(args, io);
  return {code, out.str(), err.str()};
}

TEST(CliTest, HelpListsEveryCommand) {
  Result result = RunCtl({"--help"});
  EXPECT_EQ(result.code, 0);
  EXPECT_THAT(result.out, HasSubstr("health"));
  EXPECT_THAT(result.out, HasSubstr("topics ensure"));
}

TEST(CliTest, NoCommandIsAUsageError) {
  Result result = RunCtl({});
  EXPECT_EQ(result.code, 2);
  EXPECT_THAT(result.err, HasSubstr("Usage: tiendoctl COMMAND"));
}

TEST(CliTest, UnknownCommandIsNamed) {
  Result result = RunCtl({"frobnicate"});
  EXPECT_EQ(result.code, 2);
  EXPECT_THAT(result.err, HasSubstr("unknown command 'frobnicate'"));
  EXPECT_THAT(RunCtl({""}).err, HasSubstr("unknown command ''"));
}

TEST(CliTest, IncompleteCommandSuggestsTheGroup) {
  Result result = RunCtl({"topics"});
  EXPECT_EQ(result.code, 2);
  EXPECT_THAT(result.err, HasSubstr("did you mean: topics ensure?"));
}

TEST(CliTest, AGroupsHelpListsItsCommandsOnly) {
  Result result = RunCtl({"plan", "--help"});
  EXPECT_EQ(result.code, 0);
  EXPECT_THAT(result.out, HasSubstr("Usage: tiendoctl plan COMMAND [flags]"));
  EXPECT_THAT(result.out, HasSubstr("plan validate"));
  EXPECT_THAT(result.out, HasSubstr("plan apply"));
  EXPECT_THAT(result.out, ::testing::Not(HasSubstr("enterprises")));
  EXPECT_EQ(RunCtl({"units", "help"}).code, 0);
  EXPECT_EQ(RunCtl({"units", "--help", "x"}).code, 2) << "help takes nothing after it";
}

TEST(CliTest, EveryCommandHasHelpNamingItsFlags) {
  Result health = RunCtl({"health", "--help"});
  EXPECT_EQ(health.code, 0);
  EXPECT_THAT(health.out, HasSubstr("Usage: tiendoctl health [flags]"));
  EXPECT_THAT(health.out, HasSubstr("environment: TIENDO_REGISTRY_ADDRESS"));

  Result topics = RunCtl({"topics", "ensure", "--help"});
  EXPECT_EQ(topics.code, 0);
  EXPECT_THAT(topics.out, HasSubstr("--kafka-bootstrap-servers=VALUE"));
}

TEST(CliTest, BadFlagIsAUsageErrorNamingTheFlag) {
  Result result = RunCtl({"health", "--timeout=forever"});
  EXPECT_EQ(result.code, 2);
  EXPECT_THAT(result.err, HasSubstr("--timeout: \"forever\" is not a duration"));
}

TEST(CliTest, HealthReportsUnreachableServicesAndFails) {
  auto ports = testing::FreePorts(3);
  ASSERT_TRUE(ports.ok());
  Result result = RunCtl({"health", "--timeout=300ms",
                       "--registry=127.0.0.1:" + std::to_string((*ports)[0]),
                       "--ingest=127.0.0.1:" + std::to_string((*ports)[1]),
                       "--evaluator=127.0.0.1:" + std::to_string((*ports)[2])});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.out, HasSubstr("tiendo-registry"));
  EXPECT_THAT(result.out, HasSubstr("UNREACHABLE"));
}

TEST(CliTest, TopicsEnsureFailsWhenNoBrokerAnswers) {
  auto ports = testing::FreePorts(1);
  ASSERT_TRUE(ports.ok());
  const std::string bootstrap = "127.0.0.1:" + std::to_string((*ports)[0]);
  Result result = RunCtl({"topics", "ensure", "--timeout=500ms",
                       "--kafka-bootstrap-servers=" + bootstrap});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.err, HasSubstr(bootstrap));
}

}  // namespace
}  // namespace tiendo::ctl
