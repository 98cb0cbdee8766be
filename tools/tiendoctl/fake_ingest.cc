#include "tools/tiendoctl/fake_ingest.h"

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "services/common/grpc/grpc_status.h"
#include "tools/tiendoctl/loopback_server.h"
#include "tools/tiendoctl/ingest_connection.h"

namespace tiendo::ctl::testing {
namespace {

using ingest::v1::SubmitBatchRequest;
using ingest::v1::SubmitBatchResponse;

constexpr char kAcceptedTopic[] = "tiendo.submissions.v1";

}  // namespace

// Answers a stream's batches one at a time, in order: read, decide, write, read again.
class FakeIngest::StreamReactor
    : public grpc::ServerBidiReactor<SubmitBatchRequest, SubmitBatchResponse> {
 public:
  StreamReactor(FakeIngest* ingest, grpc::Status begun, size_t call_index, std::string unit)
      : ingest_(ingest), call_index_(call_index), unit_(std::move(unit)) {
    if (!begun.ok()) {
      Finish(begun);
      return;
    }
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(ingest_->EndOfStream());  // the client half-closed and every batch is answered
      return;
    }
    response_.Clear();
    const grpc::Status status =
        ingest_->Decide(call_index_, unit_, request_, sequence_++, &response_);
    if (!status.ok()) {
      Finish(status);
      return;
    }
    StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::UNKNOWN, "the answer could not be written"));
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  FakeIngest* ingest_;
  size_t call_index_;
  std::string unit_;
  int64_t sequence_ = 0;
  SubmitBatchRequest request_;
  SubmitBatchResponse response_;
};

FakeIngest::FakeIngest() : server_(StartLoopbackServer(this, &address_)) {}

FakeIngest::~FakeIngest() { server_->Shutdown(); }

void FakeIngest::AddToken(const std::string& token, const std::string& unit) {
  absl::MutexLock lock(&mutex_);
  units_by_token_[token] = unit;
}

void FakeIngest::RejectSubmission(const std::string& submission_id,
                                  ingest::v1::RejectionReason reason, const std::string& message,
                                  const std::string& field) {
  absl::MutexLock lock(&mutex_);
  rejections_[submission_id] = {reason, message, field};
}

void FakeIngest::FailAfterWriting(int batch_number, absl::Status status) {
  absl::MutexLock lock(&mutex_);
  fail_after_ = {batch_number, std::move(status)};
}

void FakeIngest::FailEveryCall(absl::Status status) {
  absl::MutexLock lock(&mutex_);
  fail_every_call_ = std::move(status);
}

void FakeIngest::FailStreamsAtTheEnd(absl::Status status) {
  absl::MutexLock lock(&mutex_);
  end_of_stream_ = std::move(status);
}

grpc::Status FakeIngest::EndOfStream() const {
  absl::MutexLock lock(&mutex_);
  return server::ToGrpcStatus(end_of_stream_);
}

void FakeIngest::RefuseToken(const std::string& token, int calls) {
  absl::MutexLock lock(&mutex_);
  refusals_[token] = calls;
}

std::vector<FakeIngest::Call> FakeIngest::calls() const {
  absl::MutexLock lock(&mutex_);
  return calls_;
}

grpc::Status FakeIngest::Begin(grpc::CallbackServerContext* context, const std::string& method,
                               size_t* call_index, std::string* unit) {
  absl::MutexLock lock(&mutex_);
  const auto& metadata = context->client_metadata();
  const auto found = metadata.find(kAuthorizationMetadataKey);
  Call& call = calls_.emplace_back();
  call.method = method;
  if (found != metadata.end()) call.authorization.assign(found->second.data(), found->second.size());
  *call_index = calls_.size() - 1;
  if (fail_every_call_.has_value()) return server::ToGrpcStatus(*fail_every_call_);
  absl::string_view token = call.authorization;
  const auto known = absl::ConsumePrefix(&token, "Bearer ")
                         ? units_by_token_.find(std::string(token))
                         : units_by_token_.end();
  auto refused = refusals_.find(std::string(token));
  const bool refuse = refused != refusals_.end() && refused->second > 0;
  if (refuse) --refused->second;
  if (known == units_by_token_.end() || refuse) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "the bearer token is missing, unknown, expired or revoked");
  }
  *unit = known->second;
  return grpc::Status::OK;
}

