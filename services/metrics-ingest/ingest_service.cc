#include "services/metrics-ingest/ingest_service.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/core/utf8_text.h"
#include "services/common/grpc/grpc_status.h"
#include "services/common/status/field_violations.h"

namespace tiendo::ingest {
namespace {

constexpr size_t kMaxBatchIdCharacters = 128;
// Answering takes a moment: give up this long before the client's deadline so that the
// answer (UNAVAILABLE) still reaches it.
constexpr absl::Duration kAnswerMargin = absl::Milliseconds(200);

std::string Bytes(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

// A request's decoded items live on an arena until the handler returns (Submit keeps copies
// of what it needs afterwards): blocks of this size hold a batch of 100 in one or two.
google::protobuf::ArenaOptions RequestArena() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 32 * 1024;
  options.max_block_size = 64 * 1024;
  return options;
}

grpc::ByteBuffer Buffer(const google::protobuf::Message& message) {
  grpc::Slice slice(message.SerializeAsString());
  return grpc::ByteBuffer(&slice, 1);
}

std::string MetadataValue(const grpc::CallbackServerContext& context, absl::string_view key) {
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (found == metadata.end()) return "";
  return std::string(found->second.data(), found->second.size());
}

}  // namespace

void CompleteResponse(v1::SubmitBatchResponse& response, const std::string& batch_id,
                      int64_t sequence, bool dry_run) {
  response.set_batch_id(batch_id);
  response.set_sequence(sequence);
  response.set_dry_run(dry_run);
  for (const v1::SubmissionResult& result : response.results()) {
    switch (result.outcome()) {
      case v1::SUBMISSION_OUTCOME_ACCEPTED:
        response.set_accepted_count(response.accepted_count() + 1);
        break;
      case v1::SUBMISSION_OUTCOME_DUPLICATE:
        response.set_duplicate_count(response.duplicate_count() + 1);
        break;
      default:
        response.set_rejected_count(response.rejected_count() + 1);
        break;
    }
  }
}

IngestService::IngestService(IngestLimits limits, std::function<absl::Status()> ready,
                             std::function<absl::Time()> clock)
    : limits_(limits), ready_(std::move(ready)), clock_(std::move(clock)) {}

void IngestService::Attach(registry_view::RegistryFollower* registry, SubmissionIntake* intake) {
  registry_ = registry;
  intake_ = intake;
}

absl::StatusOr<Caller> IngestService::Admit(const grpc::CallbackServerContext& context) {
  registry_view::RegistryFollower* registry = registry_.load();
  if (registry == nullptr || intake_.load() == nullptr) {
    return absl::UnavailableError("metrics-ingest is starting: Kafka is not reachable yet");
  }
  if (absl::Status ready = ready_(); !ready.ok()) {
    return absl::UnavailableError(absl::StrCat("metrics-ingest is starting: ", ready.message()));
  }
  const std::string authorization = MetadataValue(context, "authorization");
  const absl::Time now = clock_();
  return registry->Read([&](const registry_view::RegistryView& view) {
    return Authenticate(authorization, view, now);
  });
}

absl::StatusOr<v1::LenientSubmitBatchRequest*> IngestService::ReadBatch(
    const grpc::ByteBuffer& bytes, google::protobuf::Arena& arena) const {
  v1::LenientSubmitBatchRequest& batch =
      *google::protobuf::Arena::CreateMessage<v1::LenientSubmitBatchRequest>(&arena);
  if (!batch.ParseFromString(Bytes(bytes))) {
    return absl::InvalidArgumentError("the request is not a tiendo.ingest.v1.SubmitBatchRequest");
  }
  if (batch.submissions_size() > limits_.max_items_per_batch) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the batch has ", batch.submissions_size(), " items; at most ",
        limits_.max_items_per_batch, " are accepted per batch: split it"));
  }
  std::vector<common::v1::FieldViolation> violations;
  if (batch.submissions_size() == 0) {
    violations.push_back(status::Violation("submissions", "required",
                                           "the batch has no items; send at least one"));
  }
  const std::optional<size_t> batch_id_length = core::Utf8Length(batch.batch_id());
  if (!batch_id_length.has_value()) {
    violations.push_back(
        status::Violation("batch_id", "format", "batch_id is not valid UTF-8"));
  } else if (*batch_id_length > kMaxBatchIdCharacters) {
    violations.push_back(status::Violation(
        "batch_id", "too_long",
        absl::StrCat("batch_id has ", *batch_id_length, " characters; at most ",
                     kMaxBatchIdCharacters)));
  }
  if (!violations.empty()) return status::InvalidArgumentWithViolations(violations);
  return &batch;
}

absl::Time IngestService::DeadlineOf(const grpc::CallbackServerContext& context) const {
  const absl::Time own = clock_() + limits_.publish_timeout;
  const absl::Time client = absl::FromChrono(context.deadline());
  return std::min(own, client - kAnswerMargin);
}

