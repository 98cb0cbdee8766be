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

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace tiendo::core {

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
