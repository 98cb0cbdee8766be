#include "services/common/core/tracker_snapshot.h"

#include <bit>
#include <cstring>
#include <type_traits>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/status/status_macros.h"

namespace tiendo::core {
namespace {

static_assert(std::endian::native == std::endian::little,
              "snapshots hold numbers as a little-endian machine does");

constexpr absl::string_view kMagic = "TIENDOSN";
// Magic, format version, content length, checksum.
constexpr size_t kHeaderSize = 8 + 4 + 8 + 8;
// A cell up to its history: unit, indicator, period, disaggregation, length.
constexpr size_t kCellSize = 5 * 4;
// A history entry: fingerprint, sequence, kind.
constexpr size_t kEntrySize = 8 + 8 + 1;
// A reading: value, denominator.
constexpr size_t kReadingSize = 8 + 8;

// The bytes of one cell: its head, its history and its reading.
size_t CellBytes(absl::Span<const AppliedSubmission> history,
                 const std::optional<Reading>& reading) {
  return kCellSize + history.size() * kEntrySize + (reading.has_value() ? kReadingSize : 0);
}

// The file's kind bytes, independent of the enum's values.
constexpr uint8_t kReportByte = 0;
constexpr uint8_t kRetractionByte = 1;

// Days are counted from here, and must lie in years 0..9999 (a date's four
// digits) so that reading them stays within the calendar's arithmetic.
constexpr absl::CivilDay kDayZero(1970, 1, 1);
const int64_t kFirstDay = absl::CivilDay(0, 1, 1) - kDayZero;
const int64_t kLastDay = absl::CivilDay(9999, 12, 31) - kDayZero;

// The content's checksum (format in tracker_snapshot.h): stable across processes and runs,
// and fast enough for snapshots of hundreds of megabytes, which the evaluator encodes while
// holding its state and decodes while starting.
uint64_t ContentChecksum(absl::string_view content) {
  constexpr uint64_t kPrime = 0x100000001b3ULL;
  uint64_t hash = 0xcbf29ce484222325ULL;
  size_t at = 0;
  for (; at + sizeof(uint64_t) <= content.size(); at += sizeof(uint64_t)) {
    uint64_t word;
    std::memcpy(&word, content.data() + at, sizeof(word));
    hash = (hash ^ word) * kPrime;
    hash ^= hash >> 32;  // the product carries bits upwards only
  }
  for (; at < content.size(); ++at) {
    hash = (hash ^ static_cast<unsigned char>(content[at])) * kPrime;
  }
  return hash;
}

template <typename T>
void Append(std::string& out, T value) {
  static_assert(std::is_arithmetic_v<T>);
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

// Writes `value` as Append does, at `at`, and moves `at` past it.
template <typename T>
void Store(char*& at, T value) {
  static_assert(std::is_arithmetic_v<T>);
  std::memcpy(at, &value, sizeof(T));
  at += sizeof(T);
}

// The number Append wrote at `at`.
template <typename T>
T Load(const char* at) {
  static_assert(std::is_arithmetic_v<T>);
  T value;
  std::memcpy(&value, at, sizeof(T));
  return value;
}

// Appends numbers, length-prefixed bytes and protos to the snapshot.
class SnapshotWriter {
 public:
  explicit SnapshotWriter(std::string& out) : out_(out) {}

  template <typename T>
  void Number(T value) {
    Append(out_, value);
  }
  void Count(size_t count) { Number(static_cast<uint32_t>(count)); }
  // Makes room for `more` bytes at once, rather than growing (and copying) as they come.
  void Reserve(size_t more) { out_.reserve(out_.size() + more); }
  // Bytes as they are, without a length.
  void Raw(absl::string_view bytes) { out_.append(bytes.data(), bytes.size()); }
  void Bytes(absl::string_view bytes) {
    Count(bytes.size());
    out_.append(bytes.data(), bytes.size());
  }
  void Message(const google::protobuf::MessageLite& message) {
    Count(message.ByteSizeLong());
    message.AppendToString(&out_);
  }

 private:
  std::string& out_;
};

// Reads what SnapshotWriter wrote, never past the end. Errors are DATA_LOSS
// naming the source and the part being read.
class SnapshotReader {
 public:
  SnapshotReader(absl::string_view bytes, absl::string_view source)
      : bytes_(bytes), source_(source) {}

  absl::Status Damaged(absl::string_view what, absl::string_view why) const {
    return absl::DataLossError(absl::StrCat("snapshot ", source_, ": ", what, ": ", why));
  }

  // The next `size` bytes.
  absl::StatusOr<const char*> Take(size_t size, absl::string_view what) {
    if (bytes_.size() < size) return Damaged(what, "truncated");
    const char* at = bytes_.data();
    bytes_.remove_prefix(size);
    return at;
  }
  template <typename T>
  absl::StatusOr<T> Number(absl::string_view what) {
    ASSIGN_OR_RETURN(const char* at, Take(sizeof(T), what));
    return Load<T>(at);
  }
  // A count of items at least `item_size` bytes long each; one the bytes
  // left cannot hold is damage (and must not size an allocation).
  template <typename T = uint32_t>
  absl::StatusOr<size_t> Count(absl::string_view what, size_t item_size) {
    ASSIGN_OR_RETURN(const T count, Number<T>(what));
    if (count > bytes_.size() / item_size) {
      return Damaged(what, absl::StrCat("a count of ", count, " does not fit in the ",
                                        bytes_.size(), " bytes left"));
    }
    return static_cast<size_t>(count);
  }
  absl::StatusOr<absl::string_view> Bytes(absl::string_view what) {
    ASSIGN_OR_RETURN(const size_t size, Count(what, 1));
    ASSIGN_OR_RETURN(const char* at, Take(size, what));
    return absl::string_view(at, size);
  }
  absl::Status Message(absl::string_view what, google::protobuf::MessageLite& message) {
    ASSIGN_OR_RETURN(const absl::string_view bytes, Bytes(what));
    if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      return Damaged(what, absl::StrCat("not a valid ", message.GetTypeName()));
    }
    return absl::OkStatus();
  }

  size_t left() const { return bytes_.size(); }

 private:
  absl::string_view bytes_;
  absl::string_view source_;
};

}  // namespace

// The tracker's part of a snapshot (see the format in the header).
class TrackerSnapshotFormat {
 public:
  static void Write(const ProgressTracker& tracker, SnapshotWriter& out);
  static absl::StatusOr<std::unique_ptr<ProgressTracker>> Read(SnapshotReader& in);

