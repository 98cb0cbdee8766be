#include "services/metrics-ingest/submission_log_follower.h"

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/common/core/submission_rules.h"
#include "services/common/kafka/topics.h"
#include "services/common/logging/log.h"
#include "services/common/status/status_macros.h"
#include "tiendo/events/v1/submission_event.pb.h"

namespace tiendo::ingest {
namespace {

constexpr int kFetchMinBytes = 256 * 1024;
constexpr absl::Duration kFetchWait = absl::Milliseconds(100);

}  // namespace

absl::StatusOr<std::unique_ptr<SubmissionLogFollower>> SubmissionLogFollower::Start(
    const kafka::KafkaOptions& options, SubmissionLedger& ledger, WrittenOffsets& written,
    metrics::MetricRegistry& metrics) {
  metrics::Counter& undecodable = metrics.AddCounter(
      "tiendo_ingest_ledger_records_undecodable_total",
      "Records of the submissions topic skipped because they are not AcceptedSubmissions.");
  metrics.AddGaugeCallback("tiendo_ingest_ledger_submissions",
                           "Accepted submission ids the ledger knows.",
                           [&ledger] { return static_cast<double>(ledger.size()); });
  metrics.AddGaugeCallback(
      "tiendo_ingest_ledger_reported_writes_unread",
      "Writes of this replica Kafka has reported that the ledger's follower has not read past "
      "yet; grows while the follower lags or has stopped.",
      [&written] { return static_cast<double>(written.size()); });
  // This replica's own writes that Kafka has reported are read past (`skip`), their ids
  // taken from `written`; the ledger hears of them with the records that follow, after each
  // poll, as if they had been read.
  auto skipped = std::make_shared<std::vector<SubmissionLedger::LoggedId>>();
  auto skip = [&written, skipped](int32_t partition, int64_t offset) {
    const std::optional<Fingerprint> key = written.Take(partition, offset);
    if (key.has_value()) skipped->push_back({*key, /*own=*/true, /*reported=*/true});
    return key.has_value();
  };
  auto learn = [&ledger, &undecodable,
                skipped](absl::Span<const kafka::ConsumedRecord> records) {
    // The ids read past come first; then those of own writes that the log brings before
    // Kafka's report, and of the writes of others: ids the ledger knows are not decoded. The
    // ledger is asked about all of a poll's records together.
    std::vector<SubmissionLedger::LoggedId> ids = std::move(*skipped);
    skipped->clear();
    const size_t read_past = ids.size();
    ids.reserve(read_past + records.size());
    for (const kafka::ConsumedRecord& record : records) {
      const std::optional<absl::string_view> key = record.HeaderValue(kLedgerKeyHeader);
      if (!key.has_value()) continue;
      ids.push_back(
          {FingerprintOf(*key), record.HeaderValue(kLedgerWriterHeader) == ledger.writer()});
    }
    const std::vector<bool> accepted = ledger.Logged(ids);
    size_t next = read_past;  // the answer for the next record with an id
    events::v1::AcceptedSubmission event;
    for (const kafka::ConsumedRecord& record : records) {
      if (record.HeaderValue(kLedgerKeyHeader).has_value() && accepted[next++]) continue;
      if (!record.value.has_value() || !event.ParseFromString(*record.value)) {
        undecodable.Increment();
        log::Warning(
            "submissions record skipped: not an AcceptedSubmission",
            {{"partition", record.position.partition}, {"offset", record.position.offset}});
        continue;
      }
      const ingest::v1::Submission& submission = event.submission();
      ledger.Record(
          FingerprintOf(LedgerKey(submission.reporting_unit_id(), submission.submission_id())),
          FingerprintOf(core::SubmissionContent(submission)));
    }
  };
  // Every accepted item comes back here, mostly this replica's own: fetched in fewer, larger
  // responses, they cost the consumer less. Ids from elsewhere arrive up to kFetchWait later.
  kafka::KafkaOptions fetching = options;
  fetching.extra_properties =
      absl::StrCat("fetch.min.bytes=", kFetchMinBytes,
                   ",fetch.wait.max.ms=", absl::ToInt64Milliseconds(kFetchWait),
                   options.extra_properties.empty() ? "" : ",", options.extra_properties);
  ASSIGN_OR_RETURN(std::unique_ptr<kafka::TopicFollower> follower,
                   kafka::TopicFollower::Start(
                       fetching, kafka::TopicName(options, kafka::Topic::kSubmissions),
                       "tiendo-metrics-ingest.ledger", learn, metrics, "tiendo_ingest_ledger",
                       skip));
  return std::unique_ptr<SubmissionLogFollower>(new SubmissionLogFollower(std::move(follower)));
}

}  // namespace tiendo::ingest
