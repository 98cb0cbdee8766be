// tiendoctl plan apply against a fake registry, with the seed plan: what it sends (the
// parsed file, dry_run, the actor), the change table and summary it prints, how a refusal's
// violations are placed at their lines of the file, and that a file with errors is never
// sent.
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/status/field_violations.h"
#include "tools/tiendoctl/fake_registry.h"
#include "tools/tiendoctl/run_ctl.h"

namespace tiendo::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::CtlResult;
using testing::FakeRegistry;
using testing::RunCtl;
using testing::WriteTempFile;

constexpr char kSeedPlan[] = TIENDO_SOURCE_DIR "/plans/brvt-63-kh-ubnd.yaml";

// The number of the first line of the seed plan that is `line` once indented (0 if none).
int SeedPlanLine(absl::string_view line) {
  std::ifstream plan(kSeedPlan);
  int number = 0;
  for (std::string text; std::getline(plan, text);) {
    ++number;
    if (absl::StripLeadingAsciiWhitespace(text) == line) return number;
  }
  return 0;
}

registry::v1::EntityChange Change(registry::v1::EntityKind kind, const std::string& key,
                                  registry::v1::ChangeType change, int64_t previous,
                                  int64_t version, std::vector<std::string> fields = {}) {
  registry::v1::EntityChange entity;
  entity.set_entity_kind(kind);
  entity.set_entity_key(key);
  entity.set_change(change);
  entity.set_previous_version(previous);
  entity.set_version(version);
  for (std::string& field : fields) entity.add_changed_fields(std::move(field));
  return entity;
}

TEST(PlanApplyCommandTest, SendsTheParsedPlanAndPrintsEveryChange) {
  FakeRegistry registry;
  registry::v1::ApplyPlanResponse response;
  response.set_plan_id("brvt-63-kh-ubnd");
  response.set_dry_run(true);
  *response.add_changes() = Change(registry::v1::ENTITY_KIND_PLAN, "brvt-63-kh-ubnd",
                                   registry::v1::CHANGE_TYPE_UNCHANGED, 4, 4);
  *response.add_changes() =
      Change(registry::v1::ENTITY_KIND_TARGET, "brvt-63-kh-ubnd.t2",
             registry::v1::CHANGE_TYPE_UPDATED, 2, 3, {"milestones", "note"});
  *response.add_changes() = Change(registry::v1::ENTITY_KIND_REPORTING_UNIT, "dept-st",
                                   registry::v1::CHANGE_TYPE_CREATED, 0, 1);
  *response.add_changes() = Change(registry::v1::ENTITY_KIND_TARGET, "brvt-63-kh-ubnd.t9",
                                   registry::v1::CHANGE_TYPE_DELETED, 5, 6);
  *response.add_changes() = Change(registry::v1::ENTITY_KIND_INDICATOR, "digital_tech_enterprises",
                                   registry::v1::CHANGE_TYPE_UNCHANGED, 1, 1);
  registry.SetApplyPlanResponse(response);

  const CtlResult result = RunCtl({"plan", "apply", kSeedPlan, "--dry-run",
                                   "--registry=" + registry.address(), "--actor=ops:tran.thi.b"});
  EXPECT_EQ(result.code, 0) << result.out << result.err;
  const auto requests = registry.apply_plan_requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_TRUE(requests[0].dry_run());
  EXPECT_EQ(requests[0].plan_file().plan().id(), "brvt-63-kh-ubnd");
  EXPECT_EQ(requests[0].plan_file().plan().targets_size(), 7);
  EXPECT_THAT(registry.actors(), ElementsAre("ops:tran.thi.b"));

  EXPECT_THAT(result.out, HasSubstr("KIND            KEY                       CHANGE     "
                                    "VERSION  CHANGED FIELDS\n"));
  EXPECT_THAT(result.out, HasSubstr("target          brvt-63-kh-ubnd.t2        UPDATED    "
                                    "2→3      milestones, note\n"));
  EXPECT_THAT(result.out, HasSubstr("reporting-unit  dept-st                   CREATED    -→1"));
  EXPECT_THAT(result.out, HasSubstr("DELETED    5→6"));
  EXPECT_THAT(result.out, HasSubstr("plan            brvt-63-kh-ubnd           UNCHANGED  4\n"));
  EXPECT_THAT(result.out, HasSubstr("plan brvt-63-kh-ubnd (dry run, nothing written): 1 created, "
                                    "1 updated, 1 deleted, 2 unchanged\n"));
}

