#include "services/common/core/tracker_snapshot.h"

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/core/fingerprint.h"
#include "services/common/core/progress_report.h"
#include "services/common/core/progress_tracker_testing.h"

namespace tiendo::core {
namespace {

using ::testing::HasSubstr;
using testing_support::ApplyAll;
using testing_support::Dump;
using testing_support::Event;
using testing_support::FreshTracker;
using testing_support::IndicatorOf;
using testing_support::RandomLog;
using testing_support::Reported;
using testing_support::TargetOn;

const std::vector<std::string> kTargets = {"t_sum", "t_ratio", "t_latest", "t_enterprises",
                                           "t_online"};
const absl::CivilDay kAsOfs[] = {absl::CivilDay(2024, 3, 31), absl::CivilDay(2024, 7, 15),
                                 absl::CivilDay(2025, 1, 1), absl::CivilDay(2026, 6, 30)};

registry::v1::AdministrativeUnit Unit(const std::string& code, const std::string& parent,
                                      const std::string& valid_to = "",
                                      const std::string& successor = "") {
  registry::v1::AdministrativeUnit unit;
  unit.set_code(code);
  unit.set_parent_code(parent);
  unit.set_valid_to(valid_to);
  if (!successor.empty()) unit.add_successor_codes(successor);
  unit.set_version(1);
  return unit;
}

registry::v1::Enterprise Enterprise(const std::string& tax_code, const std::string& unit,
                                    const std::string& registered, int64_t version = 1) {
  registry::v1::Enterprise enterprise;
  enterprise.set_tax_code(tax_code);
  enterprise.set_administrative_unit_code(unit);
  enterprise.add_categories("digital_technology");
  enterprise.set_registration_date(registered);
  enterprise.set_version(version);
  return enterprise;
}

registry::v1::PublicService Service(const std::string& id, bool online,
                                    const std::string& online_since) {
  registry::v1::PublicService service;
  service.set_id(id);
  service.set_effective_from("2023-01-01");
  service.set_eligible_full_process_online(true);
  service.set_full_process_online(online);
  service.set_full_process_online_since(online_since);
  service.set_version(1);
  return service;
}

// FreshTracker's reported indicators, two derived ones (a count of
// enterprises in an area, a ratio of public services), a target on each,
// and the units and entities the derived ones count.
ProgressTracker RegistryTracker() {
  ProgressTracker tracker = FreshTracker();
  for (const registry::v1::AdministrativeUnit& unit :
       {Unit("77", ""), Unit("747", "77"), Unit("752", "77", "2024-12-31", "757"),
        Unit("757", "77")}) {
    EXPECT_TRUE(tracker.UpsertAdministrativeUnit(unit).ok());
  }
  registry::v1::Indicator enterprises =
      IndicatorOf("enterprises_in_77", registry::v1::INDICATOR_UNIT_COUNT);
  registry::v1::EnterpriseFilter* filter =
      enterprises.mutable_derived()->mutable_count()->mutable_enterprises();
  filter->add_categories("digital_technology");
  filter->add_administrative_unit_codes("77");
  EXPECT_TRUE(tracker.UpsertIndicator(enterprises).ok());
  registry::v1::Indicator online =
      IndicatorOf("services_online", registry::v1::INDICATOR_UNIT_PERCENT);
  auto* ratio = online.mutable_derived()->mutable_ratio();
  ratio->mutable_numerator()->mutable_public_services()->set_full_process_online(true);
  ratio->mutable_denominator()->mutable_public_services()->set_eligible_full_process_online(true);
  EXPECT_TRUE(tracker.UpsertIndicator(online).ok());

  EXPECT_TRUE(tracker.UpsertTarget(TargetOn("t_sum", "sum_ind", 500, "2025-12-31")).ok());
  registry::v1::Target with_baseline = TargetOn("t_ratio", "ratio_ind", 90, "2025-12-31");
  with_baseline.mutable_baseline()->set_value(20);
  with_baseline.mutable_baseline()->set_date("2023-12-31");
  EXPECT_TRUE(tracker.UpsertTarget(with_baseline).ok());
  EXPECT_TRUE(tracker.UpsertTarget(TargetOn("t_latest", "latest_ind", 80, "2024-12-31")).ok());
  registry::v1::Target two_milestones = TargetOn("t_enterprises", "enterprises_in_77", 3,
                                                 "2024-12-31");
  registry::v1::Milestone* later = two_milestones.add_milestones();
  later->set_value(5);
  later->set_deadline("2030-12-31");
  EXPECT_TRUE(tracker.UpsertTarget(two_milestones).ok());
  EXPECT_TRUE(
      tracker.UpsertTarget(TargetOn("t_online", "services_online", 100, "2026-12-31")).ok());

  for (const registry::v1::Enterprise& enterprise :
       {Enterprise("0100233488", "747", "2022-03-01"),
        Enterprise("0100112437", "752", "2023-06-01"),
        Enterprise("0314409058", "757", "2025-02-01"),
        Enterprise("0300000001", "999", "2023-01-01")}) {
    EXPECT_TRUE(tracker.UpsertEnterprise(enterprise).ok());
  }
  for (const registry::v1::PublicService& service :
       {Service("ps-1", true, "2023-06-01"), Service("ps-2", true, "2024-09-01"),
        Service("ps-3", false, "")}) {
    EXPECT_TRUE(tracker.UpsertPublicService(service).ok());
  }
  return tracker;
}

// Everything observable about a tracker, as text: the reported series, the
// progress of every target at several dates, the derived values, and every
// cell with its reading and history.
std::string Observe(const ProgressTracker& tracker) {
  std::string out = Dump(tracker);
  for (const std::string& id : kTargets) {
    const std::optional<uint32_t> target = tracker.FindTarget(id);
    if (!target.has_value()) {
      absl::StrAppend(&out, id, ": unknown\n");
      continue;
    }
    for (const absl::CivilDay as_of : kAsOfs) {
      absl::StrAppend(&out, DescribeProgress(tracker, *target, as_of).DebugString());
    }
  }
  for (const char* id : {"enterprises_in_77", "services_online"}) {
    for (const SeriesPoint& point : tracker.Derived(id)->Sample(absl::CivilDay(2026, 6, 30))) {
      absl::StrAppend(&out, id, " ", absl::FormatCivilTime(point.day), "=", point.value, "\n");
    }
  }
  std::map<std::string, std::string> cells;
  tracker.cells().ForEach([&](const CellKey& key, const std::optional<Reading>& reading,
                              absl::Span<const AppliedSubmission> history) {
    std::string& shown = cells[absl::StrCat(
        tracker.reporting_units().Name(key.reporting_unit), "|", key.indicator, "|",
        Period::Unpack(key.period).ToString(), "|",
        tracker.disaggregations().Name(key.disaggregation))];
    if (reading.has_value()) {
      absl::StrAppend(&shown, reading->value, "/", reading->denominator, "@", reading->sequence);
    }
    for (const AppliedSubmission& applied : history) {
      absl::StrAppend(&shown, " ", applied.fingerprint, ":", applied.sequence, ":",
                      static_cast<int>(applied.kind));
    }
  });
  for (const auto& [key, shown] : cells) absl::StrAppend(&out, key, " ", shown, "\n");
  return out;
}

// What applying an event did, as text.
std::string Outcome(const ProgressTracker::Applied& applied) {
  std::string out = absl::StrCat(static_cast<int>(applied.change.outcome));
  for (const std::optional<Reading>& reading : {applied.change.before, applied.change.after}) {
    absl::StrAppend(&out, " ", reading ? absl::StrCat(reading->value, "/", reading->denominator)
                                       : "-");
  }
  for (uint32_t target : applied.affected_targets) absl::StrAppend(&out, " t", target);
  return out;
}

std::string ApplyOne(ProgressTracker& tracker, const Event& event) {
  absl::StatusOr<CellSubmission> decoded =
      tracker.Decode(event.submission, event.unit, event.sequence);
  EXPECT_TRUE(decoded.ok()) << decoded.status();
  return decoded.ok() ? Outcome(tracker.Apply(*decoded)) : "undecodable";
}

TrackerSnapshot RoundTrip(const ProgressTracker& tracker) {
  absl::StatusOr<TrackerSnapshot> snapshot =
      DecodeTrackerSnapshot(EncodeTrackerSnapshot(tracker, {}, ""), "memory");
  EXPECT_TRUE(snapshot.ok()) << snapshot.status();
  return snapshot.ok() ? *std::move(snapshot) : TrackerSnapshot{};
}

TEST(TrackerSnapshotTest, ARestoredTrackerCannotBeToldFromTheOriginal) {
  ProgressTracker original = RegistryTracker();
  const std::vector<Event> log = RandomLog(7, 400);
  ApplyAll(original, log);
  const InputOffsets offsets = {{"tiendo.registry.v1", {{0, 1234}}},
                                {"tiendo.submissions.v1", {{0, 401}, {3, 17}, {5, 0}}}};
  const std::string metadata("replica-2\0config", 16);
  absl::StatusOr<TrackerSnapshot> snapshot =
      DecodeTrackerSnapshot(EncodeTrackerSnapshot(original, offsets, metadata), "memory");
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  EXPECT_EQ(snapshot->offsets, offsets);
  EXPECT_EQ(snapshot->metadata, metadata);
  ProgressTracker& restored = *snapshot->tracker;
  ASSERT_EQ(Observe(restored), Observe(original));

  // Every submission already applied is recognised as such.
  for (const Event& event : log) {
    absl::StatusOr<CellSubmission> decoded =
        restored.Decode(event.submission, event.unit, event.sequence);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(restored.Apply(*decoded).change.outcome, ApplyOutcome::kDuplicate)
        << event.submission.submission_id();
  }
  ASSERT_EQ(Observe(restored), Observe(original));

  // Both go on the same way: new submissions (corrections, retractions and
  // new cells among them)...
  std::vector<Event> more = RandomLog(8, 300);
  for (Event& event : more) {
    event.submission.set_submission_id(absl::StrCat("more-", event.submission.submission_id()));
    event.sequence += 1000;
    ASSERT_EQ(ApplyOne(restored, event), ApplyOne(original, event));
  }
  // ...and registry changes.
  for (ProgressTracker* tracker : {&original, &restored}) {
    auto stale = tracker->UpsertEnterprise(Enterprise("0100233488", "747", "2020-01-01"));
    ASSERT_TRUE(stale.ok());
    EXPECT_EQ(stale->outcome, UpsertOutcome::kStale);
    registry::v1::Enterprise dissolved = Enterprise("0100112437", "752", "2023-06-01", 2);
    dissolved.set_dissolution_date("2025-03-01");
    auto updated = tracker->UpsertEnterprise(dissolved);
    ASSERT_TRUE(updated.ok());
    EXPECT_EQ(updated->outcome, UpsertOutcome::kUpdated);
    EXPECT_EQ(updated->affected_targets,
              std::vector<uint32_t>{*tracker->FindTarget("t_enterprises")});
    EXPECT_EQ(*tracker->UpsertTarget(TargetOn("t_sum", "sum_ind", 400, "2025-12-31")),
              UpsertOutcome::kStale);
    EXPECT_EQ(*tracker->UpsertTarget(TargetOn("t_sum", "latest_ind", 400, "2025-12-31", 2)),
              UpsertOutcome::kUpdated);
    // A new rule and unit rebuild the series from the cells, restored or not.
    auto redefined = tracker->UpsertIndicator(Reported("sum_ind", registry::v1::AGGREGATION_LATEST,
                                                       registry::v1::INDICATOR_UNIT_PERCENT, 2));
    ASSERT_TRUE(redefined.ok()) << redefined.status();
    EXPECT_EQ(*redefined, UpsertOutcome::kUpdated);
  }
  EXPECT_EQ(Observe(restored), Observe(original));
}

TEST(TrackerSnapshotTest, ASnapshotPlusTheRestOfTheLogEqualsTheWholeLogFromTheStart) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    const std::vector<Event> log = RandomLog(seed, 200);
    ProgressTracker from_zero = RegistryTracker();
    ApplyAll(from_zero, log);
    for (const size_t split : {size_t{0}, size_t{1}, size_t{77}, log.size()}) {
      ProgressTracker before = RegistryTracker();
      ApplyAll(before, {log.begin(), log.begin() + static_cast<ptrdiff_t>(split)});
      TrackerSnapshot snapshot = RoundTrip(before);
      ASSERT_NE(snapshot.tracker, nullptr);
      ApplyAll(*snapshot.tracker, {log.begin() + static_cast<ptrdiff_t>(split), log.end()});
      ASSERT_EQ(Observe(*snapshot.tracker), Observe(from_zero))
          << "seed " << seed << ", snapshot after " << split << " events";
    }
  }
}

