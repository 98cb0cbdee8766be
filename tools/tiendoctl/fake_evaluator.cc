#include "tools/tiendoctl/fake_evaluator.h"

#include <algorithm>
#include <deque>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/common/grpc/grpc_status.h"
#include "tools/tiendoctl/loopback_server.h"

namespace tiendo::ctl::testing {

using evaluator::v1::CompletenessRow;
using evaluator::v1::GetCompletenessRequest;
using evaluator::v1::GetCompletenessResponse;
using evaluator::v1::GetProgressRequest;
using evaluator::v1::ListProgressRequest;
using evaluator::v1::ListProgressResponse;
using evaluator::v1::Progress;
using evaluator::v1::WatchProgressRequest;
using evaluator::v1::WatchProgressResponse;

namespace {

constexpr int kDefaultPageSize = 100;

absl::Status NoSuchTarget(const std::string& target_id) {
  return absl::NotFoundError(absl::StrCat("no progress for target \"", target_id,
                                          "\": no such target, or not evaluated yet"));
}

// A unary call finished with `status`.
grpc::ServerUnaryReactor* Answered(grpc::CallbackServerContext* context,
                                   const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(server::ToGrpcStatus(status));
  return reactor;
}

}  // namespace

// One WatchProgress stream: the fake queues its messages (under the fake's lock, so that the
// initial state and later publications come in order) and the watch writes them one at a
// time; per target it keeps the last version the client has, and sends nothing older.
class FakeEvaluator::Watch : public grpc::ServerWriteReactor<WatchProgressResponse> {
 public:
  Watch(FakeEvaluator* fake, const WatchProgressRequest& request)
      : fake_(fake),
        target_ids_(request.target_ids().begin(), request.target_ids().end()),
        plan_id_(request.plan_id()),
        sent_(request.resume_from_versions().begin(), request.resume_from_versions().end()) {}

  bool Selects(const Progress& progress) const {
    if (!target_ids_.empty()) return target_ids_.count(progress.target_id()) > 0;
    return plan_id_.empty() || progress.plan_id() == plan_id_;
  }

  // Queues `progress` unless the client has its version already.
  void Offer(const Progress& progress, bool initial) {
    absl::MutexLock lock(&mu_);
    const auto sent = sent_.find(progress.target_id());
    if (sent != sent_.end() && progress.version() <= sent->second) return;
    WatchProgressResponse& message = queue_.emplace_back();
    *message.mutable_update()->mutable_progress() = progress;
    message.mutable_update()->set_initial(initial);
    if (sent != sent_.end()) {
      message.mutable_update()->set_skipped_versions(progress.version() - sent->second - 1);
    }
    sent_[progress.target_id()] = progress.version();
    WriteNext();
  }

  void OfferRemoval(const Progress& last) {
    absl::MutexLock lock(&mu_);
    WatchProgressResponse& message = queue_.emplace_back();
    message.mutable_target_removed()->set_target_id(last.target_id());
    message.mutable_target_removed()->set_version(last.version());
    WriteNext();
  }

  void OfferMarker() {
    absl::MutexLock lock(&mu_);
    queue_.emplace_back().mutable_initial_state_complete();
    WriteNext();
  }

  // Finishes with `status` once every queued message is written.
  void EndAfterQueue(const grpc::Status& status) {
    absl::MutexLock lock(&mu_);
    end_ = status;
    WriteNext();
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    writing_now_ = false;
    if (!ok) {
      FinishOnce(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the client went away"));
      return;
    }
    WriteNext();
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    FinishOnce(grpc::Status::CANCELLED);
  }

  void OnDone() override {
    fake_->Forget(this);
    delete this;
  }

 private:
  void WriteNext() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (writing_now_ || finished_) return;
    if (queue_.empty()) {
      if (end_.has_value()) FinishOnce(*end_);
      return;
    }
    writing_ = std::move(queue_.front());
    queue_.pop_front();
    writing_now_ = true;
    StartWrite(&writing_);
  }

