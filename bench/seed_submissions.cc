#include "bench/seed_submissions.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/kafka/producer.h"
#include "services/common/kafka/topics.h"
#include "tiendo/events/v1/submission_event.pb.h"

namespace tiendo::bench {
using google::protobuf::util::TimeUtil;

std::vector<std::string> Periods() {
  std::vector<std::string> periods;
  for (int year : {2023, 2024}) {
    for (int month = 1; month <= 12; ++month) {
      periods.push_back(absl::StrFormat("%d-%02d", year, month));
    }
    for (int quarter = 1; quarter <= 4; ++quarter) {
      periods.push_back(absl::StrFormat("%d-Q%d", year, quarter));
    }
  }
  return periods;
}

const std::vector<std::string>& Districts() {
  static const auto* districts = new std::vector<std::string>{
      "", "747", "748", "750", "751", "752", "753", "754", "755"};
  return *districts;
}

std::string ItemId(absl::string_view id_prefix, int i) { return absl::StrCat(id_prefix, ":", i); }

ingest::v1::Submission Item(absl::string_view id_prefix, int i,
                            const std::vector<std::string>& periods) {
  const int cells = static_cast<int>(periods.size() * Districts().size());
  const int cell = i % cells;
  ingest::v1::Submission item;
  item.set_submission_id(ItemId(id_prefix, i));
  item.set_indicator_id(kIndicator);
  item.set_period(periods[cell / Districts().size()]);
  const std::string& district = Districts()[cell % Districts().size()];
  if (!district.empty()) (*item.mutable_disaggregation())["district"] = district;
  item.mutable_ratio()->set_numerator(1000 + i % 997);
  item.mutable_ratio()->set_denominator(2000);
  *item.mutable_submitted_at() = TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilSecond(2025, 1, 15, 9, 0, 0), absl::UTCTimeZone())));
  item.set_source_system("tiendo-bench/1");
  return item;
}

std::string AcceptedEvent(const ingest::v1::Submission& item, const std::string& token_id) {
  events::v1::AcceptedSubmission event;
  *event.mutable_submission() = item;
  event.mutable_submission()->set_reporting_unit_id(kUnit);
  event.mutable_submission()->set_kind(ingest::v1::SUBMISSION_KIND_REPORT);
  event.set_token_id(token_id);
  *event.mutable_accepted_at() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
  event.set_ingest_path(events::v1::INGEST_PATH_GRPC);
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  event.set_ingest_instance(absl::StrCat(host, ":", getpid()));
  return event.SerializeAsString();
}

kafka::OutgoingRecord SubmissionRecord(const kafka::KafkaOptions& options) {
  kafka::OutgoingRecord record;
  record.topic = kafka::TopicName(options, kafka::Topic::kSubmissions);
  record.key = kIndicator;
  record.headers.push_back(
      {std::string(kafka::kSchemaHeader), "tiendo.events.v1.AcceptedSubmission"});
  return record;
}

absl::StatusOr<double> WriteSubmissionRecords(
    const kafka::KafkaOptions& options, size_t count,
    absl::FunctionRef<void(size_t i, kafka::OutgoingRecord& record)> fill) {
  std::atomic<size_t> failed{0};  // before the producer: its destructor reports what is queued
  absl::StatusOr<std::unique_ptr<kafka::Producer>> producer = kafka::Producer::Create(
      options, "bench-submissions-writer",
      {{"queue.buffering.max.messages", absl::StrCat(std::max<size_t>(count, 1))}});
  if (!producer.ok()) return producer.status();
  kafka::OutgoingRecord record = SubmissionRecord(options);
  const absl::Time start = absl::Now();
  for (size_t i = 0; i < count; ++i) {
    fill(i, record);
    if (absl::Status queued =
            (*producer)->Produce(record, [&failed](absl::StatusOr<kafka::RecordPosition> at) {
              if (!at.ok()) ++failed;
            });
        !queued.ok()) {
      return queued;
    }
  }
  if (absl::Status flushed = (*producer)->Flush(absl::Minutes(10)); !flushed.ok()) {
    return flushed;
  }
  if (failed > 0) {
    return absl::UnavailableError(absl::StrCat(failed.load(), " records not written"));
  }
  return absl::ToDoubleSeconds(absl::Now() - start);
}

}  // namespace tiendo::bench
