// Unit tests of ReportReceipts: reports counted per unit, indicator and period across
// reports, corrections and retractions of their cells; dropping indicators; the encoding
// read back, and damaged bytes refused.

#include "services/target-evaluator/report_receipts.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo::evaluator {
namespace {

using ::testing::HasSubstr;

const absl::Time kMonday = absl::FromUnixSeconds(1743984000);  // 2025-04-07T00:00:00Z

core::Reading Figure(int64_t value) { return core::Reading{value, 0, value}; }

core::CellChange Reported(int64_t value) {
  return {core::ApplyOutcome::kApplied, std::nullopt, Figure(value)};
}
core::CellChange Corrected(int64_t from, int64_t to) {
  return {core::ApplyOutcome::kApplied, Figure(from), Figure(to)};
}
core::CellChange Retracted(int64_t from) {
  return {core::ApplyOutcome::kRetracted, Figure(from), std::nullopt};
}

TEST(ReportReceiptsTest, FirstReportStartsTheReceiptAndCorrectionsMoveOnlyTheLastTime) {
  ReportReceipts receipts;
  EXPECT_EQ(receipts.Find("sokhcn", "sme_count", "2025-Q1"), nullptr);

  receipts.Record("sokhcn", "sme_count", "2025-Q1", kMonday, Reported(10));
  receipts.Record("sokhcn", "sme_count", "2025-Q1", kMonday + absl::Hours(5), Corrected(10, 12));

  const ReportReceipt* receipt = receipts.Find("sokhcn", "sme_count", "2025-Q1");
  ASSERT_NE(receipt, nullptr);
  EXPECT_EQ(receipt->first_accepted_at, kMonday);
  EXPECT_EQ(receipt->last_accepted_at, kMonday + absl::Hours(5));
  EXPECT_EQ(receipt->cells_with_reading, 1);
  // Other units, indicators and periods have nothing.
  EXPECT_EQ(receipts.Find("sotttt", "sme_count", "2025-Q1"), nullptr);
  EXPECT_EQ(receipts.Find("sokhcn", "other", "2025-Q1"), nullptr);
  EXPECT_EQ(receipts.Find("sokhcn", "sme_count", "2025-Q2"), nullptr);
  EXPECT_EQ(receipts.size(), 1u);
}

TEST(ReportReceiptsTest, AReportStandsUntilEveryCellIsRetracted) {
  ReportReceipts receipts;
  // Two disaggregations (two cells) of one report.
  receipts.Record("pc-747", "online_share", "2025-03", kMonday, Reported(1));
  receipts.Record("pc-747", "online_share", "2025-03", kMonday + absl::Hours(1), Reported(2));
  EXPECT_EQ(receipts.Find("pc-747", "online_share", "2025-03")->cells_with_reading, 2);

  receipts.Record("pc-747", "online_share", "2025-03", kMonday + absl::Hours(2), Retracted(1));
  const ReportReceipt* partly = receipts.Find("pc-747", "online_share", "2025-03");
  ASSERT_NE(partly, nullptr);
  EXPECT_EQ(partly->cells_with_reading, 1);
  EXPECT_EQ(partly->first_accepted_at, kMonday);
  EXPECT_EQ(partly->last_accepted_at, kMonday + absl::Hours(2));

  receipts.Record("pc-747", "online_share", "2025-03", kMonday + absl::Hours(3), Retracted(2));
  EXPECT_EQ(receipts.Find("pc-747", "online_share", "2025-03"), nullptr);
  EXPECT_EQ(receipts.size(), 0u);

  // Sent again: the report arrived when it was sent again.
  receipts.Record("pc-747", "online_share", "2025-03", kMonday + absl::Hours(4), Reported(3));
  const ReportReceipt* again = receipts.Find("pc-747", "online_share", "2025-03");
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->first_accepted_at, kMonday + absl::Hours(4));
  EXPECT_EQ(again->cells_with_reading, 1);
}