grpc::ServerUnaryReactor* IngestService::SubmitBatch(grpc::CallbackServerContext* context,
                                                     const grpc::ByteBuffer* request,
                                                     grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Caller> caller = Admit(*context);
  if (!caller.ok()) {
    reactor->Finish(server::ToGrpcStatus(caller.status()));
    return reactor;
  }
  google::protobuf::Arena arena(RequestArena());
  absl::StatusOr<v1::LenientSubmitBatchRequest*> batch = ReadBatch(*request, arena);
  if (!batch.ok()) {
    reactor->Finish(server::ToGrpcStatus(batch.status()));
    return reactor;
  }
  const v1::LenientSubmitBatchRequest& read = **batch;
  intake_.load()->Submit(
      *caller, read.submissions(), BatchOrigin{}, read.dry_run(), DeadlineOf(*context),
      [reactor, response, batch_id = read.batch_id(), dry_run = read.dry_run()](
          absl::StatusOr<v1::SubmitBatchResponse*> answer) {
        if (!answer.ok()) {
          reactor->Finish(server::ToGrpcStatus(answer.status()));
          return;
        }
        CompleteResponse(**answer, batch_id, 0, dry_run);
        *response = Buffer(**answer);
        reactor->Finish(grpc::Status::OK);
      });
  return reactor;
}

// One StreamSubmissions call: read a batch, decide and write it, answer it, read the next —
// answers in request order, one batch in flight per stream.
class IngestService::StreamReactor final
    : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  StreamReactor(IngestService& service, grpc::CallbackServerContext* context)
      : service_(service), context_(context) {
    // A call without a valid token is refused before anything is read.
    if (absl::StatusOr<Caller> caller = service_.Admit(*context_); !caller.ok()) {
      Finish(server::ToGrpcStatus(caller.status()));
      return;
    }
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client half-closed: every batch it sent has its answer
      Finish(grpc::Status::OK);
      return;
    }
    // Each batch is admitted afresh: a token revoked or expired while the stream is open
    // ends it at the next batch.
    absl::StatusOr<Caller> caller = service_.Admit(*context_);
    if (!caller.ok()) {
      Finish(server::ToGrpcStatus(caller.status()));
      return;
    }
    google::protobuf::Arena arena(RequestArena());
    absl::StatusOr<v1::LenientSubmitBatchRequest*> batch = service_.ReadBatch(request_, arena);
    if (!batch.ok()) {
      Finish(server::ToGrpcStatus(batch.status()));
      return;
    }
    const v1::LenientSubmitBatchRequest& read = **batch;
    const int64_t sequence = sequence_++;
    service_.intake_.load()->Submit(
        *caller, read.submissions(), BatchOrigin{}, read.dry_run(),
        service_.DeadlineOf(*context_),
        [this, sequence, batch_id = read.batch_id(), dry_run = read.dry_run()](
            absl::StatusOr<v1::SubmitBatchResponse*> answer) {
          if (!answer.ok()) {
            Finish(server::ToGrpcStatus(answer.status()));
            return;
          }
          CompleteResponse(**answer, batch_id, sequence, dry_run);
          response_ = Buffer(**answer);
          StartWrite(&response_);
        });
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the stream broke while answering"));
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  IngestService& service_;
  grpc::CallbackServerContext* context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  int64_t sequence_ = 0;
};

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* IngestService::StreamSubmissions(
    grpc::CallbackServerContext* context) {
  return new StreamReactor(*this, context);
}

grpc::ServerUnaryReactor* IngestService::GetCallerIdentity(
    grpc::CallbackServerContext* context, const v1::GetCallerIdentityRequest*,
    v1::CallerIdentity* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Caller> caller = Admit(*context);
  if (caller.ok()) {
    registry_.load()->Read([&](const registry_view::RegistryView& view) {
      response->set_reporting_unit_id(caller->reporting_unit_id);
      response->set_token_id(caller->token_id);
      if (const auto* unit = view.FindReportingUnit(caller->reporting_unit_id)) {
        response->set_reporting_unit_name_vi(unit->name_vi());
        *response->mutable_allowed_indicator_ids() = unit->allowed_indicator_ids();
      }
      if (const auto* token = view.FindToken(caller->token_id);
          token != nullptr && token->token().has_expires_at()) {
        *response->mutable_token_expires_at() = token->token().expires_at();
      }
    });
    response->set_max_items_per_batch(static_cast<int32_t>(limits_.max_items_per_batch));
    response->set_max_message_bytes(limits_.max_message_bytes);
  }
  reactor->Finish(server::ToGrpcStatus(caller.status()));
  return reactor;
}

}  // namespace tiendo::ingest
