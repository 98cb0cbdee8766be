#include "services/target-evaluator/progress_watch.h"

#include <iterator>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/grpc/grpc_status.h"
#include "services/common/status/field_violations.h"

namespace tiendo::evaluator {

ProgressWatch::ProgressWatch(const v1::WatchProgressRequest& request,
                             ProgressReadModel& read_model,
                             std::function<void(ProgressWatch*)> done)
    : read_model_(read_model),
      done_(std::move(done)),
      target_ids_(request.target_ids().begin(), request.target_ids().end()),
      plan_id_(request.plan_id()) {
  if (!target_ids_.empty() && !plan_id_.empty()) {
    End(server::ToGrpcStatus(status::InvalidArgumentWithViolations({status::Violation(
        "target_ids", "one_selection",
        "select targets by target_ids or by plan_id, not both")})));
    return;
  }
  for (const std::string& id : target_ids_) {
    // A resuming client may hold a target removed since: it is told so (below), not refused.
    const auto resumed = request.resume_from_versions().find(id);
    const bool resumed_after_removal = resumed != request.resume_from_versions().end() &&
                                       read_model_.LastVersion(id) > resumed->second;
    if (!resumed_after_removal && !read_model_.Find(id).has_value()) {
      End(grpc::Status(grpc::StatusCode::NOT_FOUND,
                       absl::StrCat("no progress for target \"", id,
                                    "\": no such target, or not evaluated yet")));
      return;
    }
  }
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, version] : request.resume_from_versions()) sent_[id] = version;
  }
  subscription_ = read_model_.Subscribe(
      [this](const events::v1::ProgressEvent& event) { Offer(event, /*initial=*/false); },
      [this, &request](const std::vector<const ProgressReadModel::History*>& current,
                       const ProgressReadModel::Versions& versions) {
        absl::flat_hash_set<absl::string_view> present;
        for (const ProgressReadModel::History* history : current) {
          // A resuming client gets what it missed; a new one the latest version.
          const std::string& id = history->back().target_id();
          present.insert(id);
          const bool resuming = request.resume_from_versions().contains(id);
          for (auto version = resuming ? history->begin() : std::prev(history->end());
               version != history->end(); ++version) {
            events::v1::ProgressEvent event;
            *event.mutable_progress() = *version;
            Offer(event, /*initial=*/true);
          }
        }
        // A target the client holds that was removed while it was away: it is told so, or it
        // would show the target for ever.
        for (const auto& [id, resumed] : request.resume_from_versions()) {
          const auto removed = versions.find(id);
          if (present.contains(id) || removed == versions.end() || removed->second <= resumed) {
            continue;
          }
          events::v1::ProgressEvent event;
          event.set_target_removed(true);
          event.mutable_progress()->set_target_id(id);
          event.mutable_progress()->set_plan_id(plan_id_);  // the client chose it: selected
          event.mutable_progress()->set_version(removed->second);
          Offer(event, /*initial=*/true);
        }
        absl::MutexLock lock(&mu_);
        queue_.push_back({""});
        WriteNext();
      });
}

bool ProgressWatch::Selected(const v1::Progress& progress) const {
  if (!target_ids_.empty()) return target_ids_.contains(progress.target_id());
  return plan_id_.empty() || progress.plan_id() == plan_id_;
}

void ProgressWatch::Offer(const events::v1::ProgressEvent& event, bool initial) {
  if (!Selected(event.progress())) return;
  const std::string& id = event.progress().target_id();
  absl::MutexLock lock(&mu_);
  if (finished_) return;
  if (auto sent = sent_.find(id); sent != sent_.end() &&
                                  event.progress().version() <= sent->second) {
    return;  // the client has it
  }
  std::deque<Pending>& pending = waiting_[id];
  if (!pending.empty() && event.progress().version() <= pending.back().event.progress().version()) {
    return;  // already waiting
  }
  pending.push_back({event, initial});
  if (pending.size() > kPendingVersions) {
    pending.pop_front();  // a slow reader: the oldest gives way (skipped_versions tells)
  } else {
    queue_.push_back({id});
  }
  WriteNext();
}

void ProgressWatch::WriteNext() {
  if (write_in_flight_ || finished_ || queue_.empty()) return;
  const Queued next = queue_.front();
  queue_.pop_front();
  writing_.Clear();
  if (next.target_id.empty()) {
    writing_.mutable_initial_state_complete();
  } else {
    std::deque<Pending>& pending = waiting_[next.target_id];
    const Pending oldest = std::move(pending.front());
    pending.pop_front();
    if (pending.empty()) waiting_.erase(next.target_id);
    const int64_t version = oldest.event.progress().version();
    if (oldest.event.target_removed()) {
      writing_.mutable_target_removed()->set_target_id(next.target_id);
      writing_.mutable_target_removed()->set_version(version);
    } else {
      v1::ProgressUpdate* update = writing_.mutable_update();
      *update->mutable_progress() = oldest.event.progress();
      update->set_initial(oldest.initial);
      if (auto sent = sent_.find(next.target_id); sent != sent_.end()) {
        update->set_skipped_versions(version - sent->second - 1);
      }
    }
    sent_[next.target_id] = version;
  }
  write_in_flight_ = true;
  StartWrite(&writing_);
}

void ProgressWatch::OnWriteDone(bool ok) {
  {
    absl::MutexLock lock(&mu_);
    write_in_flight_ = false;
    if (ok) {
      WriteNext();
      return;
    }
  }
  End(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the stream broke while writing"));
}

void ProgressWatch::End(const grpc::Status& status) {
  absl::MutexLock lock(&mu_);
  if (finished_) return;
  finished_ = true;
  Finish(status);
}

void ProgressWatch::OnCancel() { End(grpc::Status::CANCELLED); }

void ProgressWatch::OnDone() {
  // After Unsubscribe returns the read model never calls this watch again.
  if (subscription_.has_value()) read_model_.Unsubscribe(*subscription_);
  done_(this);
  delete this;
}

}  // namespace tiendo::evaluator
