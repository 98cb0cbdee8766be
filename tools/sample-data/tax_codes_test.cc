#include "tools/sample-data/tax_codes.h"

#include "gtest/gtest.h"
#include "services/common/core/tax_code.h"

namespace tiendo::sample {
namespace {

TEST(TaxCodesTest, CheckDigitOfKnownCodes) {
  EXPECT_EQ(CheckDigit("010023348"), 8);
  EXPECT_EQ(CheckDigit("010011243"), 7);
  EXPECT_EQ(CheckDigit("031440905"), 8);
}

TEST(TaxCodesTest, RemainderZeroHasNoCheckDigitAndTenGivesZero) {
  // Among a thousand prefixes there are some of both kinds; every one agrees
  // with the core's independent implementation.
  int none = 0;
  int zero = 0;
  for (int n = 350900000; n < 350901000; ++n) {
    const std::string nine = std::to_string(n);
    const std::optional<int> mine = CheckDigit(nine);
    EXPECT_EQ(mine, core::TaxCodeCheckDigit(nine)) << nine;
    if (!mine.has_value()) ++none;
    if (mine == 0) ++zero;
  }
  EXPECT_GT(none, 0);
  EXPECT_GT(zero, 0);
}

TEST(TaxCodesTest, SequenceGivesIncreasingValidCodes) {
  Random random(63);
  TaxCodeSequence sequence;
  std::string previous;
  for (int i = 0; i < 2000; ++i) {
    const std::string code = sequence.Next(random);
    ASSERT_TRUE(core::ValidateTaxCode(code).ok()) << code;
    ASSERT_GT(code, previous);
    previous = code;
  }
}

TEST(TaxCodesTest, BranchCodes) {
  EXPECT_EQ(BranchTaxCode("0314409058", 2), "0314409058-002");
  EXPECT_TRUE(core::ValidateTaxCode(BranchTaxCode("0314409058", 999)).ok());
}

}  // namespace
}  // namespace tiendo::sample