TEST(TrackerSnapshotTest, AReplicaThatDroppedAnIndicatorSnapshotsAndReplaysItToTheSameState) {
  const std::vector<Event> log = RandomLog(3, 300);
  ProgressTracker from_zero = RegistryTracker();
  ApplyAll(from_zero, log);

  ProgressTracker replica = RegistryTracker();
  ApplyAll(replica, log);
  replica.DropSubmissions([](absl::string_view id) { return id == "latest_ind"; });
  TrackerSnapshot snapshot = RoundTrip(replica);
  ASSERT_NE(snapshot.tracker, nullptr);
  std::vector<Event> latest;
  for (const Event& event : log) {
    if (event.submission.indicator_id() == "latest_ind") latest.push_back(event);
  }
  ApplyAll(*snapshot.tracker, latest);
  EXPECT_EQ(Observe(*snapshot.tracker), Observe(from_zero));
}

TEST(TrackerSnapshotTest, AnEmptyTrackerRoundTrips) {
  const ProgressTracker empty;
  TrackerSnapshot snapshot = RoundTrip(empty);
  ASSERT_NE(snapshot.tracker, nullptr);
  EXPECT_EQ(snapshot.tracker->cells().size(), 0u);
  EXPECT_FALSE(snapshot.tracker->FindTarget("t_sum").has_value());
}

