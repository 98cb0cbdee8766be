#include "services/target-evaluator/completeness.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/core/civil_date.h"
#include "services/common/core/fingerprint.h"
#include "services/common/core/period.h"
#include "services/common/core/validity_window.h"
#include "services/common/status/field_violations.h"
#include "services/common/status/status_macros.h"

namespace tiendo::evaluator {
namespace {

using core::Granularity;
using core::Period;
using registry::v1::Indicator;
using registry::v1::ReportingUnit;

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;
constexpr int64_t kSecondsPerDay = 24 * 60 * 60;

// The days Period covers (years 1900..9999); days outside are taken to its edges.
constexpr absl::CivilDay kCalendarStart(1900, 1, 1);
constexpr absl::CivilDay kCalendarEnd(9999, 12, 31);

absl::Status Invalid(std::string field, std::string rule, std::string description) {
  return status::InvalidArgumentWithViolations(
      {status::Violation(std::move(field), std::move(rule), std::move(description))});
}

// The period of `granularity` holding `day` (taken into the calendar Period covers).
Period Holding(Granularity granularity, absl::CivilDay day) {
  day = std::clamp(day, kCalendarStart, kCalendarEnd);
  return Period::Of(Granularity::kMonth, static_cast<int>(day.year()), day.month())
      ->Enclosing(granularity);
}

// The first period of `granularity` starting on or after `day`; nullopt when none does.
std::optional<Period> FirstStartingFrom(Granularity granularity, absl::CivilDay day) {
  const Period holding = Holding(granularity, day);
  if (holding.FirstDay() >= day) return holding;
  if (holding.LastDay() >= kCalendarEnd) return std::nullopt;
  return holding.Next();
}

// The last period of `granularity` ending on or before `day`; nullopt when none does.
std::optional<Period> LastEndingBy(Granularity granularity, absl::CivilDay day) {
  const Period holding = Holding(granularity, day);
  if (holding.LastDay() <= day) return holding;
  if (holding.FirstDay() <= kCalendarStart) return std::nullopt;
  return holding.Previous();
}

// The reports one unit owes for one indicator: one per period of `first` .. `last` (of the
// schedule's granularity).
struct Owed {
  const Indicator* indicator = nullptr;
  Period first;
  Period last;
  int64_t grace_days = 0;
};

// The periods of one indicator's schedule the request asks about, before any unit's
// lifetime narrows them; nullopt when there are none.
struct ScheduleSpan {
  Period first;
  Period last;
};

// What the request asks about, parsed.
struct Selection {
  absl::CivilDay as_of;
  std::optional<Period> from;  // period_from
  std::optional<Period> to;    // period_to
  std::set<std::string> units;  // reporting_unit_ids; empty = all
};

std::optional<ScheduleSpan> SpanOf(const registry_view::RegistryView& registry,
                                   const Indicator& indicator, const Selection& selection) {
  const registry::v1::ReportingSchedule& schedule = indicator.reported().schedule();
  const std::optional<Granularity> granularity =
      core::GranularityFromProto(schedule.granularity());
  if (!granularity.has_value()) return std::nullopt;
  const std::optional<std::pair<absl::CivilDay, absl::CivilDay>> horizon =
      registry.HorizonOf(indicator.id());
  // A schedule period that does not parse (the registry validates them) counts as absent.
  const absl::StatusOr<Period> first_period = Period::Parse(schedule.first_period());
  const absl::StatusOr<Period> last_period = Period::Parse(schedule.last_period());

  std::optional<Period> first;
  if (first_period.ok()) {
    first = Holding(*granularity, first_period->FirstDay());
  } else if (horizon.has_value()) {
    first = Holding(*granularity, horizon->first);
  } else {
    return std::nullopt;  // no telling when reports begin
  }
  // Up to period_to, else to the period holding as_of: always bounded.
  std::optional<Period> last = selection.to.has_value()
                                   ? LastEndingBy(*granularity, selection.to->LastDay())
                                   : Holding(*granularity, selection.as_of);
  if (!last.has_value()) return std::nullopt;
  if (last_period.ok()) {
    last = std::min(*last, Holding(*granularity, last_period->LastDay()));
  } else if (horizon.has_value()) {
    last = std::min(*last, Holding(*granularity, horizon->second));
  }
  if (selection.from.has_value()) {
    const std::optional<Period> from = FirstStartingFrom(*granularity, selection.from->FirstDay());
    if (!from.has_value()) return std::nullopt;
    first = std::max(*first, *from);
  }
  if (*last < *first) return std::nullopt;
  return ScheduleSpan{*first, *last};
}

// `span` narrowed to the periods whose last day falls within the unit's lifetime; nullopt
// when none does, or the unit cannot report at all now.
std::optional<ScheduleSpan> WithinLifetime(const ReportingUnit& unit, ScheduleSpan span) {
  if (unit.status() == registry::v1::REPORTING_UNIT_STATUS_SUSPENDED) return std::nullopt;
  const bool ended = unit.status() == registry::v1::REPORTING_UNIT_STATUS_MERGED ||
                     unit.status() == registry::v1::REPORTING_UNIT_STATUS_CLOSED;
  const core::ValidityWindow lifetime =
      core::ParseValidityWindow(unit.valid_from(), unit.valid_to());
  if (ended && !lifetime.to.has_value()) return std::nullopt;
  const Granularity granularity = span.first.granularity();
  if (lifetime.from.has_value()) {
    span.first = std::max(span.first, Holding(granularity, *lifetime.from));
  }
  if (lifetime.to.has_value()) {
    const std::optional<Period> last = LastEndingBy(granularity, *lifetime.to);
    if (!last.has_value()) return std::nullopt;
    span.last = std::min(span.last, *last);
  }
  if (span.last < span.first) return std::nullopt;
  return span;
}

// A stable digest of the request's filters: the request without its paging fields,
// serialised deterministically.
std::string FiltersDigest(const v1::GetCompletenessRequest& request) {
  v1::GetCompletenessRequest filters = request;
  filters.clear_page_size();
  filters.clear_page_token();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    filters.SerializeToCodedStream(&coded);
  }
  return absl::StrCat(absl::Hex(core::Fingerprint(bytes), absl::kZeroPad16));
}

// Where a page ends: its last row.
struct RowKey {
  std::string unit_id;
  Period period;
};

std::string PageToken(const v1::GetCompletenessRequest& request, const RowKey& last) {
  return absl::WebSafeBase64Escape(
      absl::StrJoin({FiltersDigest(request), last.unit_id, last.period.ToString()}, "\n"));
}

// The row the request's page_token continues after; nullopt for the first page.
absl::StatusOr<std::optional<RowKey>> ReadPageToken(const v1::GetCompletenessRequest& request) {
  if (request.page_token().empty()) return std::nullopt;
  std::string decoded;
  std::vector<std::string> parts;
  if (absl::WebSafeBase64Unescape(request.page_token(), &decoded)) {
    parts = absl::StrSplit(decoded, '\n');
  }
  absl::StatusOr<Period> period =
      parts.size() == 3 ? Period::Parse(parts[2]) : absl::InvalidArgumentError("");
  if (!period.ok() || parts[0] != FiltersDigest(request)) {
    return Invalid("page_token", "token",
                   "page_token is not a next_page_token of GetCompleteness with these filters; "
                   "start again without page_token");
  }
  return RowKey{std::move(parts[1]), *period};
}

absl::StatusOr<Selection> ReadSelection(const v1::GetCompletenessRequest& request,
                                        absl::CivilDay today) {
  Selection selection;
  selection.as_of = today;
  if (!request.as_of().empty()) {
    absl::StatusOr<absl::CivilDay> as_of = core::ParseCivilDate(request.as_of());
    if (!as_of.ok()) return Invalid("as_of", "date", std::string(as_of.status().message()));
    if (*as_of > today) {
      return Invalid("as_of", "not_future",
                     absl::StrCat("as_of ", request.as_of(), " is after today (",
                                  core::FormatCivilDate(today),
                                  "); completeness can be judged as of today or a past day"));
    }
    selection.as_of = *as_of;
  }
  for (auto [field, text, bound] :
       {std::tuple("period_from", &request.period_from(), &selection.from),
        std::tuple("period_to", &request.period_to(), &selection.to)}) {
    if (text->empty()) continue;
    absl::StatusOr<Period> period = Period::Parse(*text);
    if (!period.ok()) {
      return Invalid(field, "period", absl::StrCat(field, ": ", period.status().message()));
    }
    *bound = *period;
  }
  if (selection.from.has_value() && selection.to.has_value() &&
      selection.from->FirstDay() > selection.to->LastDay()) {
    return Invalid("period_from", "order",
                   absl::StrCat("period_from ", request.period_from(),
                                " starts after period_to ", request.period_to(), " ends"));
  }
  selection.units.insert(request.reporting_unit_ids().begin(),
                         request.reporting_unit_ids().end());
  return selection;
}

// The indicators the request selects, by id: reported ones with a schedule, within plan_id
// and indicator_ids.
absl::StatusOr<std::map<std::string, const Indicator*>> SelectIndicators(
    const registry_view::RegistryView& registry, const v1::GetCompletenessRequest& request) {
  std::optional<std::set<std::string>> of_plan;
  if (!request.plan_id().empty()) {
    if (registry.FindPlan(request.plan_id()) == nullptr) {
      return absl::NotFoundError(absl::StrCat("plan_id: no plan has the id \"", request.plan_id(),
                                              "\" in the registry"));
    }
    of_plan.emplace();
    registry.ForEachTarget([&](const registry::v1::Target& target) {
      if (target.plan_id() == request.plan_id()) of_plan->insert(target.indicator_id());
    });
  }
  std::map<std::string, const Indicator*> selected;
  auto keep = [&](const Indicator& indicator) {
    if (!of_plan.has_value() || of_plan->contains(indicator.id())) {
      selected.emplace(indicator.id(), &indicator);
    }
  };
  if (request.indicator_ids().empty()) {
    registry.ForEachIndicator([&](const Indicator& indicator) {
      if (indicator.reported().has_schedule()) keep(indicator);
    });
    return selected;
  }
  for (int i = 0; i < request.indicator_ids_size(); ++i) {
    const std::string& id = request.indicator_ids(i);
    const Indicator* indicator = registry.FindIndicator(id);
    if (indicator == nullptr) {
      return absl::NotFoundError(absl::StrCat("indicator_ids[", i, "]: no indicator has the id \"",
                                              id, "\" in the registry"));
    }
    if (!indicator->reported().has_schedule()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "indicator_ids[", i, "]: indicator ", id,
          indicator->has_derived() ? " is derived from the registry"
                                   : " has no reporting schedule",
          "; completeness is reported for reported indicators with a schedule only"));
    }
    keep(*indicator);
  }
  return selected;
}

