#include "tools/sample-data/submission_ids.h"

#include "absl/strings/str_cat.h"

namespace tiendo::sample {

std::string SubmissionIds::Next(absl::string_view unit, absl::string_view indicator,
                                absl::string_view period, absl::string_view district) {
  const std::string cell =
      absl::StrCat(unit, ":", indicator, ":", period, ":", district.empty() ? "total" : district);
  const int revision = ++revisions_[cell];
  return absl::StrCat(cell, ":r", revision);
}

}  // namespace tiendo::sample