 private:
  using IndicatorState = ProgressTracker::IndicatorState;

  static void WriteIndicator(const IndicatorState& state, SnapshotWriter& out);
  static void WriteCells(const CellStore& cells, SnapshotWriter& out);
  static absl::Status ReadRegistry(SnapshotReader& in, ProgressTracker& tracker);
  static absl::Status ReadIndicator(SnapshotReader& in, absl::string_view id,
                                    IndicatorState& state);
  static absl::Status ReadTargets(SnapshotReader& in, ProgressTracker& tracker);
  static absl::Status ReadCells(SnapshotReader& in, ProgressTracker& tracker);
};

namespace {

void WriteNames(const NameTable& names, SnapshotWriter& out) {
  out.Count(names.size());
  for (uint32_t id = 0; id < names.size(); ++id) out.Bytes(names.Name(id));
}

absl::Status ReadNames(SnapshotReader& in, absl::string_view what, NameTable& names) {
  ASSIGN_OR_RETURN(const size_t count, in.Count(what, sizeof(uint32_t)));
  for (size_t id = 0; id < count; ++id) {
    ASSIGN_OR_RETURN(const absl::string_view name, in.Bytes(what));
    if (names.Intern(name) != id) {
      return in.Damaged(what, absl::StrCat("\"", name, "\" appears twice"));
    }
  }
  return absl::OkStatus();
}

void WriteDays(const std::optional<DayInterval>& days, SnapshotWriter& out) {
  out.Number<uint8_t>(days.has_value());
  if (!days.has_value()) return;
  out.Number<int64_t>(days->start - kDayZero);
  out.Number<uint8_t>(days->end.has_value());
  if (days->end.has_value()) out.Number<int64_t>(*days->end - kDayZero);
}

absl::StatusOr<absl::CivilDay> ReadDay(SnapshotReader& in, absl::string_view what) {
  ASSIGN_OR_RETURN(const int64_t day, in.Number<int64_t>(what));
  if (day < kFirstDay || day > kLastDay) {
    return in.Damaged(what, absl::StrCat("day ", day, " after 1970-01-01 is out of range"));
  }
  return kDayZero + day;
}

absl::StatusOr<std::optional<DayInterval>> ReadDays(SnapshotReader& in, absl::string_view what) {
  ASSIGN_OR_RETURN(const uint8_t present, in.Number<uint8_t>(what));
  if (present == 0) return std::nullopt;
  DayInterval days;
  ASSIGN_OR_RETURN(days.start, ReadDay(in, what));
  ASSIGN_OR_RETURN(const uint8_t ends, in.Number<uint8_t>(what));
  if (ends != 0) {
    ASSIGN_OR_RETURN(days.end, ReadDay(in, what));
  }
  return days;
}

template <typename Entity>
void WriteEntities(const absl::flat_hash_map<std::string, Entity>& entities,
                   SnapshotWriter& out) {
  out.Count(entities.size());
  for (const auto& [key, entity] : entities) out.Message(entity);
}

// Entities keyed as the tracker keys them: by `key_of`.
template <typename Entity>
absl::Status ReadEntities(SnapshotReader& in, absl::string_view what,
                          const std::string& (Entity::*key_of)() const,
                          absl::flat_hash_map<std::string, Entity>& entities) {
  ASSIGN_OR_RETURN(const size_t count, in.Count(what, sizeof(uint32_t)));
  entities.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    Entity entity;
    RETURN_IF_ERROR(in.Message(what, entity));
    const std::string key = (entity.*key_of)();
    if (!entities.try_emplace(key, std::move(entity)).second) {
      return in.Damaged(what, absl::StrCat(key, " appears twice"));
    }
  }
  return absl::OkStatus();
}

uint8_t KindByte(SubmissionKind kind) {
  return kind == SubmissionKind::kReport ? kReportByte : kRetractionByte;
}

}  // namespace

