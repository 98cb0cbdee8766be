// tiendoctl enterprises import and services import against a fake registry: what they
// stream (rows, CSV line numbers, options in the first message only, batches, the actor),
// what they keep back (rows that do not parse here, files that cannot be read), and what
// they print (each rejected row's violations, the summary) and exit with.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/status/field_violations.h"
#include "tools/tiendoctl/fake_registry.h"
#include "tools/tiendoctl/run_ctl.h"

namespace tiendo::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::CtlResult;
using testing::FakeRegistry;
using testing::RunCtl;
using testing::WriteTempFile;

constexpr char kHeader[] =
    "tax_code,name_vi,administrative_unit_code,address,categories,is_sme,platform_adopted,"
    "registration_date,status\n";

// Line 1 the comment, line 2 the header, records from line 3; the record of line 5 spans two
// lines (a quoted address with a line break), so the next record starts on line 7.
std::string EnterprisesCsv() {
  return absl::StrCat(
      "# SYNTHETIC DATA — test rows\n", kHeader,
      "3509001001,Công ty TNHH Phần mềm Biển Xanh,747,Phường 1,digital_technology,true,true,"
      "2020-01-02,ENTERPRISE_STATUS_ACTIVE\n",
      "3509001002,Công ty Cổ phần Đất Đỏ,752,,,yes,false,2021-03-04,ENTERPRISE_STATUS_ACTIVE\n",
      "3509001003,Công ty TNHH Long Điền,752,\"Tổ 3,\nẤp Phước Thới\",,false,false,2022-05-06,"
      "ENTERPRISE_STATUS_SUSPENDED\n",
      "3509001004,Doanh nghiệp tư nhân Côn Đảo,755,,,true,false,2023-07-08,"
      "ENTERPRISE_STATUS_ACTIVE\n",
      "3509001005,Công ty TNHH Xuyên Mộc,754,,,true,false,2024-09-10,"
      "ENTERPRISE_STATUS_ACTIVE\n");
}

std::vector<std::pair<int64_t, std::string>> SentRows(const FakeRegistry& registry) {
  std::vector<std::pair<int64_t, std::string>> rows;
  for (const auto& message : registry.import_enterprises_messages()) {
    for (const auto& row : message.rows()) {
      rows.emplace_back(row.row_number(), row.enterprise().tax_code());
    }
  }
  return rows;
}

TEST(CsvImportCommandTest, StreamsReadableRowsInBatchesWithLinesOptionsAndActor) {
  FakeRegistry registry;
  const std::string path = WriteTempFile("batches.csv", EnterprisesCsv());
  const CtlResult result =
      RunCtl({"enterprises", "import", path, "--batch-rows=2", "--dry-run", "--mode=create-only",
              "--registry=" + registry.address()},
             {{"TIENDO_ACTOR", "ops:Nguyễn Văn A"}});

  // The row of line 4 (is_sme "yes") is not sent; the rest go 2 + 2 with the options first.
  EXPECT_THAT(SentRows(registry),
              ElementsAre(std::pair<int64_t, std::string>{3, "3509001001"},
                          std::pair<int64_t, std::string>{5, "3509001003"},
                          std::pair<int64_t, std::string>{7, "3509001004"},
                          std::pair<int64_t, std::string>{8, "3509001005"}));
  const auto messages = registry.import_enterprises_messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_TRUE(messages[0].has_options());
  EXPECT_TRUE(messages[0].options().dry_run());
  EXPECT_EQ(messages[0].options().mode(), registry::v1::IMPORT_MODE_CREATE_ONLY);
  EXPECT_EQ(messages[0].options().source_system(), "batches.csv");
  EXPECT_FALSE(messages[0].options().report_all_rows());
  EXPECT_FALSE(messages[1].has_options());
  EXPECT_THAT(registry.actors(), ElementsAre("ops:Nguyễn Văn A"));

  // Vietnamese text byte for byte; the alias fills platform_adoption; the quoted line break
  // stays in the cell.
  const registry::v1::Enterprise& first = messages[0].rows(0).enterprise();
  EXPECT_EQ(first.name_vi(), "Công ty TNHH Phần mềm Biển Xanh");
  EXPECT_TRUE(first.platform_adoption().adopted());
  EXPECT_THAT(first.categories(), ElementsAre("digital_technology"));
  EXPECT_EQ(messages[0].rows(1).enterprise().address(), "Tổ 3,\nẤp Phước Thới");
  EXPECT_EQ(messages[0].rows(1).enterprise().status(), registry::v1::ENTERPRISE_STATUS_SUSPENDED);

  EXPECT_EQ(result.code, 1) << result.out << result.err;
  EXPECT_THAT(result.out, HasSubstr(absl::StrCat("Rejected rows:\n", path, ":4: 3509001002\n",
                                                 "  column is_sme: \"yes\" is not a boolean")));
  EXPECT_THAT(result.out, HasSubstr("[csv]\n"));
  EXPECT_THAT(result.out,
              HasSubstr(absl::StrCat(path, " (dry run, nothing written): 5 rows: 4 created, 0 "
                                           "updated, 0 unchanged, 1 rejected (1 not sent: "
                                           "unreadable here)\n")));
}

