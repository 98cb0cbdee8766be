#include "services/common/config/flag_set.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo::config {
namespace {

using ::testing::HasSubstr;

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](absl::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

struct Settings {
  std::string host = "0.0.0.0";
  int port = 7101;
  int64_t partitions = 6;
  absl::Duration timeout = absl::Seconds(20);
  absl::Duration interval = absl::Seconds(1);
  bool verbose = false;
  std::string level = "info";
};

class FlagSetTest : public ::testing::Test {
 protected:
  FlagSetTest() : flags_("tiendo-test", "A test program.") {
    flags_.AddString("host", "TEST_HOST", "Host.", &settings_.host);
    flags_.AddPort("port", "TEST_PORT", "Port.", &settings_.port);
    flags_.AddInt("partitions", "TEST_PARTITIONS", "Partitions.", 1, 100, &settings_.partitions);
    flags_.AddDuration("timeout", "TEST_TIMEOUT", "Timeout.", &settings_.timeout);
    flags_.AddPositiveDuration("interval", "", "Interval.", &settings_.interval);
    flags_.AddBool("verbose", "TEST_VERBOSE", "Verbose.", &settings_.verbose);
    flags_.AddChoice("level", "TEST_LEVEL", "Level.", {"info", "debug"}, &settings_.level);
  }

  absl::Status Parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    return flags_.Parse(args, FakeEnv(std::move(env)));
  }

  Settings settings_;
  FlagSet flags_;
};

TEST_F(FlagSetTest, KeepsDefaultsWhenNothingIsGiven) {
  ASSERT_TRUE(Parse({}).ok());
  EXPECT_EQ(settings_.host, "0.0.0.0");
  EXPECT_EQ(settings_.port, 7101);
  EXPECT_EQ(settings_.timeout, absl::Seconds(20));
  EXPECT_FALSE(settings_.verbose);
}

TEST_F(FlagSetTest, ParsesEveryFormOfFlag) {
  ASSERT_TRUE(Parse({"--host=127.0.0.1", "--port", "0", "--partitions=3", "--timeout=1m30s",
                     "--verbose", "--level=debug"})
                  .ok());
  EXPECT_EQ(settings_.host, "127.0.0.1");
  EXPECT_EQ(settings_.port, 0);
  EXPECT_EQ(settings_.partitions, 3);
  EXPECT_EQ(settings_.timeout, absl::Seconds(90));
  EXPECT_TRUE(settings_.verbose);
  EXPECT_EQ(settings_.level, "debug");
}

TEST_F(FlagSetTest, UsesTheEnvironmentWhenTheFlagIsAbsent) {
  ASSERT_TRUE(Parse({}, {{"TEST_PORT", "9000"}, {"TEST_VERBOSE", "yes"}}).ok());
  EXPECT_EQ(settings_.port, 9000);
  EXPECT_TRUE(settings_.verbose);
}

TEST_F(FlagSetTest, FlagWinsOverEnvironment) {
  ASSERT_TRUE(Parse({"--port=9001"}, {{"TEST_PORT", "not even a number"}}).ok());
  EXPECT_EQ(settings_.port, 9001);
}

TEST_F(FlagSetTest, RejectsABadIntegerNamingTheFlag) {
  absl::Status status = Parse({"--partitions=many"});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("--partitions"));
  EXPECT_THAT(status.message(), HasSubstr("\"many\" is not an integer"));
}

TEST_F(FlagSetTest, RejectsAnIntegerOutOfRangeWithTheRange) {
  absl::Status status = Parse({"--partitions=0"});
  EXPECT_THAT(status.message(), HasSubstr("--partitions: \"0\" is out of range (must be 1..100)"));
}

TEST_F(FlagSetTest, RejectsAPortOutOfRange) {
  absl::Status status = Parse({"--port=70000"});
  EXPECT_THAT(status.message(), HasSubstr("--port: \"70000\" is out of range (must be 0..65535)"));
}

TEST_F(FlagSetTest, RejectsABadEnvironmentValueNamingTheVariableAndTheFlag) {
  absl::Status status = Parse({}, {{"TEST_PORT", "http"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("TEST_PORT"));
  EXPECT_THAT(status.message(), HasSubstr("--port"));
  EXPECT_THAT(status.message(), HasSubstr("\"http\" is not a port number"));
}

TEST_F(FlagSetTest, HelpIsShownWhateverTheEnvironmentHolds) {
  EXPECT_TRUE(Parse({"--help"}, {{"TEST_PORT", "http"}}).ok());
  EXPECT_TRUE(flags_.help_requested());
}

TEST_F(FlagSetTest, RejectsBadDurationsAndNegativeOnes) {
  EXPECT_THAT(Parse({"--timeout=soon"}).message(),
              HasSubstr("--timeout: \"soon\" is not a duration"));
  EXPECT_THAT(Parse({"--timeout=-5s"}).message(), HasSubstr("--timeout: \"-5s\" is negative"));
  EXPECT_TRUE(Parse({"--timeout=0s"}).ok());
  EXPECT_THAT(Parse({"--interval=0s"}).message(),
              HasSubstr("--interval: \"0s\" is zero (must be more than 0)"));
  EXPECT_THAT(Parse({"--interval=-1s"}).message(), HasSubstr("must be more than 0"));
  EXPECT_TRUE(Parse({"--interval=250ms"}).ok());
  EXPECT_EQ(settings_.interval, absl::Milliseconds(250));
}

TEST_F(FlagSetTest, RejectsABadBoolean) {
  EXPECT_THAT(Parse({"--verbose=maybe"}).message(),
              HasSubstr("--verbose: \"maybe\" is not a boolean"));
}

TEST_F(FlagSetTest, RejectsAChoiceOutsideTheList) {
  EXPECT_THAT(Parse({"--level=loud"}).message(),
              HasSubstr("--level: \"loud\" is not one of info, debug"));
}

TEST_F(FlagSetTest, RejectsUnknownFlagsAndMissingValues) {
  EXPECT_THAT(Parse({"--colour=red"}).message(), HasSubstr("unknown flag --colour"));
  EXPECT_THAT(Parse({"--host"}).message(), HasSubstr("--host: missing value"));
}

TEST_F(FlagSetTest, RejectsPositionalArgumentsUnlessAllowed) {
  EXPECT_THAT(Parse({"extra"}).message(), HasSubstr("unexpected argument \"extra\""));
  ASSERT_TRUE(flags_.Parse({"a.csv", "--port=1", "--", "--not-a-flag"}, FakeEnv({}), true).ok());
  EXPECT_EQ(flags_.positional(), (std::vector<std::string>{"a.csv", "--not-a-flag"}));
}

TEST_F(FlagSetTest, HelpListsEveryFlagWithItsVariableAndDefault) {
  ASSERT_TRUE(Parse({"--help"}).ok());
  EXPECT_TRUE(flags_.help_requested());
  const std::string usage = flags_.Usage();
  EXPECT_THAT(usage, HasSubstr("Usage: tiendo-test [flags]"));
  EXPECT_THAT(usage, HasSubstr("--port=VALUE"));
  EXPECT_THAT(usage, HasSubstr("default: 7101; environment: TEST_PORT"));
  EXPECT_THAT(usage, HasSubstr("default: 20s; environment: TEST_TIMEOUT"));
  EXPECT_THAT(usage, HasSubstr("One of: info, debug."));
}

}  // namespace
}  // namespace tiendo::config
