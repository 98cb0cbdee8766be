#include "services/target-evaluator/evaluator_service.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/core/civil_date.h"
#include "services/common/grpc/grpc_status.h"
#include "services/common/kafka/topics.h"
#include "services/common/status/field_violations.h"
#include "services/common/status/status_macros.h"
#include "services/target-evaluator/cell_history.h"

namespace tiendo::evaluator {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;
// The longest a cell history's records are read for, whatever the call's deadline.
constexpr absl::Duration kHistoryTimeout = absl::Seconds(10);
// The most cell histories a replica reads (or queues to read) at once; more are refused
// RESOURCE_EXHAUSTED rather than queued for longer than their callers wait.
constexpr int kMaxHistoryReads = 64;

// A watch refused before it started: finished at once, deleted when gRPC is done with it.
class RefusedWatch final : public grpc::ServerWriteReactor<v1::WatchProgressResponse> {
 public:
  void OnDone() override { delete this; }
};

}  // namespace

EvaluatorService::EvaluatorService(std::function<absl::Status()> ready)
    : ready_(std::move(ready)) {}

void EvaluatorService::Attach(ProgressReadModel* read_model, const ProgressEngine* engine,
                              const registry_view::RegistryFollower* registry,
                              const kafka::KafkaOptions& kafka) {
  registry_ = registry;
  kafka_ = kafka;
  read_model_ = read_model;
  engine_ = engine;
}

absl::StatusOr<std::optional<absl::CivilDay>> EvaluatorService::AsOf(
    const std::string& as_of, const std::string& field) const {
  if (as_of.empty()) return std::nullopt;
  absl::StatusOr<absl::CivilDay> day = core::ParseCivilDate(as_of);
  if (!day.ok()) {
    return status::InvalidArgumentWithViolations(
        {status::Violation(field, "date", std::string(day.status().message()))});
  }
  const absl::CivilDay today = engine_.load()->Today();
  if (*day > today) {
    return status::InvalidArgumentWithViolations({status::Violation(
        field, "not_future",
        absl::StrCat(field, " ", as_of, " is after today (", core::FormatCivilDate(today),
                     "); progress can be asked for today or a past day"))});
  }
  return *day;
}

grpc::ServerUnaryReactor* EvaluatorService::GetProgress(grpc::CallbackServerContext* context,
                                                        const v1::GetProgressRequest* request,
                                                        v1::Progress* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto answer = [&]() -> absl::Status {
    if (absl::Status ready = ready_(); !ready.ok()) return ready;
    if (request->target_id().empty()) {
      return status::InvalidArgumentWithViolations(
          {status::Violation("target_id", "required", "target_id is required")});
    }
    absl::StatusOr<std::optional<absl::CivilDay>> as_of = AsOf(request->as_of(), "as_of");
    if (!as_of.ok()) return as_of.status();
    if (as_of->has_value()) {
      absl::StatusOr<v1::Progress> past = engine_.load()->ProgressAt(request->target_id(), **as_of);
      if (!past.ok()) return past.status();
      *response = *std::move(past);
      return absl::OkStatus();
    }
    std::optional<v1::Progress> live = read_model_.load()->Find(request->target_id());
    if (!live.has_value()) {
      return absl::NotFoundError(absl::StrCat("no progress for target \"",
                                              request->target_id(),
                                              "\": no such target, or not evaluated yet"));
    }
    *response = *std::move(live);
    return absl::OkStatus();
  };
  reactor->Finish(server::ToGrpcStatus(answer()));
  return reactor;
}

grpc::ServerUnaryReactor* EvaluatorService::ListProgress(grpc::CallbackServerContext* context,
                                                         const v1::ListProgressRequest* request,
                                                         v1::ListProgressResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(server::ToGrpcStatus(List(*request, *response)));
  return reactor;
}

absl::Status EvaluatorService::List(const v1::ListProgressRequest& request,
                                    v1::ListProgressResponse& response) const {
  if (absl::Status ready = ready_(); !ready.ok()) return ready;
  if (request.page_size() < 0 || request.page_size() > kMaxPageSize) {
    return status::InvalidArgumentWithViolations({status::Violation(
        "page_size", "range", absl::StrCat("page_size is ", request.page_size(),
                                           "; it must be 0 (", kDefaultPageSize, ") to ",
                                           kMaxPageSize))});
  }
  absl::StatusOr<std::optional<absl::CivilDay>> as_of = AsOf(request.as_of(), "as_of");
  if (!as_of.ok()) return as_of.status();
  RETURN_IF_ERROR(CheckPlanKnown(request.plan_id()));
  const int page_size = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  // The page token is the id of the last target of the previous page: targets are listed by
  // id, so a page never repeats or skips a target that stayed.
  const std::string& after = request.page_token();
  std::vector<v1::Progress> listed =
      read_model_.load()->List([&](const v1::Progress& progress) {
        return progress.target_id() > after &&
               (request.plan_id().empty() || progress.plan_id() == request.plan_id());
      });
  for (v1::Progress& progress : listed) {
    if (as_of->has_value()) {
      absl::StatusOr<v1::Progress> past =
          engine_.load()->ProgressAt(progress.target_id(), **as_of);
      if (!past.ok()) return past.status();
      progress = *std::move(past);
    }
    if (!request.statuses().empty() &&
        std::find(request.statuses().begin(), request.statuses().end(), progress.status()) ==
            request.statuses().end()) {
      continue;
    }
    if (response.progress_entries_size() == page_size) {
      response.set_next_page_token(response.progress_entries().rbegin()->target_id());
      break;
    }
    *response.add_progress_entries() = std::move(progress);
  }
  return absl::OkStatus();
}