// Unit id → the reports it owes for the request (each unit owes at least one), by
// indicator id.
std::map<std::string, std::vector<Owed>> ReportsOwed(
    const registry_view::RegistryView& registry,
    const std::map<std::string, const Indicator*>& indicators, const Selection& selection) {
  std::vector<const ReportingUnit*> units;
  registry.ForEachReportingUnit([&](const ReportingUnit& unit) {
    if (selection.units.empty() || selection.units.contains(unit.id())) units.push_back(&unit);
  });
  std::map<std::string, std::vector<Owed>> owed;
  for (const auto& [id, indicator] : indicators) {
    const std::optional<ScheduleSpan> span = SpanOf(registry, *indicator, selection);
    if (!span.has_value()) continue;
    const registry::v1::ReportingSchedule& schedule = indicator->reported().schedule();
    const int64_t grace_days =
        std::max<int64_t>(0, schedule.due_after_period_end().seconds() / kSecondsPerDay);
    const auto& listed = schedule.expected_reporting_unit_ids();
    for (const ReportingUnit* unit : units) {
      const bool expected =
          listed.empty() ? std::find(unit->allowed_indicator_ids().begin(),
                                     unit->allowed_indicator_ids().end(),
                                     id) != unit->allowed_indicator_ids().end()
                         : std::find(listed.begin(), listed.end(), unit->id()) != listed.end();
      if (!expected) continue;
      const std::optional<ScheduleSpan> unit_span = WithinLifetime(*unit, *span);
      if (!unit_span.has_value()) continue;
      owed[unit->id()].push_back(Owed{indicator, unit_span->first, unit_span->last, grace_days});
    }
  }
  return owed;
}

