// Unit tests of AcceptedFields: what it reads of an AcceptedSubmission is what protobuf's
// generated parser reads, for what ingest writes on both paths, for messages merged by
// concatenation, for unknown fields, and for thousands of random events and damaged copies of
// them; what protobuf rejects it declines.

#include "services/target-evaluator/accepted_fields.h"

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/stubs/logging.h"
#include "gtest/gtest.h"

namespace tiendo::evaluator {
namespace {

using events::v1::AcceptedSubmission;

// Everything AcceptedFields holds, as text to compare: the disaggregation sorted (its order
// is the wire's, protobuf's map has its own), doubles by their bits.
std::string Describe(const AcceptedFields& fields) {
  const core::SubmissionFields& s = fields.submission;
  std::vector<std::pair<std::string, std::string>> disaggregation(s.disaggregation.begin(),
                                                                  s.disaggregation.end());
  std::sort(disaggregation.begin(), disaggregation.end());
  const auto bits = [](double value) {
    uint64_t pattern = 0;
    std::memcpy(&pattern, &value, sizeof(pattern));
    return pattern;
  };
  return absl::StrCat(
      "id=", s.submission_id, " unit=", s.reporting_unit_id, " indicator=", s.indicator_id,
      " period=", s.period, " disaggregation={",
      absl::StrJoin(disaggregation, ";", absl::PairFormatter("=")), "} figure=",
      static_cast<int>(s.figure), " value=", absl::Hex(bits(s.value)),
      " denominator=", absl::Hex(bits(s.denominator)), " kind=", static_cast<int>(s.kind),
      " accepted_at=", fields.accepted_at_seconds, "s+", fields.accepted_at_nanos, "ns");
}

// What protobuf reads of `bytes`, described; nullopt if it rejects them.
std::optional<std::string> ProtobufReads(const std::string& bytes) {
  AcceptedSubmission event;
  if (!event.ParseFromString(bytes)) return std::nullopt;
  return Describe(AcceptedFields::Of(event));
}

// Checks AcceptedFields against protobuf on `bytes`: whatever it takes, protobuf reads the
// same way. Returns whether it took them.
bool TakenAsProtobufReads(const std::string& bytes) {
  const std::optional<AcceptedFields> read = AcceptedFields::Read(bytes);
  if (!read.has_value()) return false;
  const std::optional<std::string> expected = ProtobufReads(bytes);
  EXPECT_TRUE(expected.has_value()) << "taken, but protobuf rejects them";
  if (expected.has_value()) {
    EXPECT_EQ(Describe(*read), *expected);
  }
  return true;
}

AcceptedSubmission ByGrpc() {
  AcceptedSubmission event;
  ingest::v1::Submission& s = *event.mutable_submission();
  s.set_submission_id("sở-tt-2025-q3-0001");
  s.set_reporting_unit_id("dept-st");
  s.set_indicator_id("sme_platform_adoption");
  s.set_period("2025-Q3");
  (*s.mutable_disaggregation())["district"] = "Bà Rịa";
  (*s.mutable_disaggregation())["sector"] = "manufacturing";
  s.mutable_ratio()->set_numerator(120);
  s.mutable_ratio()->set_denominator(300);
  s.mutable_submitted_at()->set_seconds(1751328000);
  s.set_source_system("statistics-portal");
  s.set_comment("quý 3");
  s.set_kind(ingest::v1::SUBMISSION_KIND_REPORT);
  event.set_token_id("tok-17");
  event.mutable_accepted_at()->set_seconds(1751328001);
  event.mutable_accepted_at()->set_nanos(123456789);
  event.set_ingest_path(events::v1::INGEST_PATH_GRPC);
  event.set_ingest_instance("ingest-0");
  return event;
}

AcceptedSubmission ByRawTopic() {
  AcceptedSubmission event = ByGrpc();
  event.set_ingest_path(events::v1::INGEST_PATH_RAW_TOPIC);
  events::v1::SourceRecord& origin = *event.mutable_raw_origin();
  origin.mutable_position()->set_topic("tiendo.submissions.raw.v1");
  origin.mutable_position()->set_partition(3);
  origin.mutable_position()->set_offset(4711);
  origin.mutable_record_timestamp()->set_seconds(1751328000);
  origin.set_key(std::string("\xff\x00k", 3));  // bytes: need not be UTF-8
  events::v1::RecordHeader& header = *origin.add_headers();
  header.set_key("tiendo-token");
  header.set_value(std::string("\x80\x81", 2));
  event.set_raw_item_index(2);
  return event;
}

TEST(AcceptedFieldsTest, ReadsWhatIngestWritesOnBothPaths) {
  EXPECT_TRUE(TakenAsProtobufReads(ByGrpc().SerializeAsString()));
  EXPECT_TRUE(TakenAsProtobufReads(ByRawTopic().SerializeAsString()));

  const std::string bytes = ByGrpc().SerializeAsString();  // what the fields view
  const std::optional<AcceptedFields> read = AcceptedFields::Read(bytes);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->submission.submission_id, "sở-tt-2025-q3-0001");
  EXPECT_EQ(read->submission.figure, core::SubmissionFields::Figure::kRatio);
  EXPECT_EQ(read->submission.value, 120);
  EXPECT_EQ(read->submission.denominator, 300);
  EXPECT_EQ(read->accepted_at(), absl::FromUnixMicros(1751328001123456));
  EXPECT_EQ(core::CanonicalDisaggregation(read->submission.disaggregation),
            "district=Bà Rịa;sector=manufacturing");
}

TEST(AcceptedFieldsTest, ReadsAnEmptyEventAsProtobufDefaults) {
  EXPECT_TRUE(TakenAsProtobufReads(""));
  const std::optional<AcceptedFields> read = AcceptedFields::Read("");
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->submission.figure, core::SubmissionFields::Figure::kNone);
}

