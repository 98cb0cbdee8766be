#include "tools/sample-data/public_service_rows.h"

#include <algorithm>
#include <array>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/sample-data/dates.h"
#include "tools/sample-data/districts.h"
#include "tools/sample-data/generator_version.h"
#include "tools/sample-data/procedures.h"

namespace tiendo::sample {
namespace {

constexpr absl::string_view kProvinceLevel = "ADMINISTRATIVE_LEVEL_PROVINCE";
constexpr absl::string_view kDistrictLevel = "ADMINISTRATIVE_LEVEL_DISTRICT";
constexpr absl::string_view kActive = "PUBLIC_SERVICE_STATUS_ACTIVE";
constexpr absl::string_view kAbolished = "PUBLIC_SERVICE_STATUS_ABOLISHED";

constexpr absl::CivilDay kCatalogueStart(2016, 1, 1);
// Most procedures in force today were in the catalogue by 2020.
constexpr absl::CivilDay kCatalogueSettled(2020, 1, 1);
constexpr absl::CivilDay kRecentProcedures(2024, 7, 1);
constexpr absl::CivilDay kLastCatalogueDay(2025, 6, 30);

constexpr int kEligiblePerMille = 820;
// Of the procedures eligible in a year, per mille that went fully online in
// 2020, 2021, …, 2026, and (last) not yet.
constexpr std::array<int, 8> kOnlineFrom = {100, 200, 250, 225, 190, 20, 10, 5};
constexpr int kIntegratedPerMille = 980;
// Provincial procedures abolished at some point (district ones all end with
// their district).
constexpr int kAbolishedPerMille = 30;
// dept-ic's procedures whose record names the Department of Science and
// Technology, which took them over on 2025-03-01; the others still name the
// department that owned them when they were recorded.
constexpr int kReassignedPerMille = 600;

struct Owner {
  std::string reporting_unit_id;
  std::string department;
  absl::string_view level;
  const District* district = nullptr;
};

std::string CommitteeName(const District& district) {
  std::string name(district.name_vi);
  // "Thành phố Vũng Tàu" → "Ủy ban nhân dân thành phố Vũng Tàu" (the first
  // letter of every district type word is ASCII).
  name[0] = absl::ascii_tolower(static_cast<unsigned char>(name[0]));
  return absl::StrCat("Ủy ban nhân dân ", name);
}

std::string NewCode(Random& random, int level_digit, int max, std::set<std::string>& taken) {
  for (;;) {
    std::string code = absl::StrFormat("%d.%06d", level_digit, random.Between(100, max));
    if (taken.insert(code).second) return code;
  }
}

// The procedure's lifetime: when it came into force and, if so, when it was
// abolished.
void DrawLifetime(Random& random, const Owner& owner, PublicServiceRow& row) {
  if (owner.district == nullptr) {
    const size_t era = random.Weighted({700, 200, 100});
    row.effective_from =
        era == 0   ? DayBetween(random, kCatalogueStart, kCatalogueSettled - 1)
        : era == 1 ? DayBetween(random, kCatalogueSettled, kRecentProcedures - 1)
                   : DayBetween(random, kRecentProcedures, kLastCatalogueDay);
    if (random.PerMille(kAbolishedPerMille) && *row.effective_from + 365 <= kLastCatalogueDay) {
      row.abolished_date = DayBetween(random, *row.effective_from + 365, kDataEnd);
    }
    return;
  }
  // District procedures end with their district: Long Điền's and Đất Đỏ's
  // when Long Đất took over, every district's when the level was abolished.
  if (owner.district->valid_from > kCatalogueStart) {
    row.effective_from = owner.district->valid_from;
  } else {
    row.effective_from = random.PerMille(800)
                             ? DayBetween(random, kCatalogueStart, kCatalogueSettled - 1)
                             : DayBetween(random, kCatalogueSettled, kRecentProcedures - 1);
  }
  row.abolished_date = owner.district->valid_to + 1;
}

// Eligibility, full-process online and integration on the national portal,
// each with its first day; nothing happens after the procedure ends.
void DrawOnlineProvision(Random& random, PublicServiceRow& row) {
  row.eligible_full_process_online = random.PerMille(kEligiblePerMille);
  if (!row.eligible_full_process_online) return;
  const absl::CivilDay last_day =
      row.abolished_date.has_value() ? *row.abolished_date - 1 : kDataEnd;
  const size_t year_index =
      random.Weighted(std::vector<int>(kOnlineFrom.begin(), kOnlineFrom.end()));
  if (year_index + 1 == kOnlineFrom.size()) return;
  const int year = 2020 + static_cast<int>(year_index);
  const absl::CivilDay in_year = DayBetween(random, absl::CivilDay(year, 1, 1),
                                            Earlier(absl::CivilDay(year, 12, 31), kDataEnd));
  const absl::CivilDay online = Later(*row.effective_from, in_year);
  if (online > last_day) return;
  row.full_process_online = true;
  row.full_process_online_since = online;
  if (!random.PerMille(kIntegratedPerMille)) return;
  const absl::CivilDay integrated = online + random.Between(0, 180);
  if (integrated > last_day) return;
  row.integrated_national_portal = true;
  row.integrated_national_portal_since = integrated;
}

PublicServiceRow DrawService(Random& random, const Owner& owner, const Procedure& procedure,
                             std::set<std::string>& codes) {
  PublicServiceRow row;
  row.procedure_code = owner.district == nullptr ? NewCode(random, 1, 13999, codes)
                                                 : NewCode(random, 2, 2999, codes);
  // Every procedure is in the province's catalogue (PublicService requires a
  // province-level unit); district procedures are told apart by their level.
  row.administrative_unit_code = std::string(kProvinceCode);
  row.id = absl::StrCat(row.administrative_unit_code, ":", row.procedure_code);
  row.name_vi = procedure.name_vi;
  row.name_en = procedure.name_en;
  row.sector = procedure.sector;
  row.owning_department = owner.department;
  row.owning_reporting_unit_id = owner.reporting_unit_id;
  if (owner.reporting_unit_id == "dept-ic" && random.PerMille(kReassignedPerMille)) {
    row.owning_department = "Sở Khoa học và Công nghệ";
    row.owning_reporting_unit_id = "dept-st";
  }
  row.level = owner.level;
  DrawLifetime(random, owner, row);
  DrawOnlineProvision(random, row);
  row.status = row.abolished_date.has_value() && *row.abolished_date <= kDataEnd ? kAbolished
                                                                                 : kActive;
  row.source_system = std::string(kSourceSystem);
  return row;
}

std::string Day(const std::optional<absl::CivilDay>& day) {
  return day.has_value() ? FormatDay(*day) : "";
}

}  // namespace

bool PublicServiceRow::InForceOn(absl::CivilDay day) const {
  return (!effective_from.has_value() || *effective_from <= day) &&
         (!abolished_date.has_value() || day < *abolished_date);
}

bool PublicServiceRow::FullProcessOnlineOn(absl::CivilDay day) const {
  return full_process_online && full_process_online_since.has_value() &&
         *full_process_online_since <= day;
}

bool PublicServiceRow::IntegratedOn(absl::CivilDay day) const {
  return integrated_national_portal && integrated_national_portal_since.has_value() &&
         *integrated_national_portal_since <= day;
}

std::vector<PublicServiceRow> GeneratePublicServices(Random& random) {
  std::vector<Owner> owners = {
      {"dept-ic", "Sở Thông tin và Truyền thông", kProvinceLevel},
      {"dept-st", "Sở Khoa học và Công nghệ", kProvinceLevel},
      {"dept-pi", "Sở Kế hoạch và Đầu tư", kProvinceLevel},
  };
  for (const District& district : Districts()) {
    owners.push_back({absl::StrCat("pc-", district.code), CommitteeName(district),
                      kDistrictLevel, &district});
  }
  std::set<std::string> codes;
  std::vector<PublicServiceRow> rows;
  for (const Owner& owner : owners) {
    const std::vector<Procedure> procedures = owner.district == nullptr
                                                  ? DepartmentProcedures(owner.reporting_unit_id)
                                                  : DistrictProcedures();
    for (const Procedure& procedure : procedures) {
      // Not every committee lists every district procedure.
      if (owner.district != nullptr && random.PerMille(120)) continue;
      rows.push_back(DrawService(random, owner, procedure, codes));
    }
  }
  std::sort(rows.begin(), rows.end(),
            [](const PublicServiceRow& a, const PublicServiceRow& b) { return a.id < b.id; });
  return rows;
}

const CsvRecord& PublicServiceHeader() {
  static const CsvRecord* const header = new CsvRecord{"id",
                                                       "procedure_code",
                                                       "name_vi",
                                                       "name_en",
                                                       "sector",
                                                       "owning_department",
                                                       "owning_reporting_unit_id",
                                                       "administrative_unit_code",
                                                       "level",
                                                       "eligible_full_process_online",
                                                       "full_process_online",
                                                       "full_process_online_since",
                                                       "integrated_national_portal",
                                                       "integrated_national_portal_since",
                                                       "status",
                                                       "effective_from",
                                                       "abolished_date",
                                                       "synthetic",
                                                       "source_system"};
  return *header;
}

CsvRecord PublicServiceRecord(const PublicServiceRow& row) {
  auto flag = [](bool value) -> std::string { return value ? "true" : "false"; };
  return {row.id,
          row.procedure_code,
          row.name_vi,
          row.name_en,
          row.sector,
          row.owning_department,
          row.owning_reporting_unit_id,
          row.administrative_unit_code,
          std::string(row.level),
          flag(row.eligible_full_process_online),
          flag(row.full_process_online),
          Day(row.full_process_online_since),
          flag(row.integrated_national_portal),
          Day(row.integrated_national_portal_since),
          std::string(row.status),
          Day(row.effective_from),
          Day(row.abolished_date),
          "true",
          row.source_system};
}

}  // namespace tiendo::sample
