// Unit tests of Completeness: the reports schedules expect from which units for which
// periods, their states against due dates (on time, late, missing, pending), the request's
// filters, paging and every refusal.

#include "services/target-evaluator/completeness.h"

#include <cctype>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "absl/strings/str_cat.h"
#include "services/common/status/field_violations.h"

namespace tiendo::evaluator {
namespace {

using events::v1::RegistryEvent;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr absl::CivilDay kToday(2026, 1, 20);
constexpr int64_t kDay = 24 * 60 * 60;

// An instant in Vietnam's time (UTC+7).
absl::Time Vietnam(int year, int month, int day, int hour = 9, int minute = 0, int second = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                         absl::FixedTimeZone(7 * 60 * 60));
}

core::CellChange NewReading() {
  return {core::ApplyOutcome::kApplied, std::nullopt, core::Reading{1, 0, 1}};
}
core::CellChange Retracted() {
  return {core::ApplyOutcome::kRetracted, core::Reading{1, 0, 1}, std::nullopt};
}

registry::v1::ReportingSchedule Schedule(common::v1::PeriodGranularity granularity,
                                         int64_t grace_days, std::string first = "",
                                         std::string last = "",
                                         std::vector<std::string> units = {}) {
  registry::v1::ReportingSchedule schedule;
  schedule.set_granularity(granularity);
  schedule.mutable_due_after_period_end()->set_seconds(grace_days * kDay);
  schedule.set_first_period(std::move(first));
  schedule.set_last_period(std::move(last));
  for (std::string& unit : units) schedule.add_expected_reporting_unit_ids(std::move(unit));
  return schedule;
}

// The registry of every test:
//   plan-a (2025) tracks `quarterly`: QUARTER, 15 days of grace, from the plans' horizon;
//   plan-b (2024-07-01 .. 2026-06-30) tracks `monthly`: MONTH, 10 days, 2025-03 .. 2025-05,
//     expected from u2 only;
//   `yearly`: YEAR from 2024, no plan (so no end), expected from u6 only;
//   `orphan`: YEAR, no first_period and no plan: nothing is expected;
//   `unscheduled` (reported, no schedule) and `derived`.
// Units: u1 and u2 active; u3 suspended; u4 merged, last day 2025-05-31; u5 from 2025-08-15;
// u6 allowed nothing.
class CompletenessTest : public ::testing::Test {
 protected:
  CompletenessTest() {
    Plan("plan-a", "2025-01-01", "2025-12-31");
    Plan("plan-b", "2024-07-01", "2026-06-30");
    Plan("plan-c", "2025-01-01", "2025-12-31");
    Target("t-quarterly", "plan-a", "quarterly");
    Target("t-monthly", "plan-b", "monthly");
    Indicator("quarterly", Schedule(common::v1::PERIOD_GRANULARITY_QUARTER, 15));
    Indicator("monthly",
             Schedule(common::v1::PERIOD_GRANULARITY_MONTH, 10, "2025-03", "2025-05", {"u2"}));
    Indicator("yearly", Schedule(common::v1::PERIOD_GRANULARITY_YEAR, 30, "2024", "", {"u6"}));
    Indicator("orphan", Schedule(common::v1::PERIOD_GRANULARITY_YEAR, 30));
    Indicator("unscheduled", std::nullopt);
    RegistryEvent derived = Event(registry::v1::ENTITY_KIND_INDICATOR, "derived");
    derived.mutable_indicator()->set_id("derived");
    derived.mutable_indicator()->mutable_derived();
    Apply(derived);
    Unit("u1", registry::v1::REPORTING_UNIT_STATUS_ACTIVE,
         {"quarterly", "unscheduled", "orphan"});
    Unit("u2", registry::v1::REPORTING_UNIT_STATUS_UNSPECIFIED, {"quarterly", "monthly"});
    Unit("u3", registry::v1::REPORTING_UNIT_STATUS_SUSPENDED, {"quarterly"});
    Unit("u4", registry::v1::REPORTING_UNIT_STATUS_MERGED, {"quarterly"}, "", "2025-05-31");
    Unit("u5", registry::v1::REPORTING_UNIT_STATUS_ACTIVE, {"quarterly"}, "2025-08-15");
    Unit("u6", registry::v1::REPORTING_UNIT_STATUS_ACTIVE, {});
  }

