#include "services/common/logging/log.h"

#include "gtest/gtest.h"

namespace tiendo::log {
namespace {

TEST(JsonEscapeTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonEscape("say \"hi\"\\\n\t\x01"), "say \\\"hi\\\"\\\\\\n\\t\\u0001");
}

TEST(JsonEscapeTest, KeepsVietnameseTextIntact) {
  EXPECT_EQ(JsonEscape("Bà Rịa - Vũng Tàu"), "Bà Rịa - Vũng Tàu");
}

TEST(JsonEscapeTest, ReplacesBytesThatAreNotUtf8) {
  EXPECT_EQ(JsonEscape("a\xff" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(JsonEscape("\xC3"), "\xEF\xBF\xBD");          // truncated sequence
  EXPECT_EQ(JsonEscape("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(JsonEscape("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}

TEST(ParseLevelTest, AcceptsTheFourLevelsOnly) {
  Level level = Level::kInfo;
  EXPECT_TRUE(ParseLevel("warning", &level));
  EXPECT_EQ(level, Level::kWarning);
  EXPECT_FALSE(ParseLevel("verbose", &level));
  EXPECT_EQ(level, Level::kWarning);
}

TEST(WriteTest, WritesOneJsonObjectPerLine) {
  Configure("tiendo-test", Level::kInfo);
  ::testing::internal::CaptureStderr();
  Info("kafka not reachable", {{"bootstrap", "127.0.0.1:1"}, {"attempt", 3}, {"ok", false}});
  Debug("not written at info level");
  const std::string line = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
  EXPECT_NE(line.find("\"level\":\"info\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"service\":\"tiendo-test\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"msg\":\"kafka not reachable\",\"bootstrap\":\"127.0.0.1:1\","
                      "\"attempt\":3,\"ok\":false}"),
            std::string::npos)
      << line;
}

}  // namespace
}  // namespace tiendo::log