absl::Status EvaluatorService::CheckPlanKnown(const std::string& plan_id) const {
  if (plan_id.empty() || registry_->Read([&](const registry_view::RegistryView& view) {
        return view.FindPlan(plan_id) != nullptr;
      })) {
    return absl::OkStatus();
  }
  return absl::NotFoundError(absl::StrCat("no plan has the id \"", plan_id,
                                          "\" in the registry"));
}

grpc::ServerWriteReactor<v1::WatchProgressResponse>* EvaluatorService::WatchProgress(
    grpc::CallbackServerContext*, const v1::WatchProgressRequest* request) {
  absl::Status ready = ready_();
  if (ready.ok()) ready = CheckPlanKnown(request->plan_id());
  if (!ready.ok()) {
    auto* refused = new RefusedWatch();
    refused->Finish(server::ToGrpcStatus(ready));
    return refused;
  }
  absl::MutexLock lock(&watches_mu_);
  if (ending_) {
    auto* refused = new RefusedWatch();
    refused->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the replica is shutting down"));
    return refused;
  }
  auto* watch = new ProgressWatch(*request, *read_model_.load(), [this](ProgressWatch* done) {
    absl::MutexLock erase_lock(&watches_mu_);
    watches_.erase(done);
  });
  watches_.insert(watch);
  return watch;
}

grpc::ServerUnaryReactor* EvaluatorService::GetCellHistory(
    grpc::CallbackServerContext* context, const v1::GetCellHistoryRequest* request,
    v1::GetCellHistoryResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto located = [&]() -> absl::StatusOr<ProgressEngine::CellRecords> {
    RETURN_IF_ERROR(ready_());
    std::vector<common::v1::FieldViolation> missing;
    for (const auto& [field, value] :
         {std::pair<std::string, const std::string*>{"reporting_unit_id",
                                                      &request->reporting_unit_id()},
          {"indicator_id", &request->indicator_id()},
          {"period", &request->period()}}) {
      if (value->empty()) {
        missing.push_back(
            status::Violation(field, "required", absl::StrCat(field, " is required")));
      }
    }
    if (!missing.empty()) return status::InvalidArgumentWithViolations(missing);
    return engine_.load()->CellHistory(*request);
  };
  absl::StatusOr<ProgressEngine::CellRecords> records = located();
  if (records.ok() && history_reads_.fetch_add(1) >= kMaxHistoryReads) {
    history_reads_.fetch_sub(1);
    records = absl::ResourceExhaustedError(
        absl::StrCat(kMaxHistoryReads, " cell histories are being read from Kafka on this "
                     "replica already; retry in a few seconds"));
  }
  if (!records.ok()) {
    reactor->Finish(server::ToGrpcStatus(records.status()));
    return reactor;
  }
  // Reading the records back from Kafka blocks: off gRPC's threads, within the call's deadline
  // (counted from now: a read that waited in the queue past it is not started).
  const absl::Time deadline =
      std::min(absl::FromChrono(context->deadline()), absl::Now() + kHistoryTimeout);
  history_readers_.Post([this, context, reactor, response, deadline,
                         records = *std::move(records)] {
    absl::StatusOr<v1::GetCellHistoryResponse> history = absl::DeadlineExceededError(
        "the cell history was not read before the call's deadline (other reads were "
        "queued before it); retry, or allow the call more time");
    if (!context->IsCancelled() && absl::Now() < deadline) {
      std::vector<int64_t> offsets;
      for (const core::AppliedSubmission& applied : records.applied) {
        offsets.push_back(applied.sequence);
      }
      absl::StatusOr<std::vector<SubmissionRecord>> read = ReadSubmissionRecords(
          kafka_, kafka::TopicName(kafka_, kafka::Topic::kSubmissions), records.partition,
          offsets, deadline - absl::Now());
      history = read.ok() ? DescribeCellHistory(records.applied, *read)
                          : absl::StatusOr<v1::GetCellHistoryResponse>(read.status());
    }
    if (history.ok()) *response = *std::move(history);
    history_reads_.fetch_sub(1);
    reactor->Finish(server::ToGrpcStatus(history.status()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* EvaluatorService::GetCompleteness(
    grpc::CallbackServerContext* context, const v1::GetCompletenessRequest* request,
    v1::GetCompletenessResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto answer = [&]() -> absl::Status {
    RETURN_IF_ERROR(ready_());
    ASSIGN_OR_RETURN(*response, registry_->Read([&](const registry_view::RegistryView& view) {
      return engine_.load()->Completeness(view, *request);
    }));
    return absl::OkStatus();
  };
  reactor->Finish(server::ToGrpcStatus(answer()));
  return reactor;
}

void EvaluatorService::EndWatches() {
  absl::MutexLock lock(&watches_mu_);
  ending_ = true;
  for (ProgressWatch* watch : watches_) {
    watch->End(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                            "the replica is shutting down; watch again with "
                            "resume_from_versions to miss nothing"));
  }
}

}  // namespace tiendo::evaluator