  RegistryEvent Event(registry::v1::EntityKind kind, const std::string& key) {
    RegistryEvent event;
    event.set_entity_kind(kind);
    event.set_entity_key(key);
    // Each event about a key is a newer version of it.
    event.set_entity_version(++versions_[absl::StrCat(event.entity_kind(), "/", key)]);
    return event;
  }
  void Apply(const RegistryEvent& event) {
    kafka::ConsumedRecord record;
    record.position = {"tiendo.registry.v1", 0, next_offset_++};
    std::string kind = registry::v1::EntityKind_Name(event.entity_kind()).substr(12);
    for (char& c : kind) c = static_cast<char>(std::tolower(c));
    record.key = absl::StrCat(kind, "/", event.entity_key());
    record.value = event.SerializeAsString();
    ASSERT_TRUE(registry_.Apply(record).ok());
  }
  void Plan(const std::string& id, const std::string& start, const std::string& end) {
    RegistryEvent event = Event(registry::v1::ENTITY_KIND_PLAN, id);
    event.mutable_plan()->set_id(id);
    event.mutable_plan()->set_horizon_start(start);
    event.mutable_plan()->set_horizon_end(end);
    Apply(event);
  }
  void Target(const std::string& id, const std::string& plan, const std::string& indicator) {
    RegistryEvent event = Event(registry::v1::ENTITY_KIND_TARGET, id);
    event.mutable_target()->set_id(id);
    event.mutable_target()->set_plan_id(plan);
    event.mutable_target()->set_indicator_id(indicator);
    Apply(event);
  }
  void Indicator(const std::string& id,
                const std::optional<registry::v1::ReportingSchedule>& schedule) {
    RegistryEvent event = Event(registry::v1::ENTITY_KIND_INDICATOR, id);
    event.mutable_indicator()->set_id(id);
    registry::v1::ReportedSource& reported = *event.mutable_indicator()->mutable_reported();
    reported.set_value_kind(registry::v1::VALUE_KIND_VALUE);
    if (schedule.has_value()) *reported.mutable_schedule() = *schedule;
    Apply(event);
  }
  void Unit(const std::string& id, registry::v1::ReportingUnitStatus status,
            const std::vector<std::string>& allowed, const std::string& valid_from = "",
            const std::string& valid_to = "") {
    RegistryEvent event = Event(registry::v1::ENTITY_KIND_REPORTING_UNIT, id);
    registry::v1::ReportingUnit& unit = *event.mutable_reporting_unit();
    unit.set_id(id);
    unit.set_status(status);
    for (const std::string& indicator : allowed) unit.add_allowed_indicator_ids(indicator);
    unit.set_valid_from(valid_from);
    unit.set_valid_to(valid_to);
    Apply(event);
  }

