// SubmissionFields: the fields of a submission the tracker decodes, as views into whatever
// holds them — a parsed ingest::v1::Submission (Of), or the bytes of a record read straight
// from the submission log (the evaluator's AcceptedFields). They are valid as long as what
// they view.
#pragma once

#include <string>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"
#include "tiendo/ingest/v1/submission.pb.h"

namespace tiendo::core {

// A submission's disaggregation: (dimension, value) pairs, each dimension once, in any order.
using Disaggregation = absl::InlinedVector<std::pair<absl::string_view, absl::string_view>, 4>;

struct SubmissionFields {
  enum class Figure : uint8_t { kNone, kValue, kRatio };

  absl::string_view submission_id;
  absl::string_view reporting_unit_id;
  absl::string_view indicator_id;
  absl::string_view period;
  Disaggregation disaggregation;
  Figure figure = Figure::kNone;
  double value = 0;        // the value, or the ratio's numerator
  double denominator = 0;  // a ratio's; 0 otherwise
  ingest::v1::SubmissionKind kind = ingest::v1::SUBMISSION_KIND_UNSPECIFIED;

  // Views into `submission`, which must outlive them.
  static SubmissionFields Of(const ingest::v1::Submission& submission);
};

// The canonical text of a disaggregation: "dimension=value" pairs sorted by dimension,
// joined by ";" ("" when there is none).
std::string CanonicalDisaggregation(Disaggregation disaggregation);
std::string CanonicalDisaggregation(
    const google::protobuf::Map<std::string, std::string>& disaggregation);

}  // namespace tiendo::core
