// tiendoctl watch: follows progress as tiendo-target-evaluator publishes it (WatchProgress) —
// every target, a plan's, or the named ones — printing one line per new version as it
// arrives, a line when the initial state is complete, and removed targets; or each stream
// message as one JSON object per line. When the stream breaks with UNAVAILABLE (a replica
// shutting down, a lost connection) it watches again from the last version of each target
// seen, so nothing is printed twice, with a bounded number of retries. Ctrl-C ends it.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tools/tiendoctl/command.h"
#include "tools/tiendoctl/evaluator_connection.h"
#include "tools/tiendoctl/interrupt_watch.h"
#include "tools/tiendoctl/list_flag.h"
#include "tools/tiendoctl/progress_text.h"
#include "tools/tiendoctl/proto_output.h"
#include "tools/tiendoctl/rpc_failure.h"
#include "tools/tiendoctl/service_addresses.h"
#include "tools/tiendoctl/watch_stream.h"

namespace tiendo::ctl {
namespace {

using evaluator::v1::Progress;
using evaluator::v1::ProgressStatus;
using evaluator::v1::ProgressUpdate;
using evaluator::v1::WatchProgressRequest;
using evaluator::v1::WatchProgressResponse;

// Pause before the first new watch after a break; doubled before each later one.
constexpr absl::Duration kFirstPause = absl::Milliseconds(500);

struct WatchSettings {
  std::string address = ServiceAddresses().evaluator;
  std::string plan;
  std::vector<std::string> targets;
  bool initial = true;
  std::string output = "text";
  int64_t retries = 5;
};

// What the watch knows of a target: the last version received and what it said.
struct Seen {
  int64_t version = 0;
  std::string value;
  ProgressStatus status = evaluator::v1::PROGRESS_STATUS_UNSPECIFIED;
};

// Prints the messages of the command's successive streams and remembers what they said.
class WatchPrinter {
 public:
  WatchPrinter(const WatchSettings& settings, std::ostream& out)
      : settings_(settings), out_(out) {}

  // The request of the next stream: the selection, less removed targets, from the last
  // version of each target seen.
  WatchProgressRequest NextRequest() const {
    WatchProgressRequest request;
    request.set_plan_id(settings_.plan);
    for (const std::string& target : settings_.targets) {
      if (removed_.count(target) == 0) request.add_target_ids(target);
    }
    for (const auto& [target, seen] : seen_) {
      (*request.mutable_resume_from_versions())[target] = seen.version;
    }
    return request;
  }

  // Whether every target named with --target has been removed: nothing is left to watch.
  bool NothingLeft() const {
    return !settings_.targets.empty() && NextRequest().target_ids().empty();
  }

  size_t targets_seen() const { return seen_.size(); }

  void Print(const WatchProgressResponse& message) {
    switch (message.event_case()) {
      case WatchProgressResponse::kUpdate:
        PrintUpdate(message);
        break;
      case WatchProgressResponse::kInitialStateComplete:
        Line(message, caught_up_ ? "-- caught up after watching again"
                                 : absl::StrCat("-- initial state complete: ", seen_.size(),
                                                seen_.size() == 1 ? " target" : " targets",
                                                "; watching for changes (Ctrl-C stops)"));
        caught_up_ = true;
        break;
      case WatchProgressResponse::kTargetRemoved:
        seen_.erase(message.target_removed().target_id());
        removed_.insert(message.target_removed().target_id());
        Line(message, absl::StrCat("-- ", message.target_removed().target_id(),
                                   " removed (final version ",
                                   message.target_removed().version(), ")"));
        break;
      case WatchProgressResponse::EVENT_NOT_SET:
        break;
    }
  }

 private:
  // `<time>  <target>  [<old> → ]<value>  [<old status> → ]<status>  v<version>`.
  void PrintUpdate(const WatchProgressResponse& message) {
    const ProgressUpdate& update = message.update();
    const Progress& progress = update.progress();
    const Seen now{progress.version(), CurrentValueText(progress), progress.status()};
    const auto before = seen_.find(progress.target_id());
    std::string line = absl::StrCat(VietnamMinute(progress.last_changed_at()), "  ",
                                    progress.target_id(), "  ");
    if (before != seen_.end()) {
      absl::StrAppend(&line, before->second.value, " → ", now.value, "  ");
      if (before->second.status != now.status) {
        absl::StrAppend(&line, StatusWord(before->second.status), " → ");
      }
    } else {
      absl::StrAppend(&line, now.value, "  ");
    }
    absl::StrAppend(&line, StatusWord(now.status), "  v", now.version);
    if (update.skipped_versions() > 0) {
      absl::StrAppend(&line, "  (", update.skipped_versions(), " intermediate versions skipped)");
    }
    seen_[progress.target_id()] = now;
    // A stream after a break sends as initial what changed meanwhile: news to the user.
    if (update.initial() && !caught_up_ && !settings_.initial) return;
    Line(message, line);
  }