// The first period of `owed` after `after` (from its first when nullopt); nullopt when none.
std::optional<Period> FirstAfter(const Owed& owed, const std::optional<Period>& after) {
  if (!after.has_value()) return owed.first;
  Period next = std::max(owed.first, Holding(owed.first.granularity(), after->FirstDay()));
  while (next <= *after) {
    if (next >= owed.last) return std::nullopt;
    next = next.Next();
  }
  if (next > owed.last) return std::nullopt;
  return next;
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

// Fills rows of the response from the receipts.
class RowWriter {
 public:
  RowWriter(const ReportReceipts& receipts, absl::CivilDay as_of, int page_size,
            v1::GetCompletenessResponse& response)
      : receipts_(receipts), as_of_(as_of), page_size_(page_size), response_(response) {}

  // Adds the unit's rows after `after` (all when nullopt) while the page has room. Returns
  // false when a row is left over for the next page.
  bool AddRows(const std::string& unit_id, const std::vector<Owed>& owed,
               const std::optional<Period>& after) {
    std::vector<std::optional<Period>> next;
    next.reserve(owed.size());
    for (const Owed& one : owed) next.push_back(FirstAfter(one, after));
    while (true) {
      std::optional<Period> period;
      for (const std::optional<Period>& candidate : next) {
        if (candidate.has_value() && (!period.has_value() || *candidate < *period)) {
          period = candidate;
        }
      }
      if (!period.has_value()) return true;
      if (response_.rows_size() == page_size_) return false;
      v1::CompletenessRow& row = *response_.add_rows();
      row.set_reporting_unit_id(unit_id);
      row.set_period(period->ToString());
      for (size_t i = 0; i < owed.size(); ++i) {
        if (next[i] != period) continue;
        AddReport(owed[i], *period, row);
        next[i] = *period == owed[i].last ? std::nullopt : std::optional(period->Next());
      }
    }
  }

 private:
  void AddReport(const Owed& owed, const Period& period, v1::CompletenessRow& row) const {
    const absl::CivilDay last_day = period.LastDay();
    const absl::CivilDay due = owed.grace_days >= kCalendarEnd - last_day
                                   ? kCalendarEnd
                                   : last_day + owed.grace_days;
    v1::ExpectedReport& report = *row.add_reports();
    report.set_indicator_id(owed.indicator->id());
    report.set_due_date(core::FormatCivilDate(due));
    row.set_expected(row.expected() + 1);
    const ReportReceipt* receipt =
        receipts_.Find(row.reporting_unit_id(), owed.indicator->id(), row.period());
    const std::optional<absl::CivilDay> received =
        receipt == nullptr ? std::nullopt
                           : std::optional(core::VietnamDay(receipt->first_accepted_at));
    if (received.has_value() && *received <= as_of_) {
      *report.mutable_first_accepted_at() = ToTimestamp(receipt->first_accepted_at);
      *report.mutable_last_accepted_at() = ToTimestamp(receipt->last_accepted_at);
      row.set_received(row.received() + 1);
      if (*received <= due) {
        report.set_state(v1::REPORT_STATE_ON_TIME);
        row.set_on_time(row.on_time() + 1);
      } else {
        report.set_state(v1::REPORT_STATE_LATE);
        row.set_late(row.late() + 1);
      }
    } else if (due < as_of_) {
      report.set_state(v1::REPORT_STATE_MISSING);
      row.set_missing(row.missing() + 1);
    } else {
      report.set_state(v1::REPORT_STATE_PENDING);
      row.set_pending(row.pending() + 1);
    }
  }

  const ReportReceipts& receipts_;
  const absl::CivilDay as_of_;
  const int page_size_;
  v1::GetCompletenessResponse& response_;
};

}  // namespace

