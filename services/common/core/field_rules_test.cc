#include "services/common/core/field_rules.h"

#include <optional>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/core/registry_rules_testing.h"

namespace tiendo::core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing_support::ProblemAt;

TEST(FieldRulesTest, PathsAreRelativeToThePrefix) {
  std::vector<Problem> problems;
  FieldRules nested(problems, "reporting_units[3]");
  EXPECT_EQ(nested.Path("valid_to"), "reporting_units[3].valid_to");
  EXPECT_EQ(nested.Path("allowed_indicator_ids", 2), "reporting_units[3].allowed_indicator_ids[2]");
  FieldRules root(problems);
  EXPECT_EQ(root.Path("tax_code"), "tax_code");
  nested.Required("name_vi", "", "name_vi");
  EXPECT_THAT(problems, ElementsAre(ProblemAt("reporting_units[3].name_vi", "required",
                                              "name_vi is required")));
}

TEST(FieldRulesTest, SlugsAndDates) {
  std::vector<Problem> problems;
  FieldRules rules(problems);
  rules.Slug("id", "brvt-sokhcn", "id");
  rules.Date("since", "");
  EXPECT_EQ(rules.Date("since", "2024-02-29"), absl::CivilDay(2024, 2, 29));
  EXPECT_THAT(problems, IsEmpty());
  rules.Slug("id", "Sở KHCN", "id");
  EXPECT_EQ(rules.Date("since", "2025-02-29"), std::nullopt);
  EXPECT_EQ(rules.RequiredDate("until", "", "until"), std::nullopt);
  EXPECT_THAT(problems, ElementsAre(ProblemAt("id", "format", "\"Sở KHCN\" must be"),
                                    ProblemAt("since", "format", "2025-02-29"),
                                    ProblemAt("until", "required")));
}

TEST(FieldRulesTest, TextIsUtf8AndCountedInCharacters) {
  std::vector<Problem> problems;
  FieldRules rules(problems);
  EXPECT_TRUE(rules.Text("name", "Điền", "name", 4));
  EXPECT_FALSE(rules.Text("name", "Điềnx", "name", 4));
  EXPECT_FALSE(rules.Text("name", "\xC3(", "name"));
  EXPECT_THAT(problems, ElementsAre(ProblemAt("name", "too_long", "5 characters long; at most 4"),
                                    ProblemAt("name", "format", "not valid UTF-8")));
}

TEST(FieldRulesTest, WindowReportsAnEndBeforeTheStart) {
  std::vector<Problem> problems;
  FieldRules rules(problems, "units[0]");
  const ValidityWindow window = rules.Window("2025-03-01", "2025-02-28");
  EXPECT_THAT(problems, ElementsAre(ProblemAt("units[0].valid_to", "order",
                                              "valid_to 2025-02-28 is before valid_from "
                                              "2025-03-01")));
  EXPECT_EQ(window.from, absl::CivilDay(2025, 3, 1));
  // Equal days are in order; a missing day is not compared.
  problems.clear();
  rules.Window("2025-03-01", "2025-03-01");
  rules.NotBefore("later", std::nullopt, "earlier", absl::CivilDay(2025, 1, 1));
  EXPECT_THAT(problems, IsEmpty());
}

TEST(FieldRulesTest, Predicates) {
  EXPECT_TRUE(IsSlug("p.t1"));
  EXPECT_FALSE(IsSlug(std::string(64, 'a')));
  EXPECT_TRUE(IsLowerSnake("digital_technology"));
  EXPECT_FALSE(IsLowerSnake("_x"));
  EXPECT_TRUE(IsDigits("26506"));
  EXPECT_FALSE(IsDigits(""));
}

}  // namespace
}  // namespace tiendo::core
