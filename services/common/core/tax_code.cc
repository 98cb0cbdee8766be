#include "services/common/core/tax_code.h"

#include <algorithm>
#include <array>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/status/check.h"

namespace tiendo::core {
namespace {

constexpr std::array<int, 9> kWeights = {31, 29, 23, 19, 17, 13, 7, 5, 3};
constexpr absl::string_view kWeightsText = "weights 31,29,23,19,17,13,7,5,3";

bool AllDigits(absl::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The code as it may appear in a message: escaped, and cut short.
std::string Shown(absl::string_view code) {
  constexpr size_t kShown = 32;
  std::string shown = absl::CHexEscape(code.substr(0, kShown));
  if (code.size() > kShown) absl::StrAppend(&shown, "…");
  return shown;
}

TaxCodeError Invalid(absl::string_view code, absl::string_view rule,
                     TaxCodeFault fault = TaxCodeFault::kFormat) {
  return {fault, absl::StrCat("tax code ", Shown(code), ": ", rule)};
}

}  // namespace

std::optional<int> TaxCodeCheckDigit(absl::string_view first_nine) {
  TIENDO_CHECK(first_nine.size() == 9 && AllDigits(first_nine),
               absl::StrCat("TaxCodeCheckDigit needs nine digits, got \"",
                            absl::CHexEscape(first_nine), "\""));
  int sum = 0;
  for (size_t i = 0; i < kWeights.size(); ++i) sum += kWeights[i] * (first_nine[i] - '0');
  const int remainder = sum % 11;
  if (remainder == 0) return std::nullopt;
  return 10 - remainder;  // remainder 10 gives 0
}

std::optional<TaxCodeError> CheckTaxCode(absl::string_view code) {
  constexpr absl::string_view kForms =
      "must be 10 digits, or 13 written NNNNNNNNNN-BBB for a branch";
  if (code.empty()) return Invalid(code, absl::StrCat("empty; a tax code ", kForms));
  absl::string_view base = code;
  if (code.size() == 14 && code[10] == '-') {
    base = code.substr(0, 10);
    const absl::string_view branch = code.substr(11);
    if (!AllDigits(base) || !AllDigits(branch)) {
      return Invalid(code, absl::StrCat("contains a character other than digits and the branch "
                                        "hyphen; a tax code ",
                                        kForms));
    }
    if (branch == "000") return Invalid(code, "branch 000 does not exist (must be 001..999)");
  } else if (code.size() != 10 || !AllDigits(code)) {
    if (AllDigits(code) && code.size() == 13) {
      return Invalid(code, absl::StrCat("13 digits without the branch hyphen; a tax code ",
                                        kForms));
    }
    if (AllDigits(code)) {
      return Invalid(code, absl::StrCat(code.size(), " digits; a tax code ", kForms));
    }
    return Invalid(code, absl::StrCat("not in the form of a tax code, which ", kForms));
  }
  const std::optional<int> expected = TaxCodeCheckDigit(base.substr(0, 9));
  if (!expected.has_value()) {
    return Invalid(code,
                   absl::StrCat("no valid check digit exists for the first nine digits ",
                                base.substr(0, 9), " (weighted sum is divisible by 11; ",
                                kWeightsText, ")"),
                   TaxCodeFault::kCheckDigit);
  }
  const int actual = base[9] - '0';
  if (actual != *expected) {
    return Invalid(code,
                   absl::StrCat("check digit is ", actual, ", expected ", *expected, " (",
                                kWeightsText, ")"),
                   TaxCodeFault::kCheckDigit);
  }
  return std::nullopt;
}

absl::Status ValidateTaxCode(absl::string_view code) {
  std::optional<TaxCodeError> error = CheckTaxCode(code);
  if (!error.has_value()) return absl::OkStatus();
  return absl::InvalidArgumentError(error->message);
}

}  // namespace tiendo::core
