// FingerprintOf travels between replicas, so it must not change: XXH64 against the reference
// implementation's values (computed with the python-xxhash package), at every input length
// class (empty, under 4, 4 to 7, 8 to 31, 32 and over).
#include "services/metrics-ingest/fingerprint.h"

#include <string>

#include "gtest/gtest.h"

namespace tiendo::ingest {
namespace {

std::string Bytes0To99() {
  std::string bytes;
  for (int i = 0; i < 100; ++i) bytes.push_back(static_cast<char>(i));
  return bytes;
}

TEST(FingerprintTest, Xxh64MatchesTheReferenceValues) {
  EXPECT_EQ(Xxh64("", 0), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(Xxh64("abc", 0), 0x44BC2CF5AD770999ULL);
  EXPECT_EQ(Xxh64("dept", 0), 0x27E86DB24D1C29EFULL);
  EXPECT_EQ(Xxh64("dept-st", 0), 0x63988FD34F3A35D6ULL);
  EXPECT_EQ(Xxh64("dept-st/7f3a", 0), 0x6A0154019887C85FULL);
  EXPECT_EQ(Xxh64(std::string(33, 'x'), 0), 0xB3FA465F554208A6ULL);
  EXPECT_EQ(Xxh64(Bytes0To99(), 0), 0x6AC1E58032166597ULL);
}

TEST(FingerprintTest, BothHalvesAreFixed) {
  EXPECT_EQ(FingerprintOf(""), Fingerprint(0xEF46DB3751D8E999ULL, 0xC4349FC93C010000ULL));
  EXPECT_EQ(FingerprintOf("abc"), Fingerprint(0x44BC2CF5AD770999ULL, 0x2ED0F59D6B43AC8BULL));
  EXPECT_EQ(FingerprintOf(Bytes0To99()),
            Fingerprint(0x6AC1E58032166597ULL, 0x3B97D91EBA03E785ULL));
}

TEST(FingerprintTest, TellsTextsApart) {
  EXPECT_NE(FingerprintOf("dept-st/a"), FingerprintOf("dept-st/b"));
  EXPECT_NE(FingerprintOf("dept-st/a"), FingerprintOf("dept-pi/a"));
}

}  // namespace
}  // namespace tiendo::ingest
