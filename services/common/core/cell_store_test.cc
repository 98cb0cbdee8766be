#include "services/common/core/cell_store.h"

#include <map>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo::core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr CellKey kCell{1, 2, 3, 4};
constexpr AppliedSubmission kReported{10, 1, SubmissionKind::kReport};
constexpr AppliedSubmission kRetracted{11, 2, SubmissionKind::kRetraction};

CellSubmission Report(uint64_t id, int64_t value, int64_t sequence, CellKey key = kCell) {
  return {key, id, SubmissionKind::kReport, Reading{value, 0, sequence}};
}
CellSubmission Retraction(uint64_t id, CellKey key = kCell, int64_t sequence = 0) {
  return {key, id, SubmissionKind::kRetraction, Reading{0, 0, sequence}};
}

TEST(CellStoreTest, AFirstSubmissionFillsTheCell) {
  CellStore store;
  CellChange change = store.Apply(Report(10, 5'000'000, 1));
  EXPECT_EQ(change.outcome, ApplyOutcome::kApplied);
  EXPECT_FALSE(change.before.has_value());
  EXPECT_EQ(change.after, (Reading{5'000'000, 0, 1}));
  EXPECT_EQ(store.Find(kCell), (Reading{5'000'000, 0, 1}));
}

TEST(CellStoreTest, ALaterSubmissionForTheSameCellIsACorrection) {
  CellStore store;
  store.Apply(Report(10, 5'000'000, 1));
  CellChange change = store.Apply(Report(11, 3'000'000, 2));
  EXPECT_EQ(change.outcome, ApplyOutcome::kApplied);
  EXPECT_EQ(change.before, (Reading{5'000'000, 0, 1}));
  EXPECT_EQ(store.Find(kCell), (Reading{3'000'000, 0, 2}));
  EXPECT_EQ(store.size(), 1u);
}

TEST(CellStoreTest, AnIdAlreadyAppliedToTheCellIsADuplicateAndChangesNothing) {
  CellStore store;
  store.Apply(Report(10, 5'000'000, 1));
  store.Apply(Report(11, 3'000'000, 2));
  // The first submission, resent (with a later log position): not a correction.
  CellChange change = store.Apply(Report(10, 5'000'000, 3));
  EXPECT_EQ(change.outcome, ApplyOutcome::kDuplicate);
  EXPECT_FALSE(change.changed());
  EXPECT_EQ(store.Find(kCell), (Reading{3'000'000, 0, 2}));
}

TEST(CellStoreTest, TheSameIdInAnotherCellIsNotADuplicate) {
  CellStore store;
  store.Apply(Report(10, 1, 1));
  const CellKey other{1, 2, 3, 5};
  EXPECT_EQ(store.Apply(Report(10, 1, 2, other)).outcome, ApplyOutcome::kApplied);
}

TEST(CellStoreTest, ARetractionWithdrawsAndAResubmissionRestores) {
  CellStore store;
  store.Apply(Report(10, 7, 1));
  CellChange retracted = store.Apply(Retraction(11));
  EXPECT_EQ(retracted.outcome, ApplyOutcome::kRetracted);
  EXPECT_EQ(retracted.before, (Reading{7, 0, 1}));
  EXPECT_FALSE(retracted.after.has_value());
  EXPECT_FALSE(store.Find(kCell).has_value());

  // Resending the retraction or the withdrawn submission changes nothing...
  EXPECT_EQ(store.Apply(Retraction(11)).outcome, ApplyOutcome::kDuplicate);
  EXPECT_EQ(store.Apply(Report(10, 7, 3)).outcome, ApplyOutcome::kDuplicate);
  EXPECT_FALSE(store.Find(kCell).has_value());
  // ...a new submission restores the cell.
  EXPECT_EQ(store.Apply(Report(12, 7, 4)).outcome, ApplyOutcome::kApplied);
  EXPECT_EQ(store.Find(kCell), (Reading{7, 0, 4}));
}

TEST(CellStoreTest, RetractingAnEmptyCellChangesNothing) {
  CellStore store;
  CellChange change = store.Apply(Retraction(11));
  EXPECT_EQ(change.outcome, ApplyOutcome::kNothingToRetract);
  EXPECT_FALSE(change.changed());
}

TEST(CellStoreTest, TheHistoryHoldsEveryAppliedSubmissionInOrderButNoDuplicates) {
  CellStore store;
  EXPECT_THAT(store.History(kCell), IsEmpty());
  store.Apply(Report(10, 7, 1));
  store.Apply(Retraction(11, kCell, 2));
  store.Apply(Report(10, 7, 3));          // a resend
  store.Apply(Retraction(12, kCell, 4));  // nothing to retract, yet its resend must be known
  EXPECT_THAT(store.History(kCell),
              ElementsAre(kReported, kRetracted,
                          AppliedSubmission{12, 4, SubmissionKind::kRetraction}));
  EXPECT_EQ(store.Apply(Retraction(12)).outcome, ApplyOutcome::kDuplicate);
}

