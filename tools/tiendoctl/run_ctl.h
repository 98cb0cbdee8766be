// Running tiendoctl in a test: RunCli with captured stdout and stderr and an environment the
// test gives (no variable of the real process leaks in).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace tiendo::ctl::testing {

struct CtlResult {
  int code = 0;
  std::string out;
  std::string err;
};

CtlResult RunCtl(const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env = {});

// Writes `text` to a fresh file named `name` under the test temporary directory; returns its
// path.
std::string WriteTempFile(const std::string& name, const std::string& text);

}  // namespace tiendo::ctl::testing
