// Tests of ReadCsv: RFC 4180 quoting, comment lines, line numbers and the errors a broken
// file gets.
#include "services/common/rows/csv_reader.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo::rows {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(ReadCsvTest, ReadsCommentsHeaderAndRecordsWithTheirLines) {
  absl::StatusOr<CsvTable> table = ReadCsv(
      "# SYNTHETIC DATA — not official\n"
      "#second comment\n"
      "tax_code,name_vi,is_sme\n"
      "3509001001,Công ty TNHH Thùy Dương,true\n"
      "3509001002,Công ty Cổ phần Biển Xanh,false\n");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_THAT(table->comments, ElementsAre("SYNTHETIC DATA — not official", "second comment"));
  EXPECT_THAT(table->header, ElementsAre("tax_code", "name_vi", "is_sme"));
  EXPECT_EQ(table->header_line, 3);
  ASSERT_EQ(table->records.size(), 2u);
  EXPECT_EQ(table->records[0].line, 4);
  EXPECT_THAT(table->records[0].cells,
              ElementsAre("3509001001", "Công ty TNHH Thùy Dương", "true"));
  EXPECT_EQ(table->records[1].line, 5);
  EXPECT_THAT(table->records[1].cells,
              ElementsAre("3509001002", "Công ty Cổ phần Biển Xanh", "false"));
}

TEST(ReadCsvTest, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  absl::StatusOr<CsvTable> table = ReadCsv(
      "a,b,c\n"
      "\"THUY DUONG SECURITY CO., LTD\",\"say \"\"xin chào\"\"\",\"two\nlines\"\n"
      "x,\"\",z\n");
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->records.size(), 2u);
  EXPECT_THAT(table->records[0].cells,
              ElementsAre("THUY DUONG SECURITY CO., LTD", "say \"xin chào\"", "two\nlines"));
  // The line break inside the quoted field moves the next record's line on.
  EXPECT_EQ(table->records[1].line, 4);
  EXPECT_THAT(table->records[1].cells, ElementsAre("x", "", "z"));
}

TEST(ReadCsvTest, EmptyCellsAtEitherEndAreCells) {
  absl::StatusOr<CsvTable> table = ReadCsv("a,b,c\n,,\nx,,\n");
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->records.size(), 2u);
  EXPECT_THAT(table->records[0].cells, ElementsAre("", "", ""));
  EXPECT_THAT(table->records[1].cells, ElementsAre("x", "", ""));
}

TEST(ReadCsvTest, AcceptsCrlfAByteOrderMarkAndAMissingFinalLineEnd) {
  absl::StatusOr<CsvTable> table = ReadCsv("\xEF\xBB\xBF# c\r\na,b\r\n1,\"2\r\n3\"\r\n4,5");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_THAT(table->comments, ElementsAre("c"));
  EXPECT_THAT(table->header, ElementsAre("a", "b"));
  ASSERT_EQ(table->records.size(), 2u);
  EXPECT_THAT(table->records[0].cells, ElementsAre("1", "2\r\n3"));
  EXPECT_THAT(table->records[1].cells, ElementsAre("4", "5"));
  EXPECT_EQ(table->records[1].line, 5);
}

TEST(ReadCsvTest, SkipsEmptyLinesAnywhere) {
  absl::StatusOr<CsvTable> table = ReadCsv("\n# c\n\na,b\n\n1,2\n\n\n3,4\n\n");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->header_line, 4);
  ASSERT_EQ(table->records.size(), 2u);
  EXPECT_EQ(table->records[0].line, 6);
  EXPECT_EQ(table->records[1].line, 9);
  EXPECT_THAT(table->records[1].cells, ElementsAre("3", "4"));
}

TEST(ReadCsvTest, AHashAfterTheHeaderIsData) {
  absl::StatusOr<CsvTable> table = ReadCsv("# comment\nname,n\n#1 shop,7\n");
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->records.size(), 1u);
  EXPECT_THAT(table->records[0].cells, ElementsAre("#1 shop", "7"));
}

TEST(ReadCsvTest, KeepsRecordsWhoseCellCountDiffersForTheImporterToReport) {
  absl::StatusOr<CsvTable> table = ReadCsv("a,b,c\n1,2\n1,2,3,4\n");
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->records.size(), 2u);
  EXPECT_EQ(table->records[0].cells.size(), 2u);
  EXPECT_EQ(table->records[1].cells.size(), 4u);
}

TEST(ReadCsvTest, TextWithoutAHeaderIsAnEmptyTable) {
  for (const char* text : {"", "\n\n", "# only a comment\n"}) {
    absl::StatusOr<CsvTable> table = ReadCsv(text);
    ASSERT_TRUE(table.ok()) << table.status();
    EXPECT_THAT(table->header, IsEmpty());
    EXPECT_EQ(table->header_line, 0);
    EXPECT_THAT(table->records, IsEmpty());
  }
}

TEST(ReadCsvTest, AQuoteThatIsNeverClosedNamesTheLineWhereTheRecordStarts) {
  absl::StatusOr<CsvTable> table = ReadCsv("a,b\n1,2\n3,\"open\n4,5\n");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(table.status().message(), HasSubstr("line 3: quoted field is not closed"));
}

TEST(ReadCsvTest, TextAfterAClosingQuoteIsAnError) {
  absl::StatusOr<CsvTable> table = ReadCsv("a,b\n\"x\"y,2\n");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(table.status().message(), HasSubstr("line 2: text after the closing quote"));
}

TEST(ReadCsvTest, AQuoteInsideAnUnquotedFieldIsAnError) {
  absl::StatusOr<CsvTable> table = ReadCsv("a,b\n1,2\n3,4 \"inch\"\n");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(table.status().message(),
              HasSubstr("line 3: double quote inside an unquoted field"));
}

}  // namespace
}  // namespace tiendo::rows
