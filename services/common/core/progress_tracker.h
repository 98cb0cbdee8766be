// ProgressTracker: the state the evaluator keeps — the plan's indicators and
// targets, the reported cells and their aggregates — and the progress of any
// target at any as-of date. Applying a submission touches one cell, one
// period aggregate and one series point, and names the targets it affects;
// nothing rescans the cells.
//
// Versioned upserts and per-cell submission ids make every operation
// idempotent: replaying any part of the input again leaves the state as it
// was, so the state is a pure function of the registry log and the
// submission log.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "services/common/core/administrative_units.h"
#include "services/common/core/cell.h"
#include "services/common/core/cell_store.h"
#include "services/common/core/derived_series.h"
#include "services/common/core/name_table.h"
#include "services/common/core/period.h"
#include "services/common/core/progress_assessment.h"
#include "services/common/core/reported_series.h"
#include "services/common/core/submission_fields.h"
#include "tiendo/ingest/v1/submission.pb.h"
#include "tiendo/registry/v1/enterprise.pb.h"
#include "tiendo/registry/v1/indicator.pb.h"
#include "tiendo/registry/v1/public_service.pb.h"
#include "tiendo/registry/v1/target.pb.h"

namespace tiendo::core {

enum class UpsertOutcome { kCreated, kUpdated, kStale };

class ProgressTracker {
 public:
  // Adds or replaces an indicator. An update whose version is not newer than
  // the one held is kStale and changes nothing. A reported indicator whose
  // SeriesRules change (aggregation, time aggregation, allowed granularities,
  // or unit: the scale of its ratios) has its series
  // rebuilt from its cells, as a replay of the log under the new definition
  // would build it. Its targets' goals follow the new definition (a percent
  // indicator's targets are judged by the linear method), and an indicator
  // now derived is judged by its counts.
  absl::StatusOr<UpsertOutcome> UpsertIndicator(const registry::v1::Indicator& indicator);

  // What an upsert of a registry entity did, and the targets whose progress may move.
  struct EntityApplied {
    UpsertOutcome outcome;
    std::vector<uint32_t> affected_targets;
  };

  // Adds or replaces an administrative unit by version (stale versions change
  // nothing). Filters on administrative units follow the units' parents and
  // predecessors: entities counted before a unit came, or moved (another
  // parent, predecessors or end), are counted again by RecountIfUnitsMoved.
  absl::StatusOr<UpsertOutcome> UpsertAdministrativeUnit(
      const registry::v1::AdministrativeUnit& unit);
  // After units came or moved: counts every entity again in every derived
  // indicator, as a replay that met the units first would count them (once
  // for a batch of units: it reads every entity). The targets whose counts
  // moved.
  std::vector<uint32_t> RecountIfUnitsMoved();

  // Adds or replaces a registry entity by version (stale versions change
  // nothing), re-counting it in every derived indicator; names the targets
  // whose progress may move. INVALID_ARGUMENT for an unreadable date.
  absl::StatusOr<EntityApplied> UpsertEnterprise(const registry::v1::Enterprise& enterprise);
  absl::StatusOr<EntityApplied> UpsertPublicService(const registry::v1::PublicService& service);

  // Adds or replaces a target, likewise by version; INVALID_ARGUMENT for a
  // target that cannot be decoded (see GoalFor) or whose indicator is unknown.
  absl::StatusOr<UpsertOutcome> UpsertTarget(const registry::v1::Target& target);

  // Turns a validated submission into the core's form: the period parsed,
  // names interned, figures in micro-units. `reporting_unit_id` comes from
  // the authenticated sender; `sequence` is the position in the submission
  // log. INVALID_ARGUMENT naming the submission for anything undecodable;
  // NOT_FOUND for an indicator the tracker does not know or that is not
  // reported.
  absl::StatusOr<CellSubmission> Decode(const SubmissionFields& submission,
                                        absl::string_view reporting_unit_id, int64_t sequence);
  absl::StatusOr<CellSubmission> Decode(const ingest::v1::Submission& submission,
                                        absl::string_view reporting_unit_id, int64_t sequence) {
    return Decode(SubmissionFields::Of(submission), reporting_unit_id, sequence);
  }

  struct Applied {
    CellChange change;
    absl::InlinedVector<uint32_t, 4> affected_targets;  // targets whose progress may move
  };
  // Applies a decoded submission. Its indicator must be known (Decode
  // ensures it).
  Applied Apply(const CellSubmission& submission);
  // Applies `submissions` in order, as Apply would one by one, calling
  // `applied` with each one's index and what it did; the series' points are
  // brought up to date once, at the end, so `applied` must not read progress.
  void ApplyAll(absl::Span<const CellSubmission> submissions,
                absl::FunctionRef<void(size_t index, const Applied& applied)> applied);

  // Forgets the cells and reported series of the indicators `dropped`
  // selects, as if no submission for them had been applied; their registry
  // state stays. How a replica that loses a partition of the submission log
  // forgets it (and, should it gain it back, replays it from the start).
  // Returns how many cells went.
  size_t DropSubmissions(absl::FunctionRef<bool(absl::string_view indicator_id)> dropped);

