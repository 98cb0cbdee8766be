// tiendoctl progress: where the targets of a plan (or the named targets) stand — the milestone
// in force, current value, how far along the way, status, projection and last change — as
// tiendo-target-evaluator computes them, live or at a past --as-of date; a table for people
// or one JSON document for programs.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/core/civil_date.h"
#include "tools/tiendoctl/command.h"
#include "tools/tiendoctl/enum_words.h"
#include "tools/tiendoctl/evaluator_connection.h"
#include "tools/tiendoctl/list_flag.h"
#include "tools/tiendoctl/paged_list.h"
#include "tools/tiendoctl/progress_text.h"
#include "tools/tiendoctl/proto_output.h"
#include "tools/tiendoctl/rpc_failure.h"
#include "tools/tiendoctl/text_table.h"

namespace tiendo::ctl {
namespace {

using evaluator::v1::ListProgressRequest;
using evaluator::v1::ListProgressResponse;
using evaluator::v1::MilestoneProgress;
using evaluator::v1::Progress;
using evaluator::v1::ProgressStatus;

struct ProgressSettings {
  EvaluatorConnection connection;
  std::string plan;
  std::string targets;
  std::string as_of;
  std::string statuses;
  std::string output = "table";
};

std::string ComparatorSign(registry::v1::Comparator comparator) {
  switch (comparator) {
    case registry::v1::COMPARATOR_AT_LEAST:
      return "≥ ";
    case registry::v1::COMPARATOR_MORE_THAN:
      return "> ";
    case registry::v1::COMPARATOR_AT_MOST:
      return "≤ ";
    case registry::v1::COMPARATOR_LESS_THAN:
      return "< ";
    case registry::v1::COMPARATOR_EQUAL:
      return "= ";
    default:
      return "";
  }
}

// TARGET, MILESTONE, CURRENT, TARGET VALUE, % OF WAY, STATUS, PROJECTION, LAST CHANGE, NOTE.
std::vector<std::string> Columns(const Progress& progress) {
  const std::string target =
      progress.target_code().empty() ? progress.target_id() : progress.target_code();
  const std::string current = CurrentValueText(progress);
  const std::string status = StatusWord(progress.status());
  const std::string changed = VietnamMinute(progress.last_changed_at());
  const int index = progress.milestone_in_force();
  if (index < 0 || index >= progress.milestones_size()) {
    return {target, "-", current, "-", "-", status, "-", changed};
  }
  const MilestoneProgress& milestone = progress.milestones(index);
  return {target,
          absl::StrCat(milestone.code().empty() ? absl::StrCat("#", index + 1) : milestone.code(),
                       " by ", milestone.deadline()),
          current,
          ComparatorSign(progress.comparator()) +
              ValueText(milestone.target_value(), progress.unit()),
          milestone.has_percent_of_way()
              ? ValueText(milestone.percent_of_way(), registry::v1::INDICATOR_UNIT_PERCENT)
              : "-",
          status,
          milestone.has_projected_value()
              ? ValueText(milestone.projected_value(), progress.unit())
              : "-",
          changed,
          milestone.note()};
}

// "3 targets of plan P as of 2025-06-30: 1 achieved, 2 on-track".
std::string Summary(const std::vector<Progress>& entries, const std::string& plan) {
  std::map<int, int> by_status;
  for (const Progress& progress : entries) ++by_status[progress.status()];
  std::vector<std::string> counts;
  for (const auto& [status, count] : by_status) {
    counts.push_back(absl::StrCat(count, " ", StatusWord(static_cast<ProgressStatus>(status))));
  }
  return absl::StrCat(entries.size(), entries.size() == 1 ? " target" : " targets",
                      plan.empty() ? "" : " of plan ", plan, " as of ", entries[0].as_of(), ": ",
                      absl::StrJoin(counts, ", "));
}

// Every target of the plan (with one of the statuses), every page.
absl::Status ListPlan(const ProgressSettings& settings,
                      const std::vector<ProgressStatus>& statuses,
                      std::vector<Progress>* entries) {
  ListProgressRequest request;
  request.set_plan_id(settings.plan);
  request.set_as_of(settings.as_of);
  for (ProgressStatus status : statuses) request.add_statuses(status);
  auto stub = NewEvaluatorStub(settings.connection.address);
  return FetchAllPages<ListProgressRequest, ListProgressResponse, Progress>(
      request, /*limit=*/0,
      [&](grpc::ClientContext& context) { PrepareEvaluatorCall(settings.connection, context); },
      [&](grpc::ClientContext* context, const ListProgressRequest& page,
          ListProgressResponse* response) {
        return stub->ListProgress(context, page, response);
      },
      [](const ListProgressResponse& response) -> const auto& {
        return response.progress_entries();
      },
      entries);
}

// The named targets, one GetProgress each; the failing target in `*failed`.
absl::Status GetTargets(const ProgressSettings& settings, std::vector<Progress>* entries,
                        std::string* failed) {
  auto stub = NewEvaluatorStub(settings.connection.address);
  for (const std::string& target : SplitList(settings.targets)) {
    evaluator::v1::GetProgressRequest request;
    request.set_target_id(target);
    request.set_as_of(settings.as_of);
    grpc::ClientContext context;
    PrepareEvaluatorCall(settings.connection, context);
    Progress& progress = entries->emplace_back();
    if (absl::Status status =
            server::FromGrpcStatus(stub->GetProgress(&context, request, &progress));
        !status.ok()) {
      *failed = target;
      return status;
    }
  }
  return absl::OkStatus();
}

void PrintTable(const std::vector<Progress>& entries, const ProgressSettings& settings,
                std::ostream& out) {
  if (entries.empty()) {
    out << "No targets of plan " << settings.plan;
    if (!settings.statuses.empty()) out << " with status " << settings.statuses;
    if (!settings.as_of.empty()) out << " as of " << settings.as_of;
    out << ". (A plan whose targets the evaluator has not evaluated yet lists nothing.)\n";
    return;
  }
  TextTable table({"TARGET", "MILESTONE", "CURRENT", "TARGET VALUE", "% OF WAY", "STATUS",
                   "PROJECTION", "LAST CHANGE", "NOTE"});
  for (const Progress& progress : entries) table.Add(Columns(progress));
  table.Print(out);
  out << Summary(entries, settings.plan) << "\n";
}

int Run(const std::vector<std::string>& args, Io& io) {
  ProgressSettings settings;
  const google::protobuf::EnumDescriptor& status_type =
      *evaluator::v1::ProgressStatus_descriptor();
  config::FlagSet flags(
      "tiendoctl progress",
      "Shows the progress of every target of a plan (--plan, every page) or of the named "
      "targets (--target), as tiendo-target-evaluator computes it: the milestone in force "
      "with its deadline, the current value, the milestone's value, how far along the way "
      "from the baseline, the status, the value projected at the deadline, and when it last "
      "changed (Vietnam time). Exits 0 on success (also when nothing matches), 1 when a call "
      "failed, 2 on bad usage.");
  RegisterEvaluatorFlags(flags, &settings.connection);
  flags.AddString("plan", "", "The plan whose targets to show, e.g. brvt-63-kh-ubnd.",
                  &settings.plan);
  flags.AddString("target", "",
                  "Instead of --plan: these targets (comma-separated), e.g. "
                  "brvt-63-kh-ubnd.t1,brvt-63-kh-ubnd.t3.",
                  &settings.targets);
  flags.AddString("as-of", "",
                  "Evaluate as of this past day, YYYY-MM-DD, with the data accepted so far "
                  "(default: today, live).",
                  &settings.as_of);
  flags.AddString("status", "",
                  "With --plan: only targets whose status is one of these (comma-separated): " +
                      EnumWordList(status_type) + ".",
                  &settings.statuses);
  flags.AddChoice("output", "",
                  "table: aligned columns and a summary; json: one JSON array of the progress "
                  "entries with the proto field names.",
                  {"table", "json"}, &settings.output);
  if (int code = ParseCommandFlags(flags, args, io); code >= 0) return code;

  if (settings.plan.empty() == SplitList(settings.targets).empty()) {
    io.err << "tiendoctl progress: give --plan PLAN_ID or --target ID,… (one of them) (see "
              "tiendoctl progress --help)\n";
    return 2;
  }
  if (!settings.statuses.empty() && settings.plan.empty()) {
    io.err << "tiendoctl progress: --status filters the targets of --plan; --target shows "
              "every target named\n";
    return 2;
  }
  if (!settings.as_of.empty() && !core::CivilDateOf(settings.as_of).has_value()) {
    io.err << "tiendoctl progress: --as-of: \"" << settings.as_of
           << "\" is not a date (YYYY-MM-DD)\n";
    return 2;
  }
  std::vector<ProgressStatus> statuses;
  for (const std::string& word : SplitList(settings.statuses)) {
    const std::optional<int> value = ParseEnumWord(status_type, word);
    if (!value.has_value()) {
      io.err << "tiendoctl progress: --status: \"" << word << "\" is not one of "
             << EnumWordList(status_type) << "\n";
      return 2;
    }
    statuses.push_back(static_cast<ProgressStatus>(*value));
  }

  std::vector<Progress> entries;
  std::string failed_target;
  const absl::Status status = settings.plan.empty()
                                  ? GetTargets(settings, &entries, &failed_target)
                                  : ListPlan(settings, statuses, &entries);
  if (!status.ok()) {
    PrintEvaluatorFailure(settings.plan.empty() ? "progress of target " + failed_target
                                                : "progress of plan " + settings.plan,
                          status, settings.connection.address, io.err);
    return 1;
  }
  if (settings.output == "json") {
    io.out << JsonArray(entries);
  } else {
    PrintTable(entries, settings, io.out);
  }
  return 0;
}

}  // namespace

Command ProgressCommand() {
  return {"progress", "Show the progress of a plan's targets.", Run};
}

}  // namespace tiendo::ctl
