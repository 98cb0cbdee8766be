// The report of `tiendoctl submit --file`: counts by outcome, each rejected or unparsable row
// with its CSV line (`FILE:LINE: REJECTED <id> <reason>: <message> (field <field>)`), the rows
// that could not be sent for want of a usable token, and the summary line
// `N items: a accepted, d duplicate, r rejected[, n not sent]`.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "tiendo/ingest/v1/submission_result.pb.h"
#include "tools/tiendoctl/submission_file.h"

namespace tiendo::ctl {

class SubmissionReport {
 public:
  SubmissionReport(std::string file, bool dry_run) : file_(std::move(file)), dry_run_(dry_run) {}

  // The answer to the row at `line`.
  void AddAnswer(int line, const ingest::v1::SubmissionResult& result);
  // DUPLICATE answers that came after a resend (counted by AddAnswer as well).
  void AddDuplicatesAfterResend(int64_t count) { duplicates_after_resend_ += count; }
  // A row that did not parse here: not sent.
  void AddUnparsed(const UnparsedRow& row);
  // Rows not sent, and why (e.g. "of reporting unit pc-747: no token file …").
  void AddUnsent(const std::string& why, const std::vector<int>& lines);

  int64_t items() const { return accepted_ + duplicate_ + rejected_ + not_sent_; }
  // Nothing rejected and nothing left unsent.
  bool clean() const { return rejected_ == 0 && not_sent_ == 0; }

  // Every rejected or unparsable row by line, then each group of unsent rows.
  void PrintRows(std::ostream& out) const;
  // The summary line, without a newline.
  std::string Summary() const;

 private:
  struct Line {
    int line;
    std::string text;
  };

  std::string file_;
  bool dry_run_;
  int64_t accepted_ = 0;
  int64_t duplicate_ = 0;
  int64_t rejected_ = 0;
  int64_t not_sent_ = 0;
  int64_t duplicates_after_resend_ = 0;
  std::vector<Line> lines_;
  std::vector<std::string> unsent_groups_;
};

}  // namespace tiendo::ctl
