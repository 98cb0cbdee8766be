#include "services/common/core/problem.h"

#include "gtest/gtest.h"

namespace tiendo::core {
namespace {

TEST(ProblemTest, ToFieldViolationJoinsThePrefixAndKeepsMessageAndRule) {
  const Problem problem{"tax_code", 0, "tax code 0100233480: check digit is 0, expected 8",
                        Severity::kError, "check_digit"};
  const common::v1::FieldViolation violation = ToFieldViolation(problem, "enterprise");
  EXPECT_EQ(violation.field(), "enterprise.tax_code");
  EXPECT_EQ(violation.description(), problem.message);
  EXPECT_EQ(violation.rule(), "check_digit");

  EXPECT_EQ(ToFieldViolation(problem).field(), "tax_code");
  // A problem with the whole entity (empty path) names the entity itself.
  EXPECT_EQ(ToFieldViolation(Problem{"", 0, "m", Severity::kError, "r"}, "enterprise").field(),
            "enterprise");
  // Indexes join like any other path.
  EXPECT_EQ(ToFieldViolation(Problem{"items[2].value", 0, "m", Severity::kError, "r"},
                             "batch")
                .field(),
            "batch.items[2].value");
}

TEST(ProblemTest, ToFieldViolationEscapesAMessageThatIsNotUtf8) {
  const Problem problem{"name_vi", 0, "bad \xF4", Severity::kError, "format"};
  EXPECT_EQ(ToFieldViolation(problem).description(), "bad \\xf4");
}

}  // namespace
}  // namespace tiendo::core