TEST(AcceptedFieldsTest, MergesConcatenatedEventsAsProtobufDoes) {
  AcceptedSubmission value;
  value.mutable_submission()->set_value(7);
  value.mutable_submission()->set_period("2025");
  AcceptedSubmission numerator;
  numerator.mutable_submission()->mutable_ratio()->set_numerator(3);
  AcceptedSubmission denominator;
  denominator.mutable_submission()->mutable_ratio()->set_denominator(9);
  AcceptedSubmission district;
  (*district.mutable_submission()->mutable_disaggregation())["district"] = "Long Điền";
  const AcceptedSubmission grpc = ByGrpc();
  const AcceptedSubmission raw = ByRawTopic();
  AcceptedSubmission later;
  later.mutable_accepted_at()->set_nanos(5);
  later.mutable_submission()->set_kind(ingest::v1::SUBMISSION_KIND_RETRACTION);

  const std::vector<std::vector<const AcceptedSubmission*>> sequences = {
      {&value, &numerator},                 // a ratio replaces a value
      {&numerator, &denominator},           // ratios merge
      {&numerator, &value, &denominator},   // a value in between: the ratio starts afresh
      {&grpc, &district},               // a map entry for a dimension replaces its value
      {&grpc, &later, &value},          // scalars and timestamps merge
      {&raw, &raw},
  };
  for (const auto& sequence : sequences) {
    std::string bytes;
    for (const AcceptedSubmission* part : sequence) bytes += part->SerializeAsString();
    EXPECT_TRUE(TakenAsProtobufReads(bytes)) << ProtobufReads(bytes).value_or("rejected");
  }
}

// A field of `number` in each wire type ingest's schema does not use there.
std::string UnknownFields(int number) {
  const auto tag = [&](int wire_type) { return static_cast<char>((number << 3) | wire_type); };
  std::string fields;
  fields += tag(0) + std::string("\x96\x01");           // varint 150
  fields += tag(1) + std::string("12345678");           // fixed64
  fields += tag(2) + std::string("\x03\xff\xfe\x00", 4);  // 3 bytes, not UTF-8: skipped unread
  fields += tag(5) + std::string("1234");               // fixed32
  return fields;
}

