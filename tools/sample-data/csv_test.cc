#include "tools/sample-data/csv.h"

#include "absl/strings/match.h"
#include "services/common/rows/csv_reader.h"
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
  // Read back the way the importers read it.
  absl::StatusOr<rows::CsvTable> table = rows::ReadCsv(text);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->comments, std::vector<std::string>{"SYNTHETIC — test"});
  EXPECT_EQ(table->header, header);
  ASSERT_EQ(table->records.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(table->records[i].cells, rows[i]);
}

TEST(CsvTest, JoinsRepeatedValuesWithSemicolons) {
  EXPECT_EQ(JoinList({"6201", "6202", "6311"}), "6201;6202;6311");
  EXPECT_EQ(JoinList({}), "");
}

}  // namespace
}  // namespace tiendo::sample
