// IngestService: tiendo.ingest.v1.MetricsIngest over gRPC's callback API. SubmitBatch and
// StreamSubmissions take their requests as raw bytes and decode them item by item (see
// lenient_submission.proto), so that a string that is not UTF-8 costs one item a
// REJECTED (INVALID_UTF8) instead of failing the whole call; the response is the generated
// SubmitBatchResponse. Whole-call errors: UNAUTHENTICATED (token), INVALID_ARGUMENT (an
// unreadable or empty batch, a bad batch_id), RESOURCE_EXHAUSTED (too many items),
// UNAVAILABLE (not serving yet, or Kafka did not acknowledge in time).
#pragma once

#include <functional>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/common/registry_view/registry_follower.h"
#include "services/metrics-ingest/submission_intake.h"
#include "tiendo/ingest/v1/ingest.grpc.pb.h"

namespace tiendo::ingest {

struct IngestLimits {
  int64_t max_items_per_batch = 1000;
  int64_t max_message_bytes = 4 * 1024 * 1024;
  // How long a batch may wait for Kafka when the client set no earlier deadline.
  absl::Duration publish_timeout = absl::Seconds(10);
};

using IngestServiceBase = v1::MetricsIngest::WithRawCallbackMethod_SubmitBatch<
    v1::MetricsIngest::WithRawCallbackMethod_StreamSubmissions<
        v1::MetricsIngest::WithCallbackMethod_GetCallerIdentity<v1::MetricsIngest::Service>>>;

class IngestService final : public IngestServiceBase {
 public:
  // `ready` says whether the service may take submissions (the registry view and the ledger
  // have caught up); `intake` and `registry` are set once Kafka is up (nullptr before).
  IngestService(IngestLimits limits, std::function<absl::Status()> ready,
                std::function<absl::Time()> clock);

  void Attach(registry_view::RegistryFollower* registry, SubmissionIntake* intake);

  grpc::ServerUnaryReactor* SubmitBatch(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* StreamSubmissions(
      grpc::CallbackServerContext* context) override;
  grpc::ServerUnaryReactor* GetCallerIdentity(grpc::CallbackServerContext* context,
                                              const v1::GetCallerIdentityRequest* request,
                                              v1::CallerIdentity* response) override;

 private:
  class StreamReactor;

  // The caller of `context`, once the service is ready; the whole-call error otherwise.
  absl::StatusOr<Caller> Admit(const grpc::CallbackServerContext& context);
  // The batch in `bytes`, decoded on `arena` and checked as a whole (items present and
  // within the limit, batch id).
  absl::StatusOr<v1::LenientSubmitBatchRequest*> ReadBatch(const grpc::ByteBuffer& bytes,
                                                           google::protobuf::Arena& arena) const;
  // When a batch of `context` must be answered by.
  absl::Time DeadlineOf(const grpc::CallbackServerContext& context) const;

  const IngestLimits limits_;
  const std::function<absl::Status()> ready_;
  const std::function<absl::Time()> clock_;
  std::atomic<registry_view::RegistryFollower*> registry_{nullptr};
  std::atomic<SubmissionIntake*> intake_{nullptr};
};

// Completes the response for one answered batch, whose results are set: its batch id, its
// sequence number in a stream, the dry-run flag, and the counts of outcomes.
void CompleteResponse(v1::SubmitBatchResponse& response, const std::string& batch_id,
                      int64_t sequence, bool dry_run);

}  // namespace tiendo::ingest
