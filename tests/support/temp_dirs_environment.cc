// Linked into each integration test binary: once every test of the binary has passed, the
// directories and files it made for them (temp_dir.h) are removed; after a failure they are
// kept, with the services' logs in them. The services the tests started have stopped by then.
#include <string>

#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace tiendo::testing {
namespace {

class TempDirsEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    if (!::testing::UnitTest::GetInstance()->Passed()) return;
    for (const std::string& path : PathsToRemoveAfterPassingRun()) RemoveTree(path);
  }
};

[[maybe_unused]] ::testing::Environment* const environment =
    ::testing::AddGlobalTestEnvironment(new TempDirsEnvironment);

}  // namespace
}  // namespace tiendo::testing
