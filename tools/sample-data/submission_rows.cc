#include "tools/sample-data/submission_rows.h"

#include <algorithm>
#include <array>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "services/common/status/check.h"
#include "tools/sample-data/dates.h"
#include "tools/sample-data/invalid_submissions.h"
#include "tools/sample-data/report_periods.h"
#include "tools/sample-data/reporting_units.h"
#include "tools/sample-data/service_figures.h"
#include "tools/sample-data/submission_ids.h"

namespace tiendo::sample {
namespace {

constexpr std::array<absl::string_view, 2> kIndicators = {kUsersAuthenticated,
                                                          kResultsDigitised};

constexpr std::array<absl::string_view, 3> kCorrectionComments = {
    "Điều chỉnh số liệu sau đối soát với Cổng Dịch vụ công quốc gia",
    "Cập nhật số liệu chính thức cuối kỳ",
    "Sửa lỗi nhập liệu",
};

// A regular report and what is needed to make more submissions for its cell.
struct Report {
  SubmissionRow row;
  const Reporter* reporter;
  absl::CivilDay period_last;
  // Already the subject of a correction, late report, retraction or
  // duplicate; each cell gets at most one of those.
  bool special = false;
};

absl::CivilDay DayOf(absl::CivilSecond instant) { return absl::CivilDay(instant); }

// The unit's figure: the true figure with the unit's own counting
// deviation, the numerator never above the denominator.
Ratio Measure(Random& random, const Reporter& reporter, const Ratio& truth) {
  const int64_t count_deviation =
      reporter.system ? random.Between(-5, 5) : random.Between(-25, 25);
  const int64_t share_deviation =
      reporter.system ? random.Between(-15, 15) : random.Between(-60, 60);
  Ratio figure;
  figure.denominator = std::max<int64_t>(1, truth.denominator * (1000 + count_deviation) / 1000);
  figure.numerator = truth.numerator * (1000 + count_deviation) / 1000 +
                     figure.denominator * share_deviation / 10000;
  figure.numerator = std::clamp<int64_t>(figure.numerator, 0, figure.denominator);
  return figure;
}

// A revised figure: recounted, within a few percent of the first.
Ratio Revise(Random& random, const SubmissionRow& row) {
  Ratio figure;
  figure.denominator =
      std::max<int64_t>(1, *row.denominator * (1000 + random.Between(-30, 30)) / 1000);
  figure.numerator = *row.numerator * figure.denominator / *row.denominator +
                     figure.denominator * random.Between(-40, 40) / 10000;
  figure.numerator = std::clamp<int64_t>(figure.numerator, 0, figure.denominator);
  return figure;
}

std::vector<Report> RegularReports(Random& random, const ServiceFigures& figures,
                                   const std::vector<Reporter>& reporters, SubmissionIds& ids) {
  std::vector<Report> reports;
  for (const ReportPeriod& period : ReportPeriods()) {
    for (const Reporter& reporter : reporters) {
      if (!reporter.Reports(period)) continue;
      for (absl::string_view district : reporter.DistrictsFor(period)) {
        for (absl::string_view indicator : kIndicators) {
          const Ratio figure = Measure(
              random, reporter,
              figures.For(indicator, district, period.first_month, period.last_month));
          Report report{{}, &reporter, period.last};
          SubmissionRow& row = report.row;
          row.submission_id = ids.Next(reporter.id, indicator, period.code, district);
          row.reporting_unit_id = reporter.id;
          row.indicator_id = std::string(indicator);
          row.period = period.code;
          row.district = std::string(district);
          row.numerator = figure.numerator;
          row.denominator = figure.denominator;
          row.kind = kReport;
          const absl::CivilDay day =
              period.last + (reporter.system ? random.Between(1, 4) : random.Between(3, 14));
          row.submitted_at = SendTime(random, reporter, day);
          row.sent_at = row.submitted_at;
          row.source_system = reporter.source_system;
          reports.push_back(std::move(report));
        }
      }
    }
  }
  return reports;
}

// A random report not yet picked for anything special, for which `fits`
// holds; marks it picked.
template <typename Fits>
Report& PickReport(Random& random, std::vector<Report>& reports, Fits fits) {
  for (int attempt = 0; attempt < 100000; ++attempt) {
    Report& report = reports[static_cast<size_t>(random.Below(reports.size()))];
    if (report.special || !fits(report)) continue;
    report.special = true;
    return report;
  }
  TIENDO_CHECK(false, "no report fits");
  return reports.front();
}

// A later submission for the same cell, sent `days` after `previous`.
SubmissionRow FollowUp(Random& random, const Report& report, const SubmissionRow& previous,
                       int64_t days, SubmissionIds& ids) {
  SubmissionRow row = previous;
  row.submission_id =
      ids.Next(row.reporting_unit_id, row.indicator_id, row.period, row.district);
  row.submitted_at = SendTime(random, *report.reporter, DayOf(previous.submitted_at) + days);
  row.sent_at = row.submitted_at;
  row.comment.clear();
  return row;
}

void AddCorrections(Random& random, std::vector<Report>& reports, SubmissionIds& ids,
                    std::vector<SubmissionRow>& out) {
  const int64_t count = random.Between(20, 28);
  for (int64_t i = 0; i < count; ++i) {
    // The first few are corrected twice.
    const bool twice = i < 3;
    Report& report = PickReport(random, reports, [&](const Report& r) {
      return DayOf(r.row.submitted_at) + (twice ? 120 : 60) <= r.reporter->last_send_day;
    });
    SubmissionRow previous = report.row;
    for (int revision = 0; revision < (twice ? 2 : 1); ++revision) {
      SubmissionRow correction = FollowUp(random, report, previous, random.Between(5, 60), ids);
      const Ratio revised = Revise(random, previous);
      correction.numerator = revised.numerator;
      correction.denominator = revised.denominator;
      correction.comment = std::string(random.Pick(kCorrectionComments));
      out.push_back(correction);
      previous = correction;
    }
  }
}

void AddRetractions(Random& random, std::vector<Report>& reports, SubmissionIds& ids,
                    std::vector<SubmissionRow>& out) {
  const int64_t count = random.Between(4, 6);
  for (int64_t i = 0; i < count; ++i) {
    Report& report = PickReport(random, reports, [](const Report& r) {
      return DayOf(r.row.submitted_at) + 60 <= r.reporter->last_send_day;
    });
    SubmissionRow retraction = FollowUp(random, report, report.row, random.Between(2, 30), ids);
    retraction.kind = kRetraction;
    retraction.numerator.reset();
    retraction.denominator.reset();
    retraction.comment = i % 2 == 0 ? "Thu hồi để rà soát lại số liệu"
                                    : "Thu hồi: số liệu gửi nhầm kỳ báo cáo";
    out.push_back(retraction);
    // Half are reported again after the review, which restores the cell.
    if (i % 2 == 0) {
      SubmissionRow again = FollowUp(random, report, retraction, random.Between(3, 25), ids);
      const Ratio revised = Revise(random, report.row);
      again.kind = kReport;
      again.numerator = revised.numerator;
      again.denominator = revised.denominator;
      again.comment = "Gửi lại sau khi rà soát";
      out.push_back(again);
    }
  }
}

// Reports that arrived months after their period ended.
void MakeLate(Random& random, std::vector<Report>& reports) {
  const int64_t count = random.Between(12, 18);
  for (int64_t i = 0; i < count; ++i) {
    const int64_t delay = random.Between(60, 200);
    Report& report = PickReport(random, reports, [&](const Report& r) {
      return r.period_last + delay <= r.reporter->last_send_day;
    });
    report.row.submitted_at = SendTime(random, *report.reporter, report.period_last + delay);
    report.row.sent_at = report.row.submitted_at;
    if (random.PerMille(500)) report.row.comment = "Báo cáo bổ sung, gửi muộn";
  }
}

// Reports sent again unchanged (a retry after a lost answer) within two days.
void AddDuplicates(Random& random, std::vector<Report>& reports,
                   std::vector<SubmissionRow>& out) {
  const int64_t count = random.Between(10, 14);
  for (int64_t i = 0; i < count; ++i) {
    Report& report = PickReport(random, reports, [](const Report&) { return true; });
    SubmissionRow again = report.row;
    again.sent_at = report.row.sent_at + random.Between(1, 48) * 3600;
    out.push_back(again);
  }
}

std::string Number(const std::optional<int64_t>& number) {
  return number.has_value() ? absl::StrCat(*number) : "";
}

}  // namespace

std::vector<SubmissionRow> GenerateSubmissions(Random& random) {
  Random figures_random = random.Fork();
  const ServiceFigures figures = ServiceFigures::Generate(figures_random);
  const std::vector<Reporter> reporters = Reporters();
  SubmissionIds ids;
  std::vector<Report> reports = RegularReports(random, figures, reporters, ids);

  std::vector<SubmissionRow> extra;
  AddCorrections(random, reports, ids, extra);
  AddRetractions(random, reports, ids, extra);
  MakeLate(random, reports);
  AddDuplicates(random, reports, extra);
  std::vector<SubmissionRow> invalid = InvalidSubmissions(random, figures, ids);

  std::vector<SubmissionRow> rows;
  for (Report& report : reports) rows.push_back(std::move(report.row));
  rows.insert(rows.end(), extra.begin(), extra.end());
  rows.insert(rows.end(), invalid.begin(), invalid.end());
  std::stable_sort(rows.begin(), rows.end(), [](const SubmissionRow& a, const SubmissionRow& b) {
    return std::tie(a.sent_at, a.submission_id) < std::tie(b.sent_at, b.submission_id);
  });
  return rows;
}

const CsvRecord& SubmissionHeader() {
  static const CsvRecord* const header =
      new CsvRecord{"submission_id", "reporting_unit_id", "indicator_id", "period",
                    "district",      "value",             "numerator",    "denominator",
                    "kind",          "submitted_at",      "source_system", "comment"};
  return *header;
}

CsvRecord SubmissionRecord(const SubmissionRow& row) {
  return {row.submission_id,
          row.reporting_unit_id,
          row.indicator_id,
          row.period,
          row.district,
          Number(row.value),
          Number(row.numerator),
          Number(row.denominator),
          std::string(row.kind),
          FormatUtc(row.submitted_at),
          row.source_system,
          row.comment};
}

}  // namespace tiendo::sample
