#include "services/metrics-ingest/submission_log_follower.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "services/common/core/submission_rules.h"
#include "services/common/kafka/topics.h"
#include "services/common/logging/log.h"
#include "services/common/status/status_macros.h"
#include "services/metrics-ingest/accepted_ids.h"
#include "tiendo/events/v1/submission_event.pb.h"

namespace tiendo::ingest {
namespace {

constexpr int kFetchMinBytes = 64 * 1024;
constexpr absl::Duration kFetchWait = absl::Milliseconds(100);

// Reads the records of one topic as the message they should hold; counts and logs those
// that do not hold it.
class RecordDecoder {
 public:
  RecordDecoder(metrics::MetricRegistry& metrics, const std::string& topic)
      : topic_(topic),
        undecodable_(metrics.AddCounter(
            "tiendo_ingest_ledger_records_undecodable_total",
            "Records the ledger's followers skipped because they do not hold their topic's "
            "message (AcceptedSubmission, AcceptedIds).",
            {{"topic", topic}})) {}

  // Whether `record` holds a `message`, now read into it.
  bool Decode(const kafka::ConsumedRecord& record, google::protobuf::Message& message) const {
    if (record.value.has_value() && message.ParseFromString(*record.value)) return true;
    undecodable_.Increment();
    log::Warning(absl::StrCat("ledger record skipped: not a ", message.GetTypeName()),
                 {{"topic", topic_},
                  {"partition", record.position.partition},
                  {"offset", record.position.offset}});
    return false;
  }

 private:
  const std::string topic_;
  metrics::Counter& undecodable_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SubmissionLogFollower>> SubmissionLogFollower::Start(
    const kafka::KafkaOptions& options, SubmissionLedger& ledger,
    metrics::MetricRegistry& metrics) {
  metrics.AddGaugeCallback("tiendo_ingest_ledger_submissions",
                           "Accepted submission ids the ledger knows.",
                           [&ledger] { return static_cast<double>(ledger.size()); });

  const std::string submissions_topic = kafka::TopicName(options, kafka::Topic::kSubmissions);
  auto learn_submissions = [&ledger, decoder = RecordDecoder(metrics, submissions_topic)](
                               absl::Span<const kafka::ConsumedRecord> records) {
    events::v1::AcceptedSubmission event;
    for (const kafka::ConsumedRecord& record : records) {
      if (!decoder.Decode(record, event)) continue;
      const ingest::v1::Submission& submission = event.submission();
      ledger.Record(
          FingerprintOf(LedgerKey(submission.reporting_unit_id(), submission.submission_id())),
          FingerprintOf(core::SubmissionContent(submission)));
    }
  };
  ASSIGN_OR_RETURN(std::unique_ptr<kafka::TopicFollower> submissions,
                   kafka::TopicFollower::Start(options, submissions_topic,
                                               "tiendo-metrics-ingest.submissions-log",
                                               learn_submissions, metrics,
                                               "tiendo_ingest_submissions_log",
                                               kafka::TopicFollower::Reach::kStartEnd));

  const std::string ledger_topic = kafka::TopicName(options, kafka::Topic::kSubmissionsLedger);
  auto learn_announced = [&ledger, decoder = RecordDecoder(metrics, ledger_topic)](
                             absl::Span<const kafka::ConsumedRecord> records) {
    events::v1::AcceptedIds announced;
    for (const kafka::ConsumedRecord& record : records) {
      if (record.key == ledger.writer()) continue;  // settled by its batches
      if (!decoder.Decode(record, announced)) continue;
      for (const events::v1::AcceptedId& id : announced.ids()) {
        const auto [key, content] = UnpackAcceptedId(id);
        ledger.Record(key, content);
      }
    }
  };
  // Records come a few a second per replica under load, about 40 bytes an id: fetched in
  // fewer, larger responses, at most kFetchWait late.
  kafka::KafkaOptions fetching = options;
  fetching.extra_properties =
      absl::StrCat("fetch.min.bytes=", kFetchMinBytes,
                   ",fetch.wait.max.ms=", absl::ToInt64Milliseconds(kFetchWait),
                   options.extra_properties.empty() ? "" : ",", options.extra_properties);
  ASSIGN_OR_RETURN(std::unique_ptr<kafka::TopicFollower> announced,
                   kafka::TopicFollower::Start(fetching, ledger_topic,
                                               "tiendo-metrics-ingest.ledger", learn_announced,
                                               metrics, "tiendo_ingest_ledger"));
  return std::unique_ptr<SubmissionLogFollower>(
      new SubmissionLogFollower(std::move(submissions), std::move(announced)));
}

}  // namespace tiendo::ingest
