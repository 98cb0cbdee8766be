// Tests of FillMessage and ProtoRowMapping: every field type a cell can fill, paths, maps,
// oneofs and aliases, and every error with its column and rule — on a test message built at
// run time (so every type is covered, through dynamic-message reflection) and on the real
// Enterprise and Submission messages the importers fill.
#include "services/common/rows/proto_row.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/rows/registry_columns.h"
#include "services/common/status/check.h"
#include "tiendo/ingest/v1/submission.pb.h"
#include "tiendo/registry/v1/enterprise.pb.h"
#include "tiendo/registry/v1/entity_filter.pb.h"

namespace tiendo::rows {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

// tiendo.rows.test.Everything: one field of every kind a column can name, and some it
// cannot.
constexpr char kTestProto[] = R"pb(
  name: "rows_test.proto"
  package: "tiendo.rows.test"
  syntax: "proto3"
  dependency: "google/protobuf/timestamp.proto"
  enum_type {
    name: "Color"
    value { name: "COLOR_UNSPECIFIED" number: 0 }
    value { name: "COLOR_RED" number: 1 }
    value { name: "COLOR_GREEN" number: 2 }
  }
  message_type {
    name: "Inner"
    field { name: "note" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL json_name: "note" }
    field {
      name: "deeper"
      number: 2
      type: TYPE_MESSAGE
      type_name: ".tiendo.rows.test.Inner"
      label: LABEL_OPTIONAL
    }
  }
  message_type {
    name: "Everything"
    field { name: "text" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
    field { name: "blob" number: 2 type: TYPE_BYTES label: LABEL_OPTIONAL }
    field { name: "flag" number: 3 type: TYPE_BOOL label: LABEL_OPTIONAL }
    field { name: "i32" number: 4 type: TYPE_INT32 label: LABEL_OPTIONAL }
    field { name: "s32" number: 5 type: TYPE_SINT32 label: LABEL_OPTIONAL }
    field { name: "i64" number: 6 type: TYPE_INT64 label: LABEL_OPTIONAL }
    field { name: "u32" number: 7 type: TYPE_UINT32 label: LABEL_OPTIONAL }
    field { name: "u64" number: 8 type: TYPE_UINT64 label: LABEL_OPTIONAL }
    field { name: "f64" number: 9 type: TYPE_DOUBLE label: LABEL_OPTIONAL }
    field { name: "f32" number: 10 type: TYPE_FLOAT label: LABEL_OPTIONAL }
    field {
      name: "color"
      number: 11
      type: TYPE_ENUM
      type_name: ".tiendo.rows.test.Color"
      label: LABEL_OPTIONAL
    }
    field { name: "tags" number: 12 type: TYPE_STRING label: LABEL_REPEATED }
    field {
      name: "colors"
      number: 13
      type: TYPE_ENUM
      type_name: ".tiendo.rows.test.Color"
      label: LABEL_REPEATED
    }
    field { name: "numbers" number: 14 type: TYPE_INT32 label: LABEL_REPEATED }
    field {
      name: "at"
      number: 15
      type: TYPE_MESSAGE
      type_name: ".google.protobuf.Timestamp"
      label: LABEL_OPTIONAL
    }
    field {
      name: "inner"
      number: 16
      type: TYPE_MESSAGE
      type_name: ".tiendo.rows.test.Inner"
      label: LABEL_OPTIONAL
    }
    field {
      name: "items"
      number: 17
      type: TYPE_MESSAGE
      type_name: ".tiendo.rows.test.Inner"
      label: LABEL_REPEATED
    }
    field {
      name: "labels"
      number: 18
      type: TYPE_MESSAGE
      type_name: ".tiendo.rows.test.Everything.LabelsEntry"
      label: LABEL_REPEATED
    }
    field {
      name: "counts"
      number: 19
      type: TYPE_MESSAGE
      type_name: ".tiendo.rows.test.Everything.CountsEntry"
      label: LABEL_REPEATED
    }
    field {
      name: "by_id"
      number: 20
      type: TYPE_MESSAGE
      type_name: ".tiendo.rows.test.Everything.ByIdEntry"
      label: LABEL_REPEATED
    }
    field {
      name: "choice_number"
      number: 21
      type: TYPE_DOUBLE
      label: LABEL_OPTIONAL
      oneof_index: 0
    }
    field {
      name: "choice_inner"
      number: 22
      type: TYPE_MESSAGE
      type_name: ".tiendo.rows.test.Inner"
      label: LABEL_OPTIONAL
      oneof_index: 0
    }
    field {
      name: "maybe"
      number: 23
      type: TYPE_BOOL
      label: LABEL_OPTIONAL
      oneof_index: 1
      proto3_optional: true
    }
    field {
      name: "inners"
      number: 24
      type: TYPE_MESSAGE
      type_name: ".tiendo.rows.test.Everything.InnersEntry"
      label: LABEL_REPEATED
    }
    nested_type {
      name: "LabelsEntry"
      field { name: "key" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
      field { name: "value" number: 2 type: TYPE_STRING label: LABEL_OPTIONAL }
      options { map_entry: true }
    }
    nested_type {
      name: "CountsEntry"
      field { name: "key" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
      field { name: "value" number: 2 type: TYPE_INT32 label: LABEL_OPTIONAL }
      options { map_entry: true }
    }
    nested_type {
      name: "ByIdEntry"
      field { name: "key" number: 1 type: TYPE_INT32 label: LABEL_OPTIONAL }
      field { name: "value" number: 2 type: TYPE_STRING label: LABEL_OPTIONAL }
      options { map_entry: true }
    }
    nested_type {
      name: "InnersEntry"
      field { name: "key" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
      field {
        name: "value"
        number: 2
        type: TYPE_MESSAGE
        type_name: ".tiendo.rows.test.Inner"
        label: LABEL_OPTIONAL
      }
      options { map_entry: true }
    }
    oneof_decl { name: "choice" }
    oneof_decl { name: "_maybe" }
  }
)pb";

class ProtoRowTest : public ::testing::Test {
 protected:
  ProtoRowTest() {
    google::protobuf::FileDescriptorProto timestamp_file;
    google::protobuf::Timestamp::descriptor()->file()->CopyTo(&timestamp_file);
    TIENDO_CHECK(pool_.BuildFile(timestamp_file) != nullptr, "timestamp.proto");
    google::protobuf::FileDescriptorProto test_file;
    TIENDO_CHECK(google::protobuf::TextFormat::ParseFromString(kTestProto, &test_file),
                 "test proto text");
    TIENDO_CHECK(pool_.BuildFile(test_file) != nullptr, "rows_test.proto");
    type_ = pool_.FindMessageTypeByName("tiendo.rows.test.Everything");
  }

  std::unique_ptr<google::protobuf::Message> NewMessage() {
    return std::unique_ptr<google::protobuf::Message>(factory_.GetPrototype(type_)->New());
  }

  // Fills a fresh Everything from one header and record.
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> Fill(
      const std::vector<std::string>& header, const std::vector<std::string>& record,
      const ColumnAliases& aliases = {}) {
    std::unique_ptr<google::protobuf::Message> message = NewMessage();
    absl::Status status = FillMessage(header, record, aliases, *message);
    if (!status.ok()) return status;
    return message;
  }

  // The message `text` (text format) describes.
  std::unique_ptr<google::protobuf::Message> Parse(const std::string& text) {
    std::unique_ptr<google::protobuf::Message> message = NewMessage();
    TIENDO_CHECK(google::protobuf::TextFormat::ParseFromString(text, message.get()), text);
    return message;
  }

  // One column filled with one cell, expected to give `expected` (text format).
  void ExpectCell(const std::string& column, const std::string& cell,
                  const std::string& expected) {
    SCOPED_TRACE(column + " = " + cell);
    absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message = Fill({column}, {cell});
    ASSERT_TRUE(message.ok()) << message.status();
    ExpectEqual(**message, expected);
  }

  void ExpectEqual(const google::protobuf::Message& message, const std::string& expected) {
    std::unique_ptr<google::protobuf::Message> want = Parse(expected);
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(message, *want))
        << "got:\n" << message.DebugString() << "want:\n" << want->DebugString();
  }

  // One column filled with one cell, expected to fail with exactly `error`.
  void ExpectCellError(const std::string& column, const std::string& cell,
                       const std::string& error) {
    SCOPED_TRACE(column + " = " + cell);
    absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message = Fill({column}, {cell});
    ASSERT_FALSE(message.ok());
    EXPECT_EQ(message.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(std::string(message.status().message()), error);
  }

  // A header expected to be refused with a message containing every one of `parts`.
  void ExpectHeaderError(const std::vector<std::string>& header,
                         const std::vector<std::string>& parts,
                         const ColumnAliases& aliases = {}) {
    SCOPED_TRACE(absl::StrJoin(header, ","));
    absl::StatusOr<ProtoRowMapping> mapping = ProtoRowMapping::Create(*type_, header, aliases);
    ASSERT_FALSE(mapping.ok());
    EXPECT_EQ(mapping.status().code(), absl::StatusCode::kInvalidArgument);
    for (const std::string& part : parts) {
      EXPECT_THAT(mapping.status().message(), HasSubstr(part));
    }
  }

  google::protobuf::DescriptorPool pool_;
  google::protobuf::DynamicMessageFactory factory_;
  const google::protobuf::Descriptor* type_ = nullptr;
};

// --- Types ---------------------------------------------------------------------------------

TEST_F(ProtoRowTest, StringsAreTakenAsWrittenWhenValidUtf8) {
  ExpectCell("text", "Công ty TNHH Phần mềm Biển Xanh",
             R"(text: "Công ty TNHH Phần mềm Biển Xanh")");
  ExpectCell("text", "  spaces kept; and semicolons ", R"(text: "  spaces kept; and semicolons ")");
}

TEST_F(ProtoRowTest, StringsMustBeValidUtf8) {
  ExpectCellError("text", "caf\xe9",
                  R"(column text: "caf\xe9" is not valid UTF-8 (byte 0xe9 at offset 3))");
  ExpectCellError("text", "\xc3",
                  R"(column text: "\xc3" is not valid UTF-8 (byte 0xc3 at offset 0))");
  // Overlong encoding of '/', a UTF-16 surrogate, and beyond U+10FFFF.
  ExpectCellError("text", "a\xc0\xaf",
                  R"(column text: "a\xc0\xaf" is not valid UTF-8 (byte 0xc0 at offset 1))");
  ExpectCellError("text", "\xed\xa0\x80",
                  R"(column text: "\xed\xa0\x80" is not valid UTF-8 (byte 0xed at offset 0))");
  ExpectCellError("text", "\xf4\x90\x80\x80",
                  R"(column text: "\xf4\x90\x80\x80" is not valid UTF-8 (byte 0xf4 at offset 0))");
}

TEST_F(ProtoRowTest, BytesTakeAnyText) {
  ExpectCell("blob", "raw\xff", R"(blob: "raw\377")");
}

TEST_F(ProtoRowTest, BooleansAreTrueOrFalse) {
  ExpectCell("flag", "true", "flag: true");
  ExpectCell("flag", "false", "");
  for (const char* cell : {"yes", "TRUE", "1", "True"}) {
    ExpectCellError("flag", cell,
                    absl::StrCat("column flag: \"", cell, "\" is not a boolean (true or false)"));
  }
}

TEST_F(ProtoRowTest, SignedIntegersAreDecimalAndFitTheirWidth) {
  ExpectCell("i32", "-42", "i32: -42");
  ExpectCell("i32", "2147483647", "i32: 2147483647");
  ExpectCell("s32", "-2147483648", "s32: -2147483648");
  ExpectCell("i64", "-9223372036854775808", "i64: -9223372036854775808");
  ExpectCell("i64", "007", "i64: 7");
  for (const char* cell : {"1.5", "+1", " 1", "1e3", "0x10", "-", "abc"}) {
    ExpectCellError("i32", cell,
                    absl::StrCat("column i32: \"", cell,
                                 "\" is not a whole number (decimal digits)"));
  }
  ExpectCellError("i32", "2147483648",
                  "column i32: \"2147483648\" is out of range for int32 (-2147483648 to "
                  "2147483647)");
  ExpectCellError("i64", "9223372036854775808",
                  "column i64: \"9223372036854775808\" is out of range for int64 "
                  "(-9223372036854775808 to 9223372036854775807)");
}

TEST_F(ProtoRowTest, UnsignedIntegersAreDecimalNonNegativeAndFitTheirWidth) {
  ExpectCell("u32", "4294967295", "u32: 4294967295");
  ExpectCell("u64", "18446744073709551615", "u64: 18446744073709551615");
  ExpectCellError("u32", "-1",
                  "column u32: \"-1\" is not a non-negative whole number (decimal digits)");
  ExpectCellError("u32", "4294967296",
                  "column u32: \"4294967296\" is out of range for uint32 (0 to 4294967295)");
  ExpectCellError("u64", "18446744073709551616",
                  "column u64: \"18446744073709551616\" is out of range for uint64 (0 to "
                  "18446744073709551615)");
}

TEST_F(ProtoRowTest, FloatingPointNumbersAreFiniteDecimals) {
  ExpectCell("f64", "12.5", "f64: 12.5");
  ExpectCell("f64", "-1e3", "f64: -1000");
  ExpectCell("f64", ".5", "f64: 0.5");
  ExpectCell("f64", "7.", "f64: 7");
  ExpectCell("f64", "+2.5E-1", "f64: 0.25");
  ExpectCell("f32", "1.5", "f32: 1.5");
  for (const char* cell : {"nan", "NaN", "inf", "-Infinity"}) {
    ExpectCellError("f64", cell, absl::StrCat("column f64: \"", cell, "\" is not a finite number"));
  }
  for (const char* cell : {"1,5", "0x10", "1e", ".", "12 %", "e5"}) {
    ExpectCellError("f64", cell, absl::StrCat("column f64: \"", cell,
                                              "\" is not a decimal number (e.g. 12.5 or 1e3)"));
  }
  ExpectCellError("f64", "1e999",
                  "column f64: \"1e999\" is not a finite number (out of range for double)");
  ExpectCellError("f32", "1e39", "column f32: \"1e39\" is out of range for float");
}

TEST_F(ProtoRowTest, EnumsAreWrittenByValueName) {
  ExpectCell("color", "COLOR_GREEN", "color: COLOR_GREEN");
  ExpectCellError("color", "green",
                  "column color: \"green\" is not a value of tiendo.rows.test.Color; did you "
                  "mean COLOR_GREEN?");
  ExpectCellError("color", "COLOR_REDD",
                  "column color: \"COLOR_REDD\" is not a value of tiendo.rows.test.Color; did "
                  "you mean COLOR_RED?");
  ExpectCellError("color", "PURPLE",
                  "column color: \"PURPLE\" is not a value of tiendo.rows.test.Color (values: "
                  "COLOR_UNSPECIFIED, COLOR_RED, COLOR_GREEN)");
  // Numbers are not value names.
  ExpectCellError("color", "1",
                  "column color: \"1\" is not a value of tiendo.rows.test.Color (values: "
                  "COLOR_UNSPECIFIED, COLOR_RED, COLOR_GREEN)");
}

TEST_F(ProtoRowTest, RepeatedFieldsAreSemicolonListsWithoutEmptyPieces) {
  ExpectCell("tags", "6202;6209;;6201;", R"(tags: "6202" tags: "6209" tags: "6201")");
  ExpectCell("tags", ";", "");
  ExpectCell("colors", "COLOR_RED;COLOR_GREEN", "colors: COLOR_RED colors: COLOR_GREEN");
  ExpectCell("numbers", "3;-1", "numbers: 3 numbers: -1");
  ExpectCellError("colors", "COLOR_RED;BLUE",
                  "column colors: item 2 of 2: \"BLUE\" is not a value of tiendo.rows.test.Color "
                  "(values: COLOR_UNSPECIFIED, COLOR_RED, COLOR_GREEN)");
  ExpectCellError("numbers", "1;x;3;y",
                  "column numbers: item 2 of 4: \"x\" is not a whole number (decimal digits); "
                  "column numbers: item 4 of 4: \"y\" is not a whole number (decimal digits)");
}

TEST_F(ProtoRowTest, TimestampsAreRfc3339Times) {
  ExpectCell("at", "2023-02-01T18:17:43Z", "at { seconds: 1675275463 }");
  ExpectCell("at", "2023-02-02T01:17:43.25+07:00", "at { seconds: 1675275463 nanos: 250000000 }");
  for (const char* cell : {"2023-02-01", "2023-02-01 18:17:43", "1675275463", "yesterday"}) {
    ExpectCellError("at", cell, absl::StrCat("column at: \"", cell,
                                             "\" is not an RFC 3339 time (e.g. "
                                             "2025-09-30T08:00:00Z)"));
  }
  ExpectCellError("at", "0000-12-31T00:00:00Z",
                  "column at: \"0000-12-31T00:00:00Z\" is outside the years 0001 to 9999 that a "
                  "Timestamp holds");
}

TEST_F(ProtoRowTest, ProtoThreeOptionalFieldsRecordAnExplicitFalse) {
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message = Fill({"maybe"}, {"false"});
  ASSERT_TRUE(message.ok()) << message.status();
  const google::protobuf::FieldDescriptor* maybe = type_->FindFieldByName("maybe");
  EXPECT_TRUE((*message)->GetReflection()->HasField(**message, maybe));
}

// --- Paths, maps, oneofs, aliases ----------------------------------------------------------

TEST_F(ProtoRowTest, DottedPathsFillNestedMessages) {
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message =
      Fill({"inner.note", "inner.deeper.note", "text"}, {"a", "b", "c"});
  ASSERT_TRUE(message.ok()) << message.status();
  ExpectEqual(**message, R"(text: "c" inner { note: "a" deeper { note: "b" } })");
}

TEST_F(ProtoRowTest, MapEntriesAreNamedByTheirKey) {
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message =
      Fill({"labels.district", "labels.sector.code", "counts.staff"}, {"747", "62", "12"});
  ASSERT_TRUE(message.ok()) << message.status();
  ExpectEqual(**message, R"(labels { key: "district" value: "747" }
                            labels { key: "sector.code" value: "62" }
                            counts { key: "staff" value: 12 })");
  ExpectCellError("counts.staff", "many",
                  "column counts.staff: \"many\" is not a whole number (decimal digits)");
}

TEST_F(ProtoRowTest, AMapEntryAlreadyPresentIsReplaced) {
  std::unique_ptr<google::protobuf::Message> message =
      Parse(R"(labels { key: "district" value: "752" } labels { key: "other" value: "x" })");
  ASSERT_TRUE(FillMessage({"labels.district"}, {"757"}, {}, *message).ok());
  ExpectEqual(*message, R"(labels { key: "district" value: "757" }
                           labels { key: "other" value: "x" })");
}

TEST_F(ProtoRowTest, EmptyCellsLeaveFieldsAsTheyAre) {
  std::unique_ptr<google::protobuf::Message> message =
      Parse(R"(text: "kept" i64: 1 tags: "old" inner { note: "n" })");
  ASSERT_TRUE(
      FillMessage({"text", "i64", "tags", "inner.note", "flag"}, {"", "", "", "", "true"}, {},
                  *message)
          .ok());
  ExpectEqual(*message, R"(text: "kept" i64: 1 tags: "old" inner { note: "n" } flag: true)");
  // An empty cell does not create the message its path passes through.
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> fresh =
      Fill({"inner.note", "labels.k"}, {"", ""});
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  ExpectEqual(**fresh, "");
}

TEST_F(ProtoRowTest, ANonEmptyListCellReplacesTheList) {
  std::unique_ptr<google::protobuf::Message> message = Parse(R"(tags: "old" tags: "older")");
  ASSERT_TRUE(FillMessage({"tags"}, {"new"}, {}, *message).ok());
  ExpectEqual(*message, R"(tags: "new")");
}

TEST_F(ProtoRowTest, OneMemberOfAOneofMayBeGiven) {
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> number =
      Fill({"choice_number", "choice_inner.note"}, {"2.5", ""});
  ASSERT_TRUE(number.ok()) << number.status();
  ExpectEqual(**number, "choice_number: 2.5");
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> inner =
      Fill({"choice_number", "choice_inner.note", "choice_inner.deeper.note"}, {"", "a", "b"});
  ASSERT_TRUE(inner.ok()) << inner.status();
  ExpectEqual(**inner, R"(choice_inner { note: "a" deeper { note: "b" } })");
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> both =
      Fill({"choice_number", "choice_inner.note"}, {"2.5", "a"});
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(both.status().message()),
            "column choice_inner.note: sets choice_inner of oneof choice, which column "
            "choice_number sets to choice_number (only one may be given)");
}

TEST_F(ProtoRowTest, AliasesMapColumnsToPathsAndAnEmptyAliasIgnoresAColumn) {
  const ColumnAliases aliases = {{"note", "inner.note"}, {"district", "labels.district"},
                                 {"remark", ""}};
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message =
      Fill({"note", "district", "remark", "unused_alias_is_fine"}, {"n", "79", "anything", "x"},
           {{"note", "inner.note"},
            {"district", "labels.district"},
            {"remark", ""},
            {"unused_alias_is_fine", "text"},
            {"not_in_header", "nothing"}});
  ASSERT_TRUE(message.ok()) << message.status();
  ExpectEqual(**message, R"(inner { note: "n" } labels { key: "district" value: "79" } text: "x")");
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> some =
      Fill({"note", "district", "remark"}, {"ok", "", "x"}, aliases);
  ASSERT_TRUE(some.ok()) << some.status();
  ExpectEqual(**some, R"(inner { note: "ok" })");
  // Errors name the column and, through the alias, the field.
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> bad_flag =
      Fill({"ok"}, {"maybe"}, {{"ok", "flag"}});
  ASSERT_FALSE(bad_flag.ok());
  EXPECT_EQ(std::string(bad_flag.status().message()),
            "column ok (flag): \"maybe\" is not a boolean (true or false)");
}

// --- Header errors -------------------------------------------------------------------------

TEST_F(ProtoRowTest, AnUnknownColumnIsNamedWithTheNearestFields) {
  ExpectHeaderError({"text", "txet"},
                    {"column txet: no field \"txet\" in tiendo.rows.test.Everything; did you "
                     "mean text?"});
  ExpectHeaderError({"inner.nte"},
                    {"column inner.nte: no field \"nte\" in tiendo.rows.test.Inner; did you "
                     "mean inner.note?"});
  ExpectHeaderError({"colour"}, {"did you mean color or colors?"});
  ExpectHeaderError({"zzzzzzzzzzzz"},
                    {"column zzzzzzzzzzzz: no field \"zzzzzzzzzzzz\" in "
                     "tiendo.rows.test.Everything (its fields: text, blob, flag, i32"});
}

TEST_F(ProtoRowTest, AColumnMustNameAFieldOneCellFills) {
  ExpectHeaderError({"text.x"},
                    {"column text.x: text is of type string, not a message with fields"});
  ExpectHeaderError({"at.seconds"}, {"column at.seconds: at is a google.protobuf.Timestamp"});
  ExpectHeaderError({"inner"}, {"column inner: inner is a message (tiendo.rows.test.Inner); "
                                "name one of its fields: note, deeper"});
  ExpectHeaderError({"items"},
                    {"column items: items is a repeated message field, which one cell cannot "
                     "fill"});
  ExpectHeaderError({"items.note"},
                    {"column items.note: items is a repeated message field, which one cell "
                     "cannot fill"});
  ExpectHeaderError({"labels"},
                    {"column labels: labels is a map; name one entry as labels.<key>"});
  ExpectHeaderError({"by_id.3"},
                    {"column by_id.3: by_id is a map with int32 keys; only maps with string keys "
                     "can be filled from columns"});
  ExpectHeaderError({"inners.a"},
                    {"column inners.a: inners is a map of messages, which one cell cannot fill"});
  ExpectHeaderError({"inner..note"},
                    {"column inner..note: \"inner..note\" is not a field path"});
  ExpectHeaderError({""}, {"column : \"\" is not a field path"});
}

TEST_F(ProtoRowTest, AColumnGivenTwiceOrTwoColumnsForOneFieldAreRefused) {
  ExpectHeaderError({"text", "flag", "text"}, {"column text appears twice in the header"});
  ExpectHeaderError({"note", "inner.note"}, {"columns note and inner.note both fill inner.note"},
                    {{"note", "inner.note"}});
}

TEST_F(ProtoRowTest, AnAliasToNoFieldNamesTheColumnAndTheAlias) {
  ExpectHeaderError({"adopted"},
                    {"column adopted (alias of inner.adopted): no field \"adopted\" in "
                     "tiendo.rows.test.Inner"},
                    {{"adopted", "inner.adopted"}});
}

TEST_F(ProtoRowTest, EveryHeaderProblemIsReportedAtOnce) {
  ExpectHeaderError({"txet", "flag", "inner", "flag"},
                    {"column txet: no field", "column inner: inner is a message",
                     "column flag appears twice"});
}

// --- Record errors -------------------------------------------------------------------------

TEST_F(ProtoRowTest, ARecordMustHaveOneCellPerColumn) {
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message =
      Fill({"text", "flag", "i32"}, {"a", "true"});
  ASSERT_FALSE(message.ok());
  EXPECT_EQ(message.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(message.status().message()),
            "record has 2 cells, the header has 3 columns");
}

TEST_F(ProtoRowTest, EveryBadCellIsReportedAndTheMessageIsLeftUnchanged) {
  std::unique_ptr<google::protobuf::Message> message = Parse(R"(text: "before" i64: 1)");
  absl::Status status = FillMessage({"text", "flag", "i32", "color", "i64"},
                                    {"after", "yes", "1.5", "BLUE", "2"}, {}, *message);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(status.message()),
            "column flag: \"yes\" is not a boolean (true or false); "
            "column i32: \"1.5\" is not a whole number (decimal digits); "
            "column color: \"BLUE\" is not a value of tiendo.rows.test.Color (values: "
            "COLOR_UNSPECIFIED, COLOR_RED, COLOR_GREEN)");
  ExpectEqual(*message, R"(text: "before" i64: 1)");
}

TEST_F(ProtoRowTest, LongAndControlCharacterCellsAreQuotedReadably) {
  ExpectCellError("flag", "line\nbreak \"q\"",
                  R"(column flag: "line\x0abreak \"q\"" is not a boolean (true or false))");
  const std::string long_cell(70, 'x');
  ExpectCellError("flag", long_cell,
                  absl::StrCat("column flag: \"", std::string(60, 'x'),
                               "…\" is not a boolean (true or false)"));
  // Cut between characters, never inside one.
  std::string vietnamese;
  for (int i = 0; i < 30; ++i) vietnamese += "ệ";  // 3 bytes each
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message =
      Fill({"flag"}, {vietnamese});
  ASSERT_FALSE(message.ok());
  std::string twenty;
  for (int i = 0; i < 20; ++i) twenty += "ệ";
  EXPECT_THAT(message.status().message(), HasSubstr(absl::StrCat("\"", twenty, "…\"")));
}

TEST_F(ProtoRowTest, AMappingIsReusedAcrossRecords) {
  absl::StatusOr<ProtoRowMapping> mapping =
      ProtoRowMapping::Create(*type_, {"text", "numbers"}, {});
  ASSERT_TRUE(mapping.ok()) << mapping.status();
  std::unique_ptr<google::protobuf::Message> first = NewMessage();
  std::unique_ptr<google::protobuf::Message> second = NewMessage();
  ASSERT_TRUE(mapping->Fill({"a", "1;2"}, *first).ok());
  ASSERT_TRUE(mapping->Fill({"b", ""}, *second).ok());
  ExpectEqual(*first, R"(text: "a" numbers: 1 numbers: 2)");
  ExpectEqual(*second, R"(text: "b")");
}

// --- The messages the importers fill -------------------------------------------------------

TEST(ProtoRowRegistryTest, FillsAnEnterpriseFromTheSampleFilesColumns) {
  const std::vector<std::string> header = {
      "tax_code", "name_vi", "name_en", "short_name", "administrative_unit_code", "address",
      "industry_codes", "categories", "capabilities", "size_class", "is_sme",
      "platform_adopted", "platform_adopted_since", "registration_date", "dissolution_date",
      "status", "status_since", "synthetic", "source_system"};
  const std::vector<std::string> record = {
      "3509001001", "Công ty TNHH An ninh Mạng Thùy Dương",
      "Thuy Duong Cyber Security Company Limited", "THUY DUONG SECURITY CO., LTD", "750",
      "Tổ 12, Ấp An Thạnh, Xã Bình Ba", "6202;6209;6201", "digital_technology", "",
      "SIZE_CLASS_MICRO", "true", "true", "2025-09-15", "2019-01-01", "",
      "ENTERPRISE_STATUS_ACTIVE", "", "true", "tiendo-sample-data/1"};
  const ColumnAliases& aliases = EnterpriseColumnAliases();
  registry::v1::Enterprise enterprise;
  enterprise.set_version(1);
  ASSERT_TRUE(FillMessage(header, record, aliases, enterprise).ok());
  EXPECT_EQ(enterprise.tax_code(), "3509001001");
  EXPECT_EQ(enterprise.name_vi(), "Công ty TNHH An ninh Mạng Thùy Dương");
  EXPECT_EQ(enterprise.short_name(), "THUY DUONG SECURITY CO., LTD");
  EXPECT_THAT(enterprise.industry_codes(), ::testing::ElementsAre("6202", "6209", "6201"));
  EXPECT_THAT(enterprise.categories(), ::testing::ElementsAre("digital_technology"));
  EXPECT_TRUE(enterprise.capabilities().empty());
  EXPECT_EQ(enterprise.size_class(), registry::v1::SIZE_CLASS_MICRO);
  EXPECT_TRUE(enterprise.is_sme());
  EXPECT_TRUE(enterprise.platform_adoption().adopted());
  EXPECT_EQ(enterprise.platform_adoption().since(), "2025-09-15");
  EXPECT_EQ(enterprise.status(), registry::v1::ENTERPRISE_STATUS_ACTIVE);
  EXPECT_TRUE(enterprise.dissolution_date().empty());
  EXPECT_TRUE(enterprise.synthetic());
  EXPECT_EQ(enterprise.version(), 1);

  // Without the aliases the flattened columns name no field.
  registry::v1::Enterprise unaliased;
  absl::Status status = FillMessage(header, record, {}, unaliased);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              AllOf(HasSubstr("column platform_adopted: no field \"platform_adopted\" in "
                              "tiendo.registry.v1.Enterprise; did you mean platform_adoption?"),
                    HasSubstr("column platform_adopted_since: no field")));
}

TEST(ProtoRowRegistryTest, NamesTheColumnAndRuleOfABadEnterpriseCell) {
  registry::v1::Enterprise enterprise;
  absl::Status status =
      FillMessage({"tax_code", "is_sme", "size_class"}, {"3509001001", "yes", "SMALL"}, {},
                  enterprise);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(status.message()),
            "column is_sme: \"yes\" is not a boolean (true or false); column size_class: "
            "\"SMALL\" is not a value of tiendo.registry.v1.SizeClass; did you mean "
            "SIZE_CLASS_SMALL?");
  EXPECT_TRUE(enterprise.tax_code().empty());
}

