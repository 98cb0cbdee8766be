// tiendoctl's entry point as a library: finds the command named by the first
// words of the arguments and runs it.
#pragma once

#include <string>
#include <vector>

#include "tools/tiendoctl/command.h"

namespace tiendo::ctl {

// Runs tiendoctl with `args` (without the program name); returns the exit
// code. With no arguments, -h or --help it lists the commands.
int RunCli(const std::vector<std::string>& args, Io& io);

}  // namespace tiendo::ctl