TEST(ReportReceiptsTest, ChangesThatLeaveTheCellAsItWasAreIgnored) {
  ReportReceipts receipts;
  receipts.Record("u", "i", "2025", kMonday, {core::ApplyOutcome::kDuplicate, std::nullopt,
                                               std::nullopt});
  receipts.Record("u", "i", "2025", kMonday, {core::ApplyOutcome::kNothingToRetract,
                                               std::nullopt, std::nullopt});
  EXPECT_EQ(receipts.Find("u", "i", "2025"), nullptr);

  receipts.Record("u", "i", "2025", kMonday, Reported(5));
  receipts.Record("u", "i", "2025", kMonday + absl::Hours(1),
                  {core::ApplyOutcome::kDuplicate, Figure(5), Figure(5)});
  EXPECT_EQ(receipts.Find("u", "i", "2025")->last_accepted_at, kMonday);
}

TEST(ReportReceiptsTest, ACorrectionOfACellNotCountedMakesTheReportStand) {
  // State restored without its receipts: the cell held a reading all along.
  ReportReceipts receipts;
  receipts.Record("u", "i", "2025-H1", kMonday, Corrected(1, 2));
  const ReportReceipt* receipt = receipts.Find("u", "i", "2025-H1");
  ASSERT_NE(receipt, nullptr);
  EXPECT_EQ(receipt->cells_with_reading, 1);
  EXPECT_EQ(receipt->first_accepted_at, kMonday);
}

TEST(ReportReceiptsTest, LastAcceptedAtNeverGoesBack) {
  ReportReceipts receipts;
  receipts.Record("u", "i", "2025-Q2", kMonday, Reported(1));
  // Another ingest instance's clock, a second behind.
  receipts.Record("u", "i", "2025-Q2", kMonday - absl::Seconds(1), Corrected(1, 2));
  EXPECT_EQ(receipts.Find("u", "i", "2025-Q2")->last_accepted_at, kMonday);
}

TEST(ReportReceiptsTest, DropForgetsTheIndicatorsNamed) {
  ReportReceipts receipts;
  for (const char* indicator : {"a", "b", "c"}) {
    for (const char* unit : {"u1", "u2"}) {
      receipts.Record(unit, indicator, "2025-Q1", kMonday, Reported(1));
      receipts.Record(unit, indicator, "2025-Q2", kMonday, Reported(1));
    }
  }
  int asked = 0;
  EXPECT_EQ(receipts.Drop([&](absl::string_view indicator) {
    ++asked;
    return indicator == "a" || indicator == "c";
  }),
            8u);
  EXPECT_EQ(asked, 3);  // once per indicator
  EXPECT_EQ(receipts.size(), 4u);
  EXPECT_EQ(receipts.Find("u1", "a", "2025-Q1"), nullptr);
  EXPECT_EQ(receipts.Find("u2", "c", "2025-Q2"), nullptr);
  EXPECT_NE(receipts.Find("u2", "b", "2025-Q2"), nullptr);
  EXPECT_EQ(receipts.Drop([](absl::string_view) { return false; }), 0u);
}

ReportReceipts Sample() {
  ReportReceipts receipts;
  receipts.Record("brvt-sokhcn", "digital_enterprises", "2025-Q1", kMonday, Reported(1));
  receipts.Record("brvt-sokhcn", "digital_enterprises", "2025-Q1", kMonday + absl::Minutes(3),
                  Reported(2));
  receipts.Record("brvt-sokhcn", "digital_enterprises", "2025-Q2",
                  kMonday + absl::Microseconds(1), Reported(1));
  receipts.Record("pc-747", "digital_enterprises", "2025-Q1", kMonday + absl::Hours(30),
                  Reported(4));
  receipts.Record("pc-747", "online_services_share", "2024", absl::UnixEpoch() - absl::Hours(1),
                  Reported(4));
  receipts.Record("pc-747", "online_services_share", "2024", kMonday, Corrected(4, 5));
  return receipts;
}

