// tiendo-sample-data's command line as a library: flags, generation,
// writing, exit codes. main.cc only passes the process's arguments.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "services/common/config/flag_set.h"

namespace tiendo::sample {

// Runs the tool with `args` (without the program name). Returns 0 on
// success, 1 when the files cannot be written, 2 for bad flags (the message
// names the flag).
int RunSampleDataTool(const std::vector<std::string>& args, const config::EnvLookup& env,
                      std::ostream& out, std::ostream& err);

}  // namespace tiendo::sample