TEST(TrackerSnapshotTest, AnotherFormatVersionIsAFailedPrecondition) {
  const std::string path = "state/tracker.snapshot";
  std::string bytes = EncodeTrackerSnapshot(RegistryTracker(), {}, "");
  bytes[8] = 7;  // the version follows the 8-byte magic
  const absl::StatusOr<TrackerSnapshot> read = DecodeTrackerSnapshot(bytes, path);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(read.status().message(), HasSubstr(path));
  EXPECT_THAT(read.status().message(), HasSubstr("format version 7"));
}

TEST(TrackerSnapshotTest, ADamagedSnapshotIsDataLossNamingTheFileAndTheDamage) {
  const std::string path = "state/tracker.snapshot";
  ProgressTracker tracker = RegistryTracker();
  ApplyAll(tracker, RandomLog(2, 100));
  const std::string bytes = EncodeTrackerSnapshot(tracker, {}, "");
  const struct {
    std::string bytes;
    std::string says;
  } damaged[] = {
      {bytes.substr(0, bytes.size() - 10), "truncated"},
      {bytes.substr(0, 12), "truncated"},
      {bytes + "x", "the header says"},
      {std::string(bytes).replace(bytes.size() / 2, 1, 1,
                                  static_cast<char>(~bytes[bytes.size() / 2])),
       "checksum mismatch"},
      {"not a snapshot, but long enough to hold a header", "not a tracker snapshot"},
  };
  for (const auto& [damaged_bytes, says] : damaged) {
    const absl::StatusOr<TrackerSnapshot> read = DecodeTrackerSnapshot(damaged_bytes, path);
    EXPECT_EQ(read.status().code(), absl::StatusCode::kDataLoss) << says;
    EXPECT_THAT(read.status().message(), HasSubstr(path));
    EXPECT_THAT(read.status().message(), HasSubstr(says));
  }
}

