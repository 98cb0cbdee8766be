#include "services/common/core/submission_fields.h"

#include <algorithm>

#include "absl/strings/str_join.h"

namespace tiendo::core {

SubmissionFields SubmissionFields::Of(const ingest::v1::Submission& submission) {
  SubmissionFields fields;
  fields.submission_id = submission.submission_id();
  fields.reporting_unit_id = submission.reporting_unit_id();
  fields.indicator_id = submission.indicator_id();
  fields.period = submission.period();
  fields.disaggregation.assign(submission.disaggregation().begin(),
                               submission.disaggregation().end());
  switch (submission.figure_case()) {
    case ingest::v1::Submission::kValue:
      fields.figure = Figure::kValue;
      fields.value = submission.value();
      break;
    case ingest::v1::Submission::kRatio:
      fields.figure = Figure::kRatio;
      fields.value = submission.ratio().numerator();
      fields.denominator = submission.ratio().denominator();
      break;
    case ingest::v1::Submission::FIGURE_NOT_SET:
      break;
  }
  fields.kind = submission.kind();
  return fields;
}

std::string CanonicalDisaggregation(Disaggregation disaggregation) {
  // Views sorted in place, not a copy into an ordered map: this runs for every submission
  // applied, and a disaggregation has a few dimensions at most.
  std::sort(disaggregation.begin(), disaggregation.end());
  return absl::StrJoin(disaggregation, ";", absl::PairFormatter("="));
}

std::string CanonicalDisaggregation(
    const google::protobuf::Map<std::string, std::string>& disaggregation) {
  return CanonicalDisaggregation(Disaggregation(disaggregation.begin(), disaggregation.end()));
}

}  // namespace tiendo::core