void TrackerSnapshotFormat::Write(const ProgressTracker& tracker, SnapshotWriter& out) {
  WriteNames(tracker.indicator_ids_, out);
  WriteNames(tracker.target_ids_, out);
  WriteNames(tracker.reporting_units_, out);
  WriteNames(tracker.disaggregations_, out);
  out.Count(tracker.administrative_unit_codes_.size());
  for (const std::string& code : tracker.administrative_unit_codes_) {
    out.Message(*tracker.administrative_units_.Find(code));
  }
  for (const IndicatorState& indicator : tracker.indicators_) WriteIndicator(indicator, out);
  for (const ProgressTracker::TargetState& target : tracker.targets_) {
    out.Message(target.definition);
  }
  WriteEntities(tracker.enterprises_, out);
  WriteEntities(tracker.public_services_, out);
  WriteCells(tracker.cells_, out);
}

void TrackerSnapshotFormat::WriteIndicator(const IndicatorState& state, SnapshotWriter& out) {
  out.Message(state.definition);
  out.Number<uint8_t>(state.series != nullptr);
  if (state.series != nullptr) {
    const SeriesRules& rules = state.series->rules();
    out.Number<int32_t>(rules.across);
    out.Number<int32_t>(rules.over_time);
    out.Number<double>(rules.scale);
    out.Number<uint8_t>(rules.rolled_up);
  }
  // A derived indicator always has its counts (UpsertIndicator makes them
  // with the definition).
  if (!state.definition.has_derived()) return;
  const absl::flat_hash_map<std::string, CountedDays>& counted = state.derived->counted();
  out.Count(counted.size());
  for (const auto& [key, days] : counted) {
    out.Bytes(key);
    WriteDays(days.numerator, out);
    WriteDays(days.denominator, out);
  }
}

