// FakeIngest: an in-process tiendo.ingest.v1.MetricsIngest for tiendoctl's tests, written
// against ingest.proto (the real service is tested on its own). It listens on a loopback port
// the kernel picks, knows the tokens the test gives it (any other fails the call with
// UNAUTHENTICATED), records every call with its `authorization` metadata and batches, and
// answers per item: ACCEPTED with a position the first time a unit sends a submission id,
// DUPLICATE after, REJECTED for the ids the test names. It can fail a call after writing a
// chosen batch without answering it, as a real ingest does when Kafka acknowledged the write
// but the connection broke.
#pragma once

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "tiendo/ingest/v1/ingest.grpc.pb.h"

namespace tiendo::ctl::testing {

class FakeIngest : public ingest::v1::MetricsIngest::CallbackService {
 public:
  // Starts serving on 127.0.0.1:0.
  FakeIngest();
  ~FakeIngest() override;

  // "127.0.0.1:PORT".
  const std::string& address() const { return address_; }

  // --- What the test sets -------------------------------------------------------------------
  // `token` identifies reporting unit `unit`.
  void AddToken(const std::string& token, const std::string& unit);
  // Items with this submission id are REJECTED so.
  void RejectSubmission(const std::string& submission_id, ingest::v1::RejectionReason reason,
                        const std::string& message, const std::string& field);
  // The `batch_number`th batch received (from 1, over every call) is decided and written,
  // then its call fails with `status` instead of an answer.
  void FailAfterWriting(int batch_number, absl::Status status);
  // Every call fails with `status` before reading anything.
  void FailEveryCall(absl::Status status);
  // A stream ends with `status` after answering every batch, as when the connection breaks
  // after the last answer.
  void FailStreamsAtTheEnd(absl::Status status);
  // The next `calls` calls with `token` fail UNAUTHENTICATED, as while ingest has not yet
  // read a token just issued.
  void RefuseToken(const std::string& token, int calls);

  // --- What the client sent -----------------------------------------------------------------
  struct Call {
    std::string method;  // "SubmitBatch", "StreamSubmissions" or "GetCallerIdentity"
    std::string authorization;  // the metadata value, "" when absent
    std::vector<ingest::v1::SubmitBatchRequest> batches;
  };
  std::vector<Call> calls() const;

  // --- The service --------------------------------------------------------------------------
  grpc::ServerUnaryReactor* SubmitBatch(grpc::CallbackServerContext* context,
                                        const ingest::v1::SubmitBatchRequest* request,
                                        ingest::v1::SubmitBatchResponse* response) override;
  grpc::ServerBidiReactor<ingest::v1::SubmitBatchRequest, ingest::v1::SubmitBatchResponse>*
  StreamSubmissions(grpc::CallbackServerContext* context) override;
  // The unit of the token, its token id "id-<token>", the indicator
  // procedure_results_digitised, at most 1000 items a batch and 4 MiB a message.
  grpc::ServerUnaryReactor* GetCallerIdentity(grpc::CallbackServerContext* context,
                                              const ingest::v1::GetCallerIdentityRequest* request,
                                              ingest::v1::CallerIdentity* response) override;

 private:
  class StreamReactor;

  // Records a new call; its unit, or the status to fail it with.
  grpc::Status Begin(grpc::CallbackServerContext* context, const std::string& method,
                     size_t* call_index, std::string* unit) ABSL_LOCKS_EXCLUDED(mutex_);
  // The status a stream whose every batch was answered ends with.
  grpc::Status EndOfStream() const ABSL_LOCKS_EXCLUDED(mutex_);
  // Records and decides one batch of call `call_index`; the status to fail the call with
  // instead of answering, OK to answer with `response`.
  grpc::Status Decide(size_t call_index, const std::string& unit,
                      const ingest::v1::SubmitBatchRequest& request, int64_t sequence,
                      ingest::v1::SubmitBatchResponse* response) ABSL_LOCKS_EXCLUDED(mutex_);

  struct Rejection {
    ingest::v1::RejectionReason reason;
    std::string message;
    std::string field;
  };

  mutable absl::Mutex mutex_;
  std::map<std::string, std::string> units_by_token_ ABSL_GUARDED_BY(mutex_);
  std::map<std::string, Rejection> rejections_ ABSL_GUARDED_BY(mutex_);
  std::optional<std::pair<int, absl::Status>> fail_after_ ABSL_GUARDED_BY(mutex_);
  std::optional<absl::Status> fail_every_call_ ABSL_GUARDED_BY(mutex_);
  absl::Status end_of_stream_ ABSL_GUARDED_BY(mutex_);
  std::map<std::string, int> refusals_ ABSL_GUARDED_BY(mutex_);  // token → calls left
  // (unit, submission id) → offset written at.
  std::map<std::pair<std::string, std::string>, int64_t> written_ ABSL_GUARDED_BY(mutex_);
  int batches_received_ ABSL_GUARDED_BY(mutex_) = 0;
  std::vector<Call> calls_ ABSL_GUARDED_BY(mutex_);

  std::string address_;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace tiendo::ctl::testing