  absl::StatusOr<v1::GetCompletenessResponse> Ask(const v1::GetCompletenessRequest& request) {
    return Completeness(registry_, receipts_, request, kToday, [&](absl::string_view indicator) {
      return !elsewhere_.contains(indicator);
    });
  }
  v1::GetCompletenessResponse MustAsk(const v1::GetCompletenessRequest& request) {
    absl::StatusOr<v1::GetCompletenessResponse> response = Ask(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : v1::GetCompletenessResponse();
  }

  registry_view::RegistryView registry_;
  ReportReceipts receipts_;
  std::set<std::string, std::less<>> elsewhere_;  // indicators another replica holds
  int64_t next_offset_ = 0;
  std::map<std::string, int64_t> versions_;
};

v1::GetCompletenessRequest Request(std::vector<std::string> indicators,
                                   std::vector<std::string> units, std::string as_of = "") {
  v1::GetCompletenessRequest request;
  for (std::string& id : indicators) request.add_indicator_ids(std::move(id));
  for (std::string& id : units) request.add_reporting_unit_ids(std::move(id));
  request.set_as_of(std::move(as_of));
  return request;
}

// "unit period" of each row.
std::vector<std::string> RowNames(const v1::GetCompletenessResponse& response) {
  std::vector<std::string> names;
  for (const v1::CompletenessRow& row : response.rows()) {
    names.push_back(absl::StrCat(row.reporting_unit_id(), " ", row.period()));
  }
  return names;
}

// "indicator STATE due" of each report of a row.
std::vector<std::string> Reports(const v1::CompletenessRow& row) {
  std::vector<std::string> reports;
  for (const v1::ExpectedReport& report : row.reports()) {
    reports.push_back(absl::StrCat(report.indicator_id(), " ",
                                   v1::ReportState_Name(report.state()).substr(13), " ",
                                   report.due_date()));
  }
  return reports;
}

// expected, received, on time, late, missing, pending.
std::vector<int> Counts(const v1::CompletenessRow& row) {
  return {row.expected(), row.received(), row.on_time(),
          row.late(),     row.missing(),  row.pending()};
}

std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const auto& violation : status::FieldViolationsOf(status)) {
    fields.push_back(violation.field());
  }
  return fields;
}

TEST_F(CompletenessTest, JudgesEachReportOnTimeLateMissingOrPending) {
  receipts_.Record("u1", "quarterly", "2025-Q1", Vietnam(2025, 4, 10), NewReading());
  receipts_.Record("u1", "quarterly", "2025-Q2", Vietnam(2025, 7, 20), NewReading());
  receipts_.Record("u1", "quarterly", "2025-Q2", Vietnam(2025, 7, 22), NewReading());

  v1::GetCompletenessResponse response =
      MustAsk(Request({"quarterly"}, {"u1", "u2"}, "2025-10-10"));
  // Up to the quarter holding as_of, 2025-Q4.
  EXPECT_THAT(RowNames(response),
              ElementsAre("u1 2025-Q1", "u1 2025-Q2", "u1 2025-Q3", "u1 2025-Q4", "u2 2025-Q1",
                          "u2 2025-Q2", "u2 2025-Q3", "u2 2025-Q4"));
  EXPECT_THAT(Reports(response.rows(0)), ElementsAre("quarterly ON_TIME 2025-04-15"));
  EXPECT_THAT(Counts(response.rows(0)), ElementsAre(1, 1, 1, 0, 0, 0));
  EXPECT_THAT(Reports(response.rows(1)), ElementsAre("quarterly LATE 2025-07-15"));
  EXPECT_THAT(Counts(response.rows(1)), ElementsAre(1, 1, 0, 1, 0, 0));
  EXPECT_EQ(response.rows(1).reports(0).first_accepted_at().seconds(),
            absl::ToUnixSeconds(Vietnam(2025, 7, 20)));
  EXPECT_EQ(response.rows(1).reports(0).last_accepted_at().seconds(),
            absl::ToUnixSeconds(Vietnam(2025, 7, 22)));
  EXPECT_THAT(Reports(response.rows(2)), ElementsAre("quarterly PENDING 2025-10-15"));
  EXPECT_THAT(Counts(response.rows(2)), ElementsAre(1, 0, 0, 0, 0, 1));
  EXPECT_THAT(Reports(response.rows(3)), ElementsAre("quarterly PENDING 2026-01-15"));
  EXPECT_THAT(Reports(response.rows(4)), ElementsAre("quarterly MISSING 2025-04-15"));
  EXPECT_THAT(Counts(response.rows(4)), ElementsAre(1, 0, 0, 0, 1, 0));
  EXPECT_FALSE(response.rows(4).reports(0).has_first_accepted_at());
  EXPECT_FALSE(response.rows(4).reports(0).has_last_accepted_at());
  EXPECT_TRUE(response.next_page_token().empty());
}

