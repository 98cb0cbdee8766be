// Tax codes (mã số thuế) for synthetic enterprises: 10 digits whose last is
// the check digit d10 = 10 − (Σ wᵢ·dᵢ mod 11) over the first nine, weights
// 31, 29, 23, 19, 17, 13, 7, 5, 3 (no code exists for a remainder of 0; a
// remainder of 10 gives 0), and branches written `NNNNNNNNNN-BBB`.
//
// Codes are handed out in increasing order, as the tax authority assigns
// them, from the 3509… block: the province's prefix (35), but a block far
// beyond the codes assigned so far, so that a synthetic code is unlikely to be
// a real enterprise's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "tools/sample-data/random.h"

namespace tiendo::sample {

// The check digit for nine ASCII digits; nullopt when none exists.
std::optional<int> CheckDigit(absl::string_view first_nine);

class TaxCodeSequence {
 public:
  // The first code handed out has first nine digits at or after `first_nine`.
  explicit TaxCodeSequence(int64_t first_nine = 350900100) : next_(first_nine) {}

  // A valid code greater than every code handed out before; the gap to the
  // previous one is random (other enterprises registered in between).
  std::string Next(Random& random);

 private:
  int64_t next_;
};

// The code of branch `branch` (1..999) of the enterprise `parent`.
std::string BranchTaxCode(absl::string_view parent, int branch);

}  // namespace tiendo::sample