TEST(CellStoreTest, DropForgetsTheCellsOfTheChosenIndicatorsOnly) {
  CellStore store;
  store.Apply(Report(10, 7, 1));
  const CellKey other_indicator{1, 9, 3, 4};
  store.Apply(Report(11, 8, 2, other_indicator));
  EXPECT_EQ(store.Drop([](uint32_t indicator) { return indicator == 2; }), 1u);
  EXPECT_FALSE(store.Find(kCell).has_value());
  EXPECT_THAT(store.History(kCell), IsEmpty());
  EXPECT_EQ(store.Find(other_indicator), (Reading{8, 0, 2}));
  // Forgotten means forgotten: the same submission applies anew.
  EXPECT_EQ(store.Apply(Report(10, 7, 1)).outcome, ApplyOutcome::kApplied);
}

// Every cell as ForEach shows it.
struct Shown {
  std::optional<Reading> reading;
  std::vector<AppliedSubmission> history;
  friend bool operator==(const Shown&, const Shown&) = default;
};
std::map<std::vector<uint32_t>, Shown> ShowAll(const CellStore& store) {
  std::map<std::vector<uint32_t>, Shown> shown;
  store.ForEach([&](const CellKey& key, const std::optional<Reading>& reading,
                    absl::Span<const AppliedSubmission> history) {
    shown[{key.reporting_unit, key.indicator, key.period, key.disaggregation}] =
        Shown{reading, {history.begin(), history.end()}};
  });
  return shown;
}

TEST(CellStoreTest, RestoringWhatForEachShowsGivesTheSameStore) {
  CellStore store;
  store.Apply(Report(10, 7, 1));
  store.Apply(Report(12, 9, 3));  // a correction
  const CellKey retracted{1, 2, 3, 5};
  store.Apply(Report(13, 4, 4, retracted));
  store.Apply(Retraction(14, retracted));

  CellStore restored;
  store.ForEach([&](const CellKey& key, const std::optional<Reading>& reading,
                    absl::Span<const AppliedSubmission> history) {
    EXPECT_TRUE(restored.Restore(key, history, reading ? reading->value : 0,
                                 reading ? reading->denominator : 0)
                    .ok());
  });
  EXPECT_EQ(ShowAll(restored), ShowAll(store));
  // Duplicates are still recognised, and corrections still supersede.
  EXPECT_EQ(restored.Apply(Report(10, 7, 5)).outcome, ApplyOutcome::kDuplicate);
  EXPECT_EQ(restored.Apply(Report(13, 4, 6, retracted)).outcome, ApplyOutcome::kDuplicate);
  const CellChange corrected = restored.Apply(Report(15, 1, 7));
  EXPECT_EQ(corrected.before, (Reading{9, 0, 3}));
}

TEST(CellStoreTest, RestoreRefusesHistoriesApplyCannotMake) {
  CellStore store;
  EXPECT_EQ(store.Restore(kCell, {}, 0, 0).code(), absl::StatusCode::kInvalidArgument);
  const AppliedSubmission twice[] = {kReported, kRetracted, kReported};
  EXPECT_EQ(store.Restore(kCell, twice, 0, 0).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store.size(), 0u);
  ASSERT_TRUE(store.Restore(kCell, {kReported}, 7, 0).ok());
  EXPECT_EQ(store.Restore(kCell, {kRetracted}, 0, 0).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store.Find(kCell), (Reading{7, 0, 1}));
}

TEST(CellStoreTest, ACellCorrectedHundredsOfTimesStillKnowsEveryIdItTookIn) {
  // Long histories are searched through an index of their ids: every id is found whether it
  // came before the index was made or after, through Apply or Restore, and a dropped cell
  // starts afresh.
  CellStore store;
  std::vector<AppliedSubmission> history;
  for (int i = 0; i < 300; ++i) {
    ASSERT_EQ(store.Apply(Report(1000 + i, i, i)).outcome, ApplyOutcome::kApplied) << i;
    history.push_back({static_cast<uint64_t>(1000 + i), i, SubmissionKind::kReport});
  }
  for (int i : {0, 1, 31, 32, 33, 150, 299}) {
    EXPECT_EQ(store.Apply(Report(1000 + i, -1, 400)).outcome, ApplyOutcome::kDuplicate) << i;
  }
  EXPECT_EQ(store.Find(kCell), (Reading{299, 0, 299}));
  EXPECT_EQ(store.History(kCell).size(), 300u);

  CellStore restored;
  ASSERT_TRUE(restored.Restore(kCell, history, 299, 0).ok());
  EXPECT_EQ(restored.Apply(Report(1200, -1, 400)).outcome, ApplyOutcome::kDuplicate);
  EXPECT_EQ(restored.Apply(Report(5000, 5, 401)).outcome, ApplyOutcome::kApplied);
  EXPECT_EQ(restored.Apply(Report(5000, 5, 402)).outcome, ApplyOutcome::kDuplicate);
  history.push_back({1000, 500, SubmissionKind::kReport});  // an id named twice, far apart
  CellStore refused;
  EXPECT_EQ(refused.Restore(kCell, history, 0, 0).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.size(), 0u);

  EXPECT_EQ(store.Drop([](uint32_t) { return true; }), 1u);
  EXPECT_EQ(store.Apply(Report(1000, 1, 500)).outcome, ApplyOutcome::kApplied);
  EXPECT_EQ(store.Apply(Report(1001, 2, 501)).outcome, ApplyOutcome::kApplied);
}

}  // namespace
}  // namespace tiendo::core