TEST(ProtoRowRegistryTest, FillsRepeatedEnumsAndOptionalBooleansOfAFilter) {
  registry::v1::EnterpriseFilter filter;
  ASSERT_TRUE(FillMessage({"statuses", "is_sme"},
                          {"ENTERPRISE_STATUS_ACTIVE;ENTERPRISE_STATUS_SUSPENDED", "false"}, {},
                          filter)
                  .ok());
  EXPECT_THAT(filter.statuses(), ::testing::ElementsAre(registry::v1::ENTERPRISE_STATUS_ACTIVE,
                                                        registry::v1::ENTERPRISE_STATUS_SUSPENDED));
  EXPECT_TRUE(filter.has_is_sme());
  EXPECT_FALSE(filter.is_sme());
}

TEST(ProtoRowIngestTest, FillsASubmissionFromTheSubmissionCsvColumns) {
  const std::vector<std::string> header = {
      "submission_id", "reporting_unit_id", "indicator_id", "period", "district", "value",
      "numerator", "denominator", "kind", "submitted_at", "source_system", "comment"};
  const ColumnAliases aliases = {{"district", "disaggregation.district"},
                                 {"numerator", "ratio.numerator"},
                                 {"denominator", "ratio.denominator"}};
  absl::StatusOr<ProtoRowMapping> mapping =
      ProtoRowMapping::Create(*ingest::v1::Submission::descriptor(), header, aliases);
  ASSERT_TRUE(mapping.ok()) << mapping.status();

  ingest::v1::Submission ratio;
  ASSERT_TRUE(mapping
                  ->Fill({"portal:x:2023-01:753:r1", "public-service-portal",
                          "online_service_users_authenticated", "2023-01", "753", "", "857",
                          "1401", "SUBMISSION_KIND_REPORT", "2023-02-01T18:17:43Z",
                          "dvc-connector/3.2", ""},
                         ratio)
                  .ok());
  EXPECT_EQ(ratio.figure_case(), ingest::v1::Submission::kRatio);
  EXPECT_EQ(ratio.ratio().numerator(), 857);
  EXPECT_EQ(ratio.ratio().denominator(), 1401);
  EXPECT_EQ(ratio.disaggregation().at("district"), "753");
  EXPECT_EQ(ratio.submitted_at().seconds(), 1675275463);
  EXPECT_EQ(ratio.kind(), ingest::v1::SUBMISSION_KIND_REPORT);

  ingest::v1::Submission retraction;
  ASSERT_TRUE(mapping
                  ->Fill({"id:r2", "dept-st", "procedure_results_digitised", "2025-Q3", "", "",
                          "", "", "SUBMISSION_KIND_RETRACTION", "2025-10-02T00:00:00Z", "",
                          "withdrawn"},
                         retraction)
                  .ok());
  EXPECT_EQ(retraction.figure_case(), ingest::v1::Submission::FIGURE_NOT_SET);
  EXPECT_TRUE(retraction.disaggregation().empty());

  ingest::v1::Submission both;
  absl::Status status = mapping->Fill({"id", "u", "i", "2025-Q3", "", "12", "1", "2", "", "", "",
                                       ""},
                                      both);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(status.message()),
            "column numerator (ratio.numerator): sets ratio of oneof figure, which column value "
            "sets to value (only one may be given)");
  EXPECT_THAT(status.message(), Not(HasSubstr("denominator")));
}

}  // namespace
}  // namespace tiendo::rows