void TrackerSnapshotFormat::WriteCells(const CellStore& cells, SnapshotWriter& out) {
  // Periods are written once, as text, and cells refer to them by number.
  absl::flat_hash_map<uint32_t, uint32_t> period_numbers;  // by packed period
  std::vector<uint32_t> periods;
  size_t cell_bytes = 0;
  cells.ForEach([&](const CellKey& key, const std::optional<Reading>& reading,
                    absl::Span<const AppliedSubmission> history) {
    if (period_numbers.try_emplace(key.period, periods.size()).second) {
      periods.push_back(key.period);
    }
    cell_bytes += CellBytes(history, reading);
  });
  out.Reserve(cell_bytes);
  out.Count(periods.size());
  for (const uint32_t packed : periods) out.Bytes(Period::Unpack(packed).ToString());

  out.Number<uint64_t>(cells.size());
  std::string cell;  // one cell's bytes, stored in place and appended at once
  cells.ForEach([&](const CellKey& key, const std::optional<Reading>& reading,
                    absl::Span<const AppliedSubmission> history) {
    cell.resize(CellBytes(history, reading));
    char* at = cell.data();
    Store<uint32_t>(at, key.reporting_unit);
    Store<uint32_t>(at, key.indicator);
    Store<uint32_t>(at, period_numbers.at(key.period));
    Store<uint32_t>(at, key.disaggregation);
    Store<uint32_t>(at, static_cast<uint32_t>(history.size()));
    for (const AppliedSubmission& applied : history) {
      Store<uint64_t>(at, applied.fingerprint);
      Store<int64_t>(at, applied.sequence);
      Store<uint8_t>(at, KindByte(applied.kind));
    }
    if (reading.has_value()) {
      Store<int64_t>(at, reading->value);
      Store<int64_t>(at, reading->denominator);
    }
    out.Raw(cell);
  });
}

absl::StatusOr<std::unique_ptr<ProgressTracker>> TrackerSnapshotFormat::Read(
    SnapshotReader& in) {
  auto tracker = std::make_unique<ProgressTracker>();
  RETURN_IF_ERROR(ReadNames(in, "indicator ids", tracker->indicator_ids_));
  RETURN_IF_ERROR(ReadNames(in, "target ids", tracker->target_ids_));
  RETURN_IF_ERROR(ReadNames(in, "reporting units", tracker->reporting_units_));
  RETURN_IF_ERROR(ReadNames(in, "disaggregations", tracker->disaggregations_));
  RETURN_IF_ERROR(ReadRegistry(in, *tracker));
  RETURN_IF_ERROR(ReadCells(in, *tracker));
  return tracker;
}

absl::Status TrackerSnapshotFormat::ReadRegistry(SnapshotReader& in, ProgressTracker& tracker) {
  ASSIGN_OR_RETURN(const size_t units, in.Count("administrative units", sizeof(uint32_t)));
  for (size_t i = 0; i < units; ++i) {
    registry::v1::AdministrativeUnit unit;
    RETURN_IF_ERROR(in.Message("administrative units", unit));
    const std::string what = absl::StrCat("administrative unit ", unit.code());
    if (tracker.administrative_units_.Find(unit.code()) != nullptr) {
      return in.Damaged(what, "appears twice");
    }
    if (absl::Status upserted = tracker.administrative_units_.Upsert(unit); !upserted.ok()) {
      return in.Damaged(what, upserted.message());
    }
    tracker.administrative_unit_codes_.push_back(unit.code());
  }
  tracker.indicators_.resize(tracker.indicator_ids_.size());
  for (uint32_t id = 0; id < tracker.indicators_.size(); ++id) {
    RETURN_IF_ERROR(ReadIndicator(in, tracker.indicator_ids_.Name(id), tracker.indicators_[id]));
  }
  RETURN_IF_ERROR(ReadTargets(in, tracker));
  RETURN_IF_ERROR(ReadEntities(in, "enterprises", &registry::v1::Enterprise::tax_code,
                               tracker.enterprises_));
  return ReadEntities(in, "public services", &registry::v1::PublicService::id,
                      tracker.public_services_);
}

