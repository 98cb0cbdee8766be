// Sending submissions to metrics-ingest in batches, as ingest.proto asks of a client: a
// StreamSubmissions stream keeps a few batches in flight and answers them in order; when the
// stream fails with UNAVAILABLE or DEADLINE_EXCEEDED (Kafka down, a broken connection, a
// slow answer) the batches without an answer are resent on a new stream, unchanged (same
// submission ids), after a growing pause. Items that were written before the failure then
// come back DUPLICATE; the sender counts those so that the report can say why. A single item
// goes through SubmitBatch with the same retries.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tiendo/ingest/v1/submission.pb.h"
#include "tiendo/ingest/v1/submission_result.pb.h"
#include "tools/tiendoctl/ingest_connection.h"

namespace tiendo::ctl {

struct SendSettings {
  IngestConnection connection;
  int64_t batch_size = 500;
  bool dry_run = false;
  // How many times a batch is sent at most (the first time included).
  int64_t attempts = 4;
  // Pause before the first resend; doubled before each later one.
  absl::Duration backoff = absl::Milliseconds(250);
  // Batches' batch_id is "<label> #<n>" (n from 1), cut to ingest's 128 characters.
  std::string batch_label = "tiendoctl";
};

// What happened to the items of one Send.
struct SendOutcome {
  // OK when every batch was answered; else why the last attempt failed.
  absl::Status status;
  // One per item, in item order; nullopt for items whose batch got no answer.
  std::vector<std::optional<ingest::v1::SubmissionResult>> results;
  // DUPLICATE answers to items whose batch was resent after a failure.
  int64_t duplicates_after_resend = 0;
};

// Told of progress and of resends (to draw a meter and explain the DUPLICATEs).
struct SendObserver {
  std::function<void(int64_t items_answered)> answered;
  std::function<void(const std::string& notice)> resending;
};

// Whether a failed call may be repeated with the same batches (UNAVAILABLE,
// DEADLINE_EXCEEDED).
bool IsRetryable(const absl::Status& status);

// Streams `items` with `token` in batches of settings.batch_size.
SendOutcome StreamItems(const std::vector<ingest::v1::Submission>& items, absl::string_view token,
                        const SendSettings& settings, const SendObserver& observer = {});

// Sends one batch of `items` (at most the server's limit) with SubmitBatch.
SendOutcome SubmitItems(const std::vector<ingest::v1::Submission>& items, absl::string_view token,
                        const SendSettings& settings, const SendObserver& observer = {});

}  // namespace tiendo::ctl
