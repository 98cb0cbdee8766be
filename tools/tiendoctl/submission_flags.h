// The one submission `tiendoctl submit` sends when it is given flags instead of a file:
// --indicator, --period, --district or --dimension, the figure (--value, or --numerator and
// --denominator; none with --retract), --submission-id (default: a fresh random id),
// --comment and --source-system.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/config/flag_set.h"
#include "tiendo/ingest/v1/submission.pb.h"

namespace tiendo::ctl {

struct SubmissionFlags {
  std::string indicator;
  std::string period;
  std::string district;
  std::string dimensions;  // name=value,name=value
  std::string value;
  std::string numerator;
  std::string denominator;
  bool retract = false;
  std::string submission_id;
  std::string comment;
  std::string source_system = "tiendoctl";
};

void RegisterSubmissionFlags(config::FlagSet& flags, SubmissionFlags* submission);

// True when a flag that describes the single item was given (they do not mix with --file;
// --source-system, which also serves a file, is not one).
bool DescribesAnItem(const SubmissionFlags& submission);

// The submission the flags describe, submitted at `now`, with `fresh_id` as its id unless
// --submission-id was given. INVALID_ARGUMENT naming the flag and the rule: a missing
// --indicator or --period, a figure that is not a number, no figure or two, a figure on a
// retraction, a --dimension that is not name=value or names a dimension twice.
absl::StatusOr<ingest::v1::Submission> BuildSubmission(const SubmissionFlags& submission,
                                                       absl::Time now,
                                                       const std::string& fresh_id);

// A random version-4 UUID, e.g. "7f3a9c1e-4b2d-4e8f-9a6b-0c1d2e3f4a5b": a valid submission
// id that no other sender will choose.
std::string RandomSubmissionId();

}  // namespace tiendo::ctl
