// Decoding the items of a batch one by one: each LenientSubmission (strings still bytes, see
// lenient_submission.proto) becomes a Submission, or a rejection naming the field that is not
// valid UTF-8 — so one bad string costs one item, not the whole batch.
#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "services/common/core/submission_rules.h"
#include "tiendo/ingest/v1/lenient_submission.pb.h"
#include "tiendo/ingest/v1/submission.pb.h"

namespace tiendo::ingest {

// Decodes the item into `submission` (empty before); nullopt if it is a Submission, else why
// it cannot be one (reason INVALID_UTF8).
std::optional<core::SubmissionRejection> DecodeItem(const v1::LenientSubmission& item,
                                                    v1::Submission& submission);

// The submission id to echo in an answer: the item's, if it is valid UTF-8; else "".
absl::string_view EchoedSubmissionId(const v1::LenientSubmission& item);

}  // namespace tiendo::ingest