// The registry takes messages of up to 4 MiB: long rows go fewer to a message than
// --batch-rows says (no message past 3 MiB), and all arrive.
TEST(CsvImportCommandTest, AMessageHoldsNoMoreThanThreeMebibytes) {
  FakeRegistry registry;
  std::string csv = kHeader;
  for (int i = 0; i < 8; ++i) {
    absl::StrAppend(&csv, "350900100", i, ",Công ty ", i, ",747,", std::string(800 * 1000, 'a'),
                    ",,true,false,2020-01-02,ENTERPRISE_STATUS_ACTIVE\n");
  }
  const std::string path = WriteTempFile("long-rows.csv", csv);
  const CtlResult result = RunCtl({"enterprises", "import", path, "--batch-rows=500",
                                   "--registry=" + registry.address()});
  EXPECT_EQ(result.code, 0) << result.err;
  const auto messages = registry.import_enterprises_messages();
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0].rows_size(), 3);
  EXPECT_EQ(messages[1].rows_size(), 3);
  EXPECT_EQ(messages[2].rows_size(), 2);
  EXPECT_TRUE(messages[0].has_options());
  EXPECT_FALSE(messages[1].has_options());
}

TEST(CsvImportCommandTest, RowsTheRegistryRejectsArePrintedWithEveryViolation) {
  FakeRegistry registry;
  registry.RejectImportKeys({"3509001004"});
  const std::string path = WriteTempFile("rejected.csv", EnterprisesCsv());
  const CtlResult result = RunCtl(
      {"enterprises", "import", path, "--registry=" + registry.address(), "--source-system=dkkd"});
  EXPECT_EQ(result.code, 1);
  EXPECT_EQ(registry.import_enterprises_messages()[0].options().source_system(), "dkkd");
  EXPECT_EQ(registry.import_enterprises_messages()[0].options().mode(),
            registry::v1::IMPORT_MODE_UPSERT);
  EXPECT_THAT(result.out,
              HasSubstr(absl::StrCat(path, ":7: 3509001004\n",
                                     "  tax_code: 3509001004: check digit is wrong "
                                     "[check_digit]\n")));
  // Rows are reported in file order, the local rejection (line 4) first.
  EXPECT_LT(result.out.find(":4: 3509001002"), result.out.find(":7: 3509001004"));
  EXPECT_THAT(result.out, HasSubstr("5 rows: 3 created, 0 updated, 0 unchanged, 2 rejected"));
}

