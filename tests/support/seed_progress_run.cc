#include "tests/support/seed_progress_run.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/common/core/civil_date.h"
#include "services/common/core/progress_report.h"
#include "services/common/core/progress_tracker.h"
#include "services/common/grpc/grpc_status.h"
#include "services/common/status/status_macros.h"
#include "tests/support/service_under_test.h"

namespace tiendo::testing {
namespace {

namespace ev1 = evaluator::v1;
namespace iv1 = ingest::v1;
namespace rv1 = registry::v1;

bool Agrees(const ProgressByTarget& evaluated, const ProgressByTarget& expected) {
  if (evaluated.size() != expected.size()) return false;
  for (const auto& [id, progress] : expected) {
    auto found = evaluated.find(id);
    if (found == evaluated.end() || !google::protobuf::util::MessageDifferencer::Equals(
                                        ProgressOutcome(found->second), progress)) {
      return false;
    }
  }
  return true;
}

// Streams `rows` to an import RPC of the registry in one message; INTERNAL unless every row
// was created.
template <typename Request, typename Response, typename Entity, typename AddRow>
absl::Status Import(
    std::unique_ptr<grpc::ClientWriter<Request>> (rv1::Registry::Stub::*call)(grpc::ClientContext*,
                                                                                Response*),
    rv1::Registry::Stub& registry, const std::vector<Entity>& entities, AddRow add_row) {
  auto context = IngestSuite::RegistryContext(absl::Seconds(120));
  Response response;
  auto stream = (registry.*call)(context.get(), &response);
  Request request;
  for (size_t i = 0; i < entities.size(); ++i) {
    add_row(request, static_cast<int64_t>(i) + 2, entities[i]);
  }
  stream->Write(request);
  stream->WritesDone();
  if (grpc::Status status = stream->Finish(); !status.ok()) {
    return absl::InternalError(absl::StrCat("import: ", status.error_message()));
  }
  if (response.summary().rows_created() != static_cast<int64_t>(entities.size())) {
    return absl::InternalError(absl::StrCat("import created ", response.summary().rows_created(),
                                            " of ", entities.size(), " rows"));
  }
  return absl::OkStatus();
}

}  // namespace

ev1::Progress ProgressOutcome(ev1::Progress progress) {
  progress.clear_as_of();
  progress.clear_version();
  progress.clear_last_changed_at();
  progress.clear_cause();
  return progress;
}

SeedProgressRun::SeedProgressRun(std::unique_ptr<IngestSuite> suite,
                                 std::vector<SubmissionRow> rows)
    : suite_(std::move(suite)), rows_(std::move(rows)) {}

absl::StatusOr<std::unique_ptr<SeedProgressRun>> SeedProgressRun::Start(const std::string& name) {
  absl::StatusOr<std::vector<SubmissionRow>> rows = SyntheticSubmissions();
  if (!rows.ok()) return rows.status();
  std::set<std::string> units;
  for (const SubmissionRow& row : *rows) units.insert(row.submission.reporting_unit_id());
  absl::StatusOr<std::unique_ptr<IngestSuite>> suite = IngestSuite::Start(
      {TIENDO_REGISTRY_BINARY, TIENDO_INGEST_BINARY, name,
       std::vector<std::string>(units.begin(), units.end()), {}, TIENDO_EVALUATOR_BINARY});
  if (!suite.ok()) return suite.status();
  std::unique_ptr<SeedProgressRun> run(
      new SeedProgressRun(*std::move(suite), *std::move(rows)));
  if (absl::Status imported = run->ImportRegistryFiles(); !imported.ok()) return imported;
  return run;
}

absl::Status SeedProgressRun::ImportRegistryFiles() {
  absl::StatusOr<std::vector<rv1::Enterprise>> enterprises = SyntheticEnterprises();
  if (!enterprises.ok()) return enterprises.status();
  absl::Status imported = Import<rv1::ImportEnterprisesRequest, rv1::ImportEnterprisesResponse>(
      &rv1::Registry::Stub::ImportEnterprises, suite_->registry(), *enterprises,
      [](rv1::ImportEnterprisesRequest& request, int64_t line, const rv1::Enterprise& entity) {
        rv1::EnterpriseImportRow* row = request.add_rows();
        row->set_row_number(line);
        *row->mutable_enterprise() = entity;
      });
  if (!imported.ok()) return imported;
  absl::StatusOr<std::vector<rv1::PublicService>> services = SyntheticPublicServices();
  if (!services.ok()) return services.status();
  return Import<rv1::ImportPublicServicesRequest, rv1::ImportPublicServicesResponse>(
      &rv1::Registry::Stub::ImportPublicServices, suite_->registry(), *services,
      [](rv1::ImportPublicServicesRequest& request, int64_t line,
         const rv1::PublicService& entity) {
        rv1::PublicServiceImportRow* row = request.add_rows();
        row->set_row_number(line);
        *row->mutable_public_service() = entity;
      });
}

absl::StatusOr<iv1::SubmissionOutcome> SeedProgressRun::Send(const iv1::Submission& submission) {
  iv1::SubmitBatchRequest request;
  *request.add_submissions() = submission;
  iv1::SubmitBatchResponse response;
  grpc::Status status = suite_->Submit(suite_->token(submission.reporting_unit_id()).bearer,
                                       request, &response);
  if (!status.ok() || response.results_size() != 1) {
    return absl::UnavailableError(absl::StrCat("submission ", submission.submission_id(), ": ",
                                               status.error_message()));
  }
  const iv1::SubmissionOutcome outcome = response.results(0).outcome();
  if (outcome == iv1::SUBMISSION_OUTCOME_ACCEPTED) accepted_.push_back(submission);
  return outcome;
}

ProgressByTarget SeedProgressRun::Expected(absl::CivilDay day) const {
  ProgressByTarget expected;
  core::ProgressTracker tracker;
  if (!LoadSeedRegistry(tracker).ok()) return expected;
  for (size_t i = 0; i < accepted_.size(); ++i) {
    const iv1::Submission& submission = accepted_[i];
    absl::StatusOr<core::CellSubmission> decoded =
        tracker.Decode(submission, submission.reporting_unit_id(), static_cast<int64_t>(i));
    if (decoded.ok()) tracker.Apply(*decoded);
  }
  absl::StatusOr<rv1::PlanFile> plan_file = SeedPlanFile();
  if (!plan_file.ok()) return expected;
  for (const rv1::Target& target : plan_file->plan().targets()) {
    expected[target.id()] = ProgressOutcome(
        core::DescribeProgress(tracker, *tracker.FindTarget(target.id()), day));
  }
  return expected;
}

ProgressByTarget SeedProgressRun::Evaluated(const std::string& address) {
  ProgressByTarget evaluated;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  ev1::ListProgressRequest request;
  request.set_plan_id(kSeedPlanId);
  ev1::ListProgressResponse response;
  auto evaluator = ev1::TargetEvaluator::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  if (!evaluator->ListProgress(&context, request, &response).ok()) return evaluated;
  for (const ev1::Progress& progress : response.progress_entries()) {
    evaluated[progress.target_id()] = progress;
  }
  return evaluated;
}

absl::StatusOr<ProgressByTarget> SeedProgressRun::AwaitAgreement(
    std::optional<absl::CivilDay> day, const std::string& address, absl::Duration timeout) {
  const absl::CivilDay first_day = day.value_or(core::VietnamDay(absl::Now()));
  std::map<absl::CivilDay, ProgressByTarget> expected_on;  // the core's, by day
  expected_on[first_day] = Expected(first_day);
  if (expected_on[first_day].empty()) {
    return absl::InternalError("the core could not load the seed files");
  }
  ProgressByTarget evaluated;
  if (WaitUntil(
          [&] {
            evaluated = Evaluated(address.empty() ? suite_->evaluator_address() : address);
            if (!day.has_value()) {
              const absl::CivilDay today = core::VietnamDay(absl::Now());
              if (!expected_on.contains(today)) expected_on[today] = Expected(today);
            }
            return std::any_of(expected_on.begin(), expected_on.end(), [&](const auto& on_day) {
              return Agrees(evaluated, on_day.second);
            });
          },
          timeout)) {
    return evaluated;
  }
  const ProgressByTarget& expected = expected_on.rbegin()->second;
  std::string differences;
  for (const auto& [id, progress] : expected) {
    auto found = evaluated.find(id);
    absl::StrAppend(&differences, "expected ", id, ":\n", progress.DebugString(), "evaluated:\n",
                    found != evaluated.end() ? ProgressOutcome(found->second).DebugString()
                                             : "none\n");
  }
  return absl::DeadlineExceededError(absl::StrCat("the evaluator never agreed with the core:\n",
                                                  differences, "evaluator log:\n",
                                                  suite_->EvaluatorLog()));
}

absl::StatusOr<std::vector<ev1::CompletenessRow>> SeedProgressRun::Completeness(
    ev1::GetCompletenessRequest request) {
  auto evaluator = suite_->EvaluatorStub();
  std::vector<ev1::CompletenessRow> rows;
  do {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    ev1::GetCompletenessResponse page;
    RETURN_IF_ERROR(
        server::FromGrpcStatus(evaluator->GetCompleteness(&context, request, &page)));
    rows.insert(rows.end(), page.rows().begin(), page.rows().end());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return rows;
}

bool SeedProgressRun::ReportStands(const std::string& unit, const std::string& indicator_id,
                                   const std::string& period) const {
  // Cell (its disaggregation, ordered) → whether its last word is a report.
  std::map<std::map<std::string, std::string>, bool> cells;
  for (const iv1::Submission& submission : accepted_) {
    if (submission.reporting_unit_id() != unit || submission.indicator_id() != indicator_id ||
        submission.period() != period) {
      continue;
    }
    cells[{submission.disaggregation().begin(), submission.disaggregation().end()}] =
        submission.kind() != iv1::SUBMISSION_KIND_RETRACTION;
  }
  for (const auto& [cell, reported] : cells) {
    if (reported) return true;
  }
  return false;
}

}  // namespace tiendo::testing
