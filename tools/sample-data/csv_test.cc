#include "tools/sample-data/csv.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace tiendo::sample {
namespace {

TEST(CsvTest, QuotesOnlyFieldsThatNeedIt) {
  EXPECT_EQ(CsvField("Công ty TNHH Biển Xanh"), "Công ty TNHH Biển Xanh");
  EXPECT_EQ(CsvField("BIEN XANH CO., LTD"), "\"BIEN XANH CO., LTD\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField(""), "");
}

TEST(CsvTest, WrittenFilesReadBack) {
  const CsvRecord header = {"a", "b", "c"};
  const std::vector<CsvRecord> rows = {
      {"1", "Tổ 3, Ấp Bắc", ""},
      {"x\"y", "multi\nline", "6201;6202"},
  };
  const std::string text = WriteCsv("SYNTHETIC — test", header, rows);
  EXPECT_TRUE(absl::StartsWith(text, "# SYNTHETIC — test\na,b,c\n")) << text;
  absl::StatusOr<CsvDocument> document = ParseCsv(text);
  ASSERT_TRUE(document.ok()) << document.status();
  EXPECT_EQ(document->comments, std::vector<std::string>{"SYNTHETIC — test"});
  EXPECT_EQ(document->header, header);
  EXPECT_EQ(document->rows, rows);
}

TEST(CsvTest, AcceptsCrLf) {
  absl::StatusOr<CsvDocument> document = ParseCsv("# c\r\na,b\r\n1,\"2,3\"\r\n");
  ASSERT_TRUE(document.ok()) << document.status();
  EXPECT_EQ(document->comments, std::vector<std::string>{"c"});
  EXPECT_EQ(document->rows, (std::vector<CsvRecord>{{"1", "2,3"}}));
}

TEST(CsvTest, RejectsMalformedRecordsNamingTheLine) {
  EXPECT_EQ(ParseCsv("a,b\n1,\"2\n").status().message(), "line 2: quoted field is not closed");
  EXPECT_EQ(ParseCsv("a,b\n1,2\"x\n").status().message(),
            "line 2: double quote inside an unquoted field");
  EXPECT_EQ(ParseCsv("a,b\n\"1\"x,2\n").status().message(),
            "line 2: text after the closing quote of a field");
  EXPECT_EQ(ParseCsv("a,b\n1,2\n1,2,3\n").status().message(),
            "line 3: 3 fields, the header has 2");
}

TEST(CsvTest, JoinsRepeatedValuesWithSemicolons) {
  EXPECT_EQ(JoinList({"6201", "6202", "6311"}), "6201;6202;6311");
  EXPECT_EQ(JoinList({}), "");
}

}  // namespace
}  // namespace tiendo::sample
