// tiendoctl completeness: which reports each reporting unit owes per period and how many
// arrived on time, late or not at all, as tiendo-target-evaluator judges them against the
// indicators' reporting schedules; a table for people or one JSON document for programs.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/core/civil_date.h"
#include "tools/tiendoctl/command.h"
#include "tools/tiendoctl/evaluator_connection.h"
#include "tools/tiendoctl/list_flag.h"
#include "tools/tiendoctl/paged_list.h"
#include "tools/tiendoctl/proto_output.h"
#include "tools/tiendoctl/rpc_failure.h"
#include "tools/tiendoctl/text_table.h"

namespace tiendo::ctl {
namespace {

using evaluator::v1::CompletenessRow;
using evaluator::v1::GetCompletenessRequest;
using evaluator::v1::GetCompletenessResponse;

struct CompletenessSettings {
  EvaluatorConnection connection;
  std::string plan;
  std::string units;
  std::string indicators;
  std::string from;
  std::string to;
  std::string as_of;
  std::string output = "table";
};

// The indicators of the row's reports in `state`, comma-separated; "-" for none.
std::string IndicatorsIn(const CompletenessRow& row, evaluator::v1::ReportState state) {
  std::vector<std::string> ids;
  for (const evaluator::v1::ExpectedReport& report : row.reports()) {
    if (report.state() == state) ids.push_back(report.indicator_id());
  }
  return ids.empty() ? "-" : absl::StrJoin(ids, ",");
}

void PrintTable(const std::vector<CompletenessRow>& rows, const CompletenessSettings& settings,
                std::ostream& out) {
  const std::string as_of = settings.as_of.empty() ? "today" : settings.as_of;
  if (rows.empty()) {
    out << "No reports expected" << (settings.plan.empty() ? "" : " for plan ") << settings.plan
        << " as of " << as_of
        << ". (Only reported indicators with a reporting schedule expect reports; the "
           "filters may leave none.)\n";
    return;
  }
  TextTable table({"UNIT", "PERIOD", "EXPECTED", "ON TIME", "LATE", "MISSING", "PENDING",
                   "MISSING INDICATORS", "LATE INDICATORS"});
  int expected = 0, on_time = 0, late = 0, missing = 0, pending = 0;
  for (const CompletenessRow& row : rows) {
    table.Add({row.reporting_unit_id(), row.period(), absl::StrCat(row.expected()),
               absl::StrCat(row.on_time()), absl::StrCat(row.late()), absl::StrCat(row.missing()),
               absl::StrCat(row.pending()),
               IndicatorsIn(row, evaluator::v1::REPORT_STATE_MISSING),
               IndicatorsIn(row, evaluator::v1::REPORT_STATE_LATE)});
    expected += row.expected();
    on_time += row.on_time();
    late += row.late();
    missing += row.missing();
    pending += row.pending();
  }
  table.Print(out);
  out << expected << (expected == 1 ? " report" : " reports") << " expected in " << rows.size()
      << (rows.size() == 1 ? " unit-period" : " unit-periods")
      << (settings.plan.empty() ? "" : " of plan ") << settings.plan << " as of " << as_of
      << ": " << on_time << " on time, " << late << " late, " << missing << " missing, "
      << pending << " not yet due\n";
}

int Run(const std::vector<std::string>& args, Io& io) {
  CompletenessSettings settings;
  config::FlagSet flags(
      "tiendoctl completeness",
      "Shows reporting completeness as tiendo-target-evaluator judges it: for each reporting "
      "unit and period, the reports its indicators' schedules expect, and how many arrived "
      "on time, late, not at all (missing: overdue) or are not yet due, naming the missing "
      "and late indicators. Every page is read. Exits 0 on success (also when nothing is "
      "expected), 1 when a call failed, 2 on bad usage.");
  RegisterEvaluatorFlags(flags, &settings.connection);
  flags.AddString("plan", "",
                  "Only the indicators the targets of this plan use, e.g. brvt-63-kh-ubnd "
                  "(default: every reported indicator with a schedule).",
                  &settings.plan);
  flags.AddString("unit", "", "Only these reporting units (comma-separated), e.g. dept-st.",
                  &settings.units);
  flags.AddString("indicator", "", "Only these indicators (comma-separated).",
                  &settings.indicators);
  flags.AddString("from", "",
                  "First period, e.g. 2025-Q1 or 2025-03 (default: each schedule's first "
                  "period, else the start of the plan's horizon).",
                  &settings.from);
  flags.AddString("to", "",
                  "Last period (default: the period that holds the --as-of day).", &settings.to);
  flags.AddString("as-of", "",
                  "Judge due dates as of this day, YYYY-MM-DD (default: today).",
                  &settings.as_of);
  flags.AddChoice("output", "",
                  "table: a row per unit and period and a summary; json: one JSON array of the "
                  "rows with the proto field names, each with its expected reports.",
                  {"table", "json"}, &settings.output);
  if (int code = ParseCommandFlags(flags, args, io); code >= 0) return code;
  if (!settings.as_of.empty() && !core::CivilDateOf(settings.as_of).has_value()) {
    io.err << "tiendoctl completeness: --as-of: \"" << settings.as_of
           << "\" is not a date (YYYY-MM-DD)\n";
    return 2;
  }

  GetCompletenessRequest request;
  request.set_plan_id(settings.plan);
  for (const std::string& unit : SplitList(settings.units)) request.add_reporting_unit_ids(unit);
  for (const std::string& id : SplitList(settings.indicators)) request.add_indicator_ids(id);
  request.set_period_from(settings.from);
  request.set_period_to(settings.to);
  request.set_as_of(settings.as_of);
  auto stub = NewEvaluatorStub(settings.connection.address);
  std::vector<CompletenessRow> rows;
  const absl::Status status =
      FetchAllPages<GetCompletenessRequest, GetCompletenessResponse, CompletenessRow>(
          request, /*limit=*/0,
          [&](grpc::ClientContext& context) {
            PrepareEvaluatorCall(settings.connection, context);
          },
          [&](grpc::ClientContext* context, const GetCompletenessRequest& page,
              GetCompletenessResponse* response) {
            return stub->GetCompleteness(context, page, response);
          },
          [](const GetCompletenessResponse& response) -> const auto& { return response.rows(); },
          &rows);
  if (!status.ok()) {
    PrintEvaluatorFailure(settings.plan.empty() ? "completeness"
                                                : "completeness of plan " + settings.plan,
                          status, settings.connection.address, io.err);
    return 1;
  }
  if (settings.output == "json") {
    io.out << JsonArray(rows);
  } else {
    PrintTable(rows, settings, io.out);
  }
  return 0;
}

}  // namespace

Command CompletenessCommand() {
  return {"completeness", "Show which reports each unit owes and which arrived.", Run};
}

}  // namespace tiendo::ctl