  void FinishOnce(const grpc::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) return;
    finished_ = true;
    Finish(status);
  }

  FakeEvaluator* const fake_;
  const std::set<std::string> target_ids_;
  const std::string plan_id_;
  absl::Mutex mu_;
  std::map<std::string, int64_t> sent_ ABSL_GUARDED_BY(mu_);
  std::deque<WatchProgressResponse> queue_ ABSL_GUARDED_BY(mu_);
  WatchProgressResponse writing_ ABSL_GUARDED_BY(mu_);
  bool writing_now_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> end_ ABSL_GUARDED_BY(mu_);
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

FakeEvaluator::FakeEvaluator() : server_(StartLoopbackServer(this, &address_)) {}

FakeEvaluator::~FakeEvaluator() {
  EndWatches(absl::CancelledError("the fake evaluator stops"));
  server_->Shutdown();
}

void FakeEvaluator::SetProgress(const std::vector<Progress>& entries) {
  absl::MutexLock lock(&mutex_);
  progress_.clear();
  for (const Progress& progress : entries) progress_[progress.target_id()] = progress;
}

void FakeEvaluator::SetMaxPageSize(int size) {
  absl::MutexLock lock(&mutex_);
  max_page_size_ = size;
}

void FakeEvaluator::FailWith(absl::Status status) {
  absl::MutexLock lock(&mutex_);
  fail_with_ = std::move(status);
}

void FakeEvaluator::Publish(const Progress& progress) {
  absl::MutexLock lock(&mutex_);
  progress_[progress.target_id()] = progress;
  for (Watch* watch : open_watches_) {
    if (watch->Selects(progress)) watch->Offer(progress, /*initial=*/false);
  }
}

void FakeEvaluator::Remove(const std::string& target_id) {
  absl::MutexLock lock(&mutex_);
  const auto found = progress_.find(target_id);
  if (found == progress_.end()) return;
  for (Watch* watch : open_watches_) {
    if (watch->Selects(found->second)) watch->OfferRemoval(found->second);
  }
  progress_.erase(found);
}

void FakeEvaluator::EndWatches(absl::Status status) {
  absl::MutexLock lock(&mutex_);
  for (Watch* watch : open_watches_) watch->EndAfterQueue(server::ToGrpcStatus(status));
}

bool FakeEvaluator::AwaitWatches(int count) const {
  absl::MutexLock lock(&mutex_);
  const auto opened = [this, count]() ABSL_SHARED_LOCKS_REQUIRED(mutex_) {
    return static_cast<int>(watch_requests_.size()) >= count;
  };
  return mutex_.AwaitWithTimeout(absl::Condition(&opened), absl::Seconds(10));
}

std::vector<GetCompletenessRequest> FakeEvaluator::completeness_requests() const {
  absl::MutexLock lock(&mutex_);
  return completeness_requests_;
}

void FakeEvaluator::SetCompleteness(const std::vector<CompletenessRow>& rows) {
  absl::MutexLock lock(&mutex_);
  completeness_ = rows;
}

std::vector<ListProgressRequest> FakeEvaluator::list_requests() const {
  absl::MutexLock lock(&mutex_);
  return list_requests_;
}

std::vector<GetProgressRequest> FakeEvaluator::get_requests() const {
  absl::MutexLock lock(&mutex_);
  return get_requests_;
}

std::vector<WatchProgressRequest> FakeEvaluator::watch_requests() const {
  absl::MutexLock lock(&mutex_);
  return watch_requests_;
}

absl::Status FakeEvaluator::Get(const GetProgressRequest& request, Progress* response) {
  absl::MutexLock lock(&mutex_);
  get_requests_.push_back(request);
  if (fail_with_.has_value()) return *fail_with_;
  const auto found = progress_.find(request.target_id());
  if (found == progress_.end()) return NoSuchTarget(request.target_id());
  *response = found->second;
  if (!request.as_of().empty()) response->set_as_of(request.as_of());
  return absl::OkStatus();
}

absl::Status FakeEvaluator::List(const ListProgressRequest& request,
                                 ListProgressResponse* response) {
  absl::MutexLock lock(&mutex_);
  list_requests_.push_back(request);
  if (fail_with_.has_value()) return *fail_with_;
  const int page_size =
      std::min(request.page_size() == 0 ? kDefaultPageSize : request.page_size(), max_page_size_);
  // The page token is the last target id of the previous page.
  for (auto entry = progress_.upper_bound(request.page_token()); entry != progress_.end();
       ++entry) {
    const Progress& progress = entry->second;
    if (!request.plan_id().empty() && progress.plan_id() != request.plan_id()) continue;
    if (!request.statuses().empty() &&
        std::find(request.statuses().begin(), request.statuses().end(), progress.status()) ==
            request.statuses().end()) {
      continue;
    }
    if (response->progress_entries_size() == page_size) {
      response->set_next_page_token(response->progress_entries().rbegin()->target_id());
      break;
    }
    Progress& listed = *response->add_progress_entries();
    listed = progress;
    if (!request.as_of().empty()) listed.set_as_of(request.as_of());
  }
  return absl::OkStatus();
}

absl::Status FakeEvaluator::Completeness(const GetCompletenessRequest& request,
                                         GetCompletenessResponse* response) {
  absl::MutexLock lock(&mutex_);
  completeness_requests_.push_back(request);
  if (fail_with_.has_value()) return *fail_with_;
  const size_t page_size = static_cast<size_t>(
      std::min(request.page_size() == 0 ? kDefaultPageSize : request.page_size(), max_page_size_));
  // The page token is the index of the page's first row.
  size_t first = 0;
  if (!request.page_token().empty()) first = std::stoul(request.page_token());
  for (size_t row = first; row < completeness_.size(); ++row) {
    if (static_cast<size_t>(response->rows_size()) == page_size) {
      response->set_next_page_token(std::to_string(row));
      break;
    }
    *response->add_rows() = completeness_[row];
  }
  return absl::OkStatus();
}

void FakeEvaluator::Forget(Watch* watch) {
  absl::MutexLock lock(&mutex_);
  open_watches_.erase(watch);
}

grpc::ServerUnaryReactor* FakeEvaluator::GetProgress(grpc::CallbackServerContext* context,
                                                     const GetProgressRequest* request,
                                                     Progress* response) {
  return Answered(context, Get(*request, response));
}

grpc::ServerUnaryReactor* FakeEvaluator::ListProgress(grpc::CallbackServerContext* context,
                                                      const ListProgressRequest* request,
                                                      ListProgressResponse* response) {
  return Answered(context, List(*request, response));
}

grpc::ServerUnaryReactor* FakeEvaluator::GetCompleteness(grpc::CallbackServerContext* context,
                                                         const GetCompletenessRequest* request,
                                                         GetCompletenessResponse* response) {
  return Answered(context, Completeness(*request, response));
}

grpc::ServerWriteReactor<WatchProgressResponse>* FakeEvaluator::WatchProgress(
    grpc::CallbackServerContext*, const WatchProgressRequest* request) {
  absl::MutexLock lock(&mutex_);
  watch_requests_.push_back(*request);
  auto* watch = new Watch(this, *request);
  absl::Status refusal = fail_with_.value_or(absl::OkStatus());
  for (const std::string& id : request->target_ids()) {
    if (refusal.ok() && progress_.count(id) == 0) refusal = NoSuchTarget(id);
  }
  if (!refusal.ok()) {
    watch->EndAfterQueue(server::ToGrpcStatus(refusal));
    return watch;
  }
  for (const auto& [id, progress] : progress_) {
    if (watch->Selects(progress)) watch->Offer(progress, /*initial=*/true);
  }
  watch->OfferMarker();
  open_watches_.insert(watch);
  return watch;
}

}  // namespace tiendo::ctl::testing
