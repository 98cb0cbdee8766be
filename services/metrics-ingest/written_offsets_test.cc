#include "services/metrics-ingest/written_offsets.h"

#include <gtest/gtest.h>

namespace tiendo::ingest {
namespace {

TEST(WrittenOffsetsTest, FindsOwnWritesAmongOthersInLogOrder) {
  WrittenOffsets written;
  // This replica wrote 3-5 and 8; another writer 6-7.
  for (int64_t offset : {3, 4, 5, 8}) written.Add(0, offset);
  EXPECT_EQ(written.ranges(), 2u);
  EXPECT_FALSE(written.Take(0, 2));
  EXPECT_TRUE(written.Take(0, 3));
  EXPECT_TRUE(written.Take(0, 4));
  EXPECT_TRUE(written.Take(0, 5));
  EXPECT_FALSE(written.Take(0, 6));
  EXPECT_FALSE(written.Take(0, 7));
  EXPECT_TRUE(written.Take(0, 8));
  EXPECT_EQ(written.ranges(), 0u);
  EXPECT_FALSE(written.Take(0, 9));
}

TEST(WrittenOffsetsTest, KeepsPartitionsApart) {
  WrittenOffsets written;
  written.Add(0, 10);
  written.Add(1, 20);
  EXPECT_FALSE(written.Take(1, 10));
  EXPECT_FALSE(written.Take(0, 20));  // past partition 0's write: forgets it
  EXPECT_TRUE(written.Take(1, 20));
  EXPECT_EQ(written.ranges(), 0u);
}

TEST(WrittenOffsetsTest, ForgetsWritesReportedAfterTheFollowerReadPastThem) {
  WrittenOffsets written;
  // The follower read 0 and 1 before their reports came.
  EXPECT_FALSE(written.Take(0, 0));
  EXPECT_FALSE(written.Take(0, 1));
  written.Add(0, 0);
  written.Add(0, 1);
  written.Add(0, 2);
  EXPECT_TRUE(written.Take(0, 2));
  EXPECT_EQ(written.ranges(), 0u);
}

TEST(WrittenOffsetsTest, IgnoresAnOffsetThatDoesNotGrow) {
  WrittenOffsets written;
  written.Add(0, 5);
  written.Add(0, 4);
  written.Add(0, 5);
  EXPECT_EQ(written.ranges(), 1u);
  EXPECT_FALSE(written.Take(0, 4));
  EXPECT_TRUE(written.Take(0, 5));
}

}  // namespace
}  // namespace tiendo::ingest
