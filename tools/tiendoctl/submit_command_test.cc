// tiendoctl submit against a fake metrics-ingest: the token in the `authorization` metadata,
// the items and batches sent (dry run, batch size, one stream per unit with --token-dir),
// resends after UNAVAILABLE with the same submission ids, the lines printed per item, per
// rejected row and in the summary, and the exit codes.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/tiendoctl/fake_ingest.h"
#include "tools/tiendoctl/run_ctl.h"

namespace tiendo::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::SizeIs;
using testing::CtlResult;
using testing::FakeIngest;
using testing::RunCtl;
using testing::WriteTempFile;

constexpr char kHeader[] =
    "submission_id,reporting_unit_id,indicator_id,period,district,value,numerator,denominator,"
    "kind,submitted_at,source_system,comment\n";

// A report row of procedure_results_digitised for `unit` with id `id`.
std::string Row(const std::string& id, const std::string& unit, const std::string& district = "747") {
  return absl::StrCat(id, ",", unit, ",procedure_results_digitised,2025-Q1,", district,
                      ",,120,200,SUBMISSION_KIND_REPORT,2025-04-02T08:00:00Z,skhcn-baocao/1.4,\n");
}

std::vector<std::string> IdsOf(const ingest::v1::SubmitBatchRequest& batch) {
  std::vector<std::string> ids;
  for (const ingest::v1::Submission& item : batch.submissions()) ids.push_back(item.submission_id());
  return ids;
}

class SubmitCommandTest : public ::testing::Test {
 protected:
  SubmitCommandTest() { ingest_.AddToken("tok-st", "dept-st"); }

  CtlResult Submit(std::vector<std::string> args,
                   std::map<std::string, std::string> env = {{"TIENDO_TOKEN", "tok-st"}}) {
    args.insert(args.begin(), {"submit", "--ingest=" + ingest_.address()});
    return RunCtl(args, env);
  }

  FakeIngest ingest_;
};

TEST_F(SubmitCommandTest, OneItemFromFlagsCarriesTheTokenAndPrintsWhereItWasWritten) {
  const CtlResult result =
      Submit({"--indicator=procedure_results_digitised", "--period=2025-Q3", "--district=747",
              "--numerator=120", "--denominator=200", "--submission-id=skhcn:2025-Q3:747:r1",
              "--comment=corrected after audit"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out, "ACCEPTED skhcn:2025-Q3:747:r1 → tiendo.submissions.v1 [p0 @ 0]\n");
  const auto calls = ingest_.calls();
  ASSERT_THAT(calls, SizeIs(1));
  EXPECT_EQ(calls[0].method, "SubmitBatch");
  EXPECT_EQ(calls[0].authorization, "Bearer tok-st");
  ASSERT_THAT(calls[0].batches, SizeIs(1));
  EXPECT_FALSE(calls[0].batches[0].dry_run());
  const ingest::v1::Submission& item = calls[0].batches[0].submissions(0);
  EXPECT_EQ(item.indicator_id(), "procedure_results_digitised");
  EXPECT_EQ(item.period(), "2025-Q3");
  EXPECT_EQ(item.disaggregation().at("district"), "747");
  EXPECT_EQ(item.ratio().numerator(), 120);
  EXPECT_EQ(item.ratio().denominator(), 200);
  EXPECT_EQ(item.kind(), ingest::v1::SUBMISSION_KIND_REPORT);
  EXPECT_EQ(item.comment(), "corrected after audit");
  EXPECT_EQ(item.source_system(), "tiendoctl");
  EXPECT_GT(item.submitted_at().seconds(), 0);
}

TEST_F(SubmitCommandTest, WithoutAnIdEachItemGetsAFreshRandomOneThatIsPrinted) {
  const std::vector<std::string> args = {"--indicator=x", "--period=2025", "--value=3",
                                         "--dimension=sector=62,size=small"};
  const CtlResult first = Submit(args);
  const CtlResult second = Submit(args);
  EXPECT_EQ(first.code, 0) << first.err;
  const std::string uuid = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
  EXPECT_THAT(first.out, MatchesRegex("ACCEPTED " + uuid + " → .*\n"));
  EXPECT_NE(first.out.substr(9, 36), second.out.substr(9, 36));
  const auto calls = ingest_.calls();
  ASSERT_THAT(calls, SizeIs(2));
  const ingest::v1::Submission& item = calls[0].batches[0].submissions(0);
  EXPECT_EQ(first.out.substr(9, 36), item.submission_id());
  EXPECT_EQ(item.value(), 3);
  EXPECT_EQ(item.disaggregation().at("sector"), "62");
  EXPECT_EQ(item.disaggregation().at("size"), "small");
}

TEST_F(SubmitCommandTest, SendingAnIdAgainIsDuplicateAndARetractionCarriesNoFigure) {
  const std::vector<std::string> args = {"--indicator=x", "--period=2025-09", "--retract",
                                         "--submission-id=r-1", "--token-file=" +
                                             WriteTempFile("st.token", "tok-st\n")};
  EXPECT_EQ(Submit(args, {}).code, 0);
  const CtlResult again = Submit(args, {});
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.out,
            "DUPLICATE r-1 → tiendo.submissions.v1 [p0 @ 0]: already accepted at offset 0\n");
  const ingest::v1::Submission item = ingest_.calls()[0].batches[0].submissions(0);
  EXPECT_EQ(item.kind(), ingest::v1::SUBMISSION_KIND_RETRACTION);
  EXPECT_EQ(item.figure_case(), ingest::v1::Submission::FIGURE_NOT_SET);
}

