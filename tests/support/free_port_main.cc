// tiendo-free-port [N]: prints N (default 1) free loopback TCP ports, one per
// line, for the shell scripts that start test servers.
#include <cstdio>
#include <cstdlib>

#include "tests/support/free_port.h"

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 1;
  if (count < 1 || count > 100) {
    std::fprintf(stderr, "usage: tiendo-free-port [N]  (1 <= N <= 100)\n");
    return 2;
  }
  auto ports = tiendo::testing::FreePorts(count);
  if (!ports.ok()) {
    std::fprintf(stderr, "tiendo-free-port: %s\n", std::string(ports.status().message()).c_str());
    return 1;
  }
  for (int port : *ports) std::printf("%d\n", port);
  return 0;
}