TEST(CsvImportCommandTest, CleanFileExitsZeroAndTheDefaultActorNamesTheUser) {
  FakeRegistry registry;
  const std::string path = WriteTempFile(
      "clean.csv", absl::StrCat(kHeader,
                                "3509001001,Công ty A,747,,,true,false,2020-01-02,"
                                "ENTERPRISE_STATUS_ACTIVE\n"));
  const CtlResult result = RunCtl({"enterprises", "import", path, "--report-all",
                                   "--registry=" + registry.address()},
                                  {{"USER", "lan"}});
  EXPECT_EQ(result.code, 0) << result.out << result.err;
  EXPECT_THAT(registry.actors(), ElementsAre(::testing::StartsWith("lan@")));
  EXPECT_TRUE(registry.import_enterprises_messages()[0].options().report_all_rows());
  EXPECT_THAT(result.out, HasSubstr("1 rows: 1 created, 0 updated, 0 unchanged, 0 rejected\n"));
  EXPECT_THAT(result.out, Not(HasSubstr("Rejected rows")));
  EXPECT_EQ(result.err, "");  // no progress bar: stderr is not a terminal
}

TEST(CsvImportCommandTest, MalformedCsvIsReportedWithItsLineAndNothingIsSent) {
  FakeRegistry registry;
  const std::string path = WriteTempFile(
      "malformed.csv", absl::StrCat(kHeader,
                                    "3509001001,Công ty A,747,,,true,false,2020-01-02,"
                                    "ENTERPRISE_STATUS_ACTIVE\n",
                                    "3509001002,\"Công ty B,747,,,true,false,2020-01-02,"
                                    "ENTERPRISE_STATUS_ACTIVE\n"));
  const CtlResult result =
      RunCtl({"enterprises", "import", path, "--registry=" + registry.address()});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.err, HasSubstr("line 3"));
  EXPECT_THAT(result.err, HasSubstr("nothing was sent"));
  EXPECT_THAT(registry.import_enterprises_messages(), IsEmpty());
  EXPECT_THAT(registry.actors(), IsEmpty());
}

TEST(CsvImportCommandTest, UnknownColumnIsAHeaderErrorAndNothingIsSent) {
  FakeRegistry registry;
  const std::string path =
      WriteTempFile("header.csv", "tax_code,name_vi,colour\n3509001001,A,blue\n");
  const CtlResult result =
      RunCtl({"enterprises", "import", path, "--registry=" + registry.address()});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.err, HasSubstr("line 1: header: column colour"));
  EXPECT_THAT(registry.actors(), IsEmpty());
}

TEST(CsvImportCommandTest, FileWhoseRowsAllFailLocallyMakesNoCall) {
  FakeRegistry registry;
  const std::string path = WriteTempFile("all-bad.csv", "tax_code,is_sme\n3509001001,maybe\n");
  const CtlResult result =
      RunCtl({"enterprises", "import", path, "--registry=" + registry.address()});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.out, HasSubstr(absl::StrCat(path, ":2: 3509001001\n")));
  EXPECT_THAT(result.out, HasSubstr("1 rows: 0 created, 0 updated, 0 unchanged, 1 rejected"));
  EXPECT_THAT(registry.actors(), IsEmpty());
}

TEST(CsvImportCommandTest, FailedCallIsPrintedWithItsViolationsAndFails) {
  FakeRegistry registry;
  registry.FailWith(status::InvalidArgumentWithViolations(
      {status::Violation("options.mode", "out_of_range", "mode 7 is not an import mode")}));
  const std::string path = WriteTempFile("failed.csv", EnterprisesCsv());
  const CtlResult result =
      RunCtl({"enterprises", "import", path, "--registry=" + registry.address()});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(result.err,
              HasSubstr("  options.mode: mode 7 is not an import mode [out_of_range]\n"));
  EXPECT_THAT(result.out, HasSubstr("5 rows: import failed after 4 rows were sent"));
}

