// Submission ids for synthetic submissions, in the "<system>:<record
// id>:<revision>" style the Submission proto recommends:
// `<unit>:<indicator>:<period>:<district or "total">:r<revision>`, where the
// revision counts the submissions of that cell (a correction or a
// retraction is the next revision). Ids are unique; only a resent duplicate
// repeats one.
#pragma once

#include <map>
#include <string>

#include "absl/strings/string_view.h"

namespace tiendo::sample {

class SubmissionIds {
 public:
  // The id of the next submission for the cell.
  std::string Next(absl::string_view unit, absl::string_view indicator, absl::string_view period,
                   absl::string_view district);

 private:
  std::map<std::string, int> revisions_;
};

}  // namespace tiendo::sample
