// tiendoctl rejected tail: prints the dead letters metrics-ingest wrote to
// tiendo.submissions.rejected.v1 (raw-topic records and items it refused), one line each —
// when, why, which unit, submission and batch, where the record came from, and the message —
// or one JSON object each. By default the last --limit of them (the newest, whatever
// partitions they are on, oldest first); --from-beginning prints all (or the first --limit);
// --follow then keeps printing new ones until Ctrl-C.
//
// The consumer reads every partition from the start outside any group (nothing committed);
// "the end" is each partition's end when the command starts (its high watermark).
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/kafka/consumer.h"
#include "services/common/kafka/topics.h"
#include "tiendo/events/v1/rejected_submission.pb.h"
#include "tools/tiendoctl/command.h"
#include "tools/tiendoctl/ingest_answer_text.h"
#include "tools/tiendoctl/interrupt_watch.h"
#include "tools/tiendoctl/proto_output.h"

namespace tiendo::ctl {
namespace {

using events::v1::RejectedSubmission;

constexpr int64_t kDefaultLast = 10;
constexpr absl::Duration kPollInterval = absl::Milliseconds(200);

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

// When a dead letter was written: the time it records, else its record's.
absl::Time RejectedAt(const RejectedSubmission& dead, absl::Time record_time) {
  if (!dead.has_rejected_at()) return record_time;
  return absl::FromUnixMicros(
      google::protobuf::util::TimeUtil::TimestampToMicroseconds(dead.rejected_at()));
}

// `<time>  <reason>  unit <unit>  submission <id>  batch <batch>  from <topic> [p @ o]
// item <i>  <message> (field <field>)`.
std::string DeadLetterLine(const RejectedSubmission& dead, absl::Time record_time) {
  const std::string when =
      dead.has_rejected_at()
          ? google::protobuf::util::TimeUtil::ToString(dead.rejected_at())
          : absl::FormatTime(absl::RFC3339_sec, record_time, absl::UTCTimeZone());
  std::string line = absl::StrCat(when, "  ", RejectionReasonWord(dead.reason()), "  unit ",
                                  OrDash(dead.reporting_unit_id()), "  submission ",
                                  OrDash(dead.submission_id()), "  batch ",
                                  OrDash(dead.batch_id()), "  from ",
                                  RecordPositionText(dead.source().position()));
  if (dead.has_item_index()) absl::StrAppend(&line, " item ", dead.item_index());
  absl::StrAppend(&line, "  ", dead.message());
  if (!dead.field().empty()) absl::StrAppend(&line, " (field ", dead.field(), ")");
  return line;
}

int Run(const std::vector<std::string>& args, Io& io) {
  kafka::KafkaOptions options;
  bool from_beginning = false;
  bool follow = false;
  int64_t limit = -1;
  std::string output = "text";
  absl::Duration timeout = absl::Seconds(15);
  config::FlagSet flags(
      "tiendoctl rejected tail",
      "Prints the dead letters of the raw submission path (topic "
      "tiendo.submissions.rejected.v1): when, the reason, the reporting unit, the submission "
      "and batch ids, the raw record's position and item, and the message. Without "
      "--from-beginning the last --limit (default 10: the newest, whatever partitions they "
      "are on, oldest first); with it every one (or the first --limit). Without --follow it "
      "stops at the end the topic has when it starts; "
      "with --follow it prints new ones until Ctrl-C. Exits 0, or 1 when Kafka cannot be "
      "read.");
  kafka::RegisterKafkaFlags(flags, &options);
  flags.AddBool("from-beginning", "", "Print from the first dead letter on.", &from_beginning);
  flags.AddBool("follow", "", "Keep printing new dead letters until interrupted.", &follow);
  flags.AddInt("limit", "",
               "How many: the last N (default 10), or with --from-beginning the first N "
               "(default all); -1 for the default.",
               -1, int64_t{1} << 40, &limit);
  flags.AddChoice("output", "", "text: one line each; json: one JSON object each.",
                  {"text", "json"}, &output);
  flags.AddDuration("timeout", "", "Deadline for the topic's metadata and end offsets.",
                    &timeout);
  if (int code = ParseCommandFlags(flags, args, io); code >= 0) return code;
  if (limit < 0) limit = from_beginning ? 0 : kDefaultLast;

  // Before the consumer starts its threads, so that they leave Ctrl-C to this one.
  InterruptWatch interrupts;
  absl::StatusOr<std::unique_ptr<kafka::Consumer>> consumer =
      kafka::Consumer::Create(options, "tiendoctl-rejected-tail", "");
  if (!consumer.ok()) {
    io.err << "tiendoctl rejected tail: " << consumer.status().message() << "\n";
    return 2;
  }
  const std::string topic = kafka::TopicName(options, kafka::Topic::kSubmissionsRejected);
  if (absl::Status assigned = (*consumer)->AssignFromBeginning(topic, timeout); !assigned.ok()) {
    io.err << "tiendoctl rejected tail: " << assigned.message() << "\n";
    if (assigned.code() == absl::StatusCode::kNotFound) {
      io.err << "  'tiendoctl topics ensure' creates the suite's topics\n";
    }
    return 1;
  }
  const auto fail = [&io](const absl::Status& status) {
    io.err << "tiendoctl rejected tail: " << status.message() << "\n";
    return 1;
  };
  absl::StatusOr<std::map<int32_t, kafka::Watermarks>> ends =
      (*consumer)->QueryWatermarks(topic, timeout);
  if (!ends.ok()) return fail(ends.status());

  const auto print = [&](const std::string& text) { io.out << text << "\n" << std::flush; };
  // Without --from-beginning, until the end is reached: the newest --limit seen, by when they
  // were written (then where), as the partitions come in no order of time.
  using Written = std::tuple<absl::Time, int32_t, int64_t>;
  std::multimap<Written, std::string> last;
  bool caught_up = false;
  int64_t printed = 0;
  // Whether the end may have been reached: at first (the topic may be empty), after a poll
  // that brought nothing (the rest may have been deleted since), and after a partition's last
  // record (as of the start).
  bool check_end = true;
  bool polled_nothing = false;
  bool deleted_unknown = false;  // the last ForgetDeleted failed (said once)
  while (!interrupts.Interrupted()) {
    if (!caught_up && check_end) {
      if (polled_nothing) {
        // Not fatal: it is asked again after the next poll that brings nothing.
        absl::Status asked = (*consumer)->ForgetDeleted(topic, *ends, timeout);
        if (!asked.ok() && !deleted_unknown) {
          io.err << "tiendoctl rejected tail: could not ask what was deleted from " << topic
                 << " (" << asked.message() << "); still reading\n";
        }
        deleted_unknown = !asked.ok();
      }
      absl::StatusOr<bool> at_end = (*consumer)->ReadUpTo(topic, *ends);
      if (!at_end.ok()) return fail(at_end.status());
      if (*at_end) {
        caught_up = true;
        for (const auto& [written, text] : last) print(text);
        last.clear();
        if (!follow) break;
      }
    }
    absl::StatusOr<std::optional<kafka::ConsumedRecord>> polled = (*consumer)->Poll(kPollInterval);
    if (!polled.ok()) return fail(polled.status());
    polled_nothing = !polled->has_value();
    check_end = polled_nothing;
    if (polled_nothing) continue;
    const kafka::ConsumedRecord& record = **polled;
    if (const auto end = ends->find(record.position.partition); end != ends->end()) {
      check_end = record.position.offset + 1 >= end->second.high;
    }
    RejectedSubmission dead;
    if (!record.value.has_value() || !dead.ParseFromString(*record.value)) {
      io.err << "tiendoctl rejected tail: " << record.position.topic << " [p"
             << record.position.partition << " @ " << record.position.offset
             << "] is not a RejectedSubmission; skipped\n";
      continue;
    }
    const std::string text =
        output == "json" ? JsonLine(dead) : DeadLetterLine(dead, record.timestamp);
    if (!from_beginning && !caught_up) {
      last.emplace(Written{RejectedAt(dead, record.timestamp), record.position.partition,
                           record.position.offset},
                   text);
      if (static_cast<int64_t>(last.size()) > limit) last.erase(last.begin());
      continue;
    }
    print(text);
    if (from_beginning && limit > 0 && ++printed >= limit) break;
  }
  (*consumer)->Close();
  return 0;
}

}  // namespace

Command RejectedTailCommand() {
  return {"rejected tail", "Print the dead letters of rejected raw submissions.", Run};
}

}  // namespace tiendo::ctl
