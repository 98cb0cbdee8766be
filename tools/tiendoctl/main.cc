// tiendoctl: the command-line client of the tiendo services.
#include <iostream>

#include "services/common/config/flag_set.h"
#include "tools/tiendoctl/cli.h"

int main(int argc, char** argv) {
  tiendo::ctl::Io io{std::cout, std::cerr, tiendo::config::ProcessEnv()};
  return tiendo::ctl::RunCli(tiendo::config::Arguments(argc, argv), io);
}