TEST(AcceptedFieldsTest, SkipsUnknownFields) {
  AcceptedSubmission event = ByGrpc();
  std::string submission = event.submission().SerializeAsString() + UnknownFields(15);
  event.clear_submission();
  // Unknown fields of the event, then field 1 (the submission), length-prefixed.
  std::string bytes = event.SerializeAsString() + UnknownFields(14) + '\x0a';
  size_t length = submission.size();  // as a varint
  for (; length > 0x7F; length >>= 7) bytes += static_cast<char>((length & 0x7F) | 0x80);
  bytes += static_cast<char>(length);
  bytes += submission;
  EXPECT_TRUE(TakenAsProtobufReads(bytes));
  EXPECT_EQ(ProtobufReads(bytes), ProtobufReads(ByGrpc().SerializeAsString()));
}

TEST(AcceptedFieldsTest, DeclinesWhatProtobufRejects) {
  google::protobuf::LogSilencer quiet;  // protobuf logs each string that is not UTF-8
  const std::string not_utf8 = "\xc3\x28";
  std::vector<AcceptedSubmission> events(6, ByRawTopic());
  events[0].mutable_submission()->set_submission_id(not_utf8);
  events[1].mutable_submission()->set_comment(not_utf8);
  events[2].set_token_id(not_utf8);
  (*events[3].mutable_submission()->mutable_disaggregation())[not_utf8] = "x";
  events[4].mutable_raw_origin()->mutable_headers(0)->set_key(not_utf8);
  events[5].mutable_raw_origin()->mutable_position()->set_topic(not_utf8);
  for (const AcceptedSubmission& event : events) {
    const std::string bytes = event.SerializePartialAsString();
    EXPECT_FALSE(ProtobufReads(bytes).has_value());
    EXPECT_FALSE(AcceptedFields::Read(bytes).has_value()) << Describe(*AcceptedFields::Read(bytes));
  }
  // Zero-padded varints: protobuf reads a tag or a length in at most five bytes.
  const std::vector<std::string> padded = {
      std::string("\x92\x80\x80\x80\x80\x00\x00", 7),  // token_id's tag in six bytes
      std::string("\x92\x80\x80\x80\x80\x80\x80\x80\x80\x00\x00", 11),  // in ten
      std::string("\x12\x80\x80\x80\x80\x80\x00", 7),  // a length in six bytes
      std::string("\xfa\x01\x80\x80\x80\x80\x80\x00", 8),  // an unknown field's length
      std::string("\x0a\x07\x8a\x80\x80\x80\x80\x00\x00", 9),  // a tag in the submission
      std::string("\x12\x80\x80\x80\x80\x10", 6),  // a length above 2^31
  };
  for (const std::string& bytes : padded) {
    EXPECT_FALSE(ProtobufReads(bytes).has_value()) << absl::CHexEscape(bytes);
    EXPECT_FALSE(AcceptedFields::Read(bytes).has_value()) << absl::CHexEscape(bytes);
  }
  const std::string whole = ByGrpc().SerializeAsString();
  for (size_t cut = 1; cut < whole.size(); ++cut) {
    const std::string truncated = whole.substr(0, cut);
    if (!ProtobufReads(truncated).has_value()) {
      EXPECT_FALSE(AcceptedFields::Read(truncated).has_value()) << "cut at " << cut;
    }
  }
}

TEST(AcceptedFieldsTest, DeclinesGroupsAndKnownFieldsOfAnotherWireType) {
  // An unknown group (field 20, start and end), and the submission id (field 1 of the
  // submission) as a varint: protobuf's parser may read both; this reader leaves them to it.
  EXPECT_FALSE(AcceptedFields::Read("\xa3\x01\xa4\x01").has_value());
  EXPECT_FALSE(AcceptedFields::Read("\x0a\x02\x08\x01").has_value());
}

