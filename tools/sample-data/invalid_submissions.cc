#include "tools/sample-data/invalid_submissions.h"

#include "absl/strings/str_cat.h"
#include "tools/sample-data/districts.h"

namespace tiendo::sample {
namespace {

struct Draft {
  absl::string_view unit;
  absl::string_view source_system;
  absl::string_view indicator;
  absl::string_view period;
  absl::string_view district;
  absl::CivilDay sent;
};

SubmissionRow Row(Random& random, const Draft& draft, SubmissionIds& ids) {
  SubmissionRow row;
  row.submission_id = ids.Next(draft.unit, draft.indicator, draft.period, draft.district);
  row.reporting_unit_id = std::string(draft.unit);
  row.indicator_id = std::string(draft.indicator);
  row.period = std::string(draft.period);
  row.district = std::string(draft.district);
  row.kind = kReport;
  row.submitted_at = absl::CivilSecond(draft.sent.year(), draft.sent.month(), draft.sent.day(),
                                       static_cast<int>(random.Between(1, 9)),
                                       static_cast<int>(random.Between(0, 59)),
                                       static_cast<int>(random.Between(0, 59)));
  row.sent_at = row.submitted_at;
  row.source_system = std::string(draft.source_system);
  return row;
}

// The row's comment: the INVALID mark, why, and the reason ingest refuses it with, as tools
// print a tiendo.ingest.v1.RejectionReason (lower case, no prefix).
std::string Invalid(absl::string_view why, absl::string_view reason) {
  return absl::StrCat(kInvalidMark, " ", why, kRefusedAs, reason);
}

}  // namespace

std::vector<SubmissionRow> InvalidSubmissions(Random& random, const ServiceFigures& figures,
                                              SubmissionIds& ids) {
  std::vector<SubmissionRow> rows;

  // dept-pi may report both indicators but never does otherwise, so the
  // invalid rows below that it sends have cells of their own.
  // 2024-Q2 is months 15..17 from January 2023.
  SubmissionRow over = Row(random,
                           {"dept-pi", "skhdt-baocao/1.0", kUsersAuthenticated, "2024-Q2", "748",
                            absl::CivilDay(2024, 7, 9)},
                           ids);
  over.denominator = figures.For(kUsersAuthenticated, "748", 15, 17).denominator;
  over.numerator = *over.denominator + random.Between(40, 400);
  over.comment = Invalid(absl::StrCat("numerator ", *over.numerator, " > denominator ",
                                      *over.denominator, " (a share cannot exceed 100%)"),
                         "numerator_exceeds_denominator");
  rows.push_back(over);

  // 2024-05 is month 16.
  SubmissionRow unknown = Row(random,
                              {"public-service-portal", "dvc-connector/3.2",
                               "online_service_users_verified", "2024-05", "747",
                               absl::CivilDay(2024, 6, 2)},
                              ids);
  const Ratio may = figures.For(kUsersAuthenticated, "747", 16, 16);
  unknown.numerator = may.numerator;
  unknown.denominator = may.denominator;
  unknown.comment = Invalid(
      "unknown indicator online_service_users_verified (the plan's indicator is "
      "online_service_users_authenticated)",
      "unknown_indicator");
  rows.push_back(unknown);

  // 2025-Q4 (months 33..35) figures of the whole former province under a period code that
  // does not exist.
  SubmissionRow quarter = Row(random,
                              {"dept-st", "skhcn-baocao/1.4", kResultsDigitised, "2025-Q5",
                               kWholeProvince, absl::CivilDay(2026, 1, 8)},
                              ids);
  const Ratio q4 = figures.For(kResultsDigitised, kWholeProvince, 33, 35);
  quarter.numerator = q4.numerator;
  quarter.denominator = q4.denominator;
  quarter.comment =
      Invalid("period 2025-Q5 does not exist (a year has quarters Q1 to Q4)", "invalid_period");
  rows.push_back(quarter);

  // 2025-Q2 is months 27..29; Long Điền's figure is part of Long Đất's by then.
  SubmissionRow merged = Row(random,
                             {"public-service-portal", "dvc-connector/3.2", kResultsDigitised,
                              "2025-Q2", "752", absl::CivilDay(2025, 7, 3)},
                             ids);
  const Ratio q2 = figures.For(kResultsDigitised, "752", 27, 29);
  merged.numerator = q2.numerator;
  merged.denominator = q2.denominator;
  merged.comment = Invalid(
      "district 752 (Long Điền) is not valid in 2025-Q2: it merged into Long Đất (757) on "
      "2025-01-01",
      "administrative_unit_not_valid_in_period");
  rows.push_back(merged);

  // 2024-09 is month 20.
  SubmissionRow negative = Row(random,
                               {"dept-pi", "skhdt-baocao/1.0", kResultsDigitised, "2024-09", "750",
                                absl::CivilDay(2024, 10, 4)},
                               ids);
  negative.denominator = figures.For(kResultsDigitised, "750", 20, 20).denominator;
  negative.numerator = -random.Between(5, 60);
  negative.comment = Invalid(absl::StrCat("negative count: numerator ", *negative.numerator,
                                          " (counts cannot be negative)"),
                             "value_out_of_range");
  rows.push_back(negative);

  SubmissionRow derived = Row(random,
                              {"dept-pi", "skhdt-baocao/1.0", "digital_tech_enterprises", "2025-Q4",
                               "", absl::CivilDay(2026, 1, 12)},
                              ids);
  derived.value = random.Between(280, 320);
  derived.comment = Invalid(
      "digital_tech_enterprises is a derived indicator (counted from the registry), not a "
      "reported one",
      "derived_indicator");
  rows.push_back(derived);

  // 2025-Q3 is months 30..32.
  SubmissionRow unauthorised = Row(random,
                                   {"sme-association", "hiephoi-dnnvv/1.0", kUsersAuthenticated,
                                    "2025-Q3", kWholeProvince, absl::CivilDay(2025, 10, 15)},
                                   ids);
  const Ratio q3 = figures.For(kUsersAuthenticated, kWholeProvince, 30, 32);
  unauthorised.numerator = q3.numerator * 97 / 100;
  unauthorised.denominator = q3.denominator;
  unauthorised.comment = Invalid(
      "sme-association is not allowed to report online_service_users_authenticated",
      "not_authorised");
  rows.push_back(unauthorised);

  return rows;
}

}  // namespace tiendo::sample