TEST(PlanApplyCommandTest, RefusalPrintsEachViolationAtItsLineAndFails) {
  FakeRegistry registry;
  registry.FailWith(status::InvalidArgumentWithViolations(
      {status::Violation("plan.targets[1].indicator_id", "unknown_reference",
                         "indicator digital_tech_enterprises_dx_capable is not reported"),
       status::Violation("plan_file.plan.targets[2].indicator_id", "unknown_reference",
                         "indicator sme_digital_platform_adoption is retired"),
       status::Violation("", "conflict", "plan is transferred")}));
  const CtlResult result =
      RunCtl({"plan", "apply", kSeedPlan, "--registry=" + registry.address()});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.err, HasSubstr(absl::StrCat("tiendoctl: plan apply ", kSeedPlan,
                                                 ": INVALID_ARGUMENT: ")));
  EXPECT_THAT(result.err,
              HasSubstr(absl::StrCat("  ", kSeedPlan, ":",
                                     SeedPlanLine("indicator_id: "
                                                  "digital_tech_enterprises_dx_capable"),
                                     ": plan.targets[1].indicator_id: indicator "
                                     "digital_tech_enterprises_dx_capable is not reported "
                                     "[unknown_reference]\n")));
  EXPECT_THAT(result.err,
              HasSubstr(absl::StrCat("  ", kSeedPlan, ":",
                                     SeedPlanLine("indicator_id: sme_digital_platform_adoption"),
                                     ": plan_file.plan.targets[2].indicator_id: indicator "
                                     "sme_digital_platform_adoption is retired "
                                     "[unknown_reference]\n")));
  EXPECT_THAT(result.err, HasSubstr("\n  plan is transferred [conflict]\n"));
  EXPECT_FALSE(registry.apply_plan_requests()[0].dry_run());
}

TEST(PlanApplyCommandTest, FileWithErrorsIsNotSent) {
  FakeRegistry registry;
  const std::string path =
      WriteTempFile("broken-plan.yaml", "plan:\n  id: p\n  title_vi: [unclosed\n  title_en: x\n");
  const CtlResult result = RunCtl({"plan", "apply", path, "--registry=" + registry.address()});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.err, HasSubstr(absl::StrCat(path, ":4: error: YAML syntax error")));
  EXPECT_THAT(result.err, HasSubstr("nothing was sent"));
  EXPECT_THAT(registry.actors(), IsEmpty());
}

TEST(PlanApplyCommandTest, UnreachableRegistryNamesTheAddress) {
  FakeRegistry registry;
  const std::string address = registry.address();
  registry.FailWith(absl::UnavailableError("connection refused"));
  const CtlResult result = RunCtl({"plan", "apply", kSeedPlan, "--registry=" + address});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.err, HasSubstr("UNAVAILABLE"));
  EXPECT_THAT(result.err, HasSubstr("is tiendo-registry running at " + address));
}

TEST(PlanApplyCommandTest, HelpListsEveryFlag) {
  const CtlResult result = RunCtl({"plan", "apply", "--help"});
  EXPECT_EQ(result.code, 0);
  EXPECT_THAT(result.out, HasSubstr("Usage: tiendoctl plan apply FILE [flags]"));
  for (const char* flag : {"--dry-run", "--registry=VALUE", "--timeout=VALUE", "--actor=VALUE"}) {
    EXPECT_THAT(result.out, HasSubstr(flag));
  }
  EXPECT_EQ(RunCtl({"plan", "apply"}).code, 2);
}

}  // namespace
}  // namespace tiendo::ctl