TEST_F(CompletenessTest, TheDueDateIsTheLastDayInTimeInVietnam) {
  // 23:59:59 on the due date in Vietnam is 16:59:59 UTC that day; a second later is the
  // next day in Vietnam.
  receipts_.Record("u1", "quarterly", "2025-Q1", Vietnam(2025, 4, 15, 23, 59, 59), NewReading());
  receipts_.Record("u2", "quarterly", "2025-Q1", Vietnam(2025, 4, 16, 0, 0, 0), NewReading());
  v1::GetCompletenessRequest request = Request({"quarterly"}, {"u1", "u2", "u5"}, "2025-04-30");
  request.set_period_to("2025-Q1");
  v1::GetCompletenessResponse response = MustAsk(request);
  ASSERT_THAT(RowNames(response), ElementsAre("u1 2025-Q1", "u2 2025-Q1"));
  EXPECT_THAT(Reports(response.rows(0)), ElementsAre("quarterly ON_TIME 2025-04-15"));
  EXPECT_THAT(Reports(response.rows(1)), ElementsAre("quarterly LATE 2025-04-15"));
}

TEST_F(CompletenessTest, NotReceivedIsPendingThroughTheDueDateAndMissingAfter) {
  v1::GetCompletenessRequest request = Request({"quarterly"}, {"u1"});
  request.set_period_to("2025-Q1");
  request.set_as_of("2025-04-15");
  EXPECT_THAT(Reports(MustAsk(request).rows(0)), ElementsAre("quarterly PENDING 2025-04-15"));
  request.set_as_of("2025-04-16");
  EXPECT_THAT(Reports(MustAsk(request).rows(0)), ElementsAre("quarterly MISSING 2025-04-15"));
}

TEST_F(CompletenessTest, AReportAcceptedAfterAsOfIsNotReceivedYet) {
  receipts_.Record("u1", "quarterly", "2025-Q1", Vietnam(2025, 4, 20), NewReading());
  v1::GetCompletenessRequest request = Request({"quarterly"}, {"u1"}, "2025-04-19");
  request.set_period_to("2025-Q1");
  v1::GetCompletenessResponse before = MustAsk(request);
  EXPECT_THAT(Reports(before.rows(0)), ElementsAre("quarterly MISSING 2025-04-15"));
  EXPECT_FALSE(before.rows(0).reports(0).has_first_accepted_at());
  request.set_as_of("2025-04-20");
  EXPECT_THAT(Reports(MustAsk(request).rows(0)), ElementsAre("quarterly LATE 2025-04-15"));
}

TEST_F(CompletenessTest, AFullyRetractedReportIsNotReceived) {
  receipts_.Record("u1", "quarterly", "2025-Q1", Vietnam(2025, 4, 1), NewReading());
  receipts_.Record("u1", "quarterly", "2025-Q1", Vietnam(2025, 4, 2), Retracted());
  v1::GetCompletenessRequest request = Request({"quarterly"}, {"u1"});
  request.set_period_to("2025-Q1");
  EXPECT_THAT(Reports(MustAsk(request).rows(0)), ElementsAre("quarterly MISSING 2025-04-15"));
}

