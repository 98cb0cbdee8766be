// SeedProgressRun: the seed plan and the synthetic data through the real services, and the
// same inputs through the core — what the evaluator's integration tests compare. It starts a
// suite with the registry, metrics-ingest and the target evaluator (tokens for every unit of
// submissions.csv), imports the synthetic enterprises and public services, sends submissions
// one call each (so the log keeps their order) and remembers those ACCEPTED; the core's
// progress over the seed files and those submissions is what the evaluator must show.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tests/support/ingest_suite.h"
#include "tests/support/seed_sample.h"
#include "tiendo/evaluator/v1/evaluator.grpc.pb.h"

namespace tiendo::testing {

inline constexpr char kSeedPlanId[] = "brvt-63-kh-ubnd";

// Progress by target id.
using ProgressByTarget = std::map<std::string, evaluator::v1::Progress>;

// What must agree between the evaluator and the core: the progress without its as-of date,
// version, change time and cause.
evaluator::v1::Progress ProgressOutcome(evaluator::v1::Progress progress);

class SeedProgressRun {
 public:
  // `name` names the suite (topic prefix, directory).
  static absl::StatusOr<std::unique_ptr<SeedProgressRun>> Start(const std::string& name);

  IngestSuite& suite() { return *suite_; }
  // Every row of submissions.csv, in file order.
  const std::vector<SubmissionRow>& rows() const { return rows_; }
  // The submissions ACCEPTED so far, in the order they were sent.
  const std::vector<ingest::v1::Submission>& accepted() const { return accepted_; }

  // Sends `submission` as its unit in a call of its own; its outcome.
  absl::StatusOr<ingest::v1::SubmissionOutcome> Send(const ingest::v1::Submission& submission);

  // The core's progress of every target of the seed plan on `day`, over the seed files and
  // the accepted submissions.
  ProgressByTarget Expected(absl::CivilDay day) const;
  // The seed plan's progress as the evaluator at `address` lists it (empty if it cannot).
  static ProgressByTarget Evaluated(const std::string& address);
  // Waits up to `timeout` until the evaluator at `address` (empty: the suite's) agrees with
  // Expected(day); its progress, or an error showing the differences. Without `day`, today
  // in Vietnam: the day the wait began or, should midnight pass while it waits, the new one
  // (the evaluator re-assesses at the new day, a moment after the clock turns).
  absl::StatusOr<ProgressByTarget> AwaitAgreement(std::optional<absl::CivilDay> day = {},
                                                  const std::string& address = "",
                                                  absl::Duration timeout = absl::Seconds(60));

  // Every row of the suite's evaluator's GetCompleteness answer to `request`, page after page
  // (of request.page_size rows); the first error.
  absl::StatusOr<std::vector<evaluator::v1::CompletenessRow>> Completeness(
      evaluator::v1::GetCompletenessRequest request);
  // Whether `unit`'s report for `indicator_id` and `period` stands after the accepted
  // submissions: one of its cells (one per disaggregation) has a report as its last word, not
  // a retraction.
  bool ReportStands(const std::string& unit, const std::string& indicator_id,
                    const std::string& period) const;

 private:
  SeedProgressRun(std::unique_ptr<IngestSuite> suite, std::vector<SubmissionRow> rows);
  absl::Status ImportRegistryFiles();

  std::unique_ptr<IngestSuite> suite_;
  const std::vector<SubmissionRow> rows_;
  std::vector<ingest::v1::Submission> accepted_;
};

}  // namespace tiendo::testing