  // The submissions applied to a cell, oldest first; empty if none was.
  // Their sequences locate the records that make the cell's history.
  // `disaggregation` is canonical (see CanonicalDisaggregation).
  std::vector<AppliedSubmission> CellHistory(absl::string_view reporting_unit_id,
                                             absl::string_view indicator_id, const Period& period,
                                             absl::string_view disaggregation) const;

  // The target's number, if known.
  std::optional<uint32_t> FindTarget(absl::string_view target_id) const;
  const registry::v1::Target& target(uint32_t target) const;

  // Progress of a target at `as_of`.
  Assessment Assess(uint32_t target, absl::CivilDay as_of) const;
  // The points a target of a derived indicator is assessed on at `as_of`: the indicator's
  // samples (DerivedSeries::Sample), with its value on each of the target's deadlines passed
  // by then, so that a deadline is judged by the value of its own day. Empty for a target of
  // another kind of indicator.
  std::vector<SeriesPoint> DerivedPoints(uint32_t target, absl::CivilDay as_of) const;

  // The indicator's definition, if known.
  const registry::v1::Indicator* FindIndicator(absl::string_view indicator_id) const;

  // The series behind an indicator, if it is a reported one with state.
  const ReportedSeries* Series(absl::string_view indicator_id) const;
  // The counts behind an indicator, if it is a derived one.
  const DerivedSeries* Derived(absl::string_view indicator_id) const;

  const CellStore& cells() const { return cells_; }
  const NameTable& reporting_units() const { return reporting_units_; }
  const NameTable& disaggregations() const { return disaggregations_; }

 private:
  // Writes and restores the whole state (tracker_snapshot.cc), which no
  // public call could rebuild exactly: derived counts as they were counted,
  // series as they were made.
  friend class TrackerSnapshotFormat;

  struct IndicatorState {
    registry::v1::Indicator definition;
    // Reported indicators', kept (with their cells) when one is made derived, and then not
    // used (reported()).
    std::unique_ptr<ReportedSeries> series;
    std::unique_ptr<DerivedSeries> derived;  // derived indicators only
    std::vector<uint32_t> targets;  // ascending

    // The series, if the indicator is reported now; nullptr otherwise.
    const ReportedSeries* reported() const {
      return definition.has_reported() ? series.get() : nullptr;
    }
  };
  struct TargetState {
    registry::v1::Target definition;
    Goal goal;
    uint32_t indicator = 0;
  };

  // Apply without refreshing the series' points.
  Applied ApplyToState(const CellSubmission& submission);
  // Updates the series of the reported indicator of cell `key` with the cell's change
  // (FeedSeries), noting it for RefreshSeries.
  void UpdateSeries(const CellKey& key, const std::optional<Reading>& before,
                    const std::optional<Reading>& after);
  // Feeds `series` the change of cell `key` (ReportedSeries::Update), the cells as they
  // stand now.
  void FeedSeries(ReportedSeries& series, const CellKey& key,
                  const std::optional<Reading>& before, const std::optional<Reading>& after) const;
  // The readings of reported indicator `indicator`'s cells as they stand: its series'
  // CellReadings.
  auto ReadingsOf(uint32_t indicator) const {
    return [this, indicator](SeriesOwner owner, Period period) {
      return cells_.Find({owner.reporting_unit, indicator, period.Pack(), owner.disaggregation});
    };
  }
  // Every series fed stored cells from now on (a snapshot's) leaves its roll-ups to
  // CarryUpDeferred (ReportedSeries::DeferCarryUps).
  void DeferCarryUps();
  void CarryUpDeferred();
  // Refreshes the points of every series updated since the last refresh.
  void RefreshSeries();
  // Replaces the series of reported indicator `indicator` with one under `rules`, fed
  // every reading its cells hold.
  void RebuildSeries(uint32_t indicator, const SeriesRules& rules);

  template <typename Entity>
  absl::StatusOr<EntityApplied> UpsertEntity(
      absl::flat_hash_map<std::string, Entity>& entities, const std::string& key,
      const Entity& entity);
  // Counts every known entity into a derived indicator built afresh.
  absl::Status CountAllEntities(DerivedSeries& derived) const;
  // Calls `visit(key, entity)` for every enterprise, then every public service, until one
  // returns an error (returned).
  template <typename Visit>
  absl::Status ForEachEntity(const Visit& visit) const;


  NameTable indicator_ids_;
  NameTable target_ids_;
  NameTable reporting_units_;
  NameTable disaggregations_;
  std::vector<IndicatorState> indicators_;  // by interned indicator id
  std::vector<TargetState> targets_;        // by interned target id
  std::vector<uint32_t> updated_series_;    // indicators whose series RefreshSeries refreshes
  CellStore cells_;
  AdministrativeUnits administrative_units_;
  // The codes of administrative_units_ in the order they came, for a
  // snapshot (AdministrativeUnits does not list its units).
  std::vector<std::string> administrative_unit_codes_;
  bool units_moved_ = false;  // since the last RecountIfUnitsMoved
  absl::flat_hash_map<std::string, registry::v1::Enterprise> enterprises_;  // by tax code
  absl::flat_hash_map<std::string, registry::v1::PublicService> public_services_;  // by id
};

}  // namespace tiendo::core
