// The seed plan (plans/brvt-63-kh-ubnd.yaml) and the synthetic data (data/synthetic/) as
// tests read them: the plan file, the registry rows and the submission rows decoded the way
// the importers decode them (tiendo_rows), and a core ProgressTracker holding the plan and the
// registry rows — what an evaluator holds after reading the registry log. What the core
// computes from these files is what the services must agree with.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/core/progress_tracker.h"
#include "tiendo/ingest/v1/submission.pb.h"
#include "tiendo/registry/v1/enterprise.pb.h"
#include "tiendo/registry/v1/plan_file.pb.h"
#include "tiendo/registry/v1/public_service.pb.h"

namespace tiendo::testing {

inline constexpr char kSeedPlanFile[] = "plans/brvt-63-kh-ubnd.yaml";
inline constexpr char kSyntheticEnterprises[] = "data/synthetic/enterprises.csv";
inline constexpr char kSyntheticPublicServices[] = "data/synthetic/public_services.csv";
inline constexpr char kSyntheticSubmissions[] = "data/synthetic/submissions.csv";

// The seed plan file, its targets' plan_id set as the registry sets it on apply. An error
// lists the file's problems.
absl::StatusOr<registry::v1::PlanFile> SeedPlanFile();

// The rows of the synthetic registry files, each at version 1 (a file carries no version:
// every row is an entity's first).
absl::StatusOr<std::vector<registry::v1::Enterprise>> SyntheticEnterprises();
absl::StatusOr<std::vector<registry::v1::PublicService>> SyntheticPublicServices();

// One row of submissions.csv.
struct SubmissionRow {
  int line = 0;
  // The generator made it invalid on purpose (its comment starts "INVALID:"): ingest
  // rejects it.
  bool invalid = false;
  ingest::v1::Submission submission;
};
// Every row of submissions.csv, in file order.
absl::StatusOr<std::vector<SubmissionRow>> SyntheticSubmissions();

// Loads the seed plan and the synthetic registry rows into `tracker`, dependencies first.
absl::Status LoadSeedRegistry(core::ProgressTracker& tracker);

}  // namespace tiendo::testing
