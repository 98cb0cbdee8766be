// Tracker snapshots: a ProgressTracker's whole state together with the input
// positions it covers, so that an evaluator restarts by loading its latest
// snapshot and resuming its inputs there, not by replaying its logs from the
// beginning. A restored tracker cannot be told from the one written: same
// progress, cells, histories and duplicates, and it goes on the same way.
//
// File format, version 3 (numbers little-endian; "bytes" are a u32 length
// then the bytes):
//   header   magic "TIENDOSN", u32 format version, u64 content length,
//            u64 checksum of the content: FNV-1a's step over its 64-bit
//            words, each followed by hash ^= hash >> 32, then over the bytes
//            left (version 1 took the step byte by byte, eight times slower)
//   content  input positions: u32 topics, each bytes name, u32 partitions,
//              each i32 partition and i64 next offset
//            bytes caller's metadata
//            name tables (u32 count, bytes each), in number order: indicator
//              ids, target ids, reporting units, canonical disaggregations
//            registry: administrative units, then per indicator number its
//              definition (serialized proto), series made (u8) with its
//              rules (SeriesRules: aggregation i32, time aggregation i32,
//              scale f64, granularities rolled up into u8; version 2 had
//              the first and third only), and for a derived indicator the days
//              each entity counts on; per target number its definition;
//              enterprises; public services
//            cells: u32 periods, bytes text each; u64 cells, each u32 unit,
//              indicator, period and disaggregation numbers, u32 history
//              length, per entry u64 fingerprint, i64 sequence, u8 kind
//              (0 report, 1 retraction), and when the last entry is a report
//              i64 value and denominator (micro-units)
// Aggregates and series points are not stored: they are rebuilt from the
// cells, so a snapshot cannot hold aggregates its cells contradict.
//
// The encoding is pure: the caller keeps the bytes where it likes
// (files::WriteFileDurably for the evaluator).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/core/progress_tracker.h"

namespace tiendo::core {

inline constexpr uint32_t kTrackerSnapshotVersion = 3;

// Where the inputs a snapshot covers stop: topic → partition → the offset of
// the next record to read.
using InputOffsets = std::map<std::string, std::map<int32_t, int64_t>>;

struct TrackerSnapshot {
  std::unique_ptr<ProgressTracker> tracker;
  InputOffsets offsets;
  std::string metadata;  // the caller's bytes, as written
};

// The snapshot as bytes: the tracker, `offsets` and `metadata` (anything the
// caller wants back, e.g. its configuration at the time).
std::string EncodeTrackerSnapshot(const ProgressTracker& tracker, const InputOffsets& offsets,
                                  absl::string_view metadata);

// Reads what EncodeTrackerSnapshot wrote; errors name `source` (the file) and
// what is wrong: FAILED_PRECONDITION for another format version, DATA_LOSS
// for anything damaged (truncated, checksum mismatch, inconsistent content).
absl::StatusOr<TrackerSnapshot> DecodeTrackerSnapshot(absl::string_view bytes,
                                                      absl::string_view source);

}  // namespace tiendo::core
