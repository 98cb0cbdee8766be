#include "services/metrics-ingest/written_offsets.h"

#include <gtest/gtest.h>

namespace tiendo::ingest {
namespace {

Fingerprint Key(uint64_t n) { return {n, n + 1}; }

TEST(WrittenOffsetsTest, FindsOwnWritesAmongOthersInLogOrder) {
  WrittenOffsets written;
  // This replica wrote 3-5 and 8; another writer 6-7.
  for (int64_t offset : {3, 4, 5, 8}) written.Add(0, offset, Key(offset));
  EXPECT_EQ(written.size(), 4u);
  EXPECT_EQ(written.Take(0, 2), std::nullopt);
  EXPECT_EQ(written.Take(0, 3), Key(3));
  EXPECT_EQ(written.Take(0, 4), Key(4));
  EXPECT_EQ(written.Take(0, 5), Key(5));
  EXPECT_EQ(written.Take(0, 6), std::nullopt);
  EXPECT_EQ(written.Take(0, 7), std::nullopt);
  EXPECT_EQ(written.Take(0, 8), Key(8));
  EXPECT_EQ(written.size(), 0u);
  EXPECT_EQ(written.Take(0, 9), std::nullopt);
}

TEST(WrittenOffsetsTest, KeepsPartitionsApart) {
  WrittenOffsets written;
  written.Add(0, 10, Key(1));
  written.Add(1, 20, Key(2));
  EXPECT_EQ(written.Take(1, 10), std::nullopt);
  EXPECT_EQ(written.Take(0, 20), std::nullopt);  // past partition 0's write: forgets it
  EXPECT_EQ(written.Take(1, 20), Key(2));
  EXPECT_EQ(written.size(), 0u);
}

TEST(WrittenOffsetsTest, ForgetsWritesReportedAfterTheFollowerReadPastThem) {
  WrittenOffsets written;
  // The follower read 0 and 1 before their reports came.
  EXPECT_EQ(written.Take(0, 0), std::nullopt);
  EXPECT_EQ(written.Take(0, 1), std::nullopt);
  written.Add(0, 0, Key(0));
  written.Add(0, 1, Key(1));
  written.Add(0, 2, Key(2));
  EXPECT_EQ(written.Take(0, 2), Key(2));
  EXPECT_EQ(written.size(), 0u);
}

TEST(WrittenOffsetsTest, IgnoresAReportOutOfOrder) {
  WrittenOffsets written;
  written.Add(0, 5, Key(5));
  written.Add(0, 4, Key(4));
  written.Add(0, 5, Key(6));
  EXPECT_EQ(written.size(), 1u);
  EXPECT_EQ(written.Take(0, 4), std::nullopt);
  EXPECT_EQ(written.Take(0, 5), Key(5));
}

}  // namespace
}  // namespace tiendo::ingest