TEST_F(CompletenessTest, SchedulePeriodsDefaultToThePlansHorizon) {
  // Today is 2026-01-20, but plan-a's horizon ends with 2025.
  EXPECT_THAT(RowNames(MustAsk(Request({"quarterly"}, {"u1"}))),
              ElementsAre("u1 2025-Q1", "u1 2025-Q2", "u1 2025-Q3", "u1 2025-Q4"));
  // The schedule's own first and last periods win over plan-b's wider horizon.
  EXPECT_THAT(RowNames(MustAsk(Request({"monthly"}, {}))),
              ElementsAre("u2 2025-03", "u2 2025-04", "u2 2025-05"));
  // No plan: from first_period up to the year holding today.
  EXPECT_THAT(RowNames(MustAsk(Request({"yearly"}, {}))),
              ElementsAre("u6 2024", "u6 2025", "u6 2026"));
  // Neither first_period nor a plan: nothing is expected.
  EXPECT_THAT(MustAsk(Request({"orphan"}, {})).rows(), IsEmpty());
}

TEST_F(CompletenessTest, ASchedulePeriodOfAnotherGranularityCoversItsSubPeriods) {
  Indicator("quarterly",
            Schedule(common::v1::PERIOD_GRANULARITY_QUARTER, 15, "2025-05", "2025-H2"));
  EXPECT_THAT(RowNames(MustAsk(Request({"quarterly"}, {"u1"}))),
              ElementsAre("u1 2025-Q2", "u1 2025-Q3", "u1 2025-Q4"));
}

TEST_F(CompletenessTest, ExpectsEveryActiveAllowedUnitWithinItsLifetime) {
  v1::GetCompletenessResponse response = MustAsk(Request({"quarterly"}, {}));
  // u3 is suspended; u4 was merged away on 2025-05-31, before 2025-Q2 ended; u5 began on
  // 2025-08-15, within 2025-Q3; u6 may not report it.
  EXPECT_THAT(RowNames(response),
              ElementsAre("u1 2025-Q1", "u1 2025-Q2", "u1 2025-Q3", "u1 2025-Q4", "u2 2025-Q1",
                          "u2 2025-Q2", "u2 2025-Q3", "u2 2025-Q4", "u4 2025-Q1", "u5 2025-Q3",
                          "u5 2025-Q4"));
}

TEST_F(CompletenessTest, RowsRunByUnitThenPeriodWithReportsByIndicator) {
  receipts_.Record("u2", "monthly", "2025-04", Vietnam(2025, 5, 3), NewReading());
  v1::GetCompletenessResponse response = MustAsk(Request({}, {"u2"}, "2025-05-05"));
  EXPECT_THAT(RowNames(response), ElementsAre("u2 2025-Q1", "u2 2025-03", "u2 2025-Q2",
                                              "u2 2025-04", "u2 2025-05"));
  EXPECT_THAT(Reports(response.rows(0)), ElementsAre("quarterly MISSING 2025-04-15"));
  EXPECT_THAT(Reports(response.rows(1)), ElementsAre("monthly MISSING 2025-04-10"));
  EXPECT_THAT(Reports(response.rows(3)), ElementsAre("monthly ON_TIME 2025-05-10"));
  EXPECT_THAT(Reports(response.rows(4)), ElementsAre("monthly PENDING 2025-06-10"));

  // Two indicators of the same period in one row, by indicator id.
  Indicator("monthly", Schedule(common::v1::PERIOD_GRANULARITY_QUARTER, 10, "2025-Q1", "",
                               {"u2"}));
  response = MustAsk(Request({}, {"u2"}, "2025-05-05"));
  ASSERT_THAT(RowNames(response), ElementsAre("u2 2025-Q1", "u2 2025-Q2"));
  EXPECT_THAT(Reports(response.rows(0)),
              ElementsAre("monthly MISSING 2025-04-10", "quarterly MISSING 2025-04-15"));
  EXPECT_THAT(Counts(response.rows(0)), ElementsAre(2, 0, 0, 0, 2, 0));
}

