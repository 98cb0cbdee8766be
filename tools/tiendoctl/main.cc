// tiendoctl: the command-line client of the tiendo services.
#include <unistd.h>

#include <iostream>

#include "services/common/config/flag_set.h"
#include "tools/tiendoctl/cli.h"

int main(int argc, char** argv) {
  tiendo::ctl::Io io{std::cout, std::cerr, tiendo::config::ProcessEnv(),
                     /*err_is_terminal=*/isatty(STDERR_FILENO) == 1};
  return tiendo::ctl::RunCli(tiendo::config::Arguments(argc, argv), io);
}