TEST_F(SubmitCommandTest, ARejectedItemPrintsReasonMessageAndFieldAndExitsOne) {
  ingest_.RejectSubmission("s-1", ingest::v1::REJECTION_REASON_NOT_AUTHORISED,
                           "dept-st may not report sme_platform_adoption", "indicator_id");
  const CtlResult result = Submit({"--indicator=sme_platform_adoption", "--period=2025",
                                   "--value=4", "--submission-id=s-1", "--dry-run"});
  EXPECT_EQ(result.code, 1);
  EXPECT_EQ(result.out,
            "REJECTED s-1 not_authorised: dept-st may not report sme_platform_adoption (field "
            "indicator_id)\n");
  EXPECT_TRUE(ingest_.calls()[0].batches[0].dry_run());
}

TEST_F(SubmitCommandTest, ARefusedTokenIsExplained) {
  const CtlResult result = Submit({"--indicator=x", "--period=2025", "--value=1"},
                                  {{"TIENDO_TOKEN", "revoked"}});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.err, HasSubstr("UNAUTHENTICATED"));
  EXPECT_THAT(result.err, HasSubstr("refused the token from --token or TIENDO_TOKEN"));
  EXPECT_EQ(ingest_.calls()[0].authorization, "Bearer revoked");
}

// gRPC carries only printable ASCII in a header: a token file saved with a byte order mark
// or holding more than the token is refused with where the token came from, not sent.
TEST_F(SubmitCommandTest, ATokenThatIsNotOneAsciiWordIsRefusedBeforeTheCall) {
  const std::vector<std::string> item = {"--indicator=x", "--period=2025", "--value=1"};
  std::vector<std::string> bom = item;
  bom.push_back("--token-file=" + WriteTempFile("bom.token", "\xEF\xBB\xBFtok-st\n"));
  const CtlResult with_bom = Submit(bom, {});
  EXPECT_EQ(with_bom.code, 2);
  EXPECT_THAT(with_bom.err, HasSubstr("bom.token has byte 0xEF at position 1"));
  std::vector<std::string> two_lines = item;
  two_lines.push_back("--token-file=" +
                      WriteTempFile("notes.token", "tok-st\n# for the DKKD connector\n"));
  EXPECT_EQ(Submit(two_lines, {}).code, 2);
  const CtlResult from_env = Submit(item, {{"TIENDO_TOKEN", "tok st"}});
  EXPECT_EQ(from_env.code, 2);
  EXPECT_THAT(from_env.err, HasSubstr("TIENDO_TOKEN has byte 0x20 at position 4"));
  EXPECT_THAT(ingest_.calls(), IsEmpty());
}

TEST_F(SubmitCommandTest, BadUsageExitsTwoWithoutACall) {
  const std::vector<std::vector<std::string>> cases = {
      {"--indicator=x", "--period=2025"},                                      // no figure
      {"--indicator=x", "--period=2025", "--value=1", "--numerator=1"},         // two figures
      {"--indicator=x", "--period=2025", "--retract", "--value=1"},             // retract + figure
      {"--indicator=x", "--period=2025", "--value=lots"},                       // not a number
      {"--indicator=x", "--period=2025", "--value=1", "--dimension=sector"},    // not name=value
      {"--period=2025", "--value=1"},                                           // no indicator
      {"--file=f.csv", "--indicator=x"},                                        // file and item
      {},                                                                       // nothing
      {"--file=f.csv", "--batch-size=1001"},                                    // batch too large
      {"--indicator=x", "--period=2025", "--value=1", "--token-dir=/tmp"},      // dir for one item
      {"--indicator=x", "--period=2025", "--value=1", "--token=a", "--token-file=b"},
  };
  for (const auto& args : cases) {
    const CtlResult result = Submit(args);
    EXPECT_EQ(result.code, 2) << ::testing::PrintToString(args) << result.err;
  }
  EXPECT_THAT(ingest_.calls(), IsEmpty());
  // Without any token the call goes out unauthenticated and the service's answer is shown.
  const CtlResult no_token = Submit({"--indicator=x", "--period=2025", "--value=1"}, {});
  EXPECT_EQ(no_token.code, 1);
  EXPECT_THAT(no_token.err, HasSubstr("UNAUTHENTICATED"));
  ASSERT_EQ(ingest_.calls().size(), 1u);
  EXPECT_EQ(ingest_.calls()[0].authorization, "");
}

