// tiendoctl completeness against a fake target-evaluator: every page of rows, the table people
// read (counts, the missing and late indicators, the summary), the JSON document, the filters
// sent, and what a person is told when nothing is expected, a flag is wrong or a call fails.
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tools/tiendoctl/fake_evaluator.h"
#include "tools/tiendoctl/run_ctl.h"

namespace tiendo::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using evaluator::v1::CompletenessRow;
using evaluator::v1::ReportState;
using testing::CtlResult;
using testing::FakeEvaluator;
using testing::RunCtl;

// A row of `unit` for `period` with one report per (indicator, state).
CompletenessRow Row(const std::string& unit, const std::string& period,
                    const std::vector<std::pair<std::string, ReportState>>& reports) {
  CompletenessRow row;
  row.set_reporting_unit_id(unit);
  row.set_period(period);
  row.set_expected(static_cast<int>(reports.size()));
  for (const auto& [indicator, state] : reports) {
    evaluator::v1::ExpectedReport& report = *row.add_reports();
    report.set_indicator_id(indicator);
    report.set_state(state);
    report.set_due_date(period + "-due");
    switch (state) {
      case evaluator::v1::REPORT_STATE_ON_TIME:
        row.set_on_time(row.on_time() + 1);
        row.set_received(row.received() + 1);
        break;
      case evaluator::v1::REPORT_STATE_LATE:
        row.set_late(row.late() + 1);
        row.set_received(row.received() + 1);
        break;
      case evaluator::v1::REPORT_STATE_MISSING:
        row.set_missing(row.missing() + 1);
        break;
      default:
        row.set_pending(row.pending() + 1);
        break;
    }
  }
  return row;
}

// dept-st owes two monthly indicators; the portal one.
std::vector<CompletenessRow> Rows() {
  return {Row("dept-st", "2025-03",
              {{"online_records", evaluator::v1::REPORT_STATE_ON_TIME},
               {"procedure_results_digitised", evaluator::v1::REPORT_STATE_LATE}}),
          Row("dept-st", "2025-04",
              {{"online_records", evaluator::v1::REPORT_STATE_MISSING},
               {"procedure_results_digitised", evaluator::v1::REPORT_STATE_MISSING}}),
          Row("portal", "2025-05", {{"online_records", evaluator::v1::REPORT_STATE_PENDING}})};
}

class CompletenessCommandTest : public ::testing::Test {
 protected:
  CompletenessCommandTest() { evaluator_.SetCompleteness(Rows()); }

  CtlResult Show(std::vector<std::string> args) {
    args.insert(args.begin(), {"completeness", "--evaluator=" + evaluator_.address()});
    return RunCtl(args);
  }

  FakeEvaluator evaluator_;
};

TEST_F(CompletenessCommandTest, TableShowsEveryRowOfEveryPageNamingWhatIsMissingOrLate) {
  evaluator_.SetMaxPageSize(2);
  const CtlResult result = Show({"--plan=brvt-63-kh-ubnd", "--as-of=2025-06-20"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out,
            "UNIT     PERIOD   EXPECTED  ON TIME  LATE  MISSING  PENDING  "
            "MISSING INDICATORS                          LATE INDICATORS\n"
            "dept-st  2025-03  2         1        1     0        0        "
            "-                                           procedure_results_digitised\n"
            "dept-st  2025-04  2         0        0     2        0        "
            "online_records,procedure_results_digitised  -\n"
            "portal   2025-05  1         0        0     0        1        "
            "-                                           -\n"
            "5 reports expected in 3 unit-periods of plan brvt-63-kh-ubnd as of 2025-06-20: "
            "1 on time, 1 late, 2 missing, 1 not yet due\n");
  const auto requests = evaluator_.completeness_requests();
  ASSERT_THAT(requests, SizeIs(2));
  EXPECT_EQ(requests[0].page_token(), "");
  EXPECT_EQ(requests[1].page_token(), "2");
  for (const auto& request : requests) {
    EXPECT_EQ(request.plan_id(), "brvt-63-kh-ubnd");
    EXPECT_EQ(request.as_of(), "2025-06-20");
  }
}

TEST_F(CompletenessCommandTest, FiltersArePassedThrough) {
  const CtlResult result = Show({"--unit=dept-st, portal", "--indicator=online_records",
                                 "--from=2025-03", "--to=2025-Q2"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("5 reports expected in 3 unit-periods as of today:"));
  const auto requests = evaluator_.completeness_requests();
  ASSERT_THAT(requests, SizeIs(1));
  EXPECT_EQ(requests[0].plan_id(), "");
  EXPECT_THAT(requests[0].reporting_unit_ids(), ElementsAre("dept-st", "portal"));
  EXPECT_THAT(requests[0].indicator_ids(), ElementsAre("online_records"));
  EXPECT_EQ(requests[0].period_from(), "2025-03");
  EXPECT_EQ(requests[0].period_to(), "2025-Q2");
  EXPECT_EQ(requests[0].as_of(), "");
}

TEST_F(CompletenessCommandTest, JsonIsOneArrayOfTheRowsAsTheProtoJsonMapping) {
  const CtlResult result = Show({"--output=json"});
  EXPECT_EQ(result.code, 0) << result.err;
  const std::vector<std::string> lines = absl::StrSplit(result.out, '\n');
  ASSERT_THAT(lines, SizeIs(6));  // "[", three rows, "]" and the empty piece after the last "\n"
  EXPECT_EQ(lines[0], "[");
  EXPECT_EQ(lines[4], "]");
  EXPECT_THAT(lines[2], HasSubstr("\"state\":\"REPORT_STATE_MISSING\""));
  CompletenessRow parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(lines[3], &parsed).ok()) << lines[3];
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, Rows()[2]))
      << parsed.DebugString();

  evaluator_.SetCompleteness({});
  const CtlResult none = Show({"--output=json"});
  EXPECT_EQ(none.code, 0) << none.err;
  EXPECT_EQ(none.out, "[]\n");
}

TEST_F(CompletenessCommandTest, NothingExpectedIsSaidAndIsNotAnError) {
  evaluator_.SetCompleteness({});
  const CtlResult result = Show({"--plan=brvt-63-kh-ubnd", "--unit=nobody"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out,
            "No reports expected for plan brvt-63-kh-ubnd as of today. (Only reported "
            "indicators with a reporting schedule expect reports; the filters may leave "
            "none.)\n");
}

TEST_F(CompletenessCommandTest, ABadDateIsUsageAndAFailedCallNamesWhatFailed) {
  const CtlResult bad_date = Show({"--as-of=20-06-2025"});
  EXPECT_EQ(bad_date.code, 2);
  EXPECT_EQ(bad_date.err,
            "tiendoctl completeness: --as-of: \"20-06-2025\" is not a date (YYYY-MM-DD)\n");
  EXPECT_THAT(evaluator_.completeness_requests(), SizeIs(0));

  evaluator_.FailWith(absl::FailedPreconditionError(
      "indicator enterprises_total is derived: it has no reports to expect"));
  const CtlResult derived = Show({"--plan=brvt-63-kh-ubnd", "--indicator=enterprises_total"});
  EXPECT_EQ(derived.code, 1);
  EXPECT_EQ(derived.err,
            "tiendoctl: completeness of plan brvt-63-kh-ubnd: FAILED_PRECONDITION: indicator "
            "enterprises_total is derived: it has no reports to expect\n");

  const CtlResult help = Show({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_THAT(help.out, HasSubstr("--from"));
}

}  // namespace
}  // namespace tiendo::ctl