TEST(ReportReceiptsTest, EncodingReadsBackTheSameReceipts) {
  const ReportReceipts receipts = Sample();
  const std::string bytes = receipts.Encode();
  absl::StatusOr<ReportReceipts> decoded = ReportReceipts::Decode(bytes, "snapshot 7");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, receipts);
  EXPECT_EQ(decoded->size(), 4u);
  const ReportReceipt* before_epoch = decoded->Find("pc-747", "online_services_share", "2024");
  ASSERT_NE(before_epoch, nullptr);
  EXPECT_EQ(before_epoch->first_accepted_at, absl::UnixEpoch() - absl::Hours(1));
  EXPECT_EQ(before_epoch->last_accepted_at, kMonday);
  EXPECT_EQ(decoded->Find("brvt-sokhcn", "digital_enterprises", "2025-Q1")->cells_with_reading,
            2);
  // Compact: each id written once, however many reports it has.
  EXPECT_EQ(bytes.find("digital_enterprises"), bytes.rfind("digital_enterprises"));
  EXPECT_EQ(bytes.find("brvt-sokhcn"), bytes.rfind("brvt-sokhcn"));

  const ReportReceipts empty;
  absl::StatusOr<ReportReceipts> none = ReportReceipts::Decode(empty.Encode(), "snapshot 8");
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->size(), 0u);
}

TEST(ReportReceiptsTest, EveryTruncationIsDataLossNamingTheSource) {
  const std::string bytes = Sample().Encode();
  for (size_t size = 0; size < bytes.size(); ++size) {
    absl::StatusOr<ReportReceipts> decoded =
        ReportReceipts::Decode(absl::string_view(bytes).substr(0, size), "snapshot-00042");
    ASSERT_FALSE(decoded.ok()) << "truncated to " << size << " bytes";
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss) << decoded.status();
    EXPECT_THAT(decoded.status().message(), HasSubstr("snapshot-00042"));
  }
}

TEST(ReportReceiptsTest, TrailingBytesAreDataLoss) {
  absl::StatusOr<ReportReceipts> decoded =
      ReportReceipts::Decode(Sample().Encode() + "x", "snapshot-1");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(decoded.status().message(), HasSubstr("1 bytes after the last report"));
}

TEST(ReportReceiptsTest, AnotherVersionIsFailedPrecondition) {
  std::string bytes = ReportReceipts().Encode();
  bytes[0] = 2;
  absl::StatusOr<ReportReceipts> decoded = ReportReceipts::Decode(bytes, "snapshot-1");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(decoded.status().message(), HasSubstr("format version 2"));
}

// Bytes written by hand: version 1, one indicator "i" with one unit "u" holding the reports
// given (each already encoded).
std::string OneUnit(int reports, const std::string& encoded_reports) {
  return std::string("\x01\x01\x01i\x01\x01u", 7) + static_cast<char>(reports) + encoded_reports;
}

TEST(ReportReceiptsTest, DamagedContentIsDataLoss) {
  // A report: text period, first time, span, cells.
  const std::string q1 = std::string("\x07" "2025-Q1", 8) + std::string("\x05\x00\x01", 3);
  const std::string q2 = std::string("\x07" "2025-Q2", 8) + std::string("\x05\x00\x01", 3);
  absl::StatusOr<ReportReceipts> sound = ReportReceipts::Decode(OneUnit(2, q1 + q2), "s");
  ASSERT_TRUE(sound.ok()) << sound.status();
  EXPECT_EQ(sound->Find("u", "i", "2025-Q2")->first_accepted_at, absl::FromUnixMicros(5));

  const std::string bad_period = std::string("\x07" "2025-Q5", 8) + std::string("\x05\x00\x01", 3);
  const std::string no_cells = std::string("\x07" "2025-Q1", 8) + std::string("\x05\x00\x00", 3);
  const struct {
    std::string bytes;
    std::string why;
  } cases[] = {
      {OneUnit(1, bad_period), "not a period"},
      {OneUnit(1, no_cells), "0 cells with a reading"},
      {OneUnit(2, q2 + q1), "out of order or repeated"},
      {OneUnit(2, q1 + q1), "out of order or repeated"},
      {OneUnit(0, ""), "an empty group"},
      {OneUnit(100, q1), "does not fit"},
      {std::string("\x01\x01\x00\x01\x01u\x01", 7) + q1, "indicator id: empty"},
  };
  for (const auto& c : cases) {
    absl::StatusOr<ReportReceipts> decoded = ReportReceipts::Decode(c.bytes, "snapshot-9");
    ASSERT_FALSE(decoded.ok()) << c.why;
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss) << decoded.status();
    EXPECT_THAT(decoded.status().message(), HasSubstr(c.why));
    EXPECT_THAT(decoded.status().message(), HasSubstr("snapshot-9"));
  }
}

}  // namespace
}  // namespace tiendo::evaluator