TEST_F(SubmitCommandTest, AFileStreamsInBatchesOfTheGivenSizeAndSummarises) {
  const std::string file = WriteTempFile(
      "five.csv", absl::StrCat("# synthetic\n", kHeader, Row("a1", "dept-st"), Row("a2", "dept-st"),
                               Row("a3", "dept-st"), Row("a4", "dept-st"), Row("a5", "dept-st")));
  const CtlResult result = Submit({"--file=" + file, "--batch-size=2"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out, "5 items: 5 accepted, 0 duplicate, 0 rejected\n");
  const auto calls = ingest_.calls();
  ASSERT_THAT(calls, SizeIs(1));
  EXPECT_EQ(calls[0].method, "StreamSubmissions");
  EXPECT_EQ(calls[0].authorization, "Bearer tok-st");
  ASSERT_THAT(calls[0].batches, SizeIs(3));
  EXPECT_THAT(IdsOf(calls[0].batches[0]), ElementsAre("a1", "a2"));
  EXPECT_THAT(IdsOf(calls[0].batches[1]), ElementsAre("a3", "a4"));
  EXPECT_THAT(IdsOf(calls[0].batches[2]), ElementsAre("a5"));
  EXPECT_EQ(calls[0].batches[2].batch_id(), "five.csv #3");
  const ingest::v1::Submission& item = calls[0].batches[0].submissions(0);
  EXPECT_EQ(item.reporting_unit_id(), "dept-st");
  EXPECT_EQ(item.ratio().numerator(), 120);
  EXPECT_EQ(item.disaggregation().at("district"), "747");
  EXPECT_EQ(item.submitted_at().seconds(), 1743580800);
}

TEST_F(SubmitCommandTest, SourceSystemFillsTheRowsThatLeaveItEmpty) {
  const std::string rows = absl::StrCat(
      kHeader, Row("s1", "dept-st"),
      "s2,dept-st,procedure_results_digitised,2025-Q1,748,,10,20,,,,\n");
  const std::string file = WriteTempFile("sources.csv", rows);
  ASSERT_EQ(Submit({"--file=" + file, "--source-system=erp-st/2"}).code, 0);
  ASSERT_EQ(Submit({"--file=" + file}).code, 0);
  const auto calls = ingest_.calls();
  ASSERT_THAT(calls, SizeIs(2));
  EXPECT_EQ(calls[0].batches[0].submissions(0).source_system(), "skhcn-baocao/1.4");
  EXPECT_EQ(calls[0].batches[0].submissions(1).source_system(), "erp-st/2");
  EXPECT_EQ(calls[1].batches[0].submissions(0).source_system(), "skhcn-baocao/1.4");
  EXPECT_EQ(calls[1].batches[0].submissions(1).source_system(), "tiendoctl");
}

TEST_F(SubmitCommandTest, RejectedAndUnparsableRowsArePrintedWithTheirLines) {
  ingest_.RejectSubmission("b2", ingest::v1::REJECTION_REASON_NUMERATOR_EXCEEDS_DENOMINATOR,
                           "numerator 120 > denominator 100", "ratio.numerator");
  const std::string file = WriteTempFile(
      "bad.csv",
      absl::StrCat(kHeader, Row("b1", "dept-st"), Row("b2", "dept-st"),
                   "b3,dept-st,procedure_results_digitised,2025-Q1,747,lots,,,"
                   "SUBMISSION_KIND_REPORT,,,\n",
                   Row("b4", "dept-st")));
  const CtlResult result = Submit({"--file=" + file, "--dry-run"});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.out,
              HasSubstr(file + ":3: REJECTED b2 numerator_exceeds_denominator: numerator 120 > "
                               "denominator 100 (field ratio.numerator)\n" +
                        file + ":4: NOT SENT b3 (does not parse): column value: "));
  EXPECT_THAT(result.out, HasSubstr("4 items: 2 accepted, 0 duplicate, 1 rejected, 1 not sent "
                                    "(dry run: nothing was written)\n"));
  const auto calls = ingest_.calls();
  ASSERT_THAT(calls, SizeIs(1));
  EXPECT_THAT(IdsOf(calls[0].batches[0]), ElementsAre("b1", "b2", "b4"));
  EXPECT_TRUE(calls[0].batches[0].dry_run());
}

