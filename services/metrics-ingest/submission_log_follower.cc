#include "services/metrics-ingest/submission_log_follower.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
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

// Counts and logs a record of `topic` that is not the message it should hold.
class Undecodable {
 public:
  Undecodable(metrics::MetricRegistry& metrics, const std::string& topic)
      : topic_(topic),
        count_(metrics.AddCounter(
            "tiendo_ingest_ledger_records_undecodable_total",
            "Records the ledger's followers skipped because they do not hold their topic's "
            "message (AcceptedSubmission, AcceptedIds).",
            {{"topic", topic}})) {}

  void Skip(const kafka::ConsumedRecord& record, absl::string_view expected) const {
    count_.Increment();
    log::Warning(absl::StrCat("ledger record skipped: not an ", expected),
                 {{"topic", topic_},
                  {"partition", record.position.partition},
                  {"offset", record.position.offset}});
  }

 private:
  const std::string topic_;
  metrics::Counter& count_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SubmissionLogFollower>> SubmissionLogFollower::Start(
    const kafka::KafkaOptions& options, SubmissionLedger& ledger,
    metrics::MetricRegistry& metrics) {
  metrics.AddGaugeCallback("tiendo_ingest_ledger_submissions",
                           "Accepted submission ids the ledger knows.",
                           [&ledger] { return static_cast<double>(ledger.size()); });

  const std::string submissions_topic = kafka::TopicName(options, kafka::Topic::kSubmissions);
  auto learn_submissions = [&ledger, undecodable = Undecodable(metrics, submissions_topic)](
                               absl::Span<const kafka::ConsumedRecord> records) {
    events::v1::AcceptedSubmission event;
    for (const kafka::ConsumedRecord& record : records) {
      if (!record.value.has_value() || !event.ParseFromString(*record.value)) {
        undecodable.Skip(record, "AcceptedSubmission");
        continue;
      }
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
  auto learn_announced = [&ledger, undecodable = Undecodable(metrics, ledger_topic)](
                             absl::Span<const kafka::ConsumedRecord> records) {
    events::v1::AcceptedIds announced;
    for (const kafka::ConsumedRecord& record : records) {
      if (!record.value.has_value() || !announced.ParseFromString(*record.value)) {
        undecodable.Skip(record, "AcceptedIds");
        continue;
      }
      if (announced.writer() == ledger.writer()) continue;  // settled by its batches
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