absl::Status TrackerSnapshotFormat::ReadIndicator(SnapshotReader& in, absl::string_view id,
                                                  IndicatorState& state) {
  const std::string what = absl::StrCat("indicator ", id);
  RETURN_IF_ERROR(in.Message(what, state.definition));
  // An empty definition is an indicator whose creation was refused.
  if (!state.definition.id().empty() && state.definition.id() != id) {
    return in.Damaged(what, absl::StrCat("its definition is indicator ", state.definition.id()));
  }
  ASSIGN_OR_RETURN(const uint8_t has_series, in.Number<uint8_t>(what));
  if (has_series != 0) {
    ASSIGN_OR_RETURN(const int32_t across, in.Number<int32_t>(what));
    ASSIGN_OR_RETURN(const int32_t over_time, in.Number<int32_t>(what));
    SeriesRules rules;
    ASSIGN_OR_RETURN(rules.scale, in.Number<double>(what));
    ASSIGN_OR_RETURN(rules.rolled_up, in.Number<uint8_t>(what));
    if (!registry::v1::Aggregation_IsValid(across)) {
      return in.Damaged(what, absl::StrCat("unknown aggregation rule ", across));
    }
    if (!registry::v1::TimeAggregation_IsValid(over_time)) {
      return in.Damaged(what, absl::StrCat("unknown time aggregation rule ", over_time));
    }
    rules.across = static_cast<registry::v1::Aggregation>(across);
    rules.over_time = static_cast<registry::v1::TimeAggregation>(over_time);
    state.series = std::make_unique<ReportedSeries>(rules);
  }
  if (!state.definition.has_derived()) return absl::OkStatus();
  ASSIGN_OR_RETURN(const size_t entities, in.Count(what, sizeof(uint32_t)));
  absl::flat_hash_map<std::string, CountedDays> counted;
  counted.reserve(entities);
  for (size_t i = 0; i < entities; ++i) {
    ASSIGN_OR_RETURN(const absl::string_view key, in.Bytes(what));
    CountedDays days;
    ASSIGN_OR_RETURN(days.numerator, ReadDays(in, what));
    ASSIGN_OR_RETURN(days.denominator, ReadDays(in, what));
    if (!counted.try_emplace(key, days).second) {
      return in.Damaged(what, absl::StrCat("entity ", key, " is counted twice"));
    }
  }
  state.derived = std::make_unique<DerivedSeries>(state.definition, std::move(counted));
  return absl::OkStatus();
}

absl::Status TrackerSnapshotFormat::ReadTargets(SnapshotReader& in, ProgressTracker& tracker) {
  tracker.targets_.resize(tracker.target_ids_.size());
  for (uint32_t id = 0; id < tracker.targets_.size(); ++id) {
    ProgressTracker::TargetState& state = tracker.targets_[id];
    const std::string what = absl::StrCat("target ", tracker.target_ids_.Name(id));
    RETURN_IF_ERROR(in.Message(what, state.definition));
    if (state.definition.id() != tracker.target_ids_.Name(id)) {
      return in.Damaged(what, absl::StrCat("its definition is target ", state.definition.id()));
    }
    const std::optional<uint32_t> indicator =
        tracker.indicator_ids_.Find(state.definition.indicator_id());
    if (!indicator.has_value()) {
      return in.Damaged(what, absl::StrCat("indicator ", state.definition.indicator_id(),
                                           " is not in the snapshot"));
    }
    absl::StatusOr<Goal> goal =
        GoalFor(state.definition, tracker.indicators_[*indicator].definition);
    if (!goal.ok()) return in.Damaged(what, goal.status().message());
    state.goal = *std::move(goal);
    state.indicator = *indicator;
    // Ascending, as UpsertTarget keeps them: targets come in number order.
    tracker.indicators_[*indicator].targets.push_back(id);
  }
  return absl::OkStatus();
}

