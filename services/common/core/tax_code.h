// Enterprise tax codes (mã số thuế): the format and the check digit.
//
// A tax code is 10 digits, or 13 written `NNNNNNNNNN-BBB` for a branch
// (dependent unit) with branch number 001..999. The tenth digit is a check
// digit over the first nine: d10 = 10 − (Σ wᵢ·dᵢ mod 11) with weights
// 31, 29, 23, 19, 17, 13, 7, 5, 3. A remainder of 0 would need a check digit
// of 10, so no code with those first nine digits is valid; a remainder of 10
// gives check digit 0.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace tiendo::core {

// Which rule a malformed tax code breaks; validation reports them under different rule names
// (`format`, `check_digit`) so that a client can tell a typo in the shape from a mistyped
// digit.
enum class TaxCodeFault {
  // Not 10 digits, nor 13 written NNNNNNNNNN-BBB; or branch 000.
  kFormat,
  // Well-formed, but the tenth digit is not the check digit of the first nine, or the first
  // nine have no check digit at all (weighted sum divisible by 11).
  kCheckDigit,
};

struct TaxCodeError {
  TaxCodeFault fault;
  // As ValidateTaxCode's status message.
  std::string message;
};

// nullopt for a well-formed tax code with a correct check digit; otherwise the rule it
// breaks and the message ValidateTaxCode would give.
std::optional<TaxCodeError> CheckTaxCode(absl::string_view code);

// OK for a well-formed tax code with a correct check digit; otherwise
// INVALID_ARGUMENT naming the code and the rule it breaks, e.g.
//   tax code 0100233480: check digit is 0, expected 8 (weights 31,29,23,19,17,13,7,5,3)
absl::Status ValidateTaxCode(absl::string_view code);

// The check digit for the first nine digits of a tax code; nullopt when
// their weighted sum is ≡ 0 (mod 11), i.e. no valid check digit exists.
// `first_nine` must be nine ASCII digits (anything else is a programming
// error and aborts).
std::optional<int> TaxCodeCheckDigit(absl::string_view first_nine);

}  // namespace tiendo::core
