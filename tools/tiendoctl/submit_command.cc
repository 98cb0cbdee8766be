// tiendoctl submit: sends statistics to metrics-ingest as a reporting unit — one item from
// flags (SubmitBatch) or a whole CSV file (StreamSubmissions, in batches), with the unit's
// bearer token, or with one token per unit from --token-dir. Prints each item's answer for a
// single item; for a file, a progress bar on a terminal, every rejected row with its line and
// a summary.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tools/tiendoctl/command.h"
#include "tools/tiendoctl/file_text.h"
#include "tools/tiendoctl/ingest_answer_text.h"
#include "tools/tiendoctl/ingest_connection.h"
#include "tools/tiendoctl/progress_meter.h"
#include "tools/tiendoctl/rpc_failure.h"
#include "tools/tiendoctl/submission_file.h"
#include "tools/tiendoctl/submission_flags.h"
#include "tools/tiendoctl/submission_report.h"
#include "tools/tiendoctl/submission_sender.h"

namespace tiendo::ctl {
namespace {

constexpr int64_t kMaxBatchSize = 1000;

struct SubmitSettings {
  SendSettings send;
  TokenSource token;
  SubmissionFlags item;
  std::string file;
  int64_t retries = 3;
};

SendObserver NoticesTo(std::ostream& err, absl::string_view unit, ProgressMeter* meter,
                       int64_t items_before) {
  SendObserver observer;
  observer.answered = [meter, items_before](int64_t answered) {
    if (meter != nullptr) meter->Update(items_before + answered);
  };
  observer.resending = [&err, meter, unit = std::string(unit)](const std::string& notice) {
    if (meter != nullptr) meter->Finish();
    err << "tiendoctl submit: " << (unit.empty() ? "" : unit + ": ") << notice << "\n";
  };
  return observer;
}

int SubmitOne(const SubmitSettings& settings, Io& io) {
  const std::string fresh_id = RandomSubmissionId();
  absl::StatusOr<ingest::v1::Submission> item =
      BuildSubmission(settings.item, absl::Now(), fresh_id);
  if (!item.ok()) {
    io.err << "tiendoctl submit: " << item.status().message() << " (see tiendoctl submit --help)\n";
    return 2;
  }
  const SendOutcome outcome = SubmitItems({*item}, settings.token.token, settings.send,
                                          NoticesTo(io.err, "", nullptr, 0));
  if (!outcome.status.ok()) {
    PrintIngestFailure(absl::StrCat("submit ", item->submission_id()), outcome.status,
                       settings.send.connection.address, TokenOrigin(settings.token, ""),
                       io.err);
    if (settings.item.submission_id.empty() && IsRetryable(outcome.status)) {
      io.err << "  to retry safely, resend with --submission-id " << fresh_id
             << " (if it was written, the answer is DUPLICATE)\n";
    }
    return 1;
  }
  const ingest::v1::SubmissionResult& result = *outcome.results[0];
  io.out << SubmissionResultLine(result);
  if (outcome.duplicates_after_resend > 0) io.out << " (written before a failed attempt)";
  io.out << "\n";
  return result.outcome() == ingest::v1::SUBMISSION_OUTCOME_REJECTED ? 1 : 0;
}

// The rows one call sends with one token.
struct Shipment {
  std::string unit;        // "" without --token-dir
  std::string token_path;  // with --token-dir
  std::string token;
  std::vector<SubmissionRow> rows;
};

std::vector<int> LinesOf(const std::vector<SubmissionRow>& rows, size_t from = 0) {
  std::vector<int> lines;
  for (size_t i = from; i < rows.size(); ++i) lines.push_back(rows[i].line);
  return lines;
}

// The shipments of `rows`: one with the single token, or one per unit with a token file;
// the rows of units without a usable token file go into the report as not sent.
std::vector<Shipment> PlanShipments(std::vector<SubmissionRow> rows,
                                    const TokenSource& source, SubmissionReport& report) {
  if (source.token_dir.empty()) return {{"", "", source.token, std::move(rows)}};
  std::vector<Shipment> shipments;
  for (UnitRows& group : GroupByUnit(std::move(rows))) {
    if (group.unit.empty()) {
      report.AddUnsent("without reporting_unit_id not sent: --token-dir chooses the token by it",
                       LinesOf(group.rows));
      continue;
    }
    const std::string path = UnitTokenPath(source.token_dir, group.unit);
    absl::StatusOr<std::string> token = ReadTokenFile(path);
    if (!token.ok()) {
      report.AddUnsent(absl::StrCat("of reporting unit ", group.unit, " not sent: ",
                                    token.status().message()),
                       LinesOf(group.rows));
      continue;
    }
    shipments.push_back({group.unit, path, *std::move(token), std::move(group.rows)});
  }
  return shipments;
}

int SubmitFile(const SubmitSettings& settings, Io& io) {
  const std::optional<std::string> text = ReadInputFile(settings.file, io.err);
  if (!text.has_value()) return 2;
  absl::StatusOr<SubmissionFile> file = ParseSubmissionFile(*text);
  if (!file.ok()) {
    io.err << "tiendoctl submit: " << settings.file << ": " << file.status().message()
           << "; nothing was sent\n";
    return 1;
  }
  if (file->rows.empty() && file->unparsed.empty()) {
    io.err << "tiendoctl submit: " << settings.file
           << ": no rows after the header; nothing was sent\n";
    return 1;
  }
  SubmissionReport report(settings.file, settings.send.dry_run);
  for (const UnparsedRow& row : file->unparsed) report.AddUnparsed(row);
  const std::vector<Shipment> shipments =
      PlanShipments(std::move(file->rows), settings.token, report);

  int64_t to_send = 0;
  for (const Shipment& shipment : shipments) to_send += static_cast<int64_t>(shipment.rows.size());
  ProgressMeter meter(io.err, io.err_is_terminal, to_send);
  int64_t sent_before = 0;
  for (const Shipment& shipment : shipments) {
    std::vector<ingest::v1::Submission> items;
    items.reserve(shipment.rows.size());
    for (const SubmissionRow& row : shipment.rows) {
      items.push_back(row.submission);
      if (items.back().source_system().empty()) {
        items.back().set_source_system(settings.item.source_system);
      }
    }
    SendSettings send = settings.send;
    send.batch_label = absl::StrCat(settings.file.substr(settings.file.find_last_of('/') + 1),
                                    shipment.unit.empty() ? "" : " ", shipment.unit);
    const SendOutcome outcome = StreamItems(items, shipment.token, send,
                                            NoticesTo(io.err, shipment.unit, &meter, sent_before));
    size_t answered = 0;
    while (answered < outcome.results.size() && outcome.results[answered].has_value()) {
      report.AddAnswer(shipment.rows[answered].line, *outcome.results[answered]);
      ++answered;
    }
    report.AddDuplicatesAfterResend(outcome.duplicates_after_resend);
    const int64_t unanswered = to_send - sent_before - static_cast<int64_t>(answered);
    sent_before += static_cast<int64_t>(items.size());
    if (outcome.status.ok()) continue;
    const absl::StatusCode code = outcome.status.code();
    if (!shipment.unit.empty() && (code == absl::StatusCode::kUnauthenticated ||
                                   code == absl::StatusCode::kPermissionDenied)) {
      // One unit's token is refused: the other units' rows still go.
      report.AddUnsent(absl::StrCat("of reporting unit ", shipment.unit, " not sent: the token in ",
                                    shipment.token_path, " was refused (",
                                    absl::StatusCodeToString(code), ": ",
                                    outcome.status.message(), ")"),
                       LinesOf(shipment.rows, answered));
      continue;
    }
    meter.Finish();
    report.PrintRows(io.out);
    PrintIngestFailure(absl::StrCat("submit ", settings.file,
                                    shipment.unit.empty() ? "" : " for ", shipment.unit),
                       outcome.status, settings.send.connection.address,
                       TokenOrigin(settings.token, shipment.token_path), io.err);
    io.err << "  stopped with " << unanswered << " items unanswered; so far " << report.Summary()
           << "\n";
    return 1;
  }
  meter.Finish();
  report.PrintRows(io.out);
  io.out << report.Summary() << "\n";
  return report.clean() ? 0 : 1;
}

int Run(const std::vector<std::string>& args, Io& io) {
  SubmitSettings settings;
  config::FlagSet flags(
      "tiendoctl submit",
      "Submits statistics to tiendo-metrics-ingest as a reporting unit: one item from the "
      "flags (--indicator, --period, a figure), or every row of --file FILE.csv (the columns "
      "of data/synthetic/submissions.csv) in batches on one stream. The token is the unit's "
      "bearer token (TIENDO_TOKEN, --token-file, --token), or with --token-dir each row's own "
      "unit's. Calls that fail with UNAVAILABLE or DEADLINE_EXCEEDED are resent with the same "
      "submission ids, so an item is never counted twice (written ones come back DUPLICATE). "
      "Exits 0 when every item was accepted or duplicate, 1 when one was rejected or not sent "
      "or the call failed, 2 on bad usage.");
  RegisterIngestFlags(flags, &settings.send.connection,
                      "Deadline of each call to metrics-ingest; a stream of batches gets this "
                      "much for each batch it carries.");
  RegisterTokenFlags(flags, &settings.token, TokenFlags::kOneTokenOrPerUnit);
  flags.AddString("file", "", "A CSV file of submissions, one per row.", &settings.file);
  RegisterSubmissionFlags(flags, &settings.item);
  flags.AddBool("dry-run", "", "Validate only: ACCEPTED means \"would be accepted\".",
                &settings.send.dry_run);
  flags.AddInt("batch-size", "", "Items per batch of a file.", 1, kMaxBatchSize,
               &settings.send.batch_size);
  flags.AddInt("retries", "", "Resends of a batch after UNAVAILABLE or DEADLINE_EXCEEDED.", 0,
               10, &settings.retries);
  if (int code = ParseCommandFlags(flags, args, io); code >= 0) return code;
  settings.send.attempts = settings.retries + 1;

  const bool describes_item = DescribesAnItem(settings.item);
  if (settings.file.empty() == !describes_item) {
    io.err << "tiendoctl submit: "
           << (describes_item ? "--file does not mix with the flags of a single item"
                              : "give --file FILE.csv, or --indicator, --period and a figure")
           << " (see tiendoctl submit --help)\n";
    return 2;
  }
  if (settings.file.empty() && !settings.token.token_dir.empty()) {
    io.err << "tiendoctl submit: --token-dir is for --file; give one item's token with "
              "--token-file, --token or TIENDO_TOKEN\n";
    return 2;
  }
  if (absl::Status token = ResolveTokenSource(io.env, &settings.token); !token.ok()) {
    io.err << "tiendoctl submit: " << token.message() << "\n";
    return 2;
  }
  return settings.file.empty() ? SubmitOne(settings, io) : SubmitFile(settings, io);
}

}  // namespace

Command SubmitCommand() {
  return {"submit", "Submit statistics to metrics-ingest (one item or a CSV file).", Run};
}

}  // namespace tiendo::ctl
