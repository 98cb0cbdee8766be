#include "tools/sample-data/submission_rows.h"

#include <map>
#include <optional>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "tools/sample-data/parsed_sample.h"

namespace tiendo::sample {
namespace {

const uint64_t kSeeds[] = {63, 1, 2, 3, 1000};

struct Period {
  absl::CivilDay first;
  absl::CivilDay last;
};

// `2025-09` or `2025-Q3`, written independently of report_periods.cc.
std::optional<Period> ParsePeriod(const std::string& code) {
  int year = 0;
  int number = 0;
  if (code.size() != 7 || code[4] != '-' || !absl::SimpleAtoi(code.substr(0, 4), &year)) {
    return std::nullopt;
  }
  if (code[5] == 'Q') {
    if (!absl::SimpleAtoi(code.substr(6), &number) || number < 1 || number > 4) {
      return std::nullopt;
    }
    const absl::CivilMonth first(year, 3 * number - 2);
    return Period{absl::CivilDay(first), absl::CivilDay(first + 3) - 1};
  }
  if (!absl::SimpleAtoi(code.substr(5), &number) || number < 1 || number > 12) return std::nullopt;
  const absl::CivilMonth month(year, number);
  return Period{absl::CivilDay(month), absl::CivilDay(month + 1) - 1};
}

// The district values valid for the whole period, written independently of
// districts.cc. Ho Chi Minh City ("79") is a province, never a district.
bool DistrictValidFor(const std::string& code, const Period& period) {
  const absl::CivilDay long_dat(2025, 1, 1);
  const absl::CivilDay merger(2025, 7, 1);
  if (code == "752" || code == "753") return period.last < long_dat;
  if (code == "757") return period.first >= long_dat && period.last < merger;
  const std::set<std::string> others = {"747", "748", "750", "751", "754", "755"};
  return others.contains(code) && period.last < merger;
}

// The unit may report (it exists through the period and the plan allows it
// the indicator) — rules of the seed plan, restated.
bool UnitMayReport(const std::string& unit, const Period& period) {
  const absl::CivilDay merger(2025, 7, 1);
  if (unit == "dept-ic") return period.last < absl::CivilDay(2025, 3, 1);
  if (unit == "dept-st" || unit == "dept-pi" || unit == "public-service-portal") return true;
  if (unit == "pc-752" || unit == "pc-753") return period.last < absl::CivilDay(2025, 1, 1);
  if (unit == "pc-757") return period.first >= absl::CivilDay(2025, 1, 1) && period.last < merger;
  const std::set<std::string> committees = {"pc-747", "pc-748", "pc-750",
                                            "pc-751", "pc-754", "pc-755"};
  return committees.contains(unit) && period.last < merger;
}

std::optional<int64_t> Number(const std::string& text) {
  int64_t number = 0;
  if (text.empty() || !absl::SimpleAtoi(text, &number)) return std::nullopt;
  return number;
}

// Why an ingest following the seed plan must refuse the row; nullopt if it
// must accept it.
std::optional<std::string> Problem(const ParsedTable& t, const CsvRecord& row) {
  const std::string& unit = t.Cell(row, "reporting_unit_id");
  const std::string& indicator = t.Cell(row, "indicator_id");
  const std::string& district = t.Cell(row, "district");
  const std::string& kind = t.Cell(row, "kind");
  if (indicator != "online_service_users_authenticated" &&
      indicator != "procedure_results_digitised") {
    return "indicator";
  }
  const std::optional<Period> period = ParsePeriod(t.Cell(row, "period"));
  if (!period.has_value() || period->first < absl::CivilDay(2023, 1, 1) ||
      period->last > absl::CivilDay(2026, 9, 30)) {
    return "period";
  }
  if (!UnitMayReport(unit, *period)) return "unit";
  if (!district.empty() && !DistrictValidFor(district, *period)) return "district";
  if (unit.rfind("pc-", 0) == 0 && district != unit.substr(3)) return "another district";
  if (!t.Cell(row, "value").empty()) return "value for a ratio indicator";
  const std::optional<int64_t> numerator = Number(t.Cell(row, "numerator"));
  const std::optional<int64_t> denominator = Number(t.Cell(row, "denominator"));
  if (kind == "SUBMISSION_KIND_RETRACTION") {
    if (!t.Cell(row, "numerator").empty() || !t.Cell(row, "denominator").empty()) {
      return "figure in a retraction";
    }
    return std::nullopt;
  }
  if (kind != "SUBMISSION_KIND_REPORT") return "kind";
  if (!numerator.has_value() || !denominator.has_value()) return "no figure";
  if (*numerator < 0 || *denominator <= 0) return "negative";
  if (*numerator > *denominator) return "numerator > denominator";
  return std::nullopt;
}

TEST(SubmissionRowsTest, InvalidRowsAreExactlyTheMarkedOnes) {
  for (uint64_t seed : kSeeds) {
    const ParsedSample sample = ParseSample(seed);
    const ParsedTable& t = sample.Table("submissions.csv");
    int invalid = 0;
    std::set<std::string> problems;
    for (const CsvRecord& row : t.rows()) {
      const std::optional<std::string> problem = Problem(t, row);
      const bool marked = absl::StartsWith(t.Cell(row, "comment"), "INVALID: ");
      EXPECT_EQ(problem.has_value(), marked)
          << t.Cell(row, "submission_id") << ": " << problem.value_or("valid") << " / "
          << t.Cell(row, "comment");
      if (problem.has_value()) {
        ++invalid;
        problems.insert(*problem);
      }
    }
    EXPECT_GE(invalid, 5) << "seed " << seed;
    EXPECT_LE(invalid, 10) << "seed " << seed;
    EXPECT_EQ(problems, (std::set<std::string>{"indicator", "period", "unit", "district",
                                               "negative", "numerator > denominator"}))
        << "seed " << seed;
  }
}

TEST(SubmissionRowsTest, InvalidRowsCoverEveryRequestedRule) {
  const ParsedSample sample = ParseSample(63);
  const ParsedTable& t = sample.Table("submissions.csv");
  std::set<std::string> comments;
  for (const CsvRecord& row : t.rows()) {
    const std::string& comment = t.Cell(row, "comment");
    if (!absl::StartsWith(comment, "INVALID:")) continue;
    comments.insert(comment);
    EXPECT_EQ(t.Cell(row, "kind"), "SUBMISSION_KIND_REPORT");
  }
  const std::vector<std::string> rules = {"> denominator",   "unknown indicator", "2025-Q5",
                                          "district 752",   "negative count",    "derived",
                                          "not allowed"};
  for (const std::string& rule : rules) {
    EXPECT_EQ(std::count_if(comments.begin(), comments.end(),
                            [&](const std::string& c) { return absl::StrContains(c, rule); }),
              1)
        << rule;
  }
  EXPECT_EQ(comments.size(), rules.size());
}

TEST(SubmissionRowsTest, CorrectionsDuplicatesLateDataAndRetractions) {
  for (uint64_t seed : kSeeds) {
    SCOPED_TRACE(seed);
    const ParsedSample sample = ParseSample(seed);
    const ParsedTable& t = sample.Table("submissions.csv");
    std::map<std::string, CsvRecord> by_id;
    // Submission ids per cell, in file (= sending) order, first sending only.
    std::map<std::string, std::vector<std::string>> ids_by_cell;
    int duplicates = 0;
    int retractions = 0;
    int late = 0;
    for (const CsvRecord& row : t.rows()) {
      const std::string& id = t.Cell(row, "submission_id");
      const auto [it, inserted] = by_id.emplace(id, row);
      if (!inserted) {
        // A resent id carries exactly the same content.
        EXPECT_EQ(it->second, row) << id;
        ++duplicates;
        continue;
      }
      const std::string cell =
          absl::StrCat(t.Cell(row, "reporting_unit_id"), "|", t.Cell(row, "indicator_id"), "|",
                       t.Cell(row, "period"), "|", t.Cell(row, "district"));
      ids_by_cell[cell].push_back(id);
      if (t.Cell(row, "kind") == "SUBMISSION_KIND_RETRACTION") ++retractions;

      absl::CivilSecond submitted;
      std::string text = t.Cell(row, "submitted_at");
      ASSERT_TRUE(absl::EndsWith(text, "Z")) << text;
      ASSERT_TRUE(absl::ParseCivilTime(text.substr(0, text.size() - 1), &submitted)) << text;
      ASSERT_EQ(text.size(), 20u) << text;
      const std::optional<Period> period = ParsePeriod(t.Cell(row, "period"));
      if (period.has_value() && !absl::StartsWith(t.Cell(row, "comment"), "INVALID:")) {
        EXPECT_GT(absl::CivilDay(submitted), period->last) << id;
        EXPECT_LE(absl::CivilDay(submitted), absl::CivilDay(2026, 10, 31)) << id;
        if (absl::CivilDay(submitted) - period->last > 45) ++late;
      }
    }
    int corrected_cells = 0;
    for (const auto& [cell, ids] : ids_by_cell) {
      if (ids.size() < 2) continue;
      ++corrected_cells;
      // Later submissions for a cell come later in the file: r1, r2, r3, …
      for (size_t i = 0; i < ids.size(); ++i) {
        EXPECT_TRUE(absl::EndsWith(ids[i], absl::StrCat(":r", i + 1))) << ids[i];
      }
    }
    EXPECT_GE(duplicates, 5);
    EXPECT_GE(corrected_cells, 15);
    EXPECT_GE(retractions, 3);
    EXPECT_GE(late, 10);
  }
}

// Submission.submission_id: 1–128 characters of A–Z, a–z, 0–9, '.', '_',
// ':', '-'.
TEST(SubmissionRowsTest, SubmissionIdsFollowTheProtoRules) {
  const ParsedSample sample = ParseSample(63);
  const ParsedTable& t = sample.Table("submissions.csv");
  for (const CsvRecord& row : t.rows()) {
    const std::string& id = t.Cell(row, "submission_id");
    EXPECT_GE(id.size(), 1u);
    EXPECT_LE(id.size(), 128u) << id;
    EXPECT_TRUE(std::all_of(id.begin(), id.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '_' || c == ':' || c == '-';
    })) << id;
    EXPECT_LE(t.Cell(row, "source_system").size(), 128u);
    EXPECT_LE(t.Cell(row, "comment").size(), 1000u);
  }
}

// Each unit reports what it is responsible for, in every period it exists
// through: e.g. the portal every month and quarter for each district, and
// one undisaggregated figure (no district) once the districts are gone.
TEST(SubmissionRowsTest, CoverageFollowsTheAdministrativeChanges) {
  const ParsedSample sample = ParseSample(63);
  const ParsedTable& t = sample.Table("submissions.csv");
  std::set<std::string> cells;
  for (const CsvRecord& row : t.rows()) {
    if (absl::StartsWith(t.Cell(row, "comment"), "INVALID:")) continue;
    cells.insert(absl::StrCat(t.Cell(row, "reporting_unit_id"), "|", t.Cell(row, "indicator_id"),
                              "|", t.Cell(row, "period"), "|", t.Cell(row, "district")));
  }
  for (const char* indicator : {"online_service_users_authenticated",
                                "procedure_results_digitised"}) {
    for (const char* cell : {"public-service-portal|%s|2023-01|753",
                             "public-service-portal|%s|2024-Q4|752",
                             "public-service-portal|%s|2025-01|757",
                             "public-service-portal|%s|2025-Q3|",
                             "public-service-portal|%s|2026-09|", "dept-ic|%s|2025-02|747",
                             "dept-ic|%s|2024-Q4|755", "dept-st|%s|2025-Q1|757",
                             "dept-st|%s|2025-03|748", "dept-st|%s|2026-Q3|",
                             "pc-753|%s|2024-12|753", "pc-757|%s|2025-Q2|757",
                             "pc-755|%s|2025-06|755"}) {
      std::string key(cell);
      key.replace(key.find("%s"), 2, indicator);
      EXPECT_TRUE(cells.contains(key)) << key;
    }
    for (const char* cell : {"dept-ic|%s|2025-Q1|747", "dept-st|%s|2025-02|747",
                             "pc-747|%s|2025-07|747", "public-service-portal|%s|2025-07|747",
                             "public-service-portal|%s|2025-07|79", "dept-st|%s|2025-Q3|79",
                             "public-service-portal|%s|2025-Q2|"}) {
      std::string key(cell);
      key.replace(key.find("%s"), 2, indicator);
      EXPECT_FALSE(cells.contains(key)) << key;
    }
  }
}

// The portal's province-wide shares rise towards 95–100%.
TEST(SubmissionRowsTest, SharesRiseTowardsFull) {
  const ParsedSample sample = ParseSample(63);
  const ParsedTable& t = sample.Table("submissions.csv");
  std::map<std::string, std::pair<int64_t, int64_t>> sums;  // indicator|period → (num, den)
  std::set<std::string> seen;
  for (const CsvRecord& row : t.rows()) {
    if (t.Cell(row, "reporting_unit_id") != "public-service-portal" ||
        t.Cell(row, "kind") != "SUBMISSION_KIND_REPORT" ||
        absl::StartsWith(t.Cell(row, "comment"), "INVALID:") ||
        !seen.insert(t.Cell(row, "submission_id")).second) {
      continue;
    }
    auto& [numerator, denominator] =
        sums[absl::StrCat(t.Cell(row, "indicator_id"), "|", t.Cell(row, "period"))];
    numerator += *Number(t.Cell(row, "numerator"));
    denominator += *Number(t.Cell(row, "denominator"));
  }
  for (const char* indicator : {"online_service_users_authenticated",
                                "procedure_results_digitised"}) {
    auto per_mille = [&](const char* period) {
      const auto& [numerator, denominator] = sums[absl::StrCat(indicator, "|", period)];
      EXPECT_GT(denominator, 0) << indicator << " " << period;
      return denominator == 0 ? 0 : numerator * 1000 / denominator;
    };
    EXPECT_LT(per_mille("2023-Q1"), 700) << indicator;
    EXPECT_LT(per_mille("2023-Q1"), per_mille("2024-Q1")) << indicator;
    EXPECT_LT(per_mille("2024-Q1"), per_mille("2025-Q1")) << indicator;
    EXPECT_LT(per_mille("2025-Q1"), per_mille("2026-Q3")) << indicator;
    EXPECT_GE(per_mille("2026-Q3"), 950) << indicator;
    EXPECT_LE(per_mille("2026-Q3"), 1000) << indicator;
  }
}

}  // namespace
}  // namespace tiendo::sample