// A random event: each field present or not, text with and without diacritics.
AcceptedSubmission RandomEvent(std::mt19937& random) {
  const auto chance = [&](int percent) {
    return std::uniform_int_distribution<int>(0, 99)(random) < percent;
  };
  const auto text = [&] {
    static const char* const kWords[] = {"a", "dept-st", "Vũng Tàu", "2025-Q3", "đ", "x_1", ""};
    std::string joined;
    const int words = std::uniform_int_distribution<int>(0, 3)(random);
    for (int i = 0; i < words; ++i) {
      joined += kWords[std::uniform_int_distribution<int>(0, 6)(random)];
    }
    return joined;
  };
  const auto number = [&] { return std::uniform_real_distribution<double>(-1e6, 1e6)(random); };
  AcceptedSubmission event;
  if (chance(90)) {
    ingest::v1::Submission& s = *event.mutable_submission();
    if (chance(80)) s.set_submission_id(text());
    if (chance(80)) s.set_reporting_unit_id(text());
    if (chance(80)) s.set_indicator_id(text());
    if (chance(80)) s.set_period(text());
    const int dimensions = std::uniform_int_distribution<int>(0, 6)(random);
    for (int i = 0; i < dimensions; ++i) (*s.mutable_disaggregation())[text()] = text();
    if (chance(40)) s.set_value(number());
    if (chance(40)) {
      if (chance(70)) s.mutable_ratio()->set_numerator(number());
      if (chance(70)) s.mutable_ratio()->set_denominator(number());
    }
    if (chance(50)) s.mutable_submitted_at()->set_seconds(random());
    if (chance(50)) s.set_source_system(text());
    if (chance(50)) s.set_comment(text());
    if (chance(50)) s.set_kind(static_cast<ingest::v1::SubmissionKind>(random() % 4));
  }
  if (chance(50)) event.set_token_id(text());
  if (chance(80)) {
    event.mutable_accepted_at()->set_seconds(random() % 4000000000);
    event.mutable_accepted_at()->set_nanos(static_cast<int32_t>(random() % 1000000000));
  }
  if (chance(50)) event.set_ingest_path(static_cast<events::v1::IngestPath>(random() % 3));
  if (chance(30)) {
    event.mutable_raw_origin()->mutable_position()->set_topic(text());
    event.mutable_raw_origin()->set_key(text());
    event.mutable_raw_origin()->add_headers()->set_key(text());
    event.set_raw_item_index(static_cast<int32_t>(random() % 100));
  }
  if (chance(50)) event.set_ingest_instance(text());
  return event;
}

TEST(AcceptedFieldsTest, ReadsRandomEventsAndTheirDamagedCopiesAsProtobufDoes) {
  google::protobuf::LogSilencer quiet;
  std::mt19937 random(20261129);
  int damaged_taken = 0;
  int damaged_declined = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string bytes;
    const int parts = std::uniform_int_distribution<int>(1, 3)(random);
    for (int i = 0; i < parts; ++i) bytes += RandomEvent(random).SerializeAsString();
    ASSERT_TRUE(TakenAsProtobufReads(bytes)) << "an event as protobuf writes it was declined";
    for (int copy = 0; copy < 10 && !bytes.empty(); ++copy) {
      std::string damaged = bytes;
      const size_t at = random() % damaged.size();
      switch (random() % 3) {
        case 0:
          damaged[at] = static_cast<char>(random());
          break;
        case 1:
          damaged.resize(at);
          break;
        default:
          damaged.insert(at, 1, static_cast<char>(random()));
      }
      if (TakenAsProtobufReads(damaged)) {
        ++damaged_taken;
      } else {
        ++damaged_declined;  // left to protobuf, which decides
      }
    }
  }
  // Both outcomes occurred: the damage reached fields that matter, and some of it was benign.
  EXPECT_GT(damaged_taken, 1000);
  EXPECT_GT(damaged_declined, 1000);
}

}  // namespace
}  // namespace tiendo::evaluator
