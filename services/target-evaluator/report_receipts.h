// Report receipts: which reports the evaluator holds from each reporting unit, per indicator
// and period, and when they arrived — what reporting completeness (completeness.h) judges
// expected reports against. A "report" is everything one unit submitted for one indicator and
// period: all of its cells (one per disaggregation). It is received while at least one of
// those cells holds a reading; a report whose every cell was retracted is not.
//
// The receipts follow the submission log: the engine records every applied submission that
// changed a cell, in log order, so replaying the log from the start rebuilds them exactly,
// and they are kept in the evaluator's snapshot (Encode/Decode) beside the cells.
//
// Not thread-safe: the owner (the engine, under its mutex) synchronises.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/hash/hash.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/core/cell.h"

namespace tiendo::evaluator {

// The report one unit holds for one indicator and period.
struct ReportReceipt {
  // When ingest accepted the submission that made the report stand: the first reading of any
  // of its cells, or the first one after every earlier reading was retracted (a report
  // withdrawn and sent again arrived when it was sent again).
  absl::Time first_accepted_at = absl::InfinitePast();
  // When ingest accepted the latest report, correction or retraction of one of its cells.
  absl::Time last_accepted_at = absl::InfinitePast();
  // How many of its cells hold a reading now; always at least 1 (else no receipt is held).
  int32_t cells_with_reading = 0;

  friend bool operator==(const ReportReceipt&, const ReportReceipt&) = default;
};

class ReportReceipts {
 public:
  // Format version of Encode; Decode reads this version only.
  static constexpr uint32_t kEncodingVersion = 1;

  // Takes in one applied submission for the cell of `reporting_unit_id`, `indicator_id` and
  // `period` (the period's text as submitted, e.g. "2025-Q3"), accepted by ingest at
  // `accepted_at`. `change` is what it did to the cell: a reading where there was none adds a
  // cell to the report, a retraction of a reading removes one, a correction only moves
  // last_accepted_at. A change that left the cell as it was is ignored.
  void Record(absl::string_view reporting_unit_id, absl::string_view indicator_id,
              absl::string_view period, absl::Time accepted_at, const core::CellChange& change);

  // Forgets the receipts of every indicator `dropped` names (the replica no longer holds
  // their submissions). Returns how many receipts it forgot.
  size_t Drop(absl::FunctionRef<bool(absl::string_view indicator_id)> dropped);

  // The report the unit holds for the indicator and period (text as submitted); nullptr when
  // none stands: never received, or every cell retracted. Valid until the next Record, Drop
  // or assignment.
  const ReportReceipt* Find(absl::string_view reporting_unit_id, absl::string_view indicator_id,
                            absl::string_view period) const;

  // How many reports are held.
  size_t size() const { return receipts_.size(); }

  // The receipts as compact bytes (format in report_receipts.cc), for a snapshot.
  std::string Encode() const;

  // Reads what Encode wrote. FAILED_PRECONDITION for another format version; DATA_LOSS
  // naming `source` (where the bytes came from) and what is wrong for anything damaged:
  // truncated, trailing bytes, keys out of order, a period that does not parse, an empty
  // report.
  static absl::StatusOr<ReportReceipts> Decode(absl::string_view bytes,
                                               absl::string_view source);

  friend bool operator==(const ReportReceipts&, const ReportReceipts&) = default;

 private:
  // (indicator id, reporting unit id, period text), looked up by views of the three without
  // copying them. Encode orders them (indicator, unit, period).
  using Key = std::tuple<std::string, std::string, std::string>;
  using KeyView = std::tuple<absl::string_view, absl::string_view, absl::string_view>;
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(const KeyView& key) const { return absl::HashOf(key); }
    size_t operator()(const Key& key) const { return (*this)(KeyView(key)); }
  };
  struct KeyEq {
    using is_transparent = void;
    bool operator()(const KeyView& a, const KeyView& b) const { return a == b; }
  };

  absl::flat_hash_map<Key, ReportReceipt, KeyHash, KeyEq> receipts_;
};

}  // namespace tiendo::evaluator