absl::Status TrackerSnapshotFormat::ReadCells(SnapshotReader& in, ProgressTracker& tracker) {
  ASSIGN_OR_RETURN(const size_t period_count, in.Count("periods", sizeof(uint32_t)));
  std::vector<Period> periods;
  periods.reserve(period_count);
  for (size_t i = 0; i < period_count; ++i) {
    ASSIGN_OR_RETURN(const absl::string_view text, in.Bytes("periods"));
    absl::StatusOr<Period> period = Period::Parse(text);
    if (!period.ok()) return in.Damaged("periods", period.status().message());
    periods.push_back(*period);
  }

  constexpr absl::string_view kCells = "cells";
  ASSIGN_OR_RETURN(const size_t count, in.Count<uint64_t>(kCells, kCellSize + kEntrySize));
  tracker.cells_.Reserve(count);
  tracker.DeferCarryUps();  // a roll-up is worked out once its cells are all in
  std::vector<AppliedSubmission> history;
  for (size_t i = 0; i < count; ++i) {
    ASSIGN_OR_RETURN(const char* at, in.Take(kCellSize, kCells));
    CellKey key{Load<uint32_t>(at), Load<uint32_t>(at + 4), 0, Load<uint32_t>(at + 12)};
    const uint32_t period = Load<uint32_t>(at + 8);
    const uint32_t length = Load<uint32_t>(at + 16);
    if (key.reporting_unit >= tracker.reporting_units_.size() ||
        key.indicator >= tracker.indicators_.size() ||
        tracker.indicators_[key.indicator].series == nullptr || period >= periods.size() ||
        key.disaggregation >= tracker.disaggregations_.size()) {
      return in.Damaged(kCells, absl::StrCat("cell ", i, " refers to a reporting unit, reported "
                                             "indicator, period or disaggregation not held"));
    }
    key.period = periods[period].Pack();

    ASSIGN_OR_RETURN(const char* entries, in.Take(size_t{length} * kEntrySize, kCells));
    history.clear();
    for (uint32_t j = 0; j < length; ++j, entries += kEntrySize) {
      const uint8_t kind = Load<uint8_t>(entries + 16);
      if (kind != kReportByte && kind != kRetractionByte) {
        return in.Damaged(kCells, absl::StrCat("cell ", i, ": unknown submission kind ", kind));
      }
      history.push_back({Load<uint64_t>(entries), Load<int64_t>(entries + 8),
                         kind == kReportByte ? SubmissionKind::kReport
                                             : SubmissionKind::kRetraction});
    }
    std::optional<Reading> reading;
    if (!history.empty() && history.back().kind == SubmissionKind::kReport) {
      ASSIGN_OR_RETURN(const char* figure, in.Take(kReadingSize, kCells));
      reading = Reading{Load<int64_t>(figure), Load<int64_t>(figure + 8), history.back().sequence};
    }
    absl::Status restored = tracker.cells_.Restore(key, history, reading ? reading->value : 0,
                                                   reading ? reading->denominator : 0);
    if (!restored.ok()) {
      return in.Damaged(kCells, absl::StrCat("cell ", i, ": ", restored.message()));
    }
    if (reading.has_value()) {
      tracker.UpdateSeries(key, std::nullopt, *reading);
    }
  }
  tracker.CarryUpDeferred();
  tracker.RefreshSeries();
  return absl::OkStatus();
}

