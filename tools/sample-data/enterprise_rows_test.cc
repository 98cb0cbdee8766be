#include "tools/sample-data/enterprise_rows.h"

#include <map>
#include <set>

#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "services/common/core/tax_code.h"
#include "tools/sample-data/figures_by_year.h"
#include "tools/sample-data/parsed_sample.h"
#include "tools/sample-data/public_service_rows.h"

namespace tiendo::sample {
namespace {

const uint64_t kSeeds[] = {63, 1, 2, 3, 1000};

absl::CivilDay Day(const std::string& text) {
  absl::CivilDay day;
  EXPECT_TRUE(absl::ParseCivilTime(text, &day)) << "not a date: \"" << text << "\"";
  return day;
}

// Where each administrative unit code is valid, written out independently of
// districts.cc.
bool UnitValidOn(const std::string& code, absl::CivilDay day) {
  const absl::CivilDay long_dat(2025, 1, 1);
  const absl::CivilDay merger(2025, 7, 1);
  if (code == "752" || code == "753") return day < long_dat;
  if (code == "757") return long_dat <= day && day < merger;
  if (code == "79") return merger <= day;
  const std::set<std::string> districts = {"747", "748", "750", "751", "754", "755"};
  return districts.contains(code) && day < merger;
}

TEST(EnterpriseRowsTest, TaxCodesAreValidAndUnique) {
  for (uint64_t seed : kSeeds) {
    const ParsedSample sample = ParseSample(seed);
    const ParsedTable& table = sample.Table("enterprises.csv");
    std::set<std::string> codes;
    int branches = 0;
    for (const CsvRecord& row : table.rows()) {
      const std::string& code = table.Cell(row, "tax_code");
      EXPECT_TRUE(core::ValidateTaxCode(code).ok()) << core::ValidateTaxCode(code);
      EXPECT_TRUE(codes.insert(code).second) << "duplicate tax code " << code;
      if (code.size() == 14) {
        ++branches;
        EXPECT_TRUE(codes.contains(code.substr(0, 10))) << "branch before its enterprise: " << code;
      } else {
        EXPECT_EQ(code.size(), 10u) << code;
      }
    }
    EXPECT_GE(branches, 3) << "seed " << seed;
    EXPECT_LE(branches, 15) << "seed " << seed;
  }
}

TEST(EnterpriseRowsTest, CountsAreInTheRequestedRanges) {
  for (uint64_t seed : kSeeds) {
    const ParsedSample sample = ParseSample(seed);
    const ParsedTable& table = sample.Table("enterprises.csv");
    int digital = 0;
    int dx = 0;
    int dissolved = 0;
    int suspended = 0;
    int smes = 0;
    for (const CsvRecord& row : table.rows()) {
      const std::vector<std::string> categories =
          absl::StrSplit(table.Cell(row, "categories"), ';', absl::SkipEmpty());
      const bool is_digital = std::find(categories.begin(), categories.end(),
                                        "digital_technology") != categories.end();
      digital += is_digital;
      if (table.Cell(row, "capabilities") == "dx_solutions") {
        ++dx;
        EXPECT_TRUE(is_digital) << table.Cell(row, "tax_code");
      } else {
        EXPECT_EQ(table.Cell(row, "capabilities"), "");
      }
      dissolved += table.Cell(row, "status") == "ENTERPRISE_STATUS_DISSOLVED";
      suspended += table.Cell(row, "status") == "ENTERPRISE_STATUS_SUSPENDED";
      smes += table.Cell(row, "is_sme") == "true";
    }
    const int rows = static_cast<int>(table.rows().size());
    EXPECT_GE(rows, 430) << "seed " << seed;
    EXPECT_LE(rows, 470) << "seed " << seed;
    EXPECT_GE(digital, 300) << "seed " << seed;
    EXPECT_LE(digital, 380) << "seed " << seed;
    EXPECT_GE(dx, 50) << "seed " << seed;
    EXPECT_LE(dx, 60) << "seed " << seed;
    EXPECT_GE(dissolved, 5) << "seed " << seed;
    EXPECT_GE(suspended, 3) << "seed " << seed;
    EXPECT_GT(smes, rows * 8 / 10) << "most are SMEs; seed " << seed;
  }
}

TEST(EnterpriseRowsTest, RowsAreConsistent) {
  const std::map<std::string, std::string> sme_by_size = {{"SIZE_CLASS_MICRO", "true"},
                                                          {"SIZE_CLASS_SMALL", "true"},
                                                          {"SIZE_CLASS_MEDIUM", "true"},
                                                          {"SIZE_CLASS_LARGE", "false"},
                                                          {"SIZE_CLASS_UNSPECIFIED", "false"}};
  const absl::CivilDay first(2019, 1, 1);
  const absl::CivilDay last(2026, 10, 31);
  for (uint64_t seed : kSeeds) {
    const ParsedSample sample = ParseSample(seed);
    const ParsedTable& table = sample.Table("enterprises.csv");
    std::set<std::string> names;
    for (const CsvRecord& row : table.rows()) {
      const std::string& code = table.Cell(row, "tax_code");
      SCOPED_TRACE(code);
      EXPECT_TRUE(names.insert(table.Cell(row, "name_vi")).second);
      EXPECT_FALSE(table.Cell(row, "address").empty());
      const absl::CivilDay registered = Day(table.Cell(row, "registration_date"));
      EXPECT_GE(registered, first);
      EXPECT_LE(registered, last);
      EXPECT_TRUE(UnitValidOn(table.Cell(row, "administrative_unit_code"), registered))
          << table.Cell(row, "administrative_unit_code") << " on " << registered;

      for (absl::string_view industry : absl::StrSplit(table.Cell(row, "industry_codes"), ';')) {
        EXPECT_EQ(industry.size(), 4u) << industry;
      }
      const auto sme = sme_by_size.find(table.Cell(row, "size_class"));
      ASSERT_NE(sme, sme_by_size.end()) << table.Cell(row, "size_class");
      EXPECT_EQ(table.Cell(row, "is_sme"), sme->second);
      EXPECT_EQ(sme->first == "SIZE_CLASS_UNSPECIFIED", code.size() == 14);

      const std::string& status = table.Cell(row, "status");
      const std::string& dissolution = table.Cell(row, "dissolution_date");
      const std::string& since = table.Cell(row, "status_since");
      if (status == "ENTERPRISE_STATUS_DISSOLVED") {
        EXPECT_GT(Day(dissolution), registered);
        EXPECT_LE(Day(dissolution), last);
        EXPECT_EQ(since, dissolution);
      } else if (status == "ENTERPRISE_STATUS_SUSPENDED") {
        EXPECT_EQ(dissolution, "");
        EXPECT_GE(Day(since), registered);
        EXPECT_LE(Day(since), last);
      } else {
        EXPECT_EQ(status, "ENTERPRISE_STATUS_ACTIVE");
        EXPECT_EQ(dissolution, "");
        EXPECT_EQ(since, "");
      }

      const std::string& adopted = table.Cell(row, "platform_adopted");
      const std::string& adopted_since = table.Cell(row, "platform_adopted_since");
      if (adopted == "true") {
        EXPECT_EQ(table.Cell(row, "is_sme"), "true");
        EXPECT_GE(Day(adopted_since), registered);
        if (!dissolution.empty()) {
          EXPECT_LT(Day(adopted_since), Day(dissolution));
        }
      } else {
        EXPECT_EQ(adopted, "false");
        EXPECT_EQ(adopted_since, "");
      }
    }
  }
}

// The derived indicators of the seed plan, counted from the rows, look like a
// province growing its digital economy: more digital technology enterprises
// every year, near 300 by the end of 2025, and a rising share of SMEs on
// digital platforms, near half by then.
TEST(EnterpriseRowsTest, YearEndFiguresArePlausible) {
  for (uint64_t seed : kSeeds) {
    SCOPED_TRACE(seed);
    Random random(seed);
    const std::vector<EnterpriseRow> rows = GenerateEnterprises(random);
    const std::vector<YearEndFigures> figures = FiguresByYear(rows, {});
    ASSERT_EQ(figures.size(), 8u);
    for (size_t i = 1; i < figures.size(); ++i) {
      EXPECT_GT(figures[i].digital_technology, figures[i - 1].digital_technology);
    }
    // The first years have few SMEs, so compare every other year.
    for (size_t i = 3; i < figures.size(); i += 2) {
      EXPECT_GT(figures[i].active_smes_adopting * 1000 / figures[i].active_smes,
                figures[i - 2].active_smes_adopting * 1000 / figures[i - 2].active_smes);
    }
    const YearEndFigures& end_2025 = figures[6];
    EXPECT_EQ(end_2025.day, absl::CivilDay(2025, 12, 31));
    EXPECT_GE(end_2025.digital_technology, 270);
    EXPECT_LE(end_2025.digital_technology, 340);
    EXPECT_GE(end_2025.dx_solutions, 40);
    EXPECT_LE(end_2025.dx_solutions, 60);
    EXPECT_GE(end_2025.active_smes_adopting * 100, end_2025.active_smes * 45);
    EXPECT_LE(end_2025.active_smes_adopting * 100, end_2025.active_smes * 65);
  }
}

TEST(EnterpriseRowsTest, PercentRoundsToOneDecimal) {
  EXPECT_EQ(Percent(1, 3), "33.3%");
  EXPECT_EQ(Percent(2, 3), "66.7%");
  EXPECT_EQ(Percent(3, 3), "100.0%");
  EXPECT_EQ(Percent(0, 0), "–");
}

}  // namespace
}  // namespace tiendo::sample
