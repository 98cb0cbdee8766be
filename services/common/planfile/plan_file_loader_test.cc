#include "services/common/planfile/plan_file_loader.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/common/planfile/json_parse_error.h"

namespace tiendo::core {

// Readable failure messages.
void PrintTo(const Problem& problem, std::ostream* out) {
  *out << SeverityName(problem.severity) << " line " << problem.line << " " << problem.path
       << " [" << problem.rule << "] " << problem.message;
}

}  // namespace tiendo::core

namespace tiendo::planfile {
namespace {

using core::Problem;
using core::Severity;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// A small file that parses; tests splice mistakes into it.
constexpr char kPlan[] = R"yaml(# A plan file.
schema: tiendo.registry.v1.PlanFile
plan:
  id: p
  title_vi: "Kế hoạch phát triển doanh nghiệp công nghệ số"
  title_en: Plan
  jurisdiction_code: "77"
  issue_date: "2024-03-01"
  indicators:
    - id: share
      name_vi: Tỷ lệ
      unit: INDICATOR_UNIT_PERCENT
      reported:
        value_kind: VALUE_KIND_NUMERATOR_DENOMINATOR
        allowed_granularities: [PERIOD_GRANULARITY_QUARTER, PERIOD_GRANULARITY_MONTH]
        schedule:
          due_after_period_end: "1296000s"
  targets:
    - id: p.t1
      indicator_id: share
      comparator: COMPARATOR_MORE_THAN
      note:
      milestones:
        - value: 50
          deadline: "2025-12-31"
        - value: 70.5
          deadline: 2030-12-31
reporting_units:
  - id: dept
    allowed_indicator_ids: [share]
administrative_units:
  - code: "77"
    name_vi: Tỉnh Bà Rịa - Vũng Tàu
)yaml";

// The 1-based line of the first line of `text` containing `needle`; 0 if none.
int LineContaining(const std::string& text, const std::string& needle) {
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    if (line.find(needle) != absl::string_view::npos) return number;
  }
  return 0;
}