absl::StatusOr<v1::GetCompletenessResponse> Completeness(
    const registry_view::RegistryView& registry, const ReportReceipts& receipts,
    const v1::GetCompletenessRequest& request, absl::CivilDay today,
    absl::FunctionRef<bool(absl::string_view indicator_id)> held) {
  if (request.page_size() < 0 || request.page_size() > kMaxPageSize) {
    return Invalid("page_size", "range",
                   absl::StrCat("page_size is ", request.page_size(), "; it must be 0 (",
                                kDefaultPageSize, ") to ", kMaxPageSize));
  }
  const int page_size = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  ASSIGN_OR_RETURN(const Selection selection, ReadSelection(request, today));
  ASSIGN_OR_RETURN(const std::optional<RowKey> after, ReadPageToken(request));
  ASSIGN_OR_RETURN(const auto indicators, SelectIndicators(registry, request));
  for (int i = 0; i < request.reporting_unit_ids_size(); ++i) {
    if (registry.FindReportingUnit(request.reporting_unit_ids(i)) == nullptr) {
      return absl::NotFoundError(absl::StrCat("reporting_unit_ids[", i,
                                              "]: no reporting unit has the id \"",
                                              request.reporting_unit_ids(i), "\" in the registry"));
    }
  }

  const std::map<std::string, std::vector<Owed>> owed =
      ReportsOwed(registry, indicators, selection);
  std::set<std::string> elsewhere;
  for (const auto& [unit_id, reports] : owed) {
    for (const Owed& report : reports) {
      if (!held(report.indicator->id())) elsewhere.insert(report.indicator->id());
    }
  }
  if (!elsewhere.empty()) {
    return absl::UnavailableError(absl::StrCat(
        "the submissions of indicator", elsewhere.size() == 1 ? " " : "s ",
        absl::StrJoin(elsewhere, ", "),
        " are held by another replica of the target evaluator (the one holding their partition "
        "of tiendo.submissions.v1), or this one is still catching up on them; retry, which may "
        "reach the replica that holds them, or ask for fewer indicator_ids"));
  }

  v1::GetCompletenessResponse response;
  RowWriter writer(receipts, selection.as_of, page_size, response);
  auto unit = after.has_value() ? owed.lower_bound(after->unit_id) : owed.begin();
  for (; unit != owed.end(); ++unit) {
    const bool resumed = after.has_value() && unit->first == after->unit_id;
    if (!writer.AddRows(unit->first, unit->second,
                        resumed ? std::optional(after->period) : std::nullopt)) {
      const v1::CompletenessRow& last = *response.rows().rbegin();
      response.set_next_page_token(PageToken(
          request, RowKey{last.reporting_unit_id(), *Period::Parse(last.period())}));
      break;
    }
  }
  return response;
}

}  // namespace tiendo::evaluator