grpc::Status FakeIngest::Decide(size_t call_index, const std::string& unit,
                                const SubmitBatchRequest& request, int64_t sequence,
                                SubmitBatchResponse* response) {
  absl::MutexLock lock(&mutex_);
  calls_[call_index].batches.push_back(request);
  ++batches_received_;
  response->set_batch_id(request.batch_id());
  response->set_sequence(sequence);
  response->set_dry_run(request.dry_run());
  for (int i = 0; i < request.submissions_size(); ++i) {
    const ingest::v1::Submission& item = request.submissions(i);
    ingest::v1::SubmissionResult& result = *response->add_results();
    result.set_index(i);
    result.set_submission_id(item.submission_id());
    const auto key = std::make_pair(unit, item.submission_id());
    if (const auto rejection = rejections_.find(item.submission_id());
        rejection != rejections_.end()) {
      result.set_outcome(ingest::v1::SUBMISSION_OUTCOME_REJECTED);
      result.set_reason(rejection->second.reason);
      result.set_message(rejection->second.message);
      result.set_field(rejection->second.field);
      response->set_rejected_count(response->rejected_count() + 1);
    } else if (const auto written = written_.find(key); written != written_.end()) {
      result.set_outcome(ingest::v1::SUBMISSION_OUTCOME_DUPLICATE);
      result.set_message(absl::StrCat("already accepted at offset ", written->second));
      result.mutable_position()->set_topic(kAcceptedTopic);
      result.mutable_position()->set_offset(written->second);
      response->set_duplicate_count(response->duplicate_count() + 1);
    } else {
      result.set_outcome(ingest::v1::SUBMISSION_OUTCOME_ACCEPTED);
      response->set_accepted_count(response->accepted_count() + 1);
      if (request.dry_run()) continue;
      const int64_t offset = static_cast<int64_t>(written_.size());
      written_[key] = offset;
      result.mutable_position()->set_topic(kAcceptedTopic);
      result.mutable_position()->set_offset(offset);
    }
  }
  if (fail_after_.has_value() && fail_after_->first == batches_received_) {
    return server::ToGrpcStatus(fail_after_->second);
  }
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* FakeIngest::SubmitBatch(grpc::CallbackServerContext* context,
                                                  const SubmitBatchRequest* request,
                                                  SubmitBatchResponse* response) {
  size_t call_index = 0;
  std::string unit;
  grpc::Status status = Begin(context, "SubmitBatch", &call_index, &unit);
  if (status.ok()) status = Decide(call_index, unit, *request, 0, response);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(std::move(status));
  return reactor;
}

grpc::ServerUnaryReactor* FakeIngest::GetCallerIdentity(
    grpc::CallbackServerContext* context, const ingest::v1::GetCallerIdentityRequest*,
    ingest::v1::CallerIdentity* response) {
  size_t call_index = 0;
  std::string unit;
  const grpc::Status status = Begin(context, "GetCallerIdentity", &call_index, &unit);
  if (status.ok()) {
    const std::string authorization = calls()[call_index].authorization;  // calls() is a copy
    absl::string_view token = authorization;
    absl::ConsumePrefix(&token, "Bearer ");
    response->set_reporting_unit_id(unit);
    response->set_token_id(absl::StrCat("id-", token));
    response->add_allowed_indicator_ids("procedure_results_digitised");
    response->set_max_items_per_batch(1000);
    response->set_max_message_bytes(4 << 20);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

grpc::ServerBidiReactor<SubmitBatchRequest, SubmitBatchResponse>* FakeIngest::StreamSubmissions(
    grpc::CallbackServerContext* context) {
  size_t call_index = 0;
  std::string unit;
  grpc::Status begun = Begin(context, "StreamSubmissions", &call_index, &unit);
  return new StreamReactor(this, std::move(begun), call_index, std::move(unit));
}

}  // namespace tiendo::ctl::testing
