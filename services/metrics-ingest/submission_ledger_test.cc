// Tests of SubmissionLedger: accepted ids answer DUPLICATE or CONFLICT, and an id reserved
// by a batch in flight makes an overlapping batch wait until the write settles.
#include "services/metrics-ingest/submission_ledger.h"

#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo::ingest {
namespace {

using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

Fingerprint Key(absl::string_view key) { return FingerprintOf(key); }

const ContentFingerprint kContent = FingerprintOf("content");
const ContentFingerprint kOtherContent = FingerprintOf("other content");

// What the `settled` callback of one Reserve heard: (claim index, verdict).
struct Heard {
  std::vector<std::pair<size_t, LedgerVerdict>> verdicts;
  SubmissionLedger::Settled Callback() {
    return [this](size_t index, LedgerVerdict verdict) { verdicts.emplace_back(index, verdict); };
  }
};

// `writer` reserves dept-st/a; then `waiter` claims it with the same content and waits.
void ReserveThenWait(SubmissionLedger& ledger, Heard& writer, Heard& waiter) {
  ASSERT_THAT(ledger.Reserve({{Key("dept-st/a"), kContent}}, writer.Callback()),
              ElementsAre(LedgerVerdict::kNew));
  ASSERT_THAT(ledger.Reserve({{Key("dept-st/a"), kContent}}, waiter.Callback()),
              ElementsAre(LedgerVerdict::kWaiting));
}

TEST(SubmissionLedgerTest, KeysNameTheUnitAndTheId) {
  EXPECT_EQ(LedgerKey("dept-st", "dvc:7f3a"), "dept-st/dvc:7f3a");
}

TEST(SubmissionLedgerTest, RecordedIdsAreDuplicatesWithTheSameContentAndConflictsOtherwise) {
  SubmissionLedger ledger;
  EXPECT_EQ(ledger.Check(Key("dept-st/a"), kContent), LedgerVerdict::kNew);
  ledger.Record(Key("dept-st/a"), kContent);
  ledger.Record(Key("dept-st/a"), kOtherContent);  // the first content stays
  EXPECT_EQ(ledger.Check(Key("dept-pi/a"), kContent), LedgerVerdict::kNew);
  EXPECT_EQ(ledger.Check(Key("dept-st/a"), kContent), LedgerVerdict::kDuplicate);
  EXPECT_EQ(ledger.Check(Key("dept-st/a"), kOtherContent), LedgerVerdict::kConflict);
  EXPECT_EQ(ledger.size(), 1);
}

TEST(SubmissionLedgerTest, AWrittenReservationIsAccepted) {
  SubmissionLedger ledger;
  Heard heard;
  EXPECT_THAT(ledger.Reserve({{Key("dept-st/a"), kContent}, {Key("dept-st/b"), kContent}},
                             heard.Callback()),
              ElementsAre(LedgerVerdict::kNew, LedgerVerdict::kNew));
  // Being written is not yet accepted: dry runs see nothing.
  EXPECT_EQ(ledger.Check(Key("dept-st/a"), kContent), LedgerVerdict::kNew);
  EXPECT_EQ(ledger.size(), 0);

  ledger.Settle({{Key("dept-st/a"), true}});
  ledger.Settle({{Key("dept-st/b"), true}});
  EXPECT_EQ(ledger.Check(Key("dept-st/a"), kContent), LedgerVerdict::kDuplicate);
  EXPECT_EQ(ledger.Check(Key("dept-st/b"), kOtherContent), LedgerVerdict::kConflict);
  EXPECT_EQ(ledger.size(), 2);
  EXPECT_THAT(heard.verdicts, IsEmpty());
}

TEST(SubmissionLedgerTest, AFailedWriteReleasesItsReservationForAResend) {
  SubmissionLedger ledger;
  Heard heard;
  ASSERT_THAT(ledger.Reserve({{Key("dept-st/a"), kContent}}, heard.Callback()),
              ElementsAre(LedgerVerdict::kNew));
  ledger.Settle({{Key("dept-st/a"), false}});
  EXPECT_EQ(ledger.size(), 0);
  EXPECT_THAT(ledger.Reserve({{Key("dept-st/a"), kContent}}, heard.Callback()),
              ElementsAre(LedgerVerdict::kNew));
}

TEST(SubmissionLedgerTest, AnOverlappingBatchWaitsForTheWriteAndHearsItsVerdict) {
  SubmissionLedger ledger;
  Heard first;
  ASSERT_THAT(ledger.Reserve({{Key("dept-st/a"), kContent}, {Key("dept-st/b"), kContent}},
                             first.Callback()),
              ElementsAre(LedgerVerdict::kNew, LedgerVerdict::kNew));
  Heard second;
  EXPECT_THAT(ledger.Reserve({{Key("dept-st/c"), kContent},
                              {Key("dept-st/a"), kContent},
                              {Key("dept-st/b"), kOtherContent}},
                             second.Callback()),
              ElementsAre(LedgerVerdict::kNew, LedgerVerdict::kWaiting, LedgerVerdict::kWaiting));
  EXPECT_THAT(second.verdicts, IsEmpty()) << "answered before the first write settled";

  // The first batch's writes settle together, as a batch settles them once all are reported;
  // the waiters hear of them in no particular order.
  ledger.Settle({{Key("dept-st/a"), true}, {Key("dept-st/b"), true}});
  EXPECT_THAT(second.verdicts,
              UnorderedElementsAre(std::pair(size_t{1}, LedgerVerdict::kDuplicate),
                                   std::pair(size_t{2}, LedgerVerdict::kConflict)));
  EXPECT_THAT(first.verdicts, IsEmpty());
  // The second batch's own reservation is untouched.
  EXPECT_EQ(ledger.Check(Key("dept-st/c"), kContent), LedgerVerdict::kNew);
  ledger.Settle({{Key("dept-st/c"), true}});
  EXPECT_EQ(ledger.size(), 3);
}

TEST(SubmissionLedgerTest, WaitersOfAFailedWriteHearThatNothingWasAccepted) {
  SubmissionLedger ledger;
  Heard first;
  Heard second;
  ReserveThenWait(ledger, first, second);
  Heard third;
  ASSERT_THAT(ledger.Reserve({{Key("dept-st/a"), kOtherContent}}, third.Callback()),
              ElementsAre(LedgerVerdict::kWaiting));

  ledger.Settle({{Key("dept-st/a"), false}});
  EXPECT_THAT(second.verdicts, ElementsAre(std::pair(size_t{0}, LedgerVerdict::kNew)));
  EXPECT_THAT(third.verdicts, ElementsAre(std::pair(size_t{0}, LedgerVerdict::kNew)));
  // Nobody holds the id now: the resend reserves it.
  EXPECT_THAT(ledger.Reserve({{Key("dept-st/a"), kContent}}, second.Callback()),
              ElementsAre(LedgerVerdict::kNew));
}

TEST(SubmissionLedgerTest, AnIdRecordedWhileItIsBeingWrittenKeepsTheRecordedContent) {
  // Another replica wrote the id first: its content is the accepted one, whether this
  // replica's write of it fails or succeeds.
  for (const bool written : {false, true}) {
    SubmissionLedger ledger;
    Heard first;
    Heard second;
    ReserveThenWait(ledger, first, second);
    ledger.Record(Key("dept-st/a"), kOtherContent);
    EXPECT_THAT(second.verdicts, IsEmpty()) << "the reservation settles with its own write";
    ledger.Settle({{Key("dept-st/a"), written}});
    EXPECT_THAT(second.verdicts, ElementsAre(std::pair(size_t{0}, LedgerVerdict::kConflict)))
        << "written: " << written;
    EXPECT_EQ(ledger.Check(Key("dept-st/a"), kOtherContent), LedgerVerdict::kDuplicate);
    EXPECT_EQ(ledger.size(), 1);
  }
}

TEST(SubmissionLedgerTest, WritersDifferFromLedgerToLedger) {
  SubmissionLedger one;
  SubmissionLedger other;
  EXPECT_EQ(one.writer().size(), 32u);
  EXPECT_NE(one.writer(), other.writer());
}

TEST(SubmissionLedgerTest, SettledCallbacksMayReserveAgain) {
  // A waiter told that the write failed may resend at once, from within its callback: the
  // ledger calls it outside its lock.
  SubmissionLedger ledger;
  Heard first;
  ASSERT_THAT(ledger.Reserve({{Key("dept-st/a"), kContent}}, first.Callback()),
              ElementsAre(LedgerVerdict::kNew));
  std::vector<LedgerVerdict> resent;
  ASSERT_THAT(ledger.Reserve({{Key("dept-st/a"), kContent}},
                             [&](size_t, LedgerVerdict) {
                               resent = ledger.Reserve({{Key("dept-st/a"), kContent}}, {});
                             }),
              ElementsAre(LedgerVerdict::kWaiting));
  ledger.Settle({{Key("dept-st/a"), false}});
  EXPECT_THAT(resent, ElementsAre(LedgerVerdict::kNew));
}

TEST(SubmissionLedgerTest, OverlappingBatchesOnManyThreadsWriteEachIdOnce) {
  // Batches on four threads claim the same 2,000 ids in different orders; each id is
  // reserved by one of them, which settles it written, and every other claim of it hears
  // DUPLICATE: never two writers of one id, whatever the shards' interleaving.
  constexpr int kIds = 2000;
  constexpr int kThreads = 4;
  SubmissionLedger ledger;
  std::atomic<int> reserved{0};
  std::atomic<int> duplicates{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int first = 0; first < kIds; first += 100) {
        std::vector<SubmissionLedger::Claim> claims;
        for (int i = 0; i < 100; ++i) {
          const int id = t % 2 == 0 ? first + i : kIds - 1 - (first + i);
          claims.push_back({Key(absl::StrCat("dept-st/", id)), kContent});
        }
        const std::vector<LedgerVerdict> verdicts =
            ledger.Reserve(claims, [&](size_t, LedgerVerdict verdict) {
              (verdict == LedgerVerdict::kDuplicate ? duplicates : other)++;
            });
        std::vector<SubmissionLedger::Settlement> settlements;
        for (size_t c = 0; c < claims.size(); ++c) {
          if (verdicts[c] == LedgerVerdict::kNew) {
            settlements.push_back({claims[c].key, true});
          } else if (verdicts[c] == LedgerVerdict::kDuplicate) {
            ++duplicates;
          } else if (verdicts[c] != LedgerVerdict::kWaiting) {
            ++other;
          }
        }
        reserved += static_cast<int>(settlements.size());
        ledger.Settle(settlements);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(reserved, kIds);
  EXPECT_EQ(duplicates, kIds * (kThreads - 1));
  EXPECT_EQ(other, 0);
  EXPECT_EQ(ledger.size(), kIds);
}

TEST(SubmissionLedgerTest, ManyIdsKeepTheirVerdictsAcrossShards) {
  // Enough ids for every shard: each keeps its own reservations, acceptances and waiters.
  SubmissionLedger ledger;
  std::vector<SubmissionLedger::Claim> claims;
  std::vector<SubmissionLedger::Settlement> settlements;
  for (int i = 0; i < 1000; ++i) {
    const Fingerprint key = Key(absl::StrCat("dept-st/", i));
    claims.push_back({key, kContent});
    settlements.push_back({key, i % 2 == 0});  // odd ids fail to be written
  }
  Heard writer;
  Heard waiter;
  ASSERT_THAT(ledger.Reserve(claims, writer.Callback()), Each(LedgerVerdict::kNew));
  ASSERT_THAT(ledger.Reserve(claims, waiter.Callback()), Each(LedgerVerdict::kWaiting));
  ledger.Settle(settlements);

  EXPECT_EQ(ledger.size(), 500);
  EXPECT_THAT(writer.verdicts, IsEmpty());
  ASSERT_EQ(waiter.verdicts.size(), claims.size());
  for (const auto& [index, verdict] : waiter.verdicts) {
    EXPECT_EQ(verdict, index % 2 == 0 ? LedgerVerdict::kDuplicate : LedgerVerdict::kNew)
        << "claim " << index;
    EXPECT_EQ(ledger.Check(claims[index].key, kOtherContent),
              index % 2 == 0 ? LedgerVerdict::kConflict : LedgerVerdict::kNew)
        << "claim " << index;
  }
}

}  // namespace
}  // namespace tiendo::ingest
