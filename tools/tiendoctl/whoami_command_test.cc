// tiendoctl whoami against a fake metrics-ingest: the identity as text and JSON, the token
// from each source, a refused token with its hint, --wait riding out refusals of a token just
// issued, and bad usage.
#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/tiendoctl/fake_ingest.h"
#include "tools/tiendoctl/run_ctl.h"

namespace tiendo::ctl {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;
using testing::CtlResult;
using testing::FakeIngest;
using testing::RunCtl;
using testing::WriteTempFile;

class WhoamiCommandTest : public ::testing::Test {
 protected:
  WhoamiCommandTest() { ingest_.AddToken("tok-st", "dept-st"); }

  CtlResult Whoami(std::vector<std::string> args,
                   std::map<std::string, std::string> env = {{"TIENDO_TOKEN", "tok-st"}}) {
    args.insert(args.begin(), {"whoami", "--ingest=" + ingest_.address()});
    return RunCtl(args, env);
  }

  FakeIngest ingest_;
};

TEST_F(WhoamiCommandTest, PrintsTheUnitTokenIndicatorsAndLimits) {
  const CtlResult result = Whoami({});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out,
            "reporting unit  dept-st\n"
            "token           id-tok-st, never expires\n"
            "may report      procedure_results_digitised\n"
            "limits          1000 items a batch, 4194304 bytes a message\n");
  ASSERT_THAT(ingest_.calls(), SizeIs(1));
  EXPECT_EQ(ingest_.calls()[0].method, "GetCallerIdentity");
  EXPECT_EQ(ingest_.calls()[0].authorization, "Bearer tok-st");
}

TEST_F(WhoamiCommandTest, JsonIsTheCallerIdentity) {
  const CtlResult result = Whoami({"--output=json"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out,
            "{\"reporting_unit_id\":\"dept-st\",\"token_id\":\"id-tok-st\","
            "\"allowed_indicator_ids\":[\"procedure_results_digitised\"],"
            "\"max_items_per_batch\":1000,\"max_message_bytes\":\"4194304\"}\n");
}

TEST_F(WhoamiCommandTest, ReadsTheTokenFromAFile) {
  const std::string path = WriteTempFile("whoami.token", "tok-st\n");
  const CtlResult result = Whoami({"--token-file=" + path}, {});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("dept-st"));
}

TEST_F(WhoamiCommandTest, ARefusedTokenSaysWhyAndWhereItCameFrom) {
  const CtlResult result = Whoami({}, {{"TIENDO_TOKEN", "tok-unknown"}});
  EXPECT_EQ(result.code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_THAT(result.err, HasSubstr("tiendoctl: whoami: UNAUTHENTICATED"));
  EXPECT_THAT(result.err, HasSubstr("--token or TIENDO_TOKEN"));
  EXPECT_THAT(result.err, HasSubstr("has not read it from tiendo.registry.v1 yet"));
}

TEST_F(WhoamiCommandTest, WaitAsksAgainUntilIngestKnowsANewToken) {
  ingest_.RefuseToken("tok-st", 3);
  const CtlResult result = Whoami({"--wait=30s"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("dept-st"));
  EXPECT_THAT(ingest_.calls(), SizeIs(4));

  ingest_.RefuseToken("tok-st", 1000);
  const CtlResult gave_up = Whoami({"--wait=600ms"});
  EXPECT_EQ(gave_up.code, 1);
  EXPECT_THAT(gave_up.err, HasSubstr("UNAUTHENTICATED"));
}

TEST_F(WhoamiCommandTest, OtherFailuresAreNotWaitedFor) {
  ingest_.FailEveryCall(absl::UnavailableError("ingest is restarting"));
  const CtlResult result = Whoami({"--wait=30s"});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.err, HasSubstr("UNAVAILABLE"));
  EXPECT_THAT(ingest_.calls(), SizeIs(1));
}

TEST_F(WhoamiCommandTest, WithoutATokenIngestRefusesTheCallAndTheHintSaysSo) {
  const CtlResult result = Whoami({}, {});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.err, HasSubstr("UNAUTHENTICATED"));
  EXPECT_THAT(result.err, HasSubstr("nowhere (no --token, --token-file or TIENDO_TOKEN)"));
  ASSERT_THAT(ingest_.calls(), SizeIs(1));
  EXPECT_EQ(ingest_.calls()[0].authorization, "");
}

TEST_F(WhoamiCommandTest, BadUsage) {
  const CtlResult directory = Whoami({"--token-dir=/tmp"});
  EXPECT_EQ(directory.code, 2);
  EXPECT_THAT(directory.err, HasSubstr("unknown flag --token-dir"));
  EXPECT_EQ(Whoami({"--output=yaml"}).code, 2);
  EXPECT_EQ(Whoami({"--token=a", "--token-file=b"}).code, 2);
  EXPECT_THAT(ingest_.calls(), SizeIs(0));
}

}  // namespace
}  // namespace tiendo::ctl
