// The raw path of metrics-ingest against the real registry and broker: poison records on
// tiendo.submissions.raw.v1 (not protobuf, another schema, no or a bad token, no value, no
// items, too many items, an item that is not UTF-8 or breaks a rule) each become a dead letter
// on tiendo.submissions.rejected.v1 with the right reason and the original bytes, never stall
// the partition, and the good items around them reach tiendo.submissions.v1 — exactly those.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/core/utf8_text.h"
#include "tests/support/ingest_suite.h"
#include "tests/support/topic_reader.h"
#include "tiendo/events/v1/raw_submission_batch.pb.h"
#include "tiendo/events/v1/rejected_submission.pb.h"
#include "tiendo/events/v1/submission_event.pb.h"
#include "tiendo/ingest/v1/lenient_submission.pb.h"

namespace tiendo {
namespace {

namespace v1 = ingest::v1;

constexpr char kDigitised[] = "procedure_results_digitised";
constexpr char kKey[] = "dept-st";  // one key: one raw partition, read in order

// What one produced record must come to.
struct ExpectedLetter {
  std::string what;
  v1::RejectionReason reason;
  std::string field;
  std::optional<int> item_index;
  std::string original_value;
  std::string reporting_unit_id;  // when the token was valid
  std::string submission_id;
  std::string batch_id;
  // Set when the dead letter cannot hold it all: original_value's whole length, of which the
  // letter keeps the start (without the source record's key and headers).
  int64_t original_size = 0;
};

class IngestRawTopicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::IngestSuite>> suite = testing::IngestSuite::Start(
        {TIENDO_REGISTRY_BINARY, TIENDO_INGEST_BINARY, "raw", {"dept-st"}, {}, ""});
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = *std::move(suite);
    token_ = suite_->token("dept-st");
  }

  v1::Submission Item(const std::string& id, const std::string& period = "2025-Q1") {
    return testing::RatioSubmission(absl::StrCat("raw:", id), kDigitised, period, 3, 4);
  }

  static std::string Batch(const std::vector<v1::Submission>& items, const std::string& batch_id) {
    events::v1::RawSubmissionBatch batch;
    for (const v1::Submission& item : items) *batch.add_submissions() = item;
    batch.set_batch_id(batch_id);
    batch.mutable_produced_at()->set_seconds(1767225600);
    return batch.SerializeAsString();
  }

  // Produces a record and returns its offset.
  int64_t Produce(std::optional<std::string> value, const std::vector<kafka::Header>& headers) {
    absl::StatusOr<kafka::RecordPosition> written = suite_->ProduceRaw(kKey, value, headers);
    EXPECT_TRUE(written.ok()) << written.status();
    if (!written.ok()) return -1;
    if (partition_.has_value()) {
      EXPECT_EQ(written->partition, *partition_);
    }
    partition_ = written->partition;
    return written->offset;
  }

  std::unique_ptr<testing::IngestSuite> suite_;
  testing::IssuedToken token_;
  std::optional<int32_t> partition_;
};

