#include "tools/sample-data/figures_by_year.h"

#include "absl/strings/str_format.h"
#include "tools/sample-data/dates.h"

namespace tiendo::sample {
namespace {

bool RegisteredAndNotDissolved(const EnterpriseRow& row, absl::CivilDay day) {
  return row.registration_date <= day &&
         (!row.dissolution_date.has_value() || day < *row.dissolution_date);
}

bool SuspendedOn(const EnterpriseRow& row, absl::CivilDay day) {
  return row.status == "ENTERPRISE_STATUS_SUSPENDED" && row.status_since.has_value() &&
         *row.status_since <= day;
}

YearEndFigures FiguresOn(absl::CivilDay day, const std::vector<EnterpriseRow>& enterprises,
                         const std::vector<PublicServiceRow>& services) {
  YearEndFigures figures;
  figures.day = day;
  for (const EnterpriseRow& row : enterprises) {
    if (!RegisteredAndNotDissolved(row, day)) continue;
    if (row.HasCategory(kDigitalTechnologyCategory)) {
      ++figures.digital_technology;
      if (row.HasCapability(kDxSolutionsCapability)) ++figures.dx_solutions;
    }
    if (row.is_sme && !SuspendedOn(row, day)) {
      ++figures.active_smes;
      if (row.platform_adopted && row.platform_adopted_since.has_value() &&
          *row.platform_adopted_since <= day) {
        ++figures.active_smes_adopting;
      }
    }
  }
  for (const PublicServiceRow& row : services) {
    if (!row.InForceOn(day)) continue;
    if (row.eligible_full_process_online) {
      ++figures.eligible_procedures;
      if (row.FullProcessOnlineOn(day)) ++figures.eligible_online;
    }
    if (row.FullProcessOnlineOn(day)) {
      ++figures.online_procedures;
      if (row.IntegratedOn(day)) ++figures.online_integrated;
    }
  }
  return figures;
}

}  // namespace

std::vector<YearEndFigures> FiguresByYear(const std::vector<EnterpriseRow>& enterprises,
                                          const std::vector<PublicServiceRow>& services) {
  std::vector<YearEndFigures> figures;
  for (int year = 2019; year <= 2025; ++year) {
    figures.push_back(FiguresOn(absl::CivilDay(year, 12, 31), enterprises, services));
  }
  figures.push_back(FiguresOn(kDataEnd, enterprises, services));
  return figures;
}

std::string Percent(int numerator, int denominator) {
  if (denominator == 0) return "–";
  // Rounded to one decimal with integers only.
  const int tenths = (numerator * 2000 / denominator + 1) / 2;
  return absl::StrFormat("%d.%d%%", tenths / 10, tenths % 10);
}

}  // namespace tiendo::sample
