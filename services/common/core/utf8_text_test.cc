#include "services/common/core/utf8_text.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace tiendo::core {
namespace {

TEST(Utf8TextTest, CountsCharactersNotBytes) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("Long Điền"), 9u);
  EXPECT_EQ(Utf8Length("Công ty TNHH Phần mềm Biển Xanh"), 31u);
  EXPECT_EQ(Utf8Length("\xF0\x9F\x98\x80"), 1u);  // U+1F600, four bytes
}

TEST(Utf8TextTest, RejectsMalformedSequences) {
  EXPECT_EQ(Utf8Length("C\xF4ng ty"), std::nullopt);     // Latin-1 "ô"
  EXPECT_EQ(Utf8Length("\xC3"), std::nullopt);           // truncated
  EXPECT_EQ(Utf8Length("\xC0\xAF"), std::nullopt);       // overlong "/"
  EXPECT_EQ(Utf8Length("\xE0\x80\xAF"), std::nullopt);   // overlong
  EXPECT_EQ(Utf8Length("\xED\xA0\x80"), std::nullopt);   // surrogate U+D800
  EXPECT_EQ(Utf8Length("\xF4\x90\x80\x80"), std::nullopt);  // above U+10FFFF
  EXPECT_EQ(Utf8Length("\x80"), std::nullopt);           // lone continuation
  EXPECT_FALSE(IsValidUtf8("\xE1\xBB"));
  EXPECT_TRUE(IsValidUtf8("Bà Rịa - Vũng Tàu"));
}

TEST(Utf8TextTest, FindsANonAsciiByteWhereverItIs) {
  for (size_t size = 0; size <= 24; ++size) {
    const std::string ascii(size, 'a');
    EXPECT_TRUE(IsAscii(ascii)) << size;
    for (size_t at = 0; at < size; ++at) {
      std::string text = ascii;
      text[at] = '\x80';
      EXPECT_FALSE(IsAscii(text)) << "size " << size << ", at " << at;
      EXPECT_FALSE(IsValidUtf8(text)) << "size " << size << ", at " << at;
    }
  }
}

TEST(Utf8TextTest, ShowsValidTextAsItIsAndEscapesTheRest) {
  EXPECT_EQ(ShowText("Long Điền"), "Long Điền");
  EXPECT_EQ(ShowText("C\xF4ng"), "C\\xf4ng");
  EXPECT_EQ(ShowText("a\nb"), "a\\nb");
  // Cut on a character boundary, never inside "Đ".
  EXPECT_EQ(ShowText("Điền", 2), "Đi…");
  EXPECT_TRUE(IsValidUtf8(ShowText(std::string(100, '\xFF'))));
}

}  // namespace
}  // namespace tiendo::core