TEST_F(CompletenessTest, PlanFilterKeepsTheIndicatorsOfThePlansTargets) {
  v1::GetCompletenessRequest request;
  request.set_plan_id("plan-b");
  EXPECT_THAT(RowNames(MustAsk(request)), ElementsAre("u2 2025-03", "u2 2025-04", "u2 2025-05"));
  request.set_plan_id("plan-c");  // no targets
  EXPECT_THAT(MustAsk(request).rows(), IsEmpty());
  // With indicator_ids: those of them the plan uses.
  request.set_plan_id("plan-a");
  request.add_indicator_ids("monthly");
  EXPECT_THAT(MustAsk(request).rows(), IsEmpty());
  request.add_indicator_ids("quarterly");
  request.add_reporting_unit_ids("u2");
  EXPECT_THAT(RowNames(MustAsk(request)),
              ElementsAre("u2 2025-Q1", "u2 2025-Q2", "u2 2025-Q3", "u2 2025-Q4"));
}

TEST_F(CompletenessTest, WithoutFiltersEveryScheduledIndicatorAndUnitCounts) {
  v1::GetCompletenessResponse response = MustAsk(v1::GetCompletenessRequest());
  EXPECT_EQ(response.rows_size(), 11 + 3 + 3);  // quarterly, monthly, yearly
}

TEST_F(CompletenessTest, PeriodsLieWhollyWithinPeriodFromAndPeriodTo) {
  v1::GetCompletenessRequest request = Request({"quarterly", "monthly"}, {"u2"});
  request.set_period_from("2025-02");
  request.set_period_to("2025-H1");
  EXPECT_THAT(RowNames(MustAsk(request)),
              ElementsAre("u2 2025-03", "u2 2025-Q2", "u2 2025-04", "u2 2025-05"));
  request.set_period_from("2025-05");
  request.set_period_to("2025-05");
  EXPECT_THAT(RowNames(MustAsk(request)), ElementsAre("u2 2025-05"));
  // A period_from after as_of's period, with no period_to: nothing yet.
  request.set_period_from("2025-Q3");
  request.clear_period_to();
  request.set_as_of("2025-05-05");
  EXPECT_THAT(MustAsk(request).rows(), IsEmpty());
}

TEST_F(CompletenessTest, PagesFollowEachOtherWithoutGapOrRepeat) {
  const v1::GetCompletenessResponse whole = MustAsk(v1::GetCompletenessRequest());
  ASSERT_TRUE(whole.next_page_token().empty());
  for (int page_size : {1, 2, 3, 16, 17}) {
    v1::GetCompletenessRequest request;
    request.set_page_size(page_size);
    std::vector<std::string> seen;
    for (int pages = 0;; ++pages) {
      ASSERT_LT(pages, 100);
      const v1::GetCompletenessResponse page = MustAsk(request);
      EXPECT_LE(page.rows_size(), page_size);
      for (const auto& row : page.rows()) {
        seen.push_back(absl::StrCat(row.reporting_unit_id(), " ", row.period()));
      }
      if (page.next_page_token().empty()) break;
      EXPECT_EQ(page.rows_size(), page_size);
      request.set_page_token(page.next_page_token());
    }
    EXPECT_EQ(seen, RowNames(whole)) << "page_size " << page_size;
  }
}

TEST_F(CompletenessTest, APageTokenIsBoundToItsFilters) {
  v1::GetCompletenessRequest request = Request({"quarterly"}, {});
  request.set_page_size(2);
  const std::string token = MustAsk(request).next_page_token();
  ASSERT_FALSE(token.empty());

  for (const std::string& bad : {std::string("not a token"), std::string("AAAA"), token + "x"}) {
    request.set_page_token(bad);
    absl::StatusOr<v1::GetCompletenessResponse> refused = Ask(request);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(ViolatedFields(refused.status()), ElementsAre("page_token"));
    EXPECT_THAT(refused.status().message(), HasSubstr("page_token"));
  }
  request.set_page_token(token);
  request.add_reporting_unit_ids("u1");  // other filters
  EXPECT_THAT(ViolatedFields(Ask(request).status()), ElementsAre("page_token"));
  // Another page size with the same filters continues.
  request.clear_reporting_unit_ids();
  request.set_page_size(100);
  EXPECT_EQ(MustAsk(request).rows_size(), 11 - 2);
}

