// Tests of PackAcceptedIds: ids round-trip, and a large batch is split into records of at most
// kMaxIdsPerRecord ids, each under Kafka's default 1 MB record limit.
#include "services/metrics-ingest/accepted_ids.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace tiendo::ingest {
namespace {

std::vector<AcceptedIdFingerprints> Ids(int count) {
  std::vector<AcceptedIdFingerprints> ids;
  for (int i = 0; i < count; ++i) {
    ids.emplace_back(FingerprintOf(absl::StrCat("dept-st/", i)),
                     FingerprintOf(absl::StrCat("content ", i)));
  }
  return ids;
}

TEST(AcceptedIdsTest, IdsRoundTrip) {
  const std::vector<AcceptedIdFingerprints> ids = Ids(3);
  const std::vector<events::v1::AcceptedIds> records = PackAcceptedIds("writer", ids);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].writer(), "writer");
  ASSERT_EQ(records[0].ids_size(), 3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(UnpackAcceptedId(records[0].ids(i)), ids[i]);
}

TEST(AcceptedIdsTest, NoIdsMakeNoRecord) { EXPECT_TRUE(PackAcceptedIds("writer", {}).empty()); }

TEST(AcceptedIdsTest, ALargeBatchIsSplitUnderTheRecordLimit) {
  const int count = 2 * kMaxIdsPerRecord + 1;
  const std::vector<AcceptedIdFingerprints> ids = Ids(count);
  const std::vector<events::v1::AcceptedIds> records = PackAcceptedIds("writer", ids);
  ASSERT_EQ(records.size(), 3u);
  int next = 0;
  for (const events::v1::AcceptedIds& record : records) {
    EXPECT_EQ(record.writer(), "writer");
    EXPECT_LE(record.ids_size(), kMaxIdsPerRecord);
    EXPECT_LT(record.ByteSizeLong(), 1000000u);
    for (const events::v1::AcceptedId& id : record.ids()) {
      EXPECT_EQ(UnpackAcceptedId(id), ids[next++]);
    }
  }
  EXPECT_EQ(next, count);
}

}  // namespace
}  // namespace tiendo::ingest
