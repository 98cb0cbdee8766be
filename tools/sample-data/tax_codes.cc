#include "tools/sample-data/tax_codes.h"

#include <array>

#include "absl/strings/str_format.h"
#include "services/common/status/check.h"

namespace tiendo::sample {

std::optional<int> CheckDigit(absl::string_view first_nine) {
  constexpr std::array<int, 9> kWeights = {31, 29, 23, 19, 17, 13, 7, 5, 3};
  TIENDO_CHECK(first_nine.size() == 9, "CheckDigit needs nine digits");
  int sum = 0;
  for (size_t i = 0; i < kWeights.size(); ++i) {
    TIENDO_CHECK(first_nine[i] >= '0' && first_nine[i] <= '9', "CheckDigit needs digits");
    sum += kWeights[i] * (first_nine[i] - '0');
  }
  const int remainder = sum % 11;
  if (remainder == 0) return std::nullopt;  // would need a check digit of 10
  return 10 - remainder;                    // remainder 10 gives 0
}

std::string TaxCodeSequence::Next(Random& random) {
  for (;;) {
    const std::string first_nine = absl::StrFormat("%09d", next_);
    ++next_;
    if (std::optional<int> check = CheckDigit(first_nine); check.has_value()) {
      next_ += random.Between(2, 60);
      return absl::StrFormat("%s%d", first_nine, *check);
    }
  }
}

std::string BranchTaxCode(absl::string_view parent, int branch) {
  TIENDO_CHECK(branch >= 1 && branch <= 999, "branch numbers are 001..999");
  return absl::StrFormat("%s-%03d", parent, branch);
}

}  // namespace tiendo::sample
