#include "services/common/files/durable_file.h"

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo::files {
namespace {

using ::testing::HasSubstr;

class DurableFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "durable_file_test.XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::string Path(const std::string& name) const { return directory_ + "/" + name; }

  std::string directory_;
};

TEST_F(DurableFileTest, WritingReplacesTheContentAndLeavesNothingElseBehind) {
  const std::string path = Path("state");
  ASSERT_TRUE(WriteFileDurably(path, "first").ok());
  ASSERT_TRUE(WriteFileDurably(path, std::string("second\0with a zero", 18)).ok());
  EXPECT_EQ(ReadWholeFile(path).value_or(""), std::string("second\0with a zero", 18));
  EXPECT_EQ(std::vector<std::filesystem::path>(
                std::filesystem::directory_iterator(directory_), {}),
            std::vector<std::filesystem::path>{path});
}

TEST_F(DurableFileTest, AFailedWriteKeepsThePreviousContentAndNamesTheFile) {
  const std::string path = Path("state");
  ASSERT_TRUE(WriteFileDurably(path, "kept").ok());
  // The temporary file cannot be made (a directory is in its way).
  std::filesystem::create_directory(path + ".tmp");
  const absl::Status failed = WriteFileDurably(path, "lost");
  EXPECT_FALSE(failed.ok());
  EXPECT_THAT(failed.message(), HasSubstr(path));
  EXPECT_EQ(ReadWholeFile(path).value_or(""), "kept");
}

TEST_F(DurableFileTest, AMissingFileIsNotFoundAndAnEmptyOneIsEmpty) {
  const absl::StatusOr<std::string> missing = ReadWholeFile(Path("none"));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr(Path("none")));

  ASSERT_TRUE(WriteFileDurably(Path("empty"), "").ok());
  EXPECT_EQ(ReadWholeFile(Path("empty")).value_or("x"), "");
}

TEST_F(DurableFileTest, AFileInADirectoryThatDoesNotExistIsNotWritten) {
  const absl::Status failed = WriteFileDurably(Path("no/such/dir/state"), "x");
  EXPECT_EQ(failed.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(failed.message(), HasSubstr("no/such/dir/state"));
}

}  // namespace
}  // namespace tiendo::files
