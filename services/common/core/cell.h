// Cells: the unit of reported statistics. A cell is keyed by (reporting unit,
// indicator, period, disaggregation); its reading is the figure of the latest
// submission for that key. A later submission for the same cell is a
// correction that supersedes the reading; a retraction withdraws it.
#pragma once

#include <cstdint>
#include <optional>

#include "absl/hash/hash.h"

namespace tiendo::core {

// Names are interned (NameTable) and the period packed (Period::Pack), so a
// key is 16 bytes.
struct CellKey {
  uint32_t reporting_unit = 0;
  uint32_t indicator = 0;
  uint32_t period = 0;
  uint32_t disaggregation = 0;

  friend bool operator==(const CellKey&, const CellKey&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const CellKey& k) {
    return H::combine(std::move(h), k.reporting_unit, k.indicator, k.period, k.disaggregation);
  }
};

// A figure as it stands in a cell, in micro-units (see micros.h).
struct Reading {
  int64_t value = 0;        // the value, or the numerator
  int64_t denominator = 0;  // 0 for a plain value
  // Position of the submission in the submission log; orders readings for
  // the LATEST aggregation rule.
  int64_t sequence = 0;

  friend bool operator==(const Reading&, const Reading&) = default;
};

enum class SubmissionKind : uint8_t { kReport, kRetraction };

// A submission a cell took in: a report, or a retraction (also one that found
// nothing to retract, so that its resend is recognised). A duplicate is not
// one: it was not applied.
struct AppliedSubmission {
  uint64_t fingerprint = 0;  // of the sender's submission id
  int64_t sequence = 0;      // its position in the submission log
  SubmissionKind kind = SubmissionKind::kReport;

  friend bool operator==(const AppliedSubmission&, const AppliedSubmission&) = default;
};

// A submission as the core applies it: already validated and decoded.
struct CellSubmission {
  CellKey key;
  // Fingerprint of the sender's submission id (64-bit hash): the same id
  // applied to the same cell twice is a duplicate.
  uint64_t fingerprint = 0;
  SubmissionKind kind = SubmissionKind::kReport;
  Reading reading;  // ignored for a retraction
};

enum class ApplyOutcome : uint8_t {
  kApplied,      // the cell now holds this submission's reading
  kRetracted,    // the cell's reading was withdrawn
  kDuplicate,    // this submission id was applied to this cell before: no change
  kNothingToRetract,  // a retraction for a cell without a reading: no change
};

// What applying a submission did to its cell.
struct CellChange {
  ApplyOutcome outcome;
  std::optional<Reading> before;
  std::optional<Reading> after;

  bool changed() const { return before != after; }
};

}  // namespace tiendo::core
