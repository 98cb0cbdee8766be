#include "tools/tiendoctl/submission_flags.h"

#include <cmath>
#include <random>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"

namespace tiendo::ctl {
namespace {

// `text` as a finite number; `flag` names it in the error.
absl::StatusOr<double> ParseNumber(absl::string_view flag, const std::string& text) {
  double number = 0;
  if (!absl::SimpleAtod(text, &number) || !std::isfinite(number)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": \"", text, "\" is not a finite number"));
  }
  return number;
}

}  // namespace

void RegisterSubmissionFlags(config::FlagSet& flags, SubmissionFlags* submission) {
  flags.AddString("indicator", "", "The indicator reported, e.g. procedure_results_digitised.",
                  &submission->indicator);
  flags.AddString("period", "", "The period: 2025, 2025-H1, 2025-Q3 or 2025-09.",
                  &submission->period);
  flags.AddString("district", "", "The district disaggregation, an administrative unit code.",
                  &submission->district);
  flags.AddString("dimension", "",
                  "Other disaggregation as name=value,name=value (e.g. sector=62).",
                  &submission->dimensions);
  flags.AddString("value", "", "The figure of a value indicator.", &submission->value);
  flags.AddString("numerator", "", "The numerator of a numerator/denominator indicator.",
                  &submission->numerator);
  flags.AddString("denominator", "", "Its denominator (with --numerator).",
                  &submission->denominator);
  flags.AddBool("retract", "", "Withdraw the cell's figure instead of reporting one.",
                &submission->retract);
  flags.AddString("submission-id", "",
                  "Idempotency key (1-128 of A-Z a-z 0-9 . _ : -); sending it again is "
                  "answered DUPLICATE. Default: a fresh random id, printed.",
                  &submission->submission_id);
  flags.AddString("comment", "", "A remark for people, e.g. \"corrected after audit\".",
                  &submission->comment);
  flags.AddString("source-system", "",
                  "The sending system; with --file, recorded on the rows that leave "
                  "source_system empty.",
                  &submission->source_system);
}

bool DescribesAnItem(const SubmissionFlags& submission) {
  return !submission.indicator.empty() || !submission.period.empty() ||
         !submission.district.empty() || !submission.dimensions.empty() ||
         !submission.value.empty() || !submission.numerator.empty() ||
         !submission.denominator.empty() || submission.retract ||
         !submission.submission_id.empty() || !submission.comment.empty();
}

absl::StatusOr<ingest::v1::Submission> BuildSubmission(const SubmissionFlags& flags,
                                                       absl::Time now,
                                                       const std::string& fresh_id) {
  std::vector<std::string> missing;
  if (flags.indicator.empty()) missing.push_back("--indicator");
  if (flags.period.empty()) missing.push_back("--period");
  if (!missing.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("missing ", absl::StrJoin(missing, ", ")));
  }
  ingest::v1::Submission submission;
  submission.set_submission_id(flags.submission_id.empty() ? fresh_id : flags.submission_id);
  submission.set_indicator_id(flags.indicator);
  submission.set_period(flags.period);
  auto& disaggregation = *submission.mutable_disaggregation();
  if (!flags.district.empty()) disaggregation["district"] = flags.district;
  for (absl::string_view pair : absl::StrSplit(flags.dimensions, ',', absl::SkipEmpty())) {
    const std::vector<std::string> parts = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--dimension: \"", pair, "\" is not name=value"));
    }
    if (!disaggregation.insert({parts[0], parts[1]}).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("--dimension: ", parts[0], " is given twice"));
    }
  }

  const bool has_value = !flags.value.empty();
  const bool has_ratio = !flags.numerator.empty() || !flags.denominator.empty();
  if (flags.retract) {
    if (has_value || has_ratio) {
      return absl::InvalidArgumentError("--retract takes no --value, --numerator or --denominator");
    }
    submission.set_kind(ingest::v1::SUBMISSION_KIND_RETRACTION);
  } else {
    if (has_value == has_ratio) {
      return absl::InvalidArgumentError(
          "give the figure as --value, or as --numerator and --denominator (or --retract)");
    }
    submission.set_kind(ingest::v1::SUBMISSION_KIND_REPORT);
    if (has_value) {
      absl::StatusOr<double> value = ParseNumber("value", flags.value);
      if (!value.ok()) return value.status();
      submission.set_value(*value);
    } else {
      if (flags.numerator.empty() || flags.denominator.empty()) {
        return absl::InvalidArgumentError("--numerator and --denominator go together");
      }
      absl::StatusOr<double> numerator = ParseNumber("numerator", flags.numerator);
      if (!numerator.ok()) return numerator.status();
      absl::StatusOr<double> denominator = ParseNumber("denominator", flags.denominator);
      if (!denominator.ok()) return denominator.status();
      submission.mutable_ratio()->set_numerator(*numerator);
      submission.mutable_ratio()->set_denominator(*denominator);
    }
  }
  *submission.mutable_submitted_at() =
      google::protobuf::util::TimeUtil::MillisecondsToTimestamp(absl::ToUnixMillis(now));
  submission.set_source_system(flags.source_system);
  submission.set_comment(flags.comment);
  return submission;
}

std::string RandomSubmissionId() {
  std::random_device device;
  std::uniform_int_distribution<uint32_t> word;
  uint32_t words[4] = {word(device), word(device), word(device), word(device)};
  words[1] = (words[1] & 0xFFFF0FFFu) | 0x00004000u;  // version 4
  words[2] = (words[2] & 0x3FFFFFFFu) | 0x80000000u;  // RFC 4122 variant
  return absl::StrFormat("%08x-%04x-%04x-%04x-%04x%08x", words[0], words[1] >> 16,
                         words[1] & 0xFFFFu, words[2] >> 16, words[2] & 0xFFFFu, words[3]);
}

}  // namespace tiendo::ctl
