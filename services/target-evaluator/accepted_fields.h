// AcceptedFields: what the engine reads of an AcceptedSubmission — the submission's fields and
// when it was accepted — read straight from a record's bytes. Protobuf's generated parser
// builds the whole event (strings, a map of the disaggregation, timestamps) and was the
// largest single cost of replaying the submission log; this reads the same fields as views
// into the record, allocating nothing.
//
// It takes only what it can vouch that protobuf reads the same way: any input it declines
// (bytes that are not a well-formed AcceptedSubmission, text that is not UTF-8, groups, a
// known field with an unexpected wire type, a tag or length in more than five bytes) is left
// to protobuf's parser, which decides.
// What it takes it reads with protobuf's rules: the last of a repeated scalar or string wins,
// repeated messages merge, the last of the figure's oneof wins, a map's last entry for a key
// wins, unknown fields are skipped.
#pragma once

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/core/submission_fields.h"
#include "tiendo/events/v1/submission_event.pb.h"

namespace tiendo::evaluator {

struct AcceptedFields {
  core::SubmissionFields submission;
  int64_t accepted_at_seconds = 0;
  int32_t accepted_at_nanos = 0;

  // When ingest accepted it, to the microsecond (as protobuf's TimeUtil reads a Timestamp).
  absl::Time accepted_at() const;

  // Reads `bytes`, an AcceptedSubmission on the wire, into views of them; nullopt when it
  // declines them (see above).
  static std::optional<AcceptedFields> Read(absl::string_view bytes);
  // Views into `event`, which must outlive them.
  static AcceptedFields Of(const events::v1::AcceptedSubmission& event);
};

}  // namespace tiendo::evaluator