TEST_F(SubmitCommandTest, AfterUnavailableTheUnansweredBatchesAreResentWithTheSameIds) {
  ingest_.FailAfterWriting(2, absl::UnavailableError("Kafka is not reachable"));
  const std::string file = WriteTempFile(
      "six.csv", absl::StrCat(kHeader, Row("c1", "dept-st"), Row("c2", "dept-st"),
                              Row("c3", "dept-st"), Row("c4", "dept-st"), Row("c5", "dept-st"),
                              Row("c6", "dept-st")));
  const CtlResult result = Submit({"--file=" + file, "--batch-size=2"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out,
            "6 items: 4 accepted, 2 duplicate (2 of them written before a failed attempt and "
            "resent), 0 rejected\n");
  EXPECT_THAT(result.err, HasSubstr("resending 2 unanswered batch(es) with the same submission "
                                    "ids after UNAVAILABLE: Kafka is not reachable"));
  const auto calls = ingest_.calls();
  ASSERT_THAT(calls, SizeIs(2));
  ASSERT_THAT(calls[0].batches, SizeIs(2));  // the second was written, then the call failed
  ASSERT_THAT(calls[1].batches, SizeIs(2));
  EXPECT_THAT(IdsOf(calls[1].batches[0]), ElementsAre("c3", "c4"));
  EXPECT_THAT(IdsOf(calls[1].batches[1]), ElementsAre("c5", "c6"));
  EXPECT_EQ(calls[1].batches[0].batch_id(), calls[0].batches[1].batch_id());
}

TEST_F(SubmitCommandTest, AnErrorAfterTheLastAnswerLosesNothingAndIsNotRetried) {
  ingest_.FailStreamsAtTheEnd(absl::UnavailableError("connection reset"));
  const std::string file = WriteTempFile(
      "three.csv", absl::StrCat(kHeader, Row("e1", "dept-st"), Row("e2", "dept-st"),
                                Row("e3", "dept-st")));
  const CtlResult result = Submit({"--file=" + file, "--batch-size=2"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out, "3 items: 3 accepted, 0 duplicate, 0 rejected\n");
  EXPECT_THAT(result.err, Not(HasSubstr("resending")));
  EXPECT_THAT(ingest_.calls(), SizeIs(1));
}

TEST_F(SubmitCommandTest, AFileWithNothingToSendMakesNoCall) {
  const std::string header_only = WriteTempFile("empty.csv", kHeader);
  CtlResult result = Submit({"--file=" + header_only});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.err, HasSubstr("empty.csv: no rows after the header; nothing was sent"));
  // Every row refused before sending: each is printed with its line, and nothing waits for
  // a call that has nothing to carry.
  const std::string unparsable = WriteTempFile(
      "unparsable.csv", absl::StrCat(kHeader,
                                     "f1,dept-st,procedure_results_digitised,2025-Q1,747,lots,,,"
                                     "SUBMISSION_KIND_REPORT,,,\n"));
  result = Submit({"--file=" + unparsable});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.out, HasSubstr(unparsable + ":2: NOT SENT f1 (does not parse)"));
  EXPECT_THAT(result.out, HasSubstr("1 items: 0 accepted, 0 duplicate, 0 rejected, 1 not sent"));
  EXPECT_THAT(result.err, Not(HasSubstr("DEADLINE_EXCEEDED")));
  EXPECT_THAT(ingest_.calls(), IsEmpty());
}

TEST_F(SubmitCommandTest, ALongFileNameIsCutBetweenCharactersInTheBatchId) {
  // 70 two-byte characters, then "xx.csv #1": the last 128 of its 149 bytes would start
  // inside a character.
  std::string name;
  for (int i = 0; i < 70; ++i) name += "\xc3\xa1";  // á
  const std::string file =
      WriteTempFile(name + "xx.csv", absl::StrCat(kHeader, Row("g1", "dept-st")));
  const CtlResult result = Submit({"--file=" + file});
  EXPECT_EQ(result.code, 0) << result.err;
  const auto calls = ingest_.calls();
  ASSERT_THAT(calls, SizeIs(1));
  ASSERT_THAT(calls[0].batches, SizeIs(1));
  const std::string& batch_id = calls[0].batches[0].batch_id();
  EXPECT_LE(batch_id.size(), 128u);
  EXPECT_TRUE(absl::EndsWith(batch_id, "xx.csv #1")) << batch_id;
  EXPECT_NE(static_cast<unsigned char>(batch_id.front()) & 0xC0, 0x80) << "cut inside a character";
}

