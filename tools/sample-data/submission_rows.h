// Synthetic submissions (submissions.csv): monthly and quarterly figures for
// 2023-01..2026-09 of the two reported indicators of the seed plan, as the
// reporting units would send them to metrics-ingest, in the order they were
// sent; with corrections, resent duplicates, late reports, retractions and a
// handful of deliberately invalid rows (their comment starts "INVALID:").
//
// Who reports what:
// - dept-ic, the Department of Information and Communications, for periods
//   ending by 2025-02-28 (it merged into dept-st on 2025-03-01), and dept-st
//   for the later ones; public-service-portal for every period. Each reports
//   one figure per district valid throughout the period, and from 2025-07
//   (no more districts) one undisaggregated figure (district empty) for the
//   whole former province.
// - each district People's Committee (pc-747 … pc-755, pc-757) reports its
//   own district for the periods its district existed through.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "tools/sample-data/csv.h"
#include "tools/sample-data/random.h"

namespace tiendo::sample {

inline constexpr absl::string_view kReport = "SUBMISSION_KIND_REPORT";
inline constexpr absl::string_view kRetraction = "SUBMISSION_KIND_RETRACTION";
inline constexpr absl::string_view kInvalidMark = "INVALID:";
// Ends the comment of an invalid row, before the reason ingest refuses it with.
inline constexpr absl::string_view kRefusedAs = "; refused as ";

// One row of submissions.csv; field names follow tiendo.ingest.v1.Submission
// (district is the `district` disaggregation; empty = none).
struct SubmissionRow {
  std::string submission_id;
  std::string reporting_unit_id;
  std::string indicator_id;
  std::string period;
  std::string district;
  std::optional<int64_t> value;
  std::optional<int64_t> numerator;
  std::optional<int64_t> denominator;
  absl::string_view kind = kReport;
  absl::CivilSecond submitted_at;
  std::string source_system;
  std::string comment;
  // When the row was (re)sent; rows are written in this order. Equal to
  // submitted_at except for resent duplicates. Not written.
  absl::CivilSecond sent_at;
};

// The submissions in the order they were sent.
std::vector<SubmissionRow> GenerateSubmissions(Random& random);

const CsvRecord& SubmissionHeader();
CsvRecord SubmissionRecord(const SubmissionRow& row);

}  // namespace tiendo::sample
