#include "services/common/core/cell_store.h"

#include "gtest/gtest.h"

namespace tiendo::core {
namespace {

constexpr CellKey kCell{1, 2, 3, 4};

CellSubmission Report(uint64_t id, int64_t value, int64_t sequence, CellKey key = kCell) {
  return {key, id, SubmissionKind::kReport, Reading{value, 0, sequence}};
}
CellSubmission Retraction(uint64_t id, CellKey key = kCell) {
  return {key, id, SubmissionKind::kRetraction, {}};
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

}  // namespace
}  // namespace tiendo::core
