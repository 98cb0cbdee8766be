// metrics-ingest against the real registry (seed plan applied) and broker: a catalogue of bad
// input, one case per rule and limit, each answered exactly (the whole call's status, or the
// item's outcome, reason and field) while the good items around it go through — and at the
// end tiendo.submissions.v1 holds exactly the items answered ACCEPTED, no more. Also: a dry
// run writes nothing and teaches the ledger nothing.
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/grpc/grpc_status.h"
#include "services/common/status/field_violations.h"
#include "tests/support/ingest_suite.h"
#include "tests/support/topic_reader.h"
#include "tiendo/common/v1/field_violation.pb.h"
#include "tiendo/events/v1/submission_event.pb.h"

namespace tiendo {
namespace {

namespace v1 = ingest::v1;
using ::testing::HasSubstr;

constexpr char kDigitised[] = "procedure_results_digitised";
constexpr char kAuthenticated[] = "online_service_users_authenticated";

// One item of the catalogue and the answer it must get.
struct Case {
  std::string what;  // the rule or limit, for failure messages
  v1::LenientSubmission item;
  // UNSPECIFIED: the item is good and must be ACCEPTED.
  v1::RejectionReason reason = v1::REJECTION_REASON_UNSPECIFIED;
  std::string field;
};

v1::LenientSubmission Lenient(const v1::Submission& submission);

// A good item: it must be ACCEPTED.
Case Ok(std::string what, v1::LenientSubmission item) {
  Case good;
  good.what = std::move(what);
  good.item = std::move(item);
  return good;
}

v1::LenientSubmission Lenient(const v1::Submission& submission) {
  v1::LenientSubmission lenient;
  EXPECT_TRUE(lenient.ParseFromString(submission.SerializeAsString()));
  return lenient;
}

// The month after the current one in Vietnam (UTC+7): a period that has not started.
std::string NextMonth() {
  const absl::CivilMonth month =
      absl::CivilMonth(absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(7 * 3600))) + 1;
  return absl::StrFormat("%04d-%02d", month.year(), month.month());
}

std::string Repeat(absl::string_view text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) absl::StrAppend(&out, text);
  return out;
}

class IngestValidationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::IngestSuite>> suite = testing::IngestSuite::Start(
        {TIENDO_REGISTRY_BINARY, TIENDO_INGEST_BINARY, "validation", {"dept-st"}, {}, ""});
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = *std::move(suite);
    dept_st_ = suite_->token("dept-st");
  }

  // A good item of `unit`'s, with an id no other test item has.
  v1::Submission Good(absl::string_view label, const std::string& period = "2025-Q1",
                      const std::string& indicator = kDigitised) {
    return testing::RatioSubmission(absl::StrCat("validation:", label, ":", ++serial_), indicator,
                                    period, 80, 100);
  }

  // Checks each answer of `response` against `cases` and remembers the accepted items.
  void ExpectAnswers(const testing::IssuedToken& token, const std::vector<Case>& cases,
                     const v1::SubmitBatchResponse& response, bool dry_run = false) {
    ASSERT_EQ(response.results_size(), static_cast<int>(cases.size()));
    int accepted = 0;
    for (size_t i = 0; i < cases.size(); ++i) {
      const Case& expected = cases[i];
      const v1::SubmissionResult& result = response.results(static_cast<int>(i));
      SCOPED_TRACE(absl::StrCat("item ", i, " (", expected.what, "): ", result.ShortDebugString()));
      EXPECT_EQ(result.index(), static_cast<int>(i));
      if (expected.reason == v1::REJECTION_REASON_UNSPECIFIED) {
        EXPECT_EQ(result.outcome(), v1::SUBMISSION_OUTCOME_ACCEPTED);
        EXPECT_EQ(result.submission_id(), expected.item.submission_id());
        EXPECT_EQ(result.has_position(), !dry_run);
        if (result.outcome() == v1::SUBMISSION_OUTCOME_ACCEPTED && !dry_run) {
          accepted_[expected.item.submission_id()] = {token.reporting_unit_id, result.position()};
        }
        ++accepted;
        continue;
      }
      EXPECT_EQ(result.outcome(), v1::SUBMISSION_OUTCOME_REJECTED);
      EXPECT_EQ(v1::RejectionReason_Name(result.reason()),
                v1::RejectionReason_Name(expected.reason));
      EXPECT_EQ(result.field(), expected.field);
      EXPECT_FALSE(result.has_position());
      EXPECT_FALSE(result.message().empty());
      // The message names the item (when its id is printable and short).
      const std::string& id = expected.item.submission_id();
      if (!id.empty() && id.size() <= 64 && IsAscii(id)) {
        EXPECT_THAT(result.message(), HasSubstr(id));
      }
    }
    EXPECT_EQ(response.accepted_count(), accepted);
    EXPECT_EQ(response.rejected_count(), static_cast<int>(cases.size()) - accepted);
    EXPECT_EQ(response.dry_run(), dry_run);
  }

  static bool IsAscii(const std::string& text) {
    for (char c : text) {
      if (static_cast<unsigned char>(c) >= 0x80) return false;
    }
    return true;
  }

  // Sends `cases` as one batch (through the lenient wire form, so that any bytes go through)
  // and checks the answers.
  void SubmitCases(const testing::IssuedToken& token, const std::vector<Case>& cases,
                   bool dry_run = false) {
    v1::LenientSubmitBatchRequest request;
    for (const Case& c : cases) *request.add_submissions() = c.item;
    request.set_batch_id(absl::StrCat("validation batch ", ++serial_));
    request.set_dry_run(dry_run);
    v1::SubmitBatchResponse response;
    grpc::Status status = suite_->SubmitLenient(token.bearer, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
    EXPECT_EQ(response.batch_id(), request.batch_id());
    ExpectAnswers(token, cases, response, dry_run);
  }

  // Sends a batch of `items` that must fail as a whole with `code`; remembers its ids as ones
  // that must never reach the topic.
  void ExpectCallFails(const std::string& what, const std::string& bearer,
                       const v1::SubmitBatchRequest& request, grpc::StatusCode code) {
    v1::SubmitBatchResponse response;
    grpc::Status status = suite_->Submit(bearer, request, &response);
    EXPECT_EQ(status.error_code(), code) << what << ": " << status.error_message();
    EXPECT_FALSE(status.error_message().empty()) << what;
    for (const v1::Submission& item : request.submissions()) {
      refused_.push_back(item.submission_id());
    }
  }

  // tiendo.submissions.v1 holds exactly the accepted items, once each, where their answers
  // said, as sent but with the unit from the token and an explicit kind.
  void ExpectTopicHoldsExactlyTheAccepted() {
    absl::StatusOr<std::unique_ptr<testing::TopicReader>> reader = testing::TopicReader::Open(
        suite_->bootstrap(), suite_->TopicName(kafka::Topic::kSubmissions));
    ASSERT_TRUE(reader.ok()) << reader.status();
    ASSERT_TRUE((*reader)->ReadToEnd(absl::Seconds(30)).ok());
    std::map<std::string, int> seen;
    for (const kafka::ConsumedRecord& record : (*reader)->records()) {
      events::v1::AcceptedSubmission event;
      ASSERT_TRUE(record.value.has_value() && event.ParseFromString(*record.value));
      const v1::Submission& submission = event.submission();
      ++seen[submission.submission_id()];
      EXPECT_EQ(record.key, submission.indicator_id());
      EXPECT_EQ(record.HeaderValue("tiendo-schema"), "tiendo.events.v1.AcceptedSubmission");
      EXPECT_EQ(event.ingest_path(), events::v1::INGEST_PATH_GRPC);
      EXPECT_NE(submission.kind(), v1::SUBMISSION_KIND_UNSPECIFIED);
      const auto expected = accepted_.find(submission.submission_id());
      if (expected == accepted_.end()) {
        ADD_FAILURE() << "on the topic but never answered ACCEPTED: " << event.ShortDebugString();
        continue;
      }
      EXPECT_EQ(submission.reporting_unit_id(), expected->second.unit);
      EXPECT_EQ(record.position.partition, expected->second.position.partition());
      EXPECT_EQ(record.position.offset, expected->second.position.offset());
      EXPECT_EQ(record.position.topic, expected->second.position.topic());
    }
    for (const auto& [id, where] : accepted_) {
      const auto found = seen.find(id);
      EXPECT_EQ(found == seen.end() ? 0 : found->second, 1) << id << " was answered ACCEPTED";
    }
    for (const std::string& id : refused_) {
      EXPECT_FALSE(seen.contains(id)) << id << " was refused as a whole call";
    }
    EXPECT_EQ(seen.size(), accepted_.size());
  }

  struct Accepted {
    std::string unit;
    common::v1::RecordPosition position;
  };

  std::unique_ptr<testing::IngestSuite> suite_;
  testing::IssuedToken dept_st_;
  int serial_ = 0;
  std::map<std::string, Accepted> accepted_;  // by submission id
  std::vector<std::string> refused_;         // ids of whole calls that failed
};

