#include "tools/tiendoctl/submission_sender.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/core/utf8_text.h"
#include "services/common/grpc/grpc_status.h"

namespace tiendo::ctl {
namespace {

using ingest::v1::SubmitBatchRequest;
using ingest::v1::SubmitBatchResponse;

// Batches written to a stream before waiting for the first answer: enough to keep ingest
// busy while an earlier batch waits for Kafka, few enough to resend little after a failure.
constexpr size_t kBatchesInFlight = 4;
constexpr size_t kMaxBatchIdLength = 128;

// Records the answer to batch `index`; an error when it does not fit the batch.
using RecordAnswer = std::function<absl::Status(size_t index, const SubmitBatchResponse&)>;
// One attempt to get answers for batches[first...]; the call's status.
using Attempt = std::function<absl::Status(const std::vector<SubmitBatchRequest>& batches,
                                           size_t first, const RecordAnswer& record)>;

std::vector<SubmitBatchRequest> MakeBatches(const std::vector<ingest::v1::Submission>& items,
                                            const SendSettings& settings) {
  std::vector<SubmitBatchRequest> batches;
  const size_t size = static_cast<size_t>(std::max<int64_t>(settings.batch_size, 1));
  for (size_t start = 0; start < items.size(); start += size) {
    SubmitBatchRequest& batch = batches.emplace_back();
    // metrics-ingest refuses a batch_id that is not UTF-8: a label that is not (a file name
    // from elsewhere) is C-escaped, and a long one is cut between characters.
    std::string id = absl::StrCat(settings.batch_label, " #", batches.size());
    if (!core::IsValidUtf8(id)) id = absl::CHexEscape(id);
    if (id.size() > kMaxBatchIdLength) {
      id.erase(0, id.size() - kMaxBatchIdLength);
      while (!id.empty() && (static_cast<unsigned char>(id.front()) & 0xC0) == 0x80) {
        id.erase(0, 1);  // a continuation byte
      }
    }
    batch.set_batch_id(std::move(id));
    batch.set_dry_run(settings.dry_run);
    for (size_t i = start; i < std::min(items.size(), start + size); ++i) {
      *batch.add_submissions() = items[i];
    }
  }
  return batches;
}

SendOutcome SendWithRetries(const std::vector<ingest::v1::Submission>& items,
                            const SendSettings& settings, const SendObserver& observer,
                            const Attempt& attempt) {
  const std::vector<SubmitBatchRequest> batches = MakeBatches(items, settings);
  SendOutcome outcome;
  outcome.results.resize(items.size());
  std::vector<bool> resent(batches.size(), false);
  size_t answered = 0;
  int64_t items_answered = 0;
  const RecordAnswer record = [&](size_t index,
                                  const SubmitBatchResponse& response) -> absl::Status {
    if (index != answered) {
      return absl::InternalError(absl::StrCat("metrics-ingest answered batch ", index + 1,
                                              " where batch ", answered + 1, " was due"));
    }
    const SubmitBatchRequest& batch = batches[index];
    if (response.results_size() != batch.submissions_size()) {
      return absl::InternalError(absl::StrCat(
          "metrics-ingest answered ", response.results_size(), " results for batch ",
          batch.batch_id(), " of ", batch.submissions_size(), " items"));
    }
    const size_t first_item = index * static_cast<size_t>(std::max<int64_t>(settings.batch_size, 1));
    for (int i = 0; i < response.results_size(); ++i) {
      const ingest::v1::SubmissionResult& result = response.results(i);
      if (resent[index] && result.outcome() == ingest::v1::SUBMISSION_OUTCOME_DUPLICATE) {
        ++outcome.duplicates_after_resend;
      }
      outcome.results[first_item + static_cast<size_t>(i)] = result;
    }
    ++answered;
    items_answered += batch.submissions_size();
    if (observer.answered) observer.answered(items_answered);
    return absl::OkStatus();
  };
  if (batches.empty()) return outcome;  // e.g. every row of a file refused before sending
  for (int64_t attempt_number = 1;; ++attempt_number) {
    absl::Status status = attempt(batches, answered, record);
    // Every batch answered: an error after the last answer (the connection broke) loses
    // nothing, and there is nothing to resend.
    if (answered == batches.size()) return outcome;
    if (status.ok()) {
      status = absl::InternalError(absl::StrCat("metrics-ingest ended the call with ",
                                                batches.size() - answered, " of ",
                                                batches.size(), " batches unanswered"));
    }
    if (status.ok() || !IsRetryable(status) || attempt_number >= settings.attempts) {
      outcome.status = std::move(status);
      return outcome;
    }
    const absl::Duration pause = settings.backoff * (int64_t{1} << (attempt_number - 1));
    if (observer.resending) {
      observer.resending(absl::StrCat(
          "resending ", batches.size() - answered, " unanswered batch(es) with the same "
          "submission ids after ", absl::StatusCodeToString(status.code()), ": ",
          status.message(), " (attempt ", attempt_number + 1, " of ", settings.attempts,
          ", in ", absl::FormatDuration(pause),
          "); items written before the failure come back DUPLICATE"));
    }
    std::fill(resent.begin() + static_cast<std::ptrdiff_t>(answered), resent.end(), true);
    absl::SleepFor(pause);
  }
}

}  // namespace

bool IsRetryable(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable ||
         status.code() == absl::StatusCode::kDeadlineExceeded;
}

SendOutcome StreamItems(const std::vector<ingest::v1::Submission>& items, absl::string_view token,
                        const SendSettings& settings, const SendObserver& observer) {
  auto stub = NewIngestStub(settings.connection);
  return SendWithRetries(
      items, settings, observer,
      [&](const std::vector<SubmitBatchRequest>& batches, size_t first,
          const RecordAnswer& record) -> absl::Status {
        grpc::ClientContext context;
        PrepareIngestCall(settings.connection.timeout * static_cast<int64_t>(batches.size() - first),
                          token, context);
        auto stream = stub->StreamSubmissions(&context);
        size_t written = first;
        size_t answered = first;
        bool open = true;
        bool writes_done = false;
        absl::Status refused;
        SubmitBatchResponse response;
        while (answered < batches.size()) {
          while (open && written < batches.size() && written - answered < kBatchesInFlight) {
            // A failed write means the stream is broken; Finish says why.
            open = stream->Write(batches[written]);
            if (open) ++written;
          }
          if (open && written == batches.size() && !writes_done) {
            writes_done = true;
            open = stream->WritesDone();
          }
          if (!stream->Read(&response)) break;
          // The sequence counts this stream's request messages from zero.
          refused = response.sequence() < 0
                        ? absl::InternalError("metrics-ingest answered a negative sequence")
                        : record(first + static_cast<size_t>(response.sequence()), response);
          if (!refused.ok()) {
            context.TryCancel();
            break;
          }
          ++answered;
        }
        const absl::Status finished = server::FromGrpcStatus(stream->Finish());
        return refused.ok() ? finished : refused;
      });
}

SendOutcome SubmitItems(const std::vector<ingest::v1::Submission>& items, absl::string_view token,
                        const SendSettings& settings, const SendObserver& observer) {
  auto stub = NewIngestStub(settings.connection);
  return SendWithRetries(
      items, settings, observer,
      [&](const std::vector<SubmitBatchRequest>& batches, size_t first,
          const RecordAnswer& record) -> absl::Status {
        for (size_t i = first; i < batches.size(); ++i) {
          grpc::ClientContext context;
          PrepareIngestCall(settings.connection.timeout, token, context);
          SubmitBatchResponse response;
          if (absl::Status status =
                  server::FromGrpcStatus(stub->SubmitBatch(&context, batches[i], &response));
              !status.ok()) {
            return status;
          }
          if (absl::Status recorded = record(i, response); !recorded.ok()) return recorded;
        }
        return absl::OkStatus();
      });
}

}  // namespace tiendo::ctl