TEST(CsvImportCommandTest, PublicServicesGoToTheirOwnStreamKeyedById) {
  FakeRegistry registry;
  registry.RejectImportKeys({"77:1.000002"});
  const std::string path = WriteTempFile(
      "services.csv",
      "id,procedure_code,name_vi,administrative_unit_code,level,full_process_online\n"
      "77:1.000001,1.000001,\"Sửa đổi, bổ sung giấy phép bưu chính\",77,"
      "ADMINISTRATIVE_LEVEL_PROVINCE,true\n"
      "77:1.000002,1.000002,Cấp giấy phép bưu chính,77,ADMINISTRATIVE_LEVEL_PROVINCE,false\n"
      ",1.000003,Thu hồi giấy phép,77,ADMINISTRATIVE_LEVEL_PROVINCE,sometimes\n");
  const CtlResult result =
      RunCtl({"services", "import", path, "--registry=" + registry.address()});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(registry.import_enterprises_messages(), IsEmpty());
  const auto messages = registry.import_public_services_messages();
  ASSERT_EQ(messages.size(), 1u);
  ASSERT_EQ(messages[0].rows_size(), 2);
  EXPECT_EQ(messages[0].rows(0).row_number(), 2);
  EXPECT_EQ(messages[0].rows(0).public_service().name_vi(),
            "Sửa đổi, bổ sung giấy phép bưu chính");
  EXPECT_TRUE(messages[0].rows(0).public_service().full_process_online());
  EXPECT_EQ(messages[0].options().source_system(), "services.csv");
  EXPECT_THAT(result.out, HasSubstr(absl::StrCat(path, ":3: 77:1.000002\n  id: 77:1.000002: "
                                                       "check digit is wrong [check_digit]\n")));
  // The key of a row without an id is the one the registry would derive.
  EXPECT_THAT(result.out, HasSubstr(absl::StrCat(path, ":4: 77:1.000003\n")));
  EXPECT_THAT(result.out, HasSubstr("3 rows: 1 created, 0 updated, 0 unchanged, 2 rejected"));
}

TEST(CsvImportCommandTest, TheShippedSyntheticFilesParseWhole) {
  FakeRegistry registry;
  for (const auto& [command, file, rows] :
       {std::tuple<std::string, std::string, int>{"enterprises", "enterprises.csv", 450},
        {"services", "public_services.csv", 232}}) {
    const CtlResult result =
        RunCtl({command, "import", absl::StrCat(TIENDO_SOURCE_DIR, "/data/synthetic/", file),
                "--registry=" + registry.address()});
    EXPECT_EQ(result.code, 0) << result.out << result.err;
    EXPECT_THAT(result.out,
                HasSubstr(absl::StrCat(rows, " rows: ", rows, " created, 0 updated")));
  }
  EXPECT_EQ(registry.import_enterprises_messages().size(), 1u);  // 450 rows, batches of 500
  EXPECT_EQ(registry.import_public_services_messages()[0].rows_size(), 232);
}

TEST(CsvImportCommandTest, MissingFileIsAUsageError) {
  const CtlResult none = RunCtl({"enterprises", "import"});
  EXPECT_EQ(none.code, 2);
  EXPECT_THAT(none.err, HasSubstr("missing the FILE.csv"));
  const CtlResult unreadable =
      RunCtl({"services", "import", ::testing::TempDir() + "no-such-file.csv"});
  EXPECT_EQ(unreadable.code, 2);
  EXPECT_THAT(unreadable.err, HasSubstr("No such file or directory"));
}

TEST(CsvImportCommandTest, HelpListsEveryFlag) {
  const CtlResult result = RunCtl({"enterprises", "import", "--help"});
  EXPECT_EQ(result.code, 0);
  for (const char* flag : {"--dry-run", "--mode=VALUE", "--batch-rows=VALUE", "--report-all",
                           "--source-system=VALUE", "--registry=VALUE", "--timeout=VALUE",
                           "--actor=VALUE"}) {
    EXPECT_THAT(result.out, HasSubstr(flag));
  }
}

}  // namespace
}  // namespace tiendo::ctl
