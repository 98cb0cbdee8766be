#include "tools/tiendoctl/cli.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace tiendo::ctl {
namespace {

std::vector<Command> AllCommands() {
  return {HealthCommand(),          PlanValidateCommand(),    PlanApplyCommand(),
          EnterprisesImportCommand(), EnterprisesListCommand(), EnterprisesGetCommand(),
          ServicesImportCommand(),  UnitsCreateCommand(),     UnitsListCommand(),
          UnitsIssueTokenCommand(), UnitsRevokeTokenCommand(), SubmitCommand(),
          RejectedTailCommand(),    WhoamiCommand(),          ProgressCommand(),
          WatchCommand(),           CompletenessCommand(),    TopicsEnsureCommand()};
}

bool IsHelp(absl::string_view arg) { return arg == "-h" || arg == "--help" || arg == "help"; }

// Whether `command` is one of `group`'s (e.g. "plan validate" of "plan").
bool InGroup(const Command& command, absl::string_view group) {
  return absl::StartsWith(command.words, absl::StrCat(group, " "));
}

// The usage line and the commands of `group` (all commands when empty).
void PrintCommands(std::ostream& out, absl::string_view group = "") {
  if (group.empty()) {
    out << "Usage: tiendoctl COMMAND [flags]\n\n"
           "tiendoctl is the command-line client of the tiendo services.\n\nCommands:\n";
  } else {
    out << "Usage: tiendoctl " << group << " COMMAND [flags]\n\nCommands:\n";
  }
  for (const Command& command : AllCommands()) {
    if (!group.empty() && !InGroup(command, group)) continue;
    out << "  " << command.words << std::string(24 - std::min<size_t>(command.words.size(), 22), ' ')
        << command.summary << "\n";
  }
  out << "\nRun 'tiendoctl COMMAND --help' for a command's flags.\n";
}

}  // namespace

int ParseCommandFlags(config::FlagSet& flags, const std::vector<std::string>& args, Io& io) {
  if (absl::Status parsed = flags.Parse(args, io.env); !parsed.ok()) {
    io.err << "tiendoctl: " << parsed.message() << "\n";
    return 2;
  }
  if (flags.help_requested()) {
    io.out << flags.Usage();
    return 0;
  }
  return -1;
}

int ParseCommandFlagsAndArgument(config::FlagSet& flags, const std::vector<std::string>& args,
                                 Io& io, absl::string_view command, absl::string_view what,
                                 std::string* argument) {
  if (absl::Status parsed = flags.Parse(args, io.env, /*allow_positional=*/true); !parsed.ok()) {
    io.err << "tiendoctl: " << parsed.message() << "\n";
    return 2;
  }
  if (flags.help_requested()) {
    io.out << flags.Usage();
    return 0;
  }
  if (flags.positional().size() != 1) {
    io.err << "tiendoctl " << command << ": "
           << (flags.positional().empty() ? absl::StrCat("missing the ", what)
                                          : absl::StrCat("expected one ", what, ", got ",
                                                         flags.positional().size()))
           << " (see tiendoctl " << command << " --help)\n";
    return 2;
  }
  *argument = flags.positional()[0];
  return -1;
}

int RunCli(const std::vector<std::string>& args, Io& io) {
  if (args.empty() || IsHelp(args[0])) {
    PrintCommands(args.empty() ? io.err : io.out);
    return args.empty() ? 2 : 0;
  }
  for (const Command& command : AllCommands()) {
    const std::vector<std::string> words = absl::StrSplit(command.words, ' ');
    if (args.size() < words.size() ||
        !std::equal(words.begin(), words.end(), args.begin())) {
      continue;
    }
    return command.run(std::vector<std::string>(args.begin() + words.size(), args.end()), io);
  }
  // A known first word with a missing or unknown second word: list that group.
  std::vector<std::string> group;
  for (const Command& command : AllCommands()) {
    if (InGroup(command, args[0])) group.push_back(command.words);
  }
  if (!group.empty() && args.size() == 2 && IsHelp(args[1])) {
    PrintCommands(io.out, args[0]);
    return 0;
  }
  if (!group.empty()) {
    io.err << "tiendoctl: '" << absl::StrJoin(args, " ") << "' is not a command; did you mean: "
           << absl::StrJoin(group, ", ") << "?\n";
    return 2;
  }
  io.err << "tiendoctl: unknown command '" << args[0] << "'\n\n";
  PrintCommands(io.err);
  return 2;
}

}  // namespace tiendo::ctl
