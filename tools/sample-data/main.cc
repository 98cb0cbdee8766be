// tiendo-sample-data: writes the synthetic sample data; everything but the
// process's arguments and streams is in the library (cli.h).
#include <iostream>

#include "services/common/config/flag_set.h"
#include "tools/sample-data/cli.h"

int main(int argc, char** argv) {
  return tiendo::sample::RunSampleDataTool(tiendo::config::Arguments(argc, argv),
                                           tiendo::config::ProcessEnv(), std::cout, std::cerr);
}
