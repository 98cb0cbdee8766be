// tiendoctl units create, issue-token and revoke-token against a fake registry: the unit and
// token requests they send, the token printed once with its warning, refusals printed
// violation by violation.
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/status/field_violations.h"
#include "tools/tiendoctl/fake_registry.h"
#include "tools/tiendoctl/file_text.h"
#include "tools/tiendoctl/run_ctl.h"

namespace tiendo::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::CtlResult;
using testing::FakeRegistry;
using testing::RunCtl;

TEST(UnitsCreateCommandTest, SendsTheUnitAndPrintsItsVersion) {
  FakeRegistry registry;
  const CtlResult result = RunCtl(
      {"units", "create", "--registry=" + registry.address(), "--id=brvt-sokhcn",
       "--name-vi=Sở Khoa học và Công nghệ tỉnh Bà Rịa - Vũng Tàu", "--unit=77",
       "--kind=department",
       "--allow=online_service_users_authenticated,procedure_results_digitised",
       "--body=Sở Khoa học và Công nghệ", "--contact=dulieu@sokhcn.example"},
      {{"TIENDO_ACTOR", "ops:pham.d"}});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out,
            "created reporting unit brvt-sokhcn (version 1), allowed indicators: "
            "online_service_users_authenticated, procedure_results_digitised\n");
  const auto requests = registry.create_unit_requests();
  ASSERT_EQ(requests.size(), 1u);
  const registry::v1::ReportingUnit& unit = requests[0].reporting_unit();
  EXPECT_EQ(unit.name_vi(), "Sở Khoa học và Công nghệ tỉnh Bà Rịa - Vũng Tàu");
  EXPECT_EQ(unit.administrative_unit_code(), "77");
  EXPECT_EQ(unit.kind(), registry::v1::REPORTING_UNIT_KIND_DEPARTMENT);
  EXPECT_THAT(unit.allowed_indicator_ids(),
              ElementsAre("online_service_users_authenticated", "procedure_results_digitised"));
  EXPECT_EQ(unit.contact(), "dulieu@sokhcn.example");
  EXPECT_FALSE(requests[0].dry_run());
  EXPECT_THAT(registry.actors(), ElementsAre("ops:pham.d"));
}

TEST(UnitsCreateCommandTest, MissingRequiredFlagsAndBadKindAreUsageErrors) {
  FakeRegistry registry;
  const CtlResult missing =
      RunCtl({"units", "create", "--registry=" + registry.address(), "--id=x"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr("missing --name-vi, --unit"));
  const CtlResult kind = RunCtl({"units", "create", "--registry=" + registry.address(), "--id=x",
                                 "--name-vi=X", "--unit=77", "--kind=ministry"});
  EXPECT_EQ(kind.code, 2);
  EXPECT_THAT(kind.err, HasSubstr("\"ministry\" is not one of department, local-committee"));
  EXPECT_THAT(registry.actors(), IsEmpty());
}

TEST(UnitsCreateCommandTest, RefusalPrintsEveryViolation) {
  FakeRegistry registry;
  registry.FailWith(status::InvalidArgumentWithViolations(
      {status::Violation("reporting_unit.id", "duplicate", "unit brvt-sokhcn exists"),
       status::Violation("reporting_unit.allowed_indicator_ids[0]", "unknown_reference",
                         "indicator foo is not a reported indicator")}));
  const CtlResult result =
      RunCtl({"units", "create", "--registry=" + registry.address(), "--id=brvt-sokhcn",
              "--name-vi=Sở", "--unit=77", "--allow=foo", "--dry-run"});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.err,
              HasSubstr("  reporting_unit.id: unit brvt-sokhcn exists [duplicate]\n"
                        "  reporting_unit.allowed_indicator_ids[0]: indicator foo is not a "
                        "reported indicator [unknown_reference]\n"));
  EXPECT_TRUE(registry.create_unit_requests()[0].dry_run());
}

TEST(UnitsIssueTokenCommandTest, PrintsTheTokenOnceWithAWarningAndItsMetadata) {
  FakeRegistry registry;
  registry::v1::IssueTokenResponse response;
  response.set_bearer_token("tdo1.k3v7q2mx9adf4hzp.c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I");
  response.mutable_token()->set_token_id("k3v7q2mx9adf4hzp");
  response.mutable_token()->set_reporting_unit_id("brvt-sokhcn");
  response.mutable_token()->set_display_prefix("tdo1.k3v7q2m");
  response.mutable_token()->mutable_expires_at()->set_seconds(1798761600);
  registry.SetIssueTokenResponse(response);
  const CtlResult result =
      RunCtl({"units", "issue-token", "brvt-sokhcn", "--description=DKKD connector, production",
              "--registry=" + registry.address()});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out,
            "tdo1.k3v7q2mx9adf4hzp.c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I\n"
            "WARNING: this is the only time this token is shown; store it now in the "
            "department system's secret store.\n"
            "token id:  k3v7q2mx9adf4hzp\n"
            "prefix:    tdo1.k3v7q2m\n"
            "unit:      brvt-sokhcn\n"
            "expires:   2027-01-01T00:00:00Z\n");
  const auto requests = registry.issue_token_requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].reporting_unit_id(), "brvt-sokhcn");
  EXPECT_EQ(requests[0].description(), "DKKD connector, production");
  EXPECT_EQ(requests[0].ttl().seconds(), 365 * 24 * 3600);  // the default 365d
}

