// tiendoctl plan validate, run through RunCli on the seed plan and on copies of it with one
// mistake each (the plan-file errors of issue 3's acceptance).
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/tiendoctl/cli.h"

namespace tiendo::ctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSeedPlan[] = TIENDO_SOURCE_DIR "/plans/brvt-63-kh-ubnd.yaml";

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

std::string SeedText() {
  std::ifstream in(kSeedPlan, std::ios::binary);
  EXPECT_TRUE(in.good()) << kSeedPlan;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// `text` with the first `from` after the first `anchor` replaced by `to`.
std::string ReplaceAfter(std::string text, const std::string& anchor, const std::string& from,
                         const std::string& to) {
  const size_t anchor_at = text.find(anchor);
  EXPECT_NE(anchor_at, std::string::npos) << anchor;
  const size_t at = text.find(from, anchor_at == std::string::npos ? 0 : anchor_at);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The 1-based number of the first line containing `needle`.
int LineContaining(const std::string& text, const std::string& needle) {
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    if (line.find(needle) != absl::string_view::npos) return number;
  }
  ADD_FAILURE() << needle << " not found";
  return 0;
}

class PlanValidateCommandTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const std::string& path : written_) std::remove(path.c_str());
  }

  // Writes `text` to a file of the test's own in the temporary directory, removed after it.
  std::string WritePlan(const std::string& text) {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string path = absl::StrCat(::testing::TempDir(), test->test_suite_name(), "-",
                                          test->name(), ".yaml");
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    EXPECT_TRUE(out.good()) << path;
    written_.push_back(path);
    return path;
  }

 private:
  std::vector<std::string> written_;
};

TEST_F(PlanValidateCommandTest, SeedPlanValidates) {
  const Result result = RunCtl({"plan", "validate", kSeedPlan});
  EXPECT_EQ(result.code, 0) << result.out << result.err;
  EXPECT_THAT(result.out, HasSubstr(absl::StrCat(
                              kSeedPlan,
                              ": ok: plan brvt-63-kh-ubnd with 7 indicators, 7 targets, "
                              "15 reporting units and 11 administrative units; 0 warnings")));
  EXPECT_THAT(result.out, Not(HasSubstr("error:")));
  EXPECT_EQ(result.err, "");
}

TEST_F(PlanValidateCommandTest, UnknownIndicatorInATargetNamesTheTargetAndTheField) {
  const std::string text =
      ReplaceAfter(SeedText(), "- id: brvt-63-kh-ubnd.t2",
                   "indicator_id: digital_tech_enterprises_dx_capable",
                   "indicator_id: digital_tech_enterprise_dx_capable");
  const std::string path = WritePlan(text);
  const Result result = RunCtl({"plan", "validate", path});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.out,
              HasSubstr(absl::StrCat(
                  path, ":", LineContaining(text, "indicator_id: digital_tech_enterprise_dx"),
                  ": plan.targets[1].indicator_id: error: target brvt-63-kh-ubnd.t2: unknown "
                  "indicator \"digital_tech_enterprise_dx_capable\": not defined in "
                  "plan.indicators "
                  "(did you mean \"digital_tech_enterprises_dx_capable\"?)")));
  EXPECT_THAT(result.out, HasSubstr(absl::StrCat(path, ": 1 error, 0 warnings")));
}

TEST_F(PlanValidateCommandTest, UnknownFieldIsReportedWithItsLine) {
  const std::string text = ReplaceAfter(SeedText(), "- id: brvt-63-kh-ubnd.t3", "      code: T3\n",
                                        "      code: T3\n      colour: blue\n");
  const std::string path = WritePlan(text);
  const Result result = RunCtl({"plan", "validate", path});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.out,
              HasSubstr(absl::StrCat(path, ":", LineContaining(text, "colour: blue"),
                                     ": plan.targets[2].colour: error: unknown field \"colour\" "
                                     "in Target")));
}

TEST_F(PlanValidateCommandTest, MilestonesOutOfOrderAreReported) {
  const std::string text = ReplaceAfter(SeedText(), "- id: brvt-63-kh-ubnd.t1",
                                        "deadline: \"2025-12-31\"", "deadline: \"2031-12-31\"");
  const std::string path = WritePlan(text);
  const Result result = RunCtl({"plan", "validate", path});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.out,
              HasSubstr(absl::StrCat(
                  path, ":", LineContaining(text, "deadline: \"2030-12-31\""),
                  ": plan.targets[0].milestones[1].deadline: error: target brvt-63-kh-ubnd.t1: "
                  "deadline 2030-12-31 is not after the previous milestone's 2031-12-31")));
}