TEST_F(IngestValidationTest, EveryRuleAndLimitIsAnsweredExactlyAndNothingBadIsWritten) {
  // --- Items of dept-st, one per rule, good ones among them. -----------------------------
  std::vector<Case> cases;
  auto good = [&](const std::string& what, v1::Submission item) {
    cases.push_back(Ok(what, Lenient(item)));
  };
  auto bad = [&](const std::string& what, v1::LenientSubmission item, v1::RejectionReason reason,
                 const std::string& field) {
    cases.push_back({what, std::move(item), reason, field});
  };
  auto bad_item = [&](const std::string& what, const v1::Submission& item,
                      v1::RejectionReason reason, const std::string& field) {
    bad(what, Lenient(item), reason, field);
  };

  good("a plain good item", Good("first"));
  // 1. submission_id
  {
    v1::Submission item = Good("x");
    item.clear_submission_id();
    bad_item("no submission_id", item, v1::REJECTION_REASON_INVALID_SUBMISSION_ID, "submission_id");
    item.set_submission_id("has a space");
    bad_item("space in submission_id", item, v1::REJECTION_REASON_INVALID_SUBMISSION_ID,
             "submission_id");
    item.set_submission_id("mã-số-1");
    bad_item("non-ASCII submission_id", item, v1::REJECTION_REASON_INVALID_SUBMISSION_ID,
             "submission_id");
    item.set_submission_id(std::string(129, 'a'));
    bad_item("submission_id of 129 characters", item, v1::REJECTION_REASON_INVALID_SUBMISSION_ID,
             "submission_id");
    item.set_submission_id(absl::StrCat("validation:long:", std::string(112, 'b')));
    ASSERT_EQ(item.submission_id().size(), 128u);
    good("submission_id of 128 characters", item);
  }
  // 2. text: UTF-8 and sizes
  {
    v1::LenientSubmission item = Lenient(Good("utf8-id"));
    item.set_submission_id("validation:\xff\xfe");
    bad("submission_id not UTF-8", item, v1::REJECTION_REASON_INVALID_UTF8, "submission_id");
    item = Lenient(Good("utf8-indicator"));
    item.set_indicator_id("procedure_results_digitis\xe9");
    bad("indicator_id not UTF-8", item, v1::REJECTION_REASON_INVALID_UTF8, "indicator_id");
    item = Lenient(Good("utf8-comment"));
    item.set_comment("Ghi ch\xfa (Latin-1)");
    bad("comment not UTF-8", item, v1::REJECTION_REASON_INVALID_UTF8, "comment");
    item = Lenient(Good("utf8-source"));
    item.set_source_system("h\xe1\xbb");  // truncated sequence
    bad("source_system not UTF-8", item, v1::REJECTION_REASON_INVALID_UTF8, "source_system");
    item = Lenient(Good("utf8-period"));
    item.set_period("2025-Q\xc1");
    bad("period not UTF-8", item, v1::REJECTION_REASON_INVALID_UTF8, "period");
    item = Lenient(Good("utf8-value"));
    v1::LenientStringPair* pair = item.add_disaggregation();
    pair->set_key("district");
    pair->set_value("74\x80");
    bad("dimension value not UTF-8", item, v1::REJECTION_REASON_INVALID_UTF8,
        "disaggregation[\"district\"]");
    item = Lenient(Good("utf8-name"));
    pair = item.add_disaggregation();
    pair->set_key("distr\xed" "ct");
    pair->set_value("747");
    bad("dimension name not UTF-8", item, v1::REJECTION_REASON_INVALID_UTF8, "disaggregation");
  }
  {
    v1::Submission item = Good("comment-1000");
    item.set_comment(Repeat("ệ", 1000));  // 1000 characters, 3000 bytes
    good("comment of 1000 characters", item);
    item = Good("comment-1001");
    item.set_comment(Repeat("ệ", 1001));
    bad_item("comment of 1001 characters", item, v1::REJECTION_REASON_TOO_LARGE, "comment");
    item = Good("source-129");
    item.set_source_system(std::string(129, 's'));
    bad_item("source_system of 129 characters", item, v1::REJECTION_REASON_TOO_LARGE,
             "source_system");
    item = Good("nine-dimensions");
    for (int i = 0; i < 9; ++i) (*item.mutable_disaggregation())[absl::StrCat("d", i)] = "1";
    bad_item("9 disaggregation entries", item, v1::REJECTION_REASON_TOO_LARGE, "disaggregation");
    item = Good("long-dimension-value");
    (*item.mutable_disaggregation())["district"] = std::string(65, '7');
    bad_item("dimension value of 65 characters", item, v1::REJECTION_REASON_TOO_LARGE,
             "disaggregation[\"district\"]");
  }
  // 3. reporting_unit_id
  {
    v1::Submission item = Good("other-unit");
    item.set_reporting_unit_id("dept-pi");
    bad_item("another unit's reporting_unit_id", item,
             v1::REJECTION_REASON_REPORTING_UNIT_MISMATCH, "reporting_unit_id");
    item = Good("own-unit");
    item.set_reporting_unit_id("dept-st");
    good("its own reporting_unit_id", item);
  }
  // 5. indicator
  {
    v1::Submission item = Good("no-indicator");
    item.clear_indicator_id();
    bad_item("no indicator_id", item, v1::REJECTION_REASON_MALFORMED, "indicator_id");
    item = Good("unknown-indicator", "2025-Q1", "sme_platform_adoption");
    bad_item("unknown indicator", item, v1::REJECTION_REASON_UNKNOWN_INDICATOR, "indicator_id");
    item = Good("derived");
    item.set_indicator_id("digital_tech_enterprises");
    item.set_value(310);
    bad_item("derived indicator", item, v1::REJECTION_REASON_DERIVED_INDICATOR, "indicator_id");
  }
  // 6, 8, 9, 10. period
  {
    v1::Submission item = Good("no-period", "");
    bad_item("no period", item, v1::REJECTION_REASON_MALFORMED, "period");
    bad_item("quarter 5", Good("q5", "2025-Q5"), v1::REJECTION_REASON_INVALID_PERIOD, "period");
    bad_item("slash period", Good("slash", "2025/03"), v1::REJECTION_REASON_INVALID_PERIOD,
             "period");
    item = Good("two-faults", "2025-13");
    item.mutable_ratio()->set_numerator(120);
    bad_item("a bad period and a bad figure: the period is checked first", item,
             v1::REJECTION_REASON_INVALID_PERIOD, "period");
    bad_item("a year for a quarter/month indicator", Good("year", "2025"),
             v1::REJECTION_REASON_PERIOD_GRANULARITY_NOT_ALLOWED, "period");
    bad_item("a half-year for a quarter/month indicator", Good("half", "2025-H1"),
             v1::REJECTION_REASON_PERIOD_GRANULARITY_NOT_ALLOWED, "period");
    bad_item("after the horizon", Good("2031", "2031-Q1"),
             v1::REJECTION_REASON_PERIOD_OUT_OF_HORIZON, "period");
    bad_item("before the horizon", Good("2022", "2022-Q4"),
             v1::REJECTION_REASON_PERIOD_OUT_OF_HORIZON, "period");
    const std::string next_month = NextMonth();
    if (next_month <= "2030-12") {
      bad_item("a month that has not started", Good("future", next_month),
               v1::REJECTION_REASON_PERIOD_IN_FUTURE, "period");
    }
    good("a month", Good("month", "2025-03"));
    good("the other indicator", Good("authenticated", "2024-Q4", kAuthenticated));
  }
  // 11. kind
  {
    v1::Submission item = Good("kind-7");
    item.set_kind(static_cast<v1::SubmissionKind>(7));
    bad_item("unknown kind", item, v1::REJECTION_REASON_MALFORMED, "kind");
    item = Good("retraction-with-figure");
    item.set_kind(v1::SUBMISSION_KIND_RETRACTION);
    bad_item("retraction with a figure", item, v1::REJECTION_REASON_RETRACTION_WITH_FIGURE,
             "ratio");
    item.clear_ratio();
    item.set_submission_id(absl::StrCat("validation:retraction:", ++serial_));
    good("retraction without a figure", item);
  }
  // 12. figure
  {
    v1::Submission item = Good("no-figure");
    item.clear_ratio();
    bad_item("report without a figure", item, v1::REJECTION_REASON_MALFORMED, "ratio");
    item = Good("value-for-ratio");
    item.set_value(80);
    bad_item("a value for a numerator/denominator indicator", item,
             v1::REJECTION_REASON_VALUE_KIND_MISMATCH, "value");
  }
  {
    // Numerator and denominator as given.
    struct RatioCase {
      const char* what;
      double numerator;
      double denominator;
      v1::RejectionReason reason;
      const char* field;
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    for (const RatioCase& c : {
             RatioCase{"NaN numerator", nan, 100, v1::REJECTION_REASON_VALUE_NOT_FINITE,
                       "ratio.numerator"},
             RatioCase{"infinite denominator", 80, inf, v1::REJECTION_REASON_VALUE_NOT_FINITE,
                       "ratio.denominator"},
             RatioCase{"negative numerator", -1, 100, v1::REJECTION_REASON_VALUE_OUT_OF_RANGE,
                       "ratio.numerator"},
             RatioCase{"numerator beyond the supported magnitude", 1e300, 1e301,
                       v1::REJECTION_REASON_VALUE_OUT_OF_RANGE, "ratio.numerator"},
             RatioCase{"numerator > denominator", 120, 100,
                       v1::REJECTION_REASON_NUMERATOR_EXCEEDS_DENOMINATOR, "ratio.numerator"},
             RatioCase{"denominator 0", 0, 0, v1::REJECTION_REASON_DENOMINATOR_NOT_POSITIVE,
                       "ratio.denominator"},
             RatioCase{"negative denominator", 80, -5,
                       v1::REJECTION_REASON_DENOMINATOR_NOT_POSITIVE, "ratio.denominator"},
         }) {
      v1::Submission item = Good("ratio");
      item.mutable_ratio()->set_numerator(c.numerator);
      item.mutable_ratio()->set_denominator(c.denominator);
      bad_item(c.what, item, c.reason, c.field);
    }
    v1::Submission item = Good("full");
    item.mutable_ratio()->set_numerator(100);
    good("numerator = denominator (100 %)", item);
  }
  // 13. disaggregation
  {
    v1::Submission item = Good("sector");
    (*item.mutable_disaggregation())["sector"] = "62";
    bad_item("undeclared dimension", item, v1::REJECTION_REASON_UNKNOWN_DIMENSION,
             "disaggregation[\"sector\"]");
    // The district dimension (administrative units at district level).
    struct DistrictCase {
      const char* what;
      const char* period;
      const char* district;
      v1::RejectionReason reason;  // UNSPECIFIED: accepted
    };
    for (const DistrictCase& c : {
             DistrictCase{"unknown administrative unit", "2025-Q1", "999",
                          v1::REJECTION_REASON_UNKNOWN_ADMINISTRATIVE_UNIT},
             // submission_rules.h: a unit at another level than the dimension's is
             // INVALID_DIMENSION_VALUE.
             DistrictCase{"a province where a district is expected", "2025-Q1", "77",
                          v1::REJECTION_REASON_INVALID_DIMENSION_VALUE},
             DistrictCase{"empty dimension value", "2025-Q1", "",
                          v1::REJECTION_REASON_INVALID_DIMENSION_VALUE},
             DistrictCase{"Long Điền (752) after its merger, 2025-Q1", "2025-Q1", "752",
                          v1::REJECTION_REASON_ADMINISTRATIVE_UNIT_NOT_VALID_IN_PERIOD},
             DistrictCase{"Long Đất (757) before it existed, 2024-Q4", "2024-Q4", "757",
                          v1::REJECTION_REASON_ADMINISTRATIVE_UNIT_NOT_VALID_IN_PERIOD},
             DistrictCase{"Vũng Tàu city (747) after the district level ended", "2025-Q3", "747",
                          v1::REJECTION_REASON_ADMINISTRATIVE_UNIT_NOT_VALID_IN_PERIOD},
             DistrictCase{"Long Điền (752) before its merger, 2024-Q4", "2024-Q4", "752",
                          v1::REJECTION_REASON_UNSPECIFIED},
             DistrictCase{"Long Đất (757), 2025-Q2", "2025-Q2", "757",
                          v1::REJECTION_REASON_UNSPECIFIED},
         }) {
      item = Good("district", c.period);
      (*item.mutable_disaggregation())["district"] = c.district;
      if (c.reason == v1::REJECTION_REASON_UNSPECIFIED) {
        good(c.what, item);
      } else {
        bad_item(c.what, item, c.reason, "disaggregation[\"district\"]");
      }
    }
  }
  good("a good item last", Good("last"));
  SubmitCases(dept_st_, cases);
  ASSERT_GE(cases.size(), 50u);

  // The same rules through the generated stub (valid UTF-8 only), in a second batch.
  {
    v1::SubmitBatchRequest request;
    *request.add_submissions() = Good("stub-good");
    *request.add_submissions() = Good("stub-year", "2025");
    v1::SubmitBatchResponse response;
    grpc::Status status = suite_->Submit(dept_st_.bearer, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ExpectAnswers(dept_st_,
                  {Ok("good", Lenient(request.submissions(0))),
                   {"year", Lenient(request.submissions(1)),
                    v1::REJECTION_REASON_PERIOD_GRANULARITY_NOT_ALLOWED, "period"}},
                  response);
  }

  // --- Who sends it. ----------------------------------------------------------------------
  // A unit that may report nothing (sme-association).
  absl::StatusOr<testing::IssuedToken> sme = suite_->IssueToken("sme-association");
  ASSERT_TRUE(sme.ok()) << sme.status();
  SubmitCases(*sme, {{"another unit's indicator", Lenient(Good("sme-digitised")),
                      v1::REJECTION_REASON_NOT_AUTHORISED, "indicator_id"},
                     {"another unit's indicator",
                      Lenient(Good("sme-auth", "2025-Q1", kAuthenticated)),
                      v1::REJECTION_REASON_NOT_AUTHORISED, "indicator_id"},
                     {"derived comes before authorisation",
                      Lenient([&] {
                        v1::Submission item = Good("sme-derived");
                        item.set_indicator_id("digital_tech_enterprises");
                        return item;
                      }()),
                      v1::REJECTION_REASON_DERIVED_INDICATOR, "indicator_id"}});
  EXPECT_EQ(suite_->IngestMetric(
                "tiendo_ingest_items_total{outcome=\"rejected\",reason=\"not_authorised\"}"),
            2);

  // A closed district committee (pc-747, last day 2025-06-30): late corrections of earlier
  // periods are accepted, later periods refused.
  absl::StatusOr<testing::IssuedToken> pc747 = suite_->IssueToken("pc-747");
  ASSERT_TRUE(pc747.ok()) << pc747.status();
  {
    v1::Submission june = Good("pc747-june", "2025-06");
    (*june.mutable_disaggregation())["district"] = "747";
    SubmitCases(*pc747, {{"closed unit, period after its last day",
                          Lenient(Good("pc747-q3", "2025-Q3")),
                          v1::REJECTION_REASON_REPORTING_UNIT_INACTIVE, "period"},
                         Ok("closed unit, a period it covered", Lenient(june))});
  }
  // A merged department (dept-ic, last day 2025-02-28): the quarter that started while it
  // existed is accepted, March refused.
  absl::StatusOr<testing::IssuedToken> ic = suite_->IssueToken("dept-ic");
  ASSERT_TRUE(ic.ok()) << ic.status();
  SubmitCases(*ic, {{"merged unit, month after its last day", Lenient(Good("ic-march", "2025-03")),
                     v1::REJECTION_REASON_REPORTING_UNIT_INACTIVE, "period"},
                    Ok("merged unit, its last month", Lenient(Good("ic-february", "2025-02"))),
                    Ok("merged unit, a quarter that began before its last day",
                       Lenient(Good("ic-q1", "2025-Q1")))});
  // A unit that began on 2025-01-01 (pc-757) cannot report 2024.
  absl::StatusOr<testing::IssuedToken> pc757 = suite_->IssueToken("pc-757");
  ASSERT_TRUE(pc757.ok()) << pc757.status();
  SubmitCases(*pc757, {{"unit before its first day", Lenient(Good("pc757-2024", "2024-Q4")),
                        v1::REJECTION_REASON_REPORTING_UNIT_INACTIVE, "period"},
                       Ok("unit in its lifetime", Lenient(Good("pc757-2025", "2025-Q1")))});

  // A suspended unit (dept-pi): its token still authenticates, every item is refused.
  absl::StatusOr<testing::IssuedToken> pi = suite_->IssueToken("dept-pi");
  ASSERT_TRUE(pi.ok()) << pi.status();
  ASSERT_TRUE(suite_->SetUnitStatus("dept-pi", registry::v1::REPORTING_UNIT_STATUS_SUSPENDED).ok());
  ASSERT_TRUE(suite_
                  ->WaitUntilDryRun(pi->bearer, Good("pi-probe"), v1::SUBMISSION_OUTCOME_REJECTED,
                                    v1::REJECTION_REASON_REPORTING_UNIT_INACTIVE)
                  .ok());
  SubmitCases(*pi, {{"suspended unit", Lenient(Good("pi-suspended")),
                     v1::REJECTION_REASON_REPORTING_UNIT_INACTIVE, ""},
                    {"suspended unit, even a bad period", Lenient(Good("pi-2031", "2031-Q1")),
                     v1::REJECTION_REASON_REPORTING_UNIT_INACTIVE, ""}});

  // --- Whole calls. -------------------------------------------------------------------------
  v1::SubmitBatchRequest one;
  *one.add_submissions() = Good("call");
  auto fresh = [&](const std::string& label) {
    v1::SubmitBatchRequest request;
    *request.add_submissions() = Good(label);
    return request;
  };
  ExpectCallFails("no token", "", fresh("no-token"), grpc::StatusCode::UNAUTHENTICATED);
  {
    v1::SubmitBatchResponse response;
    auto context = testing::IngestSuite::IngestContext("");
    context->AddMetadata("authorization", absl::StrCat("Basic ", dept_st_.bearer));
    const v1::SubmitBatchRequest request = fresh("basic");
    grpc::Status status = suite_->IngestStub()->SubmitBatch(context.get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
    refused_.push_back(request.submissions(0).submission_id());
  }
  ExpectCallFails("not a token", "garbage", fresh("garbage"), grpc::StatusCode::UNAUTHENTICATED);
  {
    std::string wrong = dept_st_.bearer;
    wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
    ExpectCallFails("wrong secret", wrong, fresh("wrong-secret"),
                    grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    absl::StatusOr<testing::IssuedToken> revoked = suite_->IssueToken("dept-st");
    ASSERT_TRUE(revoked.ok()) << revoked.status();
    ASSERT_TRUE(suite_->RevokeToken(*revoked).ok());
    ExpectCallFails("revoked token", revoked->bearer, fresh("revoked"),
                    grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    registry::v1::IssueTokenRequest request;
    request.set_reporting_unit_id("dept-st");
    request.set_description("expires at once");
    request.mutable_ttl()->set_seconds(1);
    registry::v1::IssueTokenResponse issued;
    ASSERT_TRUE(suite_->registry()
                    .IssueToken(testing::IngestSuite::RegistryContext().get(), request, &issued)
                    .ok());
    // Ingest may not know it yet, or still take it; then it knows it expired.
    grpc::Status status;
    EXPECT_TRUE(testing::WaitUntil(
        [&] {
          v1::CallerIdentity identity;
          status = suite_->IngestStub()->GetCallerIdentity(
              testing::IngestSuite::IngestContext(issued.bearer_token()).get(),
              v1::GetCallerIdentityRequest(), &identity);
          return status.error_code() == grpc::StatusCode::UNAUTHENTICATED &&
                 absl::StrContains(status.error_message(), "expired");
        },
        absl::Seconds(30)))
        << status.error_message();
    ExpectCallFails("expired token", issued.bearer_token(), one,
                    grpc::StatusCode::UNAUTHENTICATED);
  }
  ExpectCallFails("empty batch", dept_st_.bearer, v1::SubmitBatchRequest(),
                  grpc::StatusCode::INVALID_ARGUMENT);
  {
    // The empty batch's error names the field in a BadRequest detail.
    v1::SubmitBatchResponse response;
    const absl::Status status = server::FromGrpcStatus(
        suite_->Submit(dept_st_.bearer, v1::SubmitBatchRequest(), &response));
    const absl::optional<absl::Cord> detail = status.GetPayload(status::kBadRequestTypeUrl);
    ASSERT_TRUE(detail.has_value()) << status;
    common::v1::BadRequest bad_request;
    ASSERT_TRUE(bad_request.ParseFromString(std::string(*detail)));
    ASSERT_EQ(bad_request.field_violations_size(), 1);
    EXPECT_EQ(bad_request.field_violations(0).field(), "submissions");
  }
  {
    v1::SubmitBatchRequest request = fresh("long-batch-id");
    request.set_batch_id(std::string(129, 'b'));
    ExpectCallFails("batch_id of 129 characters", dept_st_.bearer, request,
                    grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    v1::LenientSubmitBatchRequest request;
    *request.add_submissions() = Lenient(Good("bad-batch-id"));
    request.set_batch_id("l\xf4 1");
    v1::SubmitBatchResponse response;
    grpc::Status status = suite_->SubmitLenient(dept_st_.bearer, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
    refused_.push_back(request.submissions(0).submission_id());
  }
  {
    v1::SubmitBatchResponse response;
    grpc::Status status = suite_->SubmitBytes(dept_st_.bearer, "\xff\xff\xff\xff not protobuf",
                                              &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  }
  {
    v1::SubmitBatchRequest request;
    for (int i = 0; i < 1001; ++i) *request.add_submissions() = Good("over-limit");
    ExpectCallFails("1001 items", dept_st_.bearer, request, grpc::StatusCode::RESOURCE_EXHAUSTED);
    // 1000 are fine (a dry run, to keep the topic small).
    request.mutable_submissions()->RemoveLast();
    request.set_dry_run(true);
    v1::SubmitBatchResponse response;
    grpc::Status status = suite_->Submit(dept_st_.bearer, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.accepted_count(), 1000);
  }
  {
    v1::SubmitBatchRequest request = fresh("huge-message");
    request.mutable_submissions(0)->set_comment(std::string(5 << 20, 'c'));
    ExpectCallFails("a 5 MiB message", dept_st_.bearer, request,
                    grpc::StatusCode::RESOURCE_EXHAUSTED);
    // Under 4 MiB in many items is not refused as a whole: each item is judged.
    v1::SubmitBatchRequest large;
    for (int i = 0; i < 900; ++i) {
      v1::Submission* item = large.add_submissions();
      *item = Good("large");
      item->set_comment(Repeat("ệ", 1001));
    }
    v1::SubmitBatchResponse response;
    grpc::Status status = suite_->Submit(dept_st_.bearer, large, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.rejected_count(), 900);
  }
  {
    // A stream: the first batch is answered, a batch over the item limit ends the stream.
    auto context = testing::IngestSuite::IngestContext(dept_st_.bearer);
    auto stub = suite_->IngestStub();
    auto stream = stub->StreamSubmissions(context.get());
    v1::SubmitBatchRequest first = fresh("stream-first");
    ASSERT_TRUE(stream->Write(first));
    v1::SubmitBatchResponse answer;
    ASSERT_TRUE(stream->Read(&answer));
    ExpectAnswers(dept_st_, {Ok("stream item", Lenient(first.submissions(0)))}, answer);
    v1::SubmitBatchRequest over;
    for (int i = 0; i < 1001; ++i) *over.add_submissions() = Good("stream-over");
    for (const v1::Submission& item : over.submissions()) refused_.push_back(item.submission_id());
    stream->Write(over);
    EXPECT_FALSE(stream->Read(&answer));
    grpc::Status status = stream->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  }
  {
    // A token revoked while its stream is open ends the stream at the next batch.
    absl::StatusOr<testing::IssuedToken> token = suite_->IssueToken("dept-st");  // known
    ASSERT_TRUE(token.ok()) << token.status();
    auto context = testing::IngestSuite::IngestContext(token->bearer);
    auto stub = suite_->IngestStub();
    auto stream = stub->StreamSubmissions(context.get());
    v1::SubmitBatchRequest first = fresh("stream-before-revocation");
    ASSERT_TRUE(stream->Write(first));
    v1::SubmitBatchResponse answer;
    ASSERT_TRUE(stream->Read(&answer));
    ExpectAnswers(*token, {Ok("stream item", Lenient(first.submissions(0)))}, answer);
    ASSERT_TRUE(suite_->RevokeToken(*token).ok());  // and refused by ingest
    v1::SubmitBatchRequest after = fresh("stream-after-revocation");
    refused_.push_back(after.submissions(0).submission_id());
    stream->Write(after);
    EXPECT_FALSE(stream->Read(&answer));
    const grpc::Status status = stream->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
  }

  ExpectTopicHoldsExactlyTheAccepted();
  // Every refusal was counted, none as accepted.
  EXPECT_EQ(suite_->IngestMetric(
                "tiendo_ingest_items_total{outcome=\"rejected\",reason=\"invalid_utf8\"}"),
            7);
}

TEST_F(IngestValidationTest, DryRunAnswersWithoutWritingOrRemembering) {
  v1::SubmitBatchRequest request;
  *request.add_submissions() = Good("dry-a");
  *request.add_submissions() = Good("dry-b", "2025-02");
  *request.add_submissions() = Good("dry-bad", "2031-Q1");
  request.set_dry_run(true);
  v1::SubmitBatchResponse response;
  grpc::Status status = suite_->Submit(dept_st_.bearer, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ExpectAnswers(dept_st_,
                {Ok("good", Lenient(request.submissions(0))),
                 Ok("good", Lenient(request.submissions(1))),
                 {"out of horizon", Lenient(request.submissions(2)),
                  v1::REJECTION_REASON_PERIOD_OUT_OF_HORIZON, "period"}},
                response, /*dry_run=*/true);
  // Dry again: still ACCEPTED (not DUPLICATE): the dry run taught the ledger nothing.
  response.Clear();
  ASSERT_TRUE(suite_->Submit(dept_st_.bearer, request, &response).ok());
  ExpectAnswers(dept_st_,
                {Ok("good", Lenient(request.submissions(0))),
                 Ok("good", Lenient(request.submissions(1))),
                 {"out of horizon", Lenient(request.submissions(2)),
                  v1::REJECTION_REASON_PERIOD_OUT_OF_HORIZON, "period"}},
                response, /*dry_run=*/true);
  // Counted apart: dry runs accept nothing.
  EXPECT_EQ(suite_->IngestMetric("tiendo_ingest_dry_run_items_total{outcome=\"accepted\"}"), 4);
  EXPECT_EQ(suite_->IngestMetric("tiendo_ingest_items_total{outcome=\"accepted\"}").value_or(0),
            0);
  // Nothing written.
  {
    absl::StatusOr<std::unique_ptr<testing::TopicReader>> reader = testing::TopicReader::Open(
        suite_->bootstrap(), suite_->TopicName(kafka::Topic::kSubmissions));
    ASSERT_TRUE(reader.ok()) << reader.status();
    ASSERT_TRUE((*reader)->ReadToEnd(absl::Seconds(30)).ok());
    EXPECT_TRUE((*reader)->records().empty());
  }
  // For real: ACCEPTED with positions; then a dry run of the same is DUPLICATE.
  request.set_dry_run(false);
  request.mutable_submissions()->RemoveLast();
  response.Clear();
  ASSERT_TRUE(suite_->Submit(dept_st_.bearer, request, &response).ok());
  ExpectAnswers(dept_st_,
                {Ok("good", Lenient(request.submissions(0))),
                 Ok("good", Lenient(request.submissions(1)))},
                response);
  request.set_dry_run(true);
  response.Clear();
  ASSERT_TRUE(suite_->Submit(dept_st_.bearer, request, &response).ok());
  ASSERT_EQ(response.results_size(), 2);
  for (const v1::SubmissionResult& result : response.results()) {
    EXPECT_EQ(result.outcome(), v1::SUBMISSION_OUTCOME_DUPLICATE) << result.ShortDebugString();
  }
  EXPECT_EQ(response.duplicate_count(), 2);
  EXPECT_EQ(suite_->IngestMetric("tiendo_ingest_items_total{outcome=\"accepted\"}"), 2);
  ExpectTopicHoldsExactlyTheAccepted();
}

}  // namespace
}  // namespace tiendo