namespace {

void WriteOffsets(const InputOffsets& offsets, SnapshotWriter& out) {
  out.Count(offsets.size());
  for (const auto& [topic, partitions] : offsets) {
    out.Bytes(topic);
    out.Count(partitions.size());
    for (const auto& [partition, offset] : partitions) {
      out.Number<int32_t>(partition);
      out.Number<int64_t>(offset);
    }
  }
}

absl::Status ReadOffsets(SnapshotReader& in, InputOffsets& offsets) {
  constexpr absl::string_view kWhat = "input offsets";
  ASSIGN_OR_RETURN(const size_t topics, in.Count(kWhat, 2 * sizeof(uint32_t)));
  for (size_t i = 0; i < topics; ++i) {
    ASSIGN_OR_RETURN(const absl::string_view topic, in.Bytes(kWhat));
    std::map<int32_t, int64_t>& partitions = offsets[std::string(topic)];
    ASSIGN_OR_RETURN(const size_t count, in.Count(kWhat, sizeof(int32_t) + sizeof(int64_t)));
    for (size_t j = 0; j < count; ++j) {
      ASSIGN_OR_RETURN(const int32_t partition, in.Number<int32_t>(kWhat));
      ASSIGN_OR_RETURN(const int64_t offset, in.Number<int64_t>(kWhat));
      partitions[partition] = offset;
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string EncodeTrackerSnapshot(const ProgressTracker& tracker, const InputOffsets& offsets,
                                  absl::string_view metadata) {
  // The header is filled in once the content it describes is known.
  std::string bytes(kHeaderSize, '\0');
  SnapshotWriter out(bytes);
  WriteOffsets(offsets, out);
  out.Bytes(metadata);
  TrackerSnapshotFormat::Write(tracker, out);

  const absl::string_view content = absl::string_view(bytes).substr(kHeaderSize);
  std::string header(kMagic.data(), kMagic.size());
  Append<uint32_t>(header, kTrackerSnapshotVersion);
  Append<uint64_t>(header, content.size());
  Append<uint64_t>(header, ContentChecksum(content));
  bytes.replace(0, kHeaderSize, header);
  return bytes;
}

absl::StatusOr<TrackerSnapshot> DecodeTrackerSnapshot(absl::string_view bytes,
                                                      absl::string_view source) {
  SnapshotReader header(bytes, source);
  constexpr absl::string_view kHeader = "header";
  if (bytes.size() < kHeaderSize) {
    return header.Damaged(kHeader, absl::StrCat("truncated: the file has ", bytes.size(),
                                                " bytes, a header ", kHeaderSize));
  }
  if (!absl::StartsWith(bytes, kMagic)) {
    return header.Damaged(kHeader, absl::StrCat("not a tracker snapshot (it does not start with ",
                                                kMagic, ")"));
  }
  const uint32_t version = Load<uint32_t>(bytes.data() + kMagic.size());
  if (version != kTrackerSnapshotVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "snapshot ", source, ": format version ", version, "; this build reads version ",
        kTrackerSnapshotVersion, " only (without a snapshot it can read, replay the inputs "
        "from the beginning)"));
  }
  const uint64_t length = Load<uint64_t>(bytes.data() + kMagic.size() + 4);
  const uint64_t checksum = Load<uint64_t>(bytes.data() + kMagic.size() + 12);
  const absl::string_view content = bytes.substr(kHeaderSize);
  if (content.size() != length) {
    return header.Damaged(kHeader, absl::StrCat(content.size() < length ? "truncated: " : "",
                                                "the header says ", length,
                                                " bytes of content, the file has ",
                                                content.size()));
  }
  if (ContentChecksum(content) != checksum) {
    return header.Damaged(kHeader, "checksum mismatch: the content is damaged");
  }

  SnapshotReader in(content, source);
  TrackerSnapshot snapshot;
  RETURN_IF_ERROR(ReadOffsets(in, snapshot.offsets));
  ASSIGN_OR_RETURN(const absl::string_view metadata, in.Bytes("metadata"));
  snapshot.metadata = std::string(metadata);
  ASSIGN_OR_RETURN(snapshot.tracker, TrackerSnapshotFormat::Read(in));
  if (in.left() != 0) {
    return in.Damaged("cells", absl::StrCat(in.left(), " bytes follow the last cell"));
  }
  return snapshot;
}

}  // namespace tiendo::core