  void Line(const WatchProgressResponse& message, const std::string& text) {
    out_ << (settings_.output == "json" ? JsonLine(message) : text) << "\n" << std::flush;
  }

  const WatchSettings& settings_;
  std::ostream& out_;
  std::map<std::string, Seen> seen_;
  std::set<std::string> removed_;
  // An initial state has been completed on some stream.
  bool caught_up_ = false;
};

int Run(const std::vector<std::string>& args, Io& io) {
  WatchSettings settings;
  std::string targets;
  config::FlagSet flags(
      "tiendoctl watch",
      "Follows progress as tiendo-target-evaluator publishes it: first the current progress "
      "of every selected target, a line when that initial state is complete, then one line "
      "per new version — time of the change (Vietnam time), target, old → new value, "
      "status, version — and a line per removed target. When the stream breaks with "
      "UNAVAILABLE it watches again from the last version of each target seen (nothing is "
      "printed twice), up to --retries times in a row, pausing 0.5s, 1s, 2s… Ctrl-C stops "
      "it. Exits 0 when stopped or when the evaluator ends the stream, 1 when the watch "
      "failed, 2 on bad usage.");
  RegisterEvaluatorAddressFlag(flags, &settings.address);
  flags.AddString("plan", "", "Watch every target of this plan, also those added later.",
                  &settings.plan);
  flags.AddString("target", "",
                  "Instead of --plan: watch these targets (comma-separated). Neither: every "
                  "target.",
                  &targets);
  flags.AddBool("initial", "",
                "Print the initial state; with --initial=false only changes are printed.",
                &settings.initial);
  flags.AddChoice("output", "",
                  "text: one line per event; json: each stream message as one JSON object per "
                  "line, with the proto field names.",
                  {"text", "json"}, &settings.output);
  flags.AddInt("retries", "", "New watches in a row after the stream breaks with UNAVAILABLE.",
               0, 20, &settings.retries);
  if (int code = ParseCommandFlags(flags, args, io); code >= 0) return code;
  settings.targets = SplitList(targets);
  if (!settings.plan.empty() && !settings.targets.empty()) {
    io.err << "tiendoctl watch: give --plan or --target, not both (see tiendoctl watch "
              "--help)\n";
    return 2;
  }

  // Before the channel starts gRPC's threads, so that they leave Ctrl-C to this one.
  InterruptWatch interrupts;
  auto stub = NewEvaluatorStub(settings.address);
  WatchPrinter printer(settings, io.out);
  int64_t breaks_in_a_row = 0;
  while (true) {
    bool heard = false;
    const WatchEnd end = ReadWatch(*stub, printer.NextRequest(), interrupts,
                                   [&](const WatchProgressResponse& message) {
                                     heard = true;
                                     printer.Print(message);
                                   });
    if (end.interrupted) return 0;
    if (end.status.ok()) {
      io.err << "tiendoctl watch: the evaluator ended the stream\n";
      return 0;
    }
    if (printer.NothingLeft()) {
      io.err << "tiendoctl watch: every watched target was removed\n";
      return 0;
    }
    if (heard) breaks_in_a_row = 0;
    if (end.status.code() != absl::StatusCode::kUnavailable ||
        breaks_in_a_row >= settings.retries) {
      PrintEvaluatorFailure("watch", end.status, settings.address, io.err);
      return 1;
    }
    const absl::Duration pause = kFirstPause * (int64_t{1} << breaks_in_a_row);
    ++breaks_in_a_row;
    io.err << "tiendoctl watch: the stream ended with UNAVAILABLE: " << end.status.message()
           << "; watching again in " << absl::FormatDuration(pause) << " (retry "
           << breaks_in_a_row << " of " << settings.retries << "), from the last version of "
           << printer.targets_seen() << (printer.targets_seen() == 1 ? " target" : " targets")
           << "\n";
    if (interrupts.InterruptedWithin(pause)) return 0;
  }
}

}  // namespace

Command WatchCommand() {
  return {"watch", "Follow progress changes as they are published.", Run};
}

}  // namespace tiendo::ctl