TEST_F(PlanValidateCommandTest, PercentTargetAboveHundredIsReported) {
  const std::string text =
      ReplaceAfter(SeedText(), "- id: brvt-63-kh-ubnd.t4", "value: 100", "value: 120");
  const std::string path = WritePlan(text);
  const Result result = RunCtl({"plan", "validate", path});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.out,
              HasSubstr(absl::StrCat(path, ":", LineContaining(text, "value: 120"),
                                     ": plan.targets[3].milestones[0].value: error: target "
                                     "brvt-63-kh-ubnd.t4: milestone value 120 is above 100")));
}

TEST_F(PlanValidateCommandTest, ComparatorThatCannotHoldIsReported) {
  const std::string text =
      ReplaceAfter(SeedText(), "- id: brvt-63-kh-ubnd.t3", "value: 70", "value: 100");
  const std::string path = WritePlan(text);
  const Result result = RunCtl({"plan", "validate", path});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.out,
              HasSubstr(absl::StrCat(path, ":", LineContaining(text, "value: 100"),
                                     ": plan.targets[2].milestones[1].value: error: target "
                                     "brvt-63-kh-ubnd.t3: MORE_THAN 100 can never hold")));
}

TEST_F(PlanValidateCommandTest, UnquotedCodeIsReportedWithTheQuotedForm) {
  const std::string text = ReplaceAfter(SeedText(), "plan:", "jurisdiction_code: \"77\"",
                                        "jurisdiction_code: 77");
  const std::string path = WritePlan(text);
  const Result result = RunCtl({"plan", "validate", path});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.out,
              HasSubstr(absl::StrCat(path, ":", LineContaining(text, "jurisdiction_code: 77"),
                                     ": plan.jurisdiction_code: error: expected a string, found "
                                     "the unquoted number 77")));
  EXPECT_THAT(result.out, HasSubstr("write it in quotes: \"77\""));
}

TEST_F(PlanValidateCommandTest, YamlSyntaxErrorIsReportedWithItsLine) {
  const std::string path = WritePlan("plan:\n  id: p\n  title_vi: [unclosed\n  title_en: x\n");
  const Result result = RunCtl({"plan", "validate", path});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.out, HasSubstr(absl::StrCat(path, ":4: error: YAML syntax error")));
}

TEST_F(PlanValidateCommandTest, WarningsAloneDoNotFail) {
  const std::string text = ReplaceAfter(SeedText(), "plan:", "  id: brvt-63-kh-ubnd\n",
                                        "  id: brvt-63-kh-ubnd\n  version: 3\n");
  const std::string path = WritePlan(text);
  const Result result = RunCtl({"plan", "validate", path});
  EXPECT_EQ(result.code, 0) << result.out;
  EXPECT_THAT(result.out, HasSubstr(absl::StrCat(path, ":", LineContaining(text, "version: 3"),
                                                 ": plan.version: warning:")));
  EXPECT_THAT(result.out, HasSubstr("; 1 warning\n"));
}

TEST_F(PlanValidateCommandTest, MissingFileArgumentIsAUsageError) {
  const Result result = RunCtl({"plan", "validate"});
  EXPECT_EQ(result.code, 2);
  EXPECT_THAT(result.err, HasSubstr("missing the FILE to check"));
}

TEST_F(PlanValidateCommandTest, UnreadableFileIsAUsageErrorWithTheOsReason) {
  const std::string path = absl::StrCat(::testing::TempDir(), "no-such-plan.yaml");
  const Result result = RunCtl({"plan", "validate", path});
  EXPECT_EQ(result.code, 2);
  EXPECT_THAT(result.err,
              HasSubstr(absl::StrCat("cannot read ", path, ": No such file or directory")));

  const Result directory = RunCtl({"plan", "validate", ::testing::TempDir()});
  EXPECT_EQ(directory.code, 2);
  EXPECT_THAT(directory.err, HasSubstr("Is a directory"));
}

TEST_F(PlanValidateCommandTest, HelpDescribesTheCommand) {
  const Result result = RunCtl({"plan", "validate", "--help"});
  EXPECT_EQ(result.code, 0);
  EXPECT_THAT(result.out, HasSubstr("Usage: tiendoctl plan validate FILE [flags]"));
  EXPECT_THAT(RunCtl({"--help"}).out, HasSubstr("plan validate"));
}

}  // namespace
}  // namespace tiendo::ctl
