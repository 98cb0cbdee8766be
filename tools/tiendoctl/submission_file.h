// A submissions CSV (the layout of data/synthetic/submissions.csv) read for `tiendoctl submit
// --file`: each record onto a tiendo.ingest.v1.Submission by column name (tiendo_rows with
// rows::SubmissionColumnAliases), keeping its line. Records that do not parse here are kept
// apart with their line and reason: they are reported, not sent.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tiendo/ingest/v1/submission.pb.h"

namespace tiendo::ctl {

struct SubmissionRow {
  int line = 0;
  ingest::v1::Submission submission;
};

// A record that did not parse: its line, its submission_id cell if any, and why.
struct UnparsedRow {
  int line = 0;
  std::string submission_id;
  std::string reason;
};

struct SubmissionFile {
  std::vector<SubmissionRow> rows;
  std::vector<UnparsedRow> unparsed;
};

// Reads `text`. Text the CSV reader cannot split, or a header naming no Submission field, is
// an error for the whole file (INVALID_ARGUMENT naming the line or the columns).
absl::StatusOr<SubmissionFile> ParseSubmissionFile(absl::string_view text);

// The rows of one reporting unit, in file order.
struct UnitRows {
  std::string unit;  // the rows' reporting_unit_id ("" for rows without one)
  std::vector<SubmissionRow> rows;
};

// `rows` grouped by reporting_unit_id, the units in the order they first appear.
std::vector<UnitRows> GroupByUnit(std::vector<SubmissionRow> rows);

}  // namespace tiendo::ctl