// The checksum guards against damage, not against a writer that got the
// content wrong: content that contradicts itself must still be refused with
// DATA_LOSS, never crash the reader or build a tracker that breaks later.
TEST(TrackerSnapshotTest, ContentThatContradictsItselfIsRefusedNotTrusted) {
  ProgressTracker tracker = FreshTracker();
  ApplyAll(tracker, RandomLog(4, 30));
  const std::string bytes = EncodeTrackerSnapshot(tracker, {{"t", {{0, 1}}}}, "m");
  constexpr size_t kHeader = 28;
  int refused = 0;
  for (size_t at = kHeader; at < bytes.size(); ++at) {
    for (const char change : {'\x01', '\x80', '\xff'}) {
      std::string changed = bytes;
      changed[at] = static_cast<char>(changed[at] ^ change);
      // Re-checksummed, as a faulty writer would have.
      const uint64_t checksum = Fingerprint(absl::string_view(changed).substr(kHeader));
      std::memcpy(changed.data() + 20, &checksum, sizeof(checksum));
      const absl::StatusOr<TrackerSnapshot> read = DecodeTrackerSnapshot(changed, "changed");
      if (!read.ok()) {
        ASSERT_EQ(read.status().code(), absl::StatusCode::kDataLoss) << read.status();
        ++refused;
        continue;
      }
      // What was accepted is a working tracker (whose names may have changed).
      for (const Event& event : RandomLog(5, 30)) {
        absl::StatusOr<CellSubmission> decoded =
            read->tracker->Decode(event.submission, event.unit, event.sequence);
        if (decoded.ok()) read->tracker->Apply(*decoded);
      }
      EncodeTrackerSnapshot(*read->tracker, read->offsets, read->metadata);
    }
  }
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace tiendo::core