TEST_F(SubmitCommandTest, RetriesAreFiniteAndTheFailureSaysWhatToCheck) {
  ingest_.FailEveryCall(absl::UnavailableError("not serving yet"));
  const std::string file =
      WriteTempFile("one.csv", absl::StrCat(kHeader, Row("d1", "dept-st")));
  const CtlResult result = Submit({"--file=" + file, "--retries=1"});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(ingest_.calls(), SizeIs(2));
  EXPECT_THAT(result.err, HasSubstr("is tiendo-metrics-ingest running at " + ingest_.address()));
  EXPECT_THAT(result.err, HasSubstr("stopped with 1 items unanswered"));
  EXPECT_THAT(result.out, Not(HasSubstr("items:")));  // no summary: the run did not finish
}

TEST_F(SubmitCommandTest, TokenDirSendsEachUnitsRowsWithItsOwnTokenInFileOrder) {
  ingest_.AddToken("tok-pi", "dept-pi");
  const std::string dir = ::testing::TempDir() + "tokens-grouping";
  std::filesystem::create_directories(dir);
  WriteTempFile("tokens-grouping/dept-st.token", "tok-st\n");
  WriteTempFile("tokens-grouping/dept-pi.token", "tok-pi");
  WriteTempFile("tokens-grouping/sme-association.token", "tok-revoked");
  const std::string file = WriteTempFile(
      "units.csv", absl::StrCat(kHeader, Row("e1", "dept-st"), Row("e2", "dept-pi"),
                                Row("e3", "pc-747"), Row("e4", "dept-st"), Row("e5", "dept-pi"),
                                Row("e6", "sme-association"), Row("e7", "pc-747")));
  const CtlResult result = Submit({"--file=" + file, "--token-dir=" + dir}, {});
  EXPECT_EQ(result.code, 1);
  const auto calls = ingest_.calls();
  ASSERT_THAT(calls, SizeIs(3));
  EXPECT_EQ(calls[0].authorization, "Bearer tok-st");
  EXPECT_THAT(IdsOf(calls[0].batches[0]), ElementsAre("e1", "e4"));
  EXPECT_EQ(calls[1].authorization, "Bearer tok-pi");
  EXPECT_THAT(IdsOf(calls[1].batches[0]), ElementsAre("e2", "e5"));
  EXPECT_EQ(calls[2].authorization, "Bearer tok-revoked");
  EXPECT_THAT(result.out, HasSubstr(": 2 rows of reporting unit pc-747 not sent: cannot read "
                                    "token file " + dir + "/pc-747.token"));
  EXPECT_THAT(result.out, HasSubstr("(lines 4, 8)"));
  EXPECT_THAT(result.out, HasSubstr(": 1 rows of reporting unit sme-association not sent: the "
                                    "token in " + dir + "/sme-association.token was refused "
                                    "(UNAUTHENTICATED"));
  EXPECT_THAT(result.out, HasSubstr("7 items: 4 accepted, 0 duplicate, 0 rejected, 3 not sent\n"));
}

TEST_F(SubmitCommandTest, TheSyntheticSubmissionsAllParseAndTheirRepeatsAreDuplicate) {
  const std::string dir = ::testing::TempDir() + "tokens-synthetic";
  std::filesystem::create_directories(dir);
  for (const char* unit : {"dept-ic", "dept-st", "dept-pi", "public-service-portal",
                           "sme-association", "pc-747", "pc-748", "pc-750", "pc-751", "pc-752",
                           "pc-753", "pc-754", "pc-755", "pc-757"}) {
    ingest_.AddToken(absl::StrCat("tok-", unit), unit);
    WriteTempFile(absl::StrCat("tokens-synthetic/", unit, ".token"), absl::StrCat("tok-", unit));
  }
  const CtlResult result =
      Submit({"--file=" TIENDO_SOURCE_DIR "/data/synthetic/submissions.csv", "--token-dir=" + dir},
             {});
  EXPECT_EQ(result.code, 0) << result.out << result.err;
  EXPECT_EQ(result.out, "2004 items: 1991 accepted, 13 duplicate, 0 rejected\n");
  EXPECT_THAT(ingest_.calls(), SizeIs(14));
}

}  // namespace
}  // namespace tiendo::ctl