TEST_F(CompletenessTest, MalformedFieldsAreInvalidArgumentNamingTheField) {
  const struct {
    void (*set)(v1::GetCompletenessRequest&);
    const char* field;
    const char* says;
  } cases[] = {
      {[](auto& r) { r.set_page_size(-1); }, "page_size", "page_size is -1"},
      {[](auto& r) { r.set_page_size(1001); }, "page_size", "0 (100) to 1000"},
      {[](auto& r) { r.set_period_from("2025-Q5"); }, "period_from", "2025-Q5"},
      {[](auto& r) { r.set_period_to("25"); }, "period_to", "\"25\""},
      {[](auto& r) { r.set_as_of("2025-02-30"); }, "as_of", "2025-02-30"},
      {[](auto& r) { r.set_as_of("2026-01-21"); }, "as_of", "after today (2026-01-20)"},
      {[](auto& r) {
         r.set_period_from("2025-Q3");
         r.set_period_to("2025-06");
       },
       "period_from", "period_from 2025-Q3 starts after period_to 2025-06 ends"},
  };
  for (const auto& c : cases) {
    v1::GetCompletenessRequest request;
    c.set(request);
    absl::StatusOr<v1::GetCompletenessResponse> refused = Ask(request);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_THAT(ViolatedFields(refused.status()), ElementsAre(c.field));
    EXPECT_THAT(refused.status().message(), HasSubstr(c.says));
  }
  // Today itself is fine, and so are overlapping bounds of different lengths.
  v1::GetCompletenessRequest request;
  request.set_as_of("2026-01-20");
  request.set_period_from("2025-Q2");
  request.set_period_to("2025-04");
  EXPECT_TRUE(Ask(request).ok());
}

TEST_F(CompletenessTest, UnknownNamesAreNotFoundNamingTheField) {
  v1::GetCompletenessRequest request;
  request.set_plan_id("plan-x");
  absl::StatusOr<v1::GetCompletenessResponse> refused = Ask(request);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(refused.status().message(), HasSubstr("plan_id: no plan has the id \"plan-x\""));

  refused = Ask(Request({"quarterly", "nope"}, {}));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("indicator_ids[1]: no indicator has the id \"nope\""));

  refused = Ask(Request({}, {"u1", "u9"}));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("reporting_unit_ids[1]: no reporting unit has the id \"u9\""));
}

TEST_F(CompletenessTest, AnIndicatorWithoutScheduleIsFailedPrecondition) {
  for (const char* id : {"unscheduled", "derived"}) {
    absl::StatusOr<v1::GetCompletenessResponse> refused = Ask(Request({id}, {}));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << id;
    EXPECT_THAT(refused.status().message(), HasSubstr(absl::StrCat("indicator_ids[0]: indicator ",
                                                                   id)));
  }
}

TEST_F(CompletenessTest, IndicatorsHeldElsewhereAreUnavailableNamingThem) {
  elsewhere_ = {"monthly", "yearly"};
  absl::StatusOr<v1::GetCompletenessResponse> refused = Ask(v1::GetCompletenessRequest());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(refused.status().message(), HasSubstr("indicators monthly, yearly"));
  EXPECT_THAT(refused.status().message(), HasSubstr("retry"));
  // Not needed when nothing of theirs is selected.
  EXPECT_TRUE(Ask(Request({"quarterly"}, {})).ok());
  EXPECT_TRUE(Ask(Request({}, {"u1"})).ok());
  refused = Ask(Request({}, {"u2"}));
  EXPECT_THAT(refused.status().message(), HasSubstr("indicator monthly "));
}

}  // namespace
}  // namespace tiendo::evaluator