// kPlan with the first occurrence of `from` replaced by `to`.
std::string PlanWith(const std::string& from, const std::string& to) {
  std::string text = kPlan;
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

auto ProblemAt(const std::string& path, int line, const std::string& message,
               Severity severity = Severity::kError) {
  return AllOf(Field(&Problem::path, path), Field(&Problem::line, line),
               Field(&Problem::message, HasSubstr(message)), Field(&Problem::severity, severity));
}

TEST(PlanFileLoaderTest, LoadsAValidFileIntoTheProto) {
  const LoadedPlanFile loaded = LoadPlanFile(kPlan);
  ASSERT_TRUE(loaded.plan_file.has_value()) << ::testing::PrintToString(loaded.problems);
  EXPECT_THAT(loaded.problems, IsEmpty());
  const registry::v1::PlanFile& file = *loaded.plan_file;
  EXPECT_EQ(file.plan().title_vi(), "Kế hoạch phát triển doanh nghiệp công nghệ số");
  EXPECT_EQ(file.plan().jurisdiction_code(), "77");
  EXPECT_EQ(file.plan().indicators(0).unit(), registry::v1::INDICATOR_UNIT_PERCENT);
  EXPECT_EQ(file.plan().indicators(0).reported().allowed_granularities_size(), 2);
  EXPECT_EQ(file.plan().indicators(0).reported().schedule().due_after_period_end().seconds(),
            1296000);
  EXPECT_EQ(file.plan().targets(0).comparator(), registry::v1::COMPARATOR_MORE_THAN);
  EXPECT_EQ(file.plan().targets(0).note(), "");  // `note:` with nothing: unset
  EXPECT_DOUBLE_EQ(file.plan().targets(0).milestones(1).value(), 70.5);
  EXPECT_EQ(file.plan().targets(0).milestones(1).deadline(), "2030-12-31");  // not a number
  EXPECT_EQ(file.administrative_units(0).name_vi(), "Tỉnh Bà Rịa - Vũng Tàu");
}

TEST(PlanFileLoaderTest, RecordsTheLineOfEveryPath) {
  const LoadedPlanFile loaded = LoadPlanFile(kPlan);
  const std::string text = kPlan;
  EXPECT_EQ(loaded.source_map.LineOf("plan.targets[0].milestones[1].deadline"),
            LineContaining(text, "deadline: 2030-12-31"));
  EXPECT_EQ(loaded.source_map.LineOf("plan.targets[0]"), LineContaining(text, "- id: p.t1"));
  // A field the file does not have is placed at the entity that lacks it.
  EXPECT_EQ(loaded.source_map.LineOf("plan.targets[0].baseline.date"),
            LineContaining(text, "- id: p.t1"));
  EXPECT_EQ(loaded.source_map.LineOf("nowhere"), 0);
}

TEST(PlanFileLoaderTest, JsonLoadsToo) {
  const LoadedPlanFile loaded =
      LoadPlanFile(R"({"plan": {"id": "p", "jurisdiction_code": "77"}})");
  ASSERT_TRUE(loaded.plan_file.has_value()) << ::testing::PrintToString(loaded.problems);
  EXPECT_EQ(loaded.plan_file->plan().jurisdiction_code(), "77");
}

TEST(PlanFileLoaderTest, UnquotedNumberForAStringFieldAsksForQuotes) {
  const std::string text = PlanWith("jurisdiction_code: \"77\"", "jurisdiction_code: 77");
  const LoadedPlanFile loaded = LoadPlanFile(text);
  EXPECT_FALSE(loaded.plan_file.has_value());
  EXPECT_THAT(loaded.problems,
              ElementsAre(ProblemAt("plan.jurisdiction_code",
                                    LineContaining(text, "jurisdiction_code: 77"),
                                    "write it in quotes: \"77\"")));
}

TEST(PlanFileLoaderTest, UnknownFieldIsReportedWithItsLineAndTheNearestName) {
  const std::string text = PlanWith("      indicator_id: share", "      indicator_idd: share");
  const LoadedPlanFile loaded = LoadPlanFile(text);
  EXPECT_FALSE(loaded.plan_file.has_value());
  EXPECT_THAT(loaded.problems,
              ElementsAre(ProblemAt("plan.targets[0].indicator_idd",
                                    LineContaining(text, "indicator_idd"),
                                    "unknown field \"indicator_idd\" in Target; did you mean "
                                    "\"indicator_id\"?")));
  EXPECT_EQ(loaded.problems[0].rule, "unknown_field");
}

TEST(PlanFileLoaderTest, UnknownFieldFarFromAnyNameListsTheFields) {
  const LoadedPlanFile loaded = LoadPlanFile(PlanWith("  title_en: Plan", "  colour: blue"));
  EXPECT_THAT(loaded.problems,
              ElementsAre(Field(&Problem::message, HasSubstr("(its fields: id, document_number"))));
}

TEST(PlanFileLoaderTest, CamelCaseFieldNamesAreRefusedWithTheProtoName) {
  const LoadedPlanFile loaded =
      LoadPlanFile(PlanWith("issue_date: \"2024-03-01\"", "issueDate: \"2024-03-01\""));
  EXPECT_THAT(loaded.problems,
              ElementsAre(Field(&Problem::message, HasSubstr("lower_snake_case: \"issue_date\""))));
}

TEST(PlanFileLoaderTest, EveryProblemIsReportedAtOnce) {
  std::string text = PlanWith("jurisdiction_code: \"77\"", "jurisdiction_code: 77");
  text = absl::StrCat(text, "  - code: 79\n    name_vi: Thành phố Hồ Chí Minh\n    bogus: 1\n");
  const LoadedPlanFile loaded = LoadPlanFile(text);
  EXPECT_THAT(loaded.problems, SizeIs(3)) << ::testing::PrintToString(loaded.problems);
  EXPECT_THAT(loaded.problems, Contains(Field(&Problem::path, "administrative_units[1].code")));
  EXPECT_THAT(loaded.problems, Contains(Field(&Problem::path, "administrative_units[1].bogus")));
}

TEST(PlanFileLoaderTest, EnumValueWithoutItsPrefixSuggestsTheFullName) {
  const std::string text =
      PlanWith("comparator: COMPARATOR_MORE_THAN", "comparator: more_than");
  const LoadedPlanFile loaded = LoadPlanFile(text);
  EXPECT_THAT(loaded.problems,
              ElementsAre(ProblemAt("plan.targets[0].comparator",
                                    LineContaining(text, "comparator: more_than"),
                                    "\"more_than\" is not a value of Comparator; did you mean "
                                    "COMPARATOR_MORE_THAN?")));
}

TEST(PlanFileLoaderTest, UnknownEnumValueListsTheValues) {
  const LoadedPlanFile loaded =
      LoadPlanFile(PlanWith("unit: INDICATOR_UNIT_PERCENT", "unit: lots"));
  EXPECT_THAT(loaded.problems,
              ElementsAre(Field(&Problem::message,
                                HasSubstr("write one of: INDICATOR_UNIT_UNSPECIFIED, "
                                          "INDICATOR_UNIT_COUNT"))));
}

TEST(PlanFileLoaderTest, NumberFieldRefusesWords) {
  const std::string text = PlanWith("- value: 50", "- value: about 50");
  const LoadedPlanFile loaded = LoadPlanFile(text);
  EXPECT_THAT(loaded.problems,
              ElementsAre(ProblemAt("plan.targets[0].milestones[0].value",
                                    LineContaining(text, "about 50"),
                                    "expected a number, found \"about 50\"")));
}

TEST(PlanFileLoaderTest, QuotedNumberIsAcceptedForANumberField) {
  const LoadedPlanFile loaded = LoadPlanFile(PlanWith("- value: 50", "- value: \"50\""));
  ASSERT_TRUE(loaded.plan_file.has_value()) << ::testing::PrintToString(loaded.problems);
  EXPECT_DOUBLE_EQ(loaded.plan_file->plan().targets(0).milestones(0).value(), 50);
}

TEST(PlanFileLoaderTest, BooleanFieldTakesTrueOrFalse) {
  const LoadedPlanFile loaded = LoadPlanFile(
      PlanWith("        allowed_granularities:",
               "        disaggregation_dimensions: [{name: district, required: yes}]\n"
               "        allowed_granularities:"));
  EXPECT_THAT(loaded.problems,
              ElementsAre(AllOf(
                  Field(&Problem::path,
                        "plan.indicators[0].reported.disaggregation_dimensions[0].required"),
                  Field(&Problem::message, HasSubstr("expected true or false")))));
}

TEST(PlanFileLoaderTest, DurationIsWrittenInSeconds) {
  const LoadedPlanFile loaded =
      LoadPlanFile(PlanWith("due_after_period_end: \"1296000s\"", "due_after_period_end: 15d"));
  EXPECT_THAT(loaded.problems,
              ElementsAre(AllOf(Field(&Problem::path,
                                      "plan.indicators[0].reported.schedule.due_after_period_end"),
                                Field(&Problem::message, HasSubstr("\"1296000s\" for 15 days")))));
}

TEST(PlanFileLoaderTest, ScalarWhereAListBelongsIsAnError) {
  const std::string text =
      PlanWith("allowed_indicator_ids: [share]", "allowed_indicator_ids: share");
  const LoadedPlanFile loaded = LoadPlanFile(text);
  EXPECT_THAT(loaded.problems,
              ElementsAre(ProblemAt("reporting_units[0].allowed_indicator_ids",
                                    LineContaining(text, "allowed_indicator_ids: share"),
                                    "expected a list, found \"share\"")));
}

TEST(PlanFileLoaderTest, DuplicateKeyIsAnError) {
  const std::string text = PlanWith("  title_en: Plan", "  title_en: Plan\n  title_en: Again");
  const LoadedPlanFile loaded = LoadPlanFile(text);
  EXPECT_THAT(loaded.problems,
              ElementsAre(ProblemAt("plan.title_en", LineContaining(text, "title_en: Again"),
                                    absl::StrCat("appears twice in this mapping (first on line ",
                                                 LineContaining(text, "title_en: Plan"), ")"))));
}

TEST(PlanFileLoaderTest, TwoMembersOfAOneofAreAnError) {
  const LoadedPlanFile loaded =
      LoadPlanFile(PlanWith("      reported:", "      derived: {}\n      reported:"));
  EXPECT_THAT(loaded.problems,
              ElementsAre(AllOf(Field(&Problem::path, "plan.indicators[0].reported"),
                                Field(&Problem::message,
                                      HasSubstr("are alternatives (one of source)")))));
}

TEST(PlanFileLoaderTest, YamlSyntaxErrorHasItsLine) {
  const std::string text = PlanWith("  title_en: Plan", "  title_en: [Plan");
  const LoadedPlanFile loaded = LoadPlanFile(text);
  ASSERT_THAT(loaded.problems, SizeIs(1));
  EXPECT_EQ(loaded.problems[0].rule, "syntax");
  EXPECT_GT(loaded.problems[0].line, 0);
  EXPECT_THAT(loaded.problems[0].message, HasSubstr("YAML syntax error"));
  EXPECT_FALSE(loaded.plan_file.has_value());
}

TEST(PlanFileLoaderTest, EmptyAndMultiDocumentTextsAreErrors) {
  EXPECT_THAT(LoadPlanFile("# nothing\n").problems,
              ElementsAre(Field(&Problem::message, "the document is empty")));
  EXPECT_THAT(LoadPlanFile("plan: {id: a}\n---\nplan: {id: b}\n").problems,
              ElementsAre(ProblemAt("", 3, "expected one YAML document, found 2")));
  EXPECT_THAT(LoadPlanFile("- just\n- a list\n").problems,
              ElementsAre(Field(&Problem::message,
                                HasSubstr("expected a mapping with the fields of PlanFile"))));
}

TEST(PlanFileLoaderTest, EmptyListItemIsAnError) {
  const LoadedPlanFile loaded =
      LoadPlanFile(PlanWith("reporting_units:\n", "reporting_units:\n  -\n"));
  EXPECT_THAT(loaded.problems,
              ElementsAre(AllOf(Field(&Problem::path, "reporting_units[0]"),
                                Field(&Problem::message, "empty list item"))));
}

TEST(PlanFileLoaderTest, OutputOnlyFieldsAreIgnoredWithAWarning) {
  const std::string text = PlanWith("  id: p\n", "  id: p\n  version: 7\n");
  const LoadedPlanFile loaded = LoadPlanFile(text);
  ASSERT_TRUE(loaded.plan_file.has_value());
  EXPECT_EQ(loaded.plan_file->plan().version(), 0);
  EXPECT_THAT(loaded.problems,
              ElementsAre(ProblemAt("plan.version", LineContaining(text, "version: 7"),
                                    "output only", Severity::kWarning)));
}

TEST(PlanFileLoaderTest, InvalidUtf8IsAnError) {
  const LoadedPlanFile loaded = LoadPlanFile(PlanWith("title_en: Plan", "title_en: Pl\xff" "an"));
  EXPECT_THAT(loaded.problems,
              ElementsAre(AllOf(Field(&Problem::path, "plan.title_en"),
                                Field(&Problem::message, HasSubstr("not valid UTF-8")))));
}

TEST(JsonParseErrorTest, ProtobufErrorsMapBackToPathAndLine) {
  SourceMap source_map;
  source_map.Record("plan.targets[1].milestones[1]", 40);
  source_map.Record("plan.jurisdiction_code", 7);
  registry::v1::PlanFile file;

  auto status = google::protobuf::util::JsonStringToMessage(
      R"({"plan":{"targets":[{},{"milestones":[{},{"colour":2}]}]}})", &file);
  ASSERT_FALSE(status.ok());
  Problem problem = ProblemFromJsonParseError(
      absl::string_view(status.message().data(), status.message().size()), source_map);
  EXPECT_EQ(problem.path, "plan.targets[1].milestones[1].colour");
  EXPECT_EQ(problem.line, 40);
  EXPECT_EQ(problem.rule, "unknown_field");

  status = google::protobuf::util::JsonStringToMessage(R"({"plan":{"jurisdiction_code":77}})",
                                                       &file);
  ASSERT_FALSE(status.ok());
  problem = ProblemFromJsonParseError(
      absl::string_view(status.message().data(), status.message().size()), source_map);
  EXPECT_EQ(problem.path, "plan.jurisdiction_code");
  EXPECT_EQ(problem.line, 7);
  EXPECT_THAT(problem.message, HasSubstr("invalid value 77"));
}

}  // namespace
}  // namespace tiendo::planfile
