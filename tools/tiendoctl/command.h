// A tiendoctl command: its words ("topics ensure"), a one-line summary, and
// what it does with the arguments that follow its words.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/common/config/flag_set.h"

namespace tiendo::ctl {

// Where a command writes and reads its environment; injected for tests.
struct Io {
  std::ostream& out;
  std::ostream& err;
  config::EnvLookup env;
  // True when `err` is a terminal: commands then draw progress there.
  bool err_is_terminal = false;
};

struct Command {
  std::string words;    // e.g. "topics ensure"
  std::string summary;  // one line for the command list
  // Returns the exit code: 0 success, 1 the operation failed, 2 bad usage.
  std::function<int(const std::vector<std::string>& args, Io& io)> run;
};

// Parses `args` into `flags`; on --help prints the usage and returns 0, on a
// bad flag prints the error and returns 2; otherwise returns -1 (go on).
int ParseCommandFlags(config::FlagSet& flags, const std::vector<std::string>& args, Io& io);

// The same for a command that takes exactly one argument besides its flags (`what`, e.g.
// "FILE"), stored in `*argument`; a missing or extra argument is bad usage (2) naming
// `command` (e.g. "plan apply").
int ParseCommandFlagsAndArgument(config::FlagSet& flags, const std::vector<std::string>& args,
                                 Io& io, absl::string_view command, absl::string_view what,
                                 std::string* argument);

// The commands, one per file, each registered here.
Command HealthCommand();
Command PlanValidateCommand();
Command PlanApplyCommand();
Command EnterprisesImportCommand();
Command EnterprisesListCommand();
Command EnterprisesGetCommand();
Command ServicesImportCommand();
Command UnitsCreateCommand();
Command UnitsListCommand();
Command UnitsIssueTokenCommand();
Command UnitsRevokeTokenCommand();
Command TopicsEnsureCommand();
Command SubmitCommand();
Command RejectedTailCommand();
Command WhoamiCommand();
Command ProgressCommand();
Command WatchCommand();
Command CompletenessCommand();

}  // namespace tiendo::ctl