TEST_F(IngestRawTopicTest, PoisonRecordsBecomeDeadLettersAndGoodOnesStillFlow) {
  const std::vector<kafka::Header> good_headers = testing::IngestSuite::RawHeaders(token_.bearer);
  // By the offset of the raw record and the item's index (-1 for the whole record).
  std::map<std::pair<int64_t, int>, ExpectedLetter> letters;
  auto whole = [&](int64_t offset) -> ExpectedLetter& { return letters[{offset, -1}]; };
  std::set<std::string> accepted;

  {
    const std::string value = Batch({Item("g0")}, "raw first");
    Produce(value, good_headers);
    accepted.insert("raw:g0");
  }
  {
    const std::string garbage = "\xff\xff\xff\xff not a protobuf";
    whole(Produce(garbage, good_headers)) = {"garbage bytes", v1::REJECTION_REASON_UNDECODABLE,
                                              "", std::nullopt, garbage, "", "", ""};
  }
  {
    const std::string value = Batch({Item("wrong-schema")}, "raw wrong schema");
    std::vector<kafka::Header> headers = {good_headers[0],
                                          {"tiendo-schema", "tiendo.events.v1.AcceptedSubmission"}};
    whole(Produce(value, headers)) = {"another schema", v1::REJECTION_REASON_SCHEMA_MISMATCH, "",
                                        std::nullopt, value, "", "", ""};
  }
  {
    const std::string value = Batch({Item("no-token")}, "raw no token");
    whole(Produce(value, {good_headers[1]})) = {"no token", v1::REJECTION_REASON_UNAUTHENTICATED,
                                                  "", std::nullopt, value, "", "", "raw no token"};
  }
  {
    const std::string value = Batch({Item("bad-token")}, "raw bad token");
    std::string wrong = token_.bearer;
    wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
    whole(Produce(value, testing::IngestSuite::RawHeaders(wrong))) = {
        "wrong secret", v1::REJECTION_REASON_UNAUTHENTICATED, "", std::nullopt, value, "", "",
        "raw bad token"};
  }
  whole(Produce(std::string(), good_headers)) = {"empty value",
                                                   v1::REJECTION_REASON_UNDECODABLE, "",
                                                   std::nullopt, "", "", "", ""};
  whole(Produce(std::nullopt, good_headers)) = {"no value (tombstone)",
                                                  v1::REJECTION_REASON_UNDECODABLE, "",
                                                  std::nullopt, "", "", "", ""};
  {
    const std::string value = Batch({}, "raw empty batch");
    whole(Produce(value, good_headers)) = {"no items", v1::REJECTION_REASON_MALFORMED,
                                             "submissions", std::nullopt, value, "dept-st", "",
                                             "raw empty batch"};
  }
  {
    std::vector<v1::Submission> items;
    for (int i = 0; i < 1001; ++i) items.push_back(Item(absl::StrCat("over-", i)));
    const std::string value = Batch(items, "raw over the limit");
    whole(Produce(value, good_headers)) = {"1001 items", v1::REJECTION_REASON_TOO_LARGE,
                                             "submissions", std::nullopt, value, "dept-st", "",
                                             "raw over the limit"};
  }
  {
    // Three items, the middle one with a comment that is not UTF-8: only it is refused.
    v1::LenientSubmissionBatch batch;
    batch.set_batch_id("raw utf8");
    const v1::Submission first = Item("g1");
    const v1::Submission last = Item("g2", "2025-02");
    v1::LenientSubmission bad;
    ASSERT_TRUE(bad.ParseFromString(Item("latin1").SerializeAsString()));
    bad.set_comment("s\xf6 li\xea\x75 \xf0\x9f");  // Latin-1 and a cut 4-byte sequence
    ASSERT_TRUE(batch.add_submissions()->ParseFromString(first.SerializeAsString()));
    *batch.add_submissions() = bad;
    ASSERT_TRUE(batch.add_submissions()->ParseFromString(last.SerializeAsString()));
    letters[{Produce(batch.SerializeAsString(), good_headers), 1}] = {
        "an item that is not UTF-8", v1::REJECTION_REASON_INVALID_UTF8, "comment", 1,
        bad.SerializeAsString(), "dept-st", "raw:latin1", "raw utf8"};
    accepted.insert({"raw:g1", "raw:g2"});
  }
  {
    const v1::Submission out = Item("2031", "2031-Q1");
    v1::Submission other_unit = Item("other-unit");
    other_unit.set_reporting_unit_id("dept-pi");
    const int64_t offset =
        Produce(Batch({Item("g3"), out, other_unit}, "raw rules"), good_headers);
    letters[{offset, 1}] = {"an item out of the horizon",
                            v1::REJECTION_REASON_PERIOD_OUT_OF_HORIZON,
                            "period",
                            1,
                            out.SerializeAsString(),
                            "dept-st",
                            "raw:2031",
                            "raw rules"};
    letters[{offset, 2}] = {"an item of another unit",
                                v1::REJECTION_REASON_REPORTING_UNIT_MISMATCH,
                                "reporting_unit_id",
                                2,
                                other_unit.SerializeAsString(),
                                "dept-st",
                                "raw:other-unit",
                                "raw rules"};
    accepted.insert("raw:g3");
  }
  {
    // A header name that is not UTF-8 is kept escaped: the events stay readable.
    std::vector<kafka::Header> headers = good_headers;
    headers.push_back({"x-\xff\xfe", "odd"});
    Produce(Batch({Item("g6")}, "raw odd header name"), headers);
    accepted.insert("raw:g6");
  }
  {
    const std::string value = Batch({Item("odd-schema")}, "raw odd schema");
    whole(Produce(value, {good_headers[0], {"tiendo-schema", "\xff\xfe"}})) = {
        "a schema header that is not UTF-8", v1::REJECTION_REASON_SCHEMA_MISMATCH, "",
        std::nullopt, value, "", "", ""};
  }
  {
    const std::string value = Batch({Item("big-headers")}, "raw big headers");
    std::vector<kafka::Header> headers = good_headers;
    headers.push_back({"x-trace", std::string(17 * 1024, 't')});
    whole(Produce(value, headers)) = {"17 KiB of headers", v1::REJECTION_REASON_TOO_LARGE, "",
                                      std::nullopt, value, "", "", ""};
  }
  {
    // Empty headers are not free: each is copied onto every accepted item's event.
    const std::string value = Batch({Item("empty-headers")}, "raw empty headers");
    std::vector<kafka::Header> headers = good_headers;
    headers.resize(headers.size() + 10000);
    whole(Produce(value, headers)) = {"10,000 empty headers", v1::REJECTION_REASON_TOO_LARGE,
                                      "", std::nullopt, value, "", "", ""};
  }
  {
    // An item whose dead letter, echoing its id, would not fit in a Kafka record.
    v1::Submission huge = Item(std::string(600 * 1000, 'x'));
    const int64_t offset = Produce(Batch({huge, Item("g7")}, "raw huge id"), good_headers);
    letters[{offset, 0}] = {"a 600 kB submission id", v1::REJECTION_REASON_INVALID_SUBMISSION_ID,
                            "submission_id", 0, huge.SerializeAsString(), "dept-st",
                            core::ShowText(huge.submission_id(), 128), "raw huge id",
                            static_cast<int64_t>(huge.ByteSizeLong())};
    accepted.insert("raw:g7");
  }
  {
    // The token's header name in another case (as HTTP allows) is read, and copied nowhere.
    Produce(Batch({Item("g8")}, "raw capitalised authorization"),
            {{"Authorization", good_headers[0].value}, good_headers[1]});
    accepted.insert("raw:g8");
  }
  {
    // The schema header is recommended, not required.
    Produce(Batch({Item("g4")}, "raw no schema header"), {good_headers[0]});
    accepted.insert("raw:g4");
  }
  Produce(Batch({Item("g5")}, "raw last"), good_headers);
  accepted.insert("raw:g5");

  const std::map<std::pair<int64_t, int>, ExpectedLetter>& expected = letters;

  absl::StatusOr<std::unique_ptr<testing::TopicReader>> submissions = testing::TopicReader::Open(
      suite_->bootstrap(), suite_->TopicName(kafka::Topic::kSubmissions));
  ASSERT_TRUE(submissions.ok()) << submissions.status();
  absl::StatusOr<std::unique_ptr<testing::TopicReader>> rejected = testing::TopicReader::Open(
      suite_->bootstrap(), suite_->TopicName(kafka::Topic::kSubmissionsRejected));
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  // Every record is on one partition, read in order: once all the outputs are there, every
  // record has been decided.
  auto at_least = [](size_t count) {
    return [count](const testing::TopicReader::Records& records) {
      return records.size() >= count;
    };
  };
  ASSERT_TRUE((*submissions)->ReadUntil(at_least(accepted.size()), absl::Seconds(60)).ok())
      << "ingest log:\n" << suite_->IngestLog();
  ASSERT_TRUE((*rejected)->ReadUntil(at_least(expected.size()), absl::Seconds(60)).ok())
      << "ingest log:\n" << suite_->IngestLog();
  ASSERT_TRUE((*submissions)->ReadToEnd(absl::Seconds(30)).ok());
  ASSERT_TRUE((*rejected)->ReadToEnd(absl::Seconds(30)).ok());

  // Exactly the good items were accepted, each once, from the raw path.
  absl::StatusOr<std::vector<events::v1::AcceptedSubmission>> events =
      testing::ParseRecords<events::v1::AcceptedSubmission>((*submissions)->records());
  ASSERT_TRUE(events.ok()) << events.status();
  std::multiset<std::string> ids;
  std::set<std::string> header_names;
  for (const events::v1::AcceptedSubmission& event : *events) {
    ids.insert(event.submission().submission_id());
    EXPECT_EQ(event.ingest_path(), events::v1::INGEST_PATH_RAW_TOPIC);
    EXPECT_EQ(event.submission().reporting_unit_id(), "dept-st");
    EXPECT_EQ(event.token_id(), token_.token_id);
    EXPECT_EQ(event.raw_origin().position().topic(),
              suite_->TopicName(kafka::Topic::kSubmissionsRaw));
    EXPECT_EQ(event.raw_origin().key(), kKey);
    for (const events::v1::RecordHeader& header : event.raw_origin().headers()) {
      EXPECT_FALSE(absl::EqualsIgnoreCase(header.key(), "authorization"))
          << "the token was copied";
      header_names.insert(header.key());
    }
  }
  EXPECT_EQ(ids, std::multiset<std::string>(accepted.begin(), accepted.end()));
  EXPECT_TRUE(header_names.contains("x-\\xff\\xfe"));

  // One dead letter per refusal, with the reason and the original bytes.
  absl::StatusOr<std::vector<events::v1::RejectedSubmission>> dead =
      testing::ParseRecords<events::v1::RejectedSubmission>((*rejected)->records());
  ASSERT_TRUE(dead.ok()) << dead.status();
  ASSERT_EQ(dead->size(), expected.size());
  std::set<std::pair<int64_t, int>> seen;
  for (size_t i = 0; i < dead->size(); ++i) {
    const events::v1::RejectedSubmission& letter = (*dead)[i];
    const kafka::ConsumedRecord& record = (*rejected)->records()[i];
    const int64_t offset = letter.source().position().offset();
    const std::pair<int64_t, int> key = {offset,
                                         letter.has_item_index() ? letter.item_index() : -1};
    const auto found = expected.find(key);
    if (found == expected.end()) {
      ADD_FAILURE() << "unexpected dead letter: " << letter.ShortDebugString().substr(0, 500);
      continue;
    }
    seen.insert(key);
    const ExpectedLetter& want = found->second;
    SCOPED_TRACE(want.what);
    EXPECT_EQ(v1::RejectionReason_Name(letter.reason()), v1::RejectionReason_Name(want.reason));
    EXPECT_EQ(letter.field(), want.field);
    EXPECT_EQ(letter.has_item_index(), want.item_index.has_value());
    if (want.original_size == 0) {
      EXPECT_TRUE(letter.original_value() == want.original_value) << "original bytes differ";
      EXPECT_FALSE(letter.has_original_size());
      EXPECT_EQ(letter.source().key(), kKey);
    } else {
      EXPECT_TRUE(letter.has_original_size());
      EXPECT_EQ(letter.original_size(), want.original_size);
      EXPECT_FALSE(letter.original_value().empty());
      EXPECT_TRUE(absl::StartsWith(want.original_value, letter.original_value()))
          << "not the start of the original bytes";
      EXPECT_EQ(letter.source().headers_size(), 0);
    }
    EXPECT_EQ(letter.reporting_unit_id(), want.reporting_unit_id);
    EXPECT_EQ(letter.submission_id(), want.submission_id);
    EXPECT_EQ(letter.batch_id(), want.batch_id);
    EXPECT_FALSE(letter.message().empty());
    EXPECT_TRUE(letter.has_rejected_at());
    EXPECT_EQ(letter.source().position().topic(), suite_->TopicName(kafka::Topic::kSubmissionsRaw));
    EXPECT_EQ(letter.source().position().partition(), *partition_);
    for (const events::v1::RecordHeader& header : letter.source().headers()) {
      EXPECT_FALSE(absl::EqualsIgnoreCase(header.key(), "authorization"))
          << "the token was copied";
    }
    EXPECT_EQ(record.key, kKey);
    EXPECT_EQ(record.HeaderValue("tiendo-schema"), "tiendo.events.v1.RejectedSubmission");
  }
  EXPECT_EQ(seen.size(), expected.size());
  EXPECT_EQ(suite_->IngestMetric("tiendo_ingest_dead_letters_total"),
            static_cast<double>(expected.size()));
}

}  // namespace
}  // namespace tiendo
