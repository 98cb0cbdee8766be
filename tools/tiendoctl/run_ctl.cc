#include "tools/tiendoctl/run_ctl.h"

#include <fstream>
#include <optional>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tools/tiendoctl/cli.h"

namespace tiendo::ctl::testing {

CtlResult RunCtl(const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env) {
  std::ostringstream out;
  std::ostringstream err;
  Io io{out, err, [&env](absl::string_view name) -> std::optional<std::string> {
          const auto found = env.find(std::string(name));
          if (found == env.end()) return std::nullopt;
          return found->second;
        }};
  const int code = RunCli(args, io);
  return {code, out.str(), err.str()};
}

std::string WriteTempFile(const std::string& name, const std::string& text) {
  const std::string path = absl::StrCat(::testing::TempDir(), name);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  EXPECT_TRUE(file.good()) << path;
  return path;
}

}  // namespace tiendo::ctl::testing
