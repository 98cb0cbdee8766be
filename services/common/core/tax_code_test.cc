#include "services/common/core/tax_code.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo::core {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(TaxCodeTest, AcceptsValidCodes) {
  for (const char* code : {"0100233488", "0100112437", "0314409058", "0314409058-002",
                           "0100233488-001", "0100233488-999"}) {
    EXPECT_TRUE(ValidateTaxCode(code).ok()) << code << ": " << ValidateTaxCode(code);
  }
}

TEST(TaxCodeTest, AWrongCheckDigitNamesTheExpectedOne) {
  const absl::Status status = ValidateTaxCode("0100233480");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "tax code 0100233480: check digit is 0, expected 8 (weights 31,29,23,19,17,13,7,5,3)");
  // A branch code is checked on its first ten digits.
  EXPECT_THAT(ValidateTaxCode("0314409059-002").message(),
              HasSubstr("check digit is 9, expected 8"));
}

TEST(TaxCodeTest, BranchZeroDoesNotExist) {
  const absl::Status status = ValidateTaxCode("0100233488-000");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), AllOf(StartsWith("tax code 0100233488-000: "),
                                                   HasSubstr("branch 000 does not exist")));
}

TEST(TaxCodeTest, RejectsMalformedCodes) {
  for (const char* code :
       {"", "01002334A8", "O100233488", "010023348", "01002334888", "0100233488-12",
        "0100233488_002", "0100233488-0002", "0100233488-", "0100233488-00a", "0100233488002",
        " 0100233488", "0100233488 ", "-0100233488", "01002-33488", "0100233488-002-001"}) {
    SCOPED_TRACE(code);
    const absl::Status status = ValidateTaxCode(code);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(status.message()),
                AllOf(StartsWith(absl::StrCat("tax code ", code, ":")), HasSubstr("NNNNNNNNNN-BBB")));
  }
  EXPECT_THAT(ValidateTaxCode("01002334888").message(), HasSubstr("11 digits"));
  EXPECT_THAT(ValidateTaxCode("010023348").message(), HasSubstr("9 digits"));
  EXPECT_THAT(ValidateTaxCode("0100233488002").message(), HasSubstr("without the branch hyphen"));
}

TEST(TaxCodeTest, CheckTaxCodeTellsTheShapeFromTheCheckDigit) {
  EXPECT_EQ(CheckTaxCode("0100233488"), std::nullopt);
  EXPECT_EQ(CheckTaxCode("0314409058-002"), std::nullopt);
  for (const char* code : {"", "01002334A8", "0100233488-000", "0100233488002"}) {
    const std::optional<TaxCodeError> error = CheckTaxCode(code);
    ASSERT_TRUE(error.has_value()) << code;
    EXPECT_EQ(error->fault, TaxCodeFault::kFormat) << code;
    EXPECT_EQ(error->message, ValidateTaxCode(code).message());
  }
  const std::optional<TaxCodeError> error = CheckTaxCode("0100233480");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->fault, TaxCodeFault::kCheckDigit);
  EXPECT_THAT(error->message, HasSubstr("check digit is 0, expected 8"));
}

TEST(TaxCodeTest, CheckDigitOfTheExamples) {
  EXPECT_EQ(TaxCodeCheckDigit("010023348"), 8);
  EXPECT_EQ(TaxCodeCheckDigit("010011243"), 7);
  EXPECT_EQ(TaxCodeCheckDigit("031440905"), 8);
}

// Searches nine-digit prefixes for one whose weighted sum leaves remainder r.
std::optional<std::string> PrefixWithRemainder(int r) {
  constexpr int kWeights[] = {31, 29, 23, 19, 17, 13, 7, 5, 3};
  for (int n = 100000000; n < 100100000; ++n) {
    const std::string prefix = absl::StrFormat("%09d", n);
    int sum = 0;
    for (int i = 0; i < 9; ++i) sum += kWeights[i] * (prefix[i] - '0');
    if (sum % 11 == r) return prefix;
  }
  return std::nullopt;
}

TEST(TaxCodeTest, RemainderZeroHasNoValidCheckDigit) {
  const std::optional<std::string> prefix = PrefixWithRemainder(0);
  ASSERT_TRUE(prefix.has_value());
  EXPECT_EQ(TaxCodeCheckDigit(*prefix), std::nullopt);
  for (int digit = 0; digit <= 9; ++digit) {
    const std::string code = absl::StrCat(*prefix, digit);
    const absl::Status status = ValidateTaxCode(code);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << code;
    EXPECT_EQ(CheckTaxCode(code)->fault, TaxCodeFault::kCheckDigit) << code;
    EXPECT_THAT(std::string(status.message()),
                AllOf(StartsWith(absl::StrCat("tax code ", code, ": ")),
                      HasSubstr(absl::StrCat("no valid check digit exists for the first nine "
                                             "digits ",
                                             *prefix))));
  }
}

TEST(TaxCodeTest, RemainderTenGivesCheckDigitZero) {
  const std::optional<std::string> prefix = PrefixWithRemainder(10);
  ASSERT_TRUE(prefix.has_value());
  EXPECT_EQ(TaxCodeCheckDigit(*prefix), 0);
  EXPECT_TRUE(ValidateTaxCode(absl::StrCat(*prefix, "0")).ok());
  EXPECT_FALSE(ValidateTaxCode(absl::StrCat(*prefix, "1")).ok());
}

TEST(TaxCodeTest, ExactlyOneCheckDigitIsValidForEveryOtherPrefix) {
  for (int n = 314409000; n < 314410000; ++n) {
    const std::string prefix = absl::StrFormat("%09d", n);
    const std::optional<int> check = TaxCodeCheckDigit(prefix);
    int valid = 0;
    for (int digit = 0; digit <= 9; ++digit) {
      if (ValidateTaxCode(absl::StrCat(prefix, digit)).ok()) {
        ++valid;
        EXPECT_EQ(check, digit) << prefix;
      }
    }
    EXPECT_EQ(valid, check.has_value() ? 1 : 0) << prefix;
  }
}

TEST(TaxCodeDeathTest, CheckDigitNeedsNineDigits) {
  EXPECT_DEATH(TaxCodeCheckDigit("01002334"), "nine digits");
  EXPECT_DEATH(TaxCodeCheckDigit("01002334x"), "nine digits");
}

}  // namespace
}  // namespace tiendo::core
