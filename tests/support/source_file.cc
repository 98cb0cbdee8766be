#include "tests/support/source_file.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tiendo::testing {

std::string ReadSourceFile(const std::string& relative) {
  const std::string path = std::string(TIENDO_SOURCE_DIR) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::abort();
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace tiendo::testing
