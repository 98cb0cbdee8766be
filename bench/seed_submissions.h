// Submissions the benchmarks send, valid for the seed plan (plans/brvt-63-kh-ubnd.yaml):
// dept-st reporting procedure_results_digitised (numerator/denominator) for the months and
// quarters of 2023 and 2024, per district or undisaggregated. What ingest accepts from dept-st
// and the AcceptedSubmission event it writes for each.
#pragma once

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/kafka/record.h"
#include "tiendo/ingest/v1/submission.pb.h"

namespace tiendo::bench {

inline constexpr char kIndicator[] = "procedure_results_digitised";
inline constexpr char kUnit[] = "dept-st";

// The periods dept-st may report for the indicator in which every district of Districts() is
// valid: the months and quarters of 2023 and 2024 (each year's months, then its quarters).
std::vector<std::string> Periods();

// The districts of the seed plan valid throughout 2023-2024; "" is the undisaggregated total.
const std::vector<std::string>& Districts();

// The id of submission `i` of a run: "`id_prefix`:`i`".
std::string ItemId(absl::string_view id_prefix, int i);

// Submission `i` of a run: the id ItemId(id_prefix, i), cells (period × district) taken in
// turn, the numerator varying with `i`.
ingest::v1::Submission Item(absl::string_view id_prefix, int i,
                            const std::vector<std::string>& periods);

// The AcceptedSubmission event ingest writes for `item` accepted from dept-st under the token
// `token_id` (see services/metrics-ingest/submission_intake.cc), serialized.
std::string AcceptedEvent(const ingest::v1::Submission& item, const std::string& token_id);

// A record of tiendo.submissions.v1 under `options`' prefix as ingest writes it: keyed by the
// indicator, with the schema header; its value still to set.
kafka::OutgoingRecord SubmissionRecord(const kafka::KafkaOptions& options);

// Writes `count` records to tiendo.submissions.v1 under `options`' prefix, as ingest writes
// them (SubmissionRecord), `fill(i, record)` setting record i's value (and its key, if
// another indicator's), through one
// producer whose queue holds them all; waits until Kafka has every one. The seconds it took.
absl::StatusOr<double> WriteSubmissionRecords(
    const kafka::KafkaOptions& options, size_t count,
    absl::FunctionRef<void(size_t i, kafka::OutgoingRecord& record)> fill);

}  // namespace tiendo::bench
