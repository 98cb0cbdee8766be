#include "tools/sample-data/enterprise_rows.h"

#include <algorithm>
#include <array>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "tools/sample-data/addresses.h"
#include "tools/sample-data/dates.h"
#include "tools/sample-data/districts.h"
#include "tools/sample-data/enterprise_names.h"
#include "tools/sample-data/generator_version.h"
#include "tools/sample-data/lines_of_business.h"
#include "tools/sample-data/tax_codes.h"

namespace tiendo::sample {
namespace {

constexpr int kFirstYear = 2019;
constexpr int kLastYear = 2026;
constexpr int kYears = kLastYear - kFirstYear + 1;

// Companies (not counting branches), and how many of them are digital
// technology enterprises (the rest are drawn from the other lines).
constexpr int kCompanies = 442;
constexpr int kDigitalTechnologyMin = 354;
constexpr int kDigitalTechnologyMax = 364;
constexpr int kBranches = 8;
// Enterprises able to build solutions for the digital transformation
// programme (T2 of the plan: about 50 by 2025, 80 by 2030).
constexpr int kDxSolutionsMin = 52;
constexpr int kDxSolutionsMax = 58;

// Relative registrations per year, 2019..2026 (2026 has ten months).
constexpr std::array<int, kYears> kDigitalRegistrations = {100, 108, 122, 136, 150, 164, 178, 150};
constexpr std::array<int, kYears> kOtherRegistrations = {100, 96, 100, 104, 106, 108, 110, 90};

// Per mille of new SMEs that use a digital platform from the day they
// register, by year of registration; and of the SMEs not yet using one that
// start to within a year, by year.
constexpr std::array<int, kYears> kAdoptAtRegistration = {60, 80, 100, 130, 160, 190, 220, 250};
constexpr std::array<int, kYears> kAdoptWithinYear = {60, 85, 100, 115, 135, 160, 185, 200};
// Digital technology enterprises take up platforms more readily.
constexpr int kDigitalAdoptionBonus = 60;

struct SizeClassShare {
  absl::string_view name;
  bool is_sme;
  int per_mille;
};
constexpr std::array<SizeClassShare, 4> kSizeClasses = {{
    {"SIZE_CLASS_MICRO", true, 560},
    {"SIZE_CLASS_SMALL", true, 300},
    {"SIZE_CLASS_MEDIUM", true, 100},
    {"SIZE_CLASS_LARGE", false, 40},
}};

constexpr int kDissolvedPerMille = 70;
constexpr int kSuspendedPerMille = 40;

template <size_t N>
std::vector<int> Weights(const std::array<int, N>& values) {
  return std::vector<int>(values.begin(), values.end());
}

absl::CivilDay RegistrationDay(Random& random, bool digital) {
  const size_t year_index =
      random.Weighted(Weights(digital ? kDigitalRegistrations : kOtherRegistrations));
  const int year = kFirstYear + static_cast<int>(year_index);
  return DayBetween(random, absl::CivilDay(year, 1, 1),
                    Earlier(absl::CivilDay(year, 12, 31), kDataEnd));
}

const LineOfBusiness& DrawLine(Random& random, bool digital) {
  std::vector<const LineOfBusiness*> lines;
  std::vector<int> weights;
  for (const LineOfBusiness& line : LinesOfBusiness()) {
    if (line.digital_technology != digital) continue;
    lines.push_back(&line);
    weights.push_back(line.weight);
  }
  return *lines[random.Weighted(weights)];
}

const District& DrawHomeArea(Random& random) {
  const std::vector<const District*> areas = HomeAreas();
  std::vector<int> weights;
  for (const District* area : areas) weights.push_back(area->enterprise_weight);
  return *areas[random.Weighted(weights)];
}

// The main line's code first, then up to two more of the line's codes in
// their listed order.
std::vector<std::string> IndustryCodes(Random& random, const LineOfBusiness& line) {
  std::vector<std::string> codes = {std::string(line.industry_codes[0])};
  const int extras = static_cast<int>(random.Between(0, 2));
  std::vector<size_t> others;
  for (size_t i = 1; i < line.industry_codes.size(); ++i) others.push_back(i);
  random.Shuffle(others);
  others.resize(std::min<size_t>(others.size(), static_cast<size_t>(extras)));
  std::sort(others.begin(), others.end());
  for (size_t i : others) codes.emplace_back(line.industry_codes[i]);
  return codes;
}

// Dissolution or suspension, if any.
void DrawStatus(Random& random, EnterpriseRow& row) {
  row.status = "ENTERPRISE_STATUS_ACTIVE";
  if (random.PerMille(kDissolvedPerMille) && row.registration_date + 180 <= kDataEnd) {
    row.dissolution_date = DayBetween(random, row.registration_date + 180, kDataEnd);
    row.status = "ENTERPRISE_STATUS_DISSOLVED";
    row.status_since = row.dissolution_date;
  } else if (random.PerMille(kSuspendedPerMille) && row.registration_date + 90 <= kDataEnd) {
    row.status = "ENTERPRISE_STATUS_SUSPENDED";
    row.status_since = DayBetween(random, row.registration_date + 90, kDataEnd);
  }
}

// Whether and since when an SME uses a digital platform: from registration
// for some, otherwise starting in any year with that year's chance (pro rata
// for a partial year), and only while it exists.
void DrawPlatformAdoption(Random& random, bool digital, EnterpriseRow& row) {
  const int bonus = digital ? kDigitalAdoptionBonus : 0;
  const absl::CivilDay last_day =
      row.dissolution_date.has_value() ? *row.dissolution_date - 1 : kDataEnd;
  const int registered_year = static_cast<int>(row.registration_date.year());
  if (random.PerMille(kAdoptAtRegistration[registered_year - kFirstYear] + bonus)) {
    row.platform_adopted = true;
    row.platform_adopted_since = row.registration_date;
    return;
  }
  for (int year = registered_year; year <= kLastYear; ++year) {
    const absl::CivilDay first = Later(row.registration_date + 1, absl::CivilDay(year, 1, 1));
    const absl::CivilDay last = Earlier(absl::CivilDay(year, 12, 31), last_day);
    if (first > last) continue;
    const int64_t days = last - first + 1;
    const int per_mille =
        static_cast<int>((kAdoptWithinYear[year - kFirstYear] + bonus) * days / 365);
    if (random.PerMille(per_mille)) {
      row.platform_adopted = true;
      row.platform_adopted_since = DayBetween(random, first, last);
      return;
    }
  }
}

struct DrawnCompany {
  EnterpriseRow row;
  bool builds_solutions = false;
};

DrawnCompany DrawCompany(Random& random, bool digital, std::set<std::string>& names) {
  EnterpriseRow row;
  const LineOfBusiness& line = DrawLine(random, digital);
  const District& home = DrawHomeArea(random);
  row.registration_date = RegistrationDay(random, digital);
  const EnterpriseName name = MakeEnterpriseName(random, line, names);
  row.name_vi = name.name_vi;
  row.name_en = name.name_en;
  row.short_name = name.short_name;
  row.administrative_unit_code = std::string(UnitCodeOn(home, row.registration_date));
  row.address = MakeAddress(random, home, row.registration_date);
  row.industry_codes = IndustryCodes(random, line);

  std::vector<int> size_weights;
  for (const SizeClassShare& share : kSizeClasses) size_weights.push_back(share.per_mille);
  const SizeClassShare& size = kSizeClasses[random.Weighted(size_weights)];
  row.size_class = size.name;
  row.is_sme = size.is_sme;

  if (digital) row.categories.emplace_back(kDigitalTechnologyCategory);
  const bool young_and_small = row.registration_date.year() >= 2021 &&
                               (size.name == "SIZE_CLASS_MICRO" || size.name == "SIZE_CLASS_SMALL");
  if (young_and_small && random.PerMille(digital ? 120 : 30)) {
    row.categories.emplace_back(kInnovativeStartupCategory);
  }
  DrawStatus(random, row);
  if (row.is_sme) DrawPlatformAdoption(random, digital, row);
  row.source_system = std::string(kSourceSystem);
  return {std::move(row), line.builds_solutions};
}

// Gives the capability to a random subset of the digital technology
// enterprises whose line builds solutions and that still exist.
void DrawDxSolutions(Random& random, std::vector<DrawnCompany>& companies) {
  std::vector<size_t> candidates;
  for (size_t i = 0; i < companies.size(); ++i) {
    const EnterpriseRow& row = companies[i].row;
    if (companies[i].builds_solutions && row.HasCategory(kDigitalTechnologyCategory) &&
        !row.dissolution_date.has_value()) {
      candidates.push_back(i);
    }
  }
  random.Shuffle(candidates);
  const size_t count = static_cast<size_t>(random.Between(kDxSolutionsMin, kDxSolutionsMax));
  candidates.resize(std::min(count, candidates.size()));
  for (size_t i : candidates) companies[i].row.capabilities.emplace_back(kDxSolutionsCapability);
}

// Branches of a few existing, larger companies, each in another area.
std::vector<EnterpriseRow> DrawBranches(Random& random,
                                        const std::vector<EnterpriseRow>& companies) {
  std::vector<size_t> parents;
  for (size_t i = 0; i < companies.size(); ++i) {
    const EnterpriseRow& row = companies[i];
    if (row.size_class != "SIZE_CLASS_MICRO" && !row.dissolution_date.has_value() &&
        row.registration_date + 120 <= kDataEnd) {
      parents.push_back(i);
    }
  }
  random.Shuffle(parents);
  std::vector<EnterpriseRow> branches;
  std::vector<int> branch_count(companies.size(), 0);
  std::vector<std::set<absl::string_view>> branch_places(companies.size());
  for (int b = 0; b < kBranches && !parents.empty(); ++b) {
    // The last branch is the first parent's second one (branch 002).
    const size_t parent_index =
        parents[b + 1 < kBranches ? static_cast<size_t>(b) % parents.size() : 0];
    const EnterpriseRow& parent = companies[parent_index];
    // Not the head office's registered district, nor the other branch's.
    const std::vector<const District*> areas = HomeAreas();
    const District* place = random.Pick(areas);
    while (place->code == parent.administrative_unit_code ||
           branch_places[parent_index].contains(place->code)) {
      place = random.Pick(areas);
    }
    branch_places[parent_index].insert(place->code);

    EnterpriseRow branch;
    branch.tax_code = BranchTaxCode(parent.tax_code, ++branch_count[parent_index]);
    const EnterpriseName name = MakeBranchName({parent.name_vi, parent.name_en, ""}, *place);
    branch.name_vi = name.name_vi;
    branch.name_en = name.name_en;
    branch.registration_date = DayBetween(random, parent.registration_date + 60, kDataEnd);
    branch.administrative_unit_code = std::string(UnitCodeOn(*place, branch.registration_date));
    branch.address = MakeAddress(random, *place, branch.registration_date);
    branch.industry_codes = {parent.industry_codes[0]};
    // A branch is a dependent unit, not an enterprise of its own: no size
    // class, categories or platform use, so that no indicator counts it.
    branch.size_class = "SIZE_CLASS_UNSPECIFIED";
    branch.status = "ENTERPRISE_STATUS_ACTIVE";
    branch.source_system = std::string(kSourceSystem);
    branches.push_back(std::move(branch));
  }
  return branches;
}

std::string Day(const std::optional<absl::CivilDay>& day) {
  return day.has_value() ? FormatDay(*day) : "";
}

}  // namespace

bool EnterpriseRow::HasCategory(absl::string_view category) const {
  return std::find(categories.begin(), categories.end(), category) != categories.end();
}

bool EnterpriseRow::HasCapability(absl::string_view capability) const {
  return std::find(capabilities.begin(), capabilities.end(), capability) != capabilities.end();
}

std::vector<EnterpriseRow> GenerateEnterprises(Random& random) {
  const int digital =
      static_cast<int>(random.Between(kDigitalTechnologyMin, kDigitalTechnologyMax));
  std::set<std::string> names;
  std::vector<DrawnCompany> drawn;
  for (int i = 0; i < kCompanies; ++i) drawn.push_back(DrawCompany(random, i < digital, names));
  // Tax codes rise with the registration date, as the tax authority assigns
  // them.
  std::sort(drawn.begin(), drawn.end(), [](const DrawnCompany& a, const DrawnCompany& b) {
    return std::tie(a.row.registration_date, a.row.name_vi) <
           std::tie(b.row.registration_date, b.row.name_vi);
  });
  TaxCodeSequence tax_codes;
  for (DrawnCompany& company : drawn) company.row.tax_code = tax_codes.Next(random);
  DrawDxSolutions(random, drawn);

  std::vector<EnterpriseRow> rows;
  for (DrawnCompany& company : drawn) rows.push_back(std::move(company.row));
  std::vector<EnterpriseRow> branches = DrawBranches(random, rows);
  rows.insert(rows.end(), branches.begin(), branches.end());
  std::sort(rows.begin(), rows.end(), [](const EnterpriseRow& a, const EnterpriseRow& b) {
    return a.tax_code < b.tax_code;
  });
  return rows;
}

const CsvRecord& EnterpriseHeader() {
  static const CsvRecord* const header = new CsvRecord{
      "tax_code",         "name_vi",
      "name_en",          "short_name",
      "administrative_unit_code", "address",
      "industry_codes",   "categories",
      "capabilities",     "size_class",
      "is_sme",           "platform_adopted",
      "platform_adopted_since", "registration_date",
      "dissolution_date", "status",
      "status_since",     "synthetic",
      "source_system"};
  return *header;
}

CsvRecord EnterpriseRecord(const EnterpriseRow& row) {
  return {row.tax_code,
          row.name_vi,
          row.name_en,
          row.short_name,
          row.administrative_unit_code,
          row.address,
          JoinList(row.industry_codes),
          JoinList(row.categories),
          JoinList(row.capabilities),
          std::string(row.size_class),
          row.is_sme ? "true" : "false",
          row.platform_adopted ? "true" : "false",
          Day(row.platform_adopted_since),
          FormatDay(row.registration_date),
          Day(row.dissolution_date),
          std::string(row.status),
          Day(row.status_since),
          "true",
          row.source_system};
}

}  // namespace tiendo::sample