TEST(UnitsIssueTokenCommandTest, TtlAcceptsDaysDurationsAndNever) {
  FakeRegistry registry;
  for (const char* ttl : {"--ttl=30d", "--ttl=12h", "--ttl=never", "--ttl=1500ms"}) {
    EXPECT_EQ(RunCtl({"units", "issue-token", "u", "--description=d", ttl,
                      "--registry=" + registry.address()})
                  .code,
              0)
        << ttl;
  }
  const auto requests = registry.issue_token_requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].ttl().seconds(), 30 * 24 * 3600);
  EXPECT_EQ(requests[1].ttl().seconds(), 12 * 3600);
  EXPECT_FALSE(requests[2].has_ttl());
  EXPECT_EQ(requests[3].ttl().seconds(), 2);  // whole seconds, rounded up

  // A zero duration asks for no lifetime at all: it is refused, not read as never.
  for (const char* ttl : {"--ttl=a year", "--ttl=0s", "--ttl=0h", "--ttl=0d", "--ttl=-1h"}) {
    const CtlResult bad = RunCtl({"units", "issue-token", "u", "--description=d", ttl});
    EXPECT_EQ(bad.code, 2) << ttl;
    EXPECT_THAT(bad.err, HasSubstr("is not a lifetime")) << ttl;
  }
  EXPECT_EQ(registry.issue_token_requests().size(), 4u);
  const CtlResult no_description = RunCtl({"units", "issue-token", "u"});
  EXPECT_EQ(no_description.code, 2);
  EXPECT_THAT(no_description.err, HasSubstr("missing --description"));
}

TEST(UnitsIssueTokenCommandTest, TokenFileKeepsTheTokenOffTheTerminal) {
  FakeRegistry registry;
  registry::v1::IssueTokenResponse response;
  response.set_bearer_token("tdo1.k3v7q2mx9adf4hzp.c2VjcmV0");
  response.mutable_token()->set_token_id("k3v7q2mx9adf4hzp");
  response.mutable_token()->set_reporting_unit_id("dept-st");
  response.mutable_token()->set_display_prefix("tdo1.k3v7q2m");
  registry.SetIssueTokenResponse(response);
  const std::string path = ::testing::TempDir() + "issued/tokens/dept-st.token";
  std::filesystem::remove_all(::testing::TempDir() + "issued");
  const std::vector<std::string> args = {"units", "issue-token", "dept-st", "--description=d",
                                         "--registry=" + registry.address(),
                                         "--token-file=" + path};
  const CtlResult result = RunCtl(args);
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out,
            "token written to " + path + " (mode 0600)\n"
            "token id:  k3v7q2mx9adf4hzp\n"
            "prefix:    tdo1.k3v7q2m\n"
            "unit:      dept-st\n"
            "expires:   never\n");
  EXPECT_EQ(ReadFileText(path).value_or(""), "tdo1.k3v7q2mx9adf4hzp.c2VjcmV0\n");
  struct stat written;
  ASSERT_EQ(::stat(path.c_str(), &written), 0);
  EXPECT_EQ(written.st_mode & 0777, 0600u);
  for (const char* made : {"issued", "issued/tokens"}) {
    struct stat directory;
    ASSERT_EQ(::stat((::testing::TempDir() + made).c_str(), &directory), 0);
    EXPECT_EQ(directory.st_mode & 0777, 0700u) << made;
  }

  // An existing file is refused before any token is issued, unless --force.
  const CtlResult again = RunCtl(args);
  EXPECT_EQ(again.code, 1);
  EXPECT_THAT(again.err, HasSubstr(path + " exists; give --force to replace it"));
  EXPECT_EQ(registry.issue_token_requests().size(), 1u);
  std::vector<std::string> forced = args;
  forced.push_back("--force");
  EXPECT_EQ(RunCtl(forced).code, 0);
  EXPECT_EQ(registry.issue_token_requests().size(), 2u);
}

TEST(UnitsRevokeTokenCommandTest, RevokesByTokenIdAndSaysWhenAndByWhom) {
  FakeRegistry registry;
  const CtlResult result =
      RunCtl({"units", "revoke-token", "k3v7q2mx9adf4hzp", "--registry=" + registry.address(),
              "--actor=ops:vo.e"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(registry.revoke_token_requests()[0].token_id(), "k3v7q2mx9adf4hzp");
  EXPECT_EQ(result.out,
            "revoked token k3v7q2mx9adf4hzp (tdo1.k3v7q2m) of reporting unit brvt-sokhcn at "
            "2026-01-01T00:00:00Z by ops:vo.e\n");
}

}  // namespace
}  // namespace tiendo::ctl
