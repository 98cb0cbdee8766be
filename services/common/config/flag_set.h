// FlagSet: command-line flags with environment-variable fallbacks.
//
// Every setting of a tiendo program is a flag `--name=value` (or `--name
// value`); when the flag is absent, the environment variable named for it is
// used; when both are absent, the default. A bad value is refused with a
// message naming the flag (or the variable) and the rule it broke, e.g.
//   --grpc-port: "70000" is out of range (must be 0..65535)
// The environment is injected so that parsing is testable.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace tiendo::config {

// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(absl::string_view)>;

// The process environment (getenv).
EnvLookup ProcessEnv();

class FlagSet {
 public:
  // `program` names the binary in usage text; `summary` is one paragraph.
  FlagSet(std::string program, std::string summary);

  // Each Add* binds a flag to `*out`, which holds the default on entry (it is
  // shown in --help) and the parsed value after Parse. `env` may be empty for
  // flags that have no environment fallback.
  void AddString(std::string name, std::string env, std::string help, std::string* out);
  void AddInt(std::string name, std::string env, std::string help, int64_t min, int64_t max,
              int64_t* out);
  // A TCP port, 0..65535; 0 asks the kernel for a free port where allowed.
  void AddPort(std::string name, std::string env, std::string help, int* out);
  // A duration in Abseil syntax: "500ms", "10s", "1m30s"; not negative.
  void AddDuration(std::string name, std::string env, std::string help, absl::Duration* out);
  // As AddDuration, and more than zero: a timeout or an interval that zero would break.
  void AddPositiveDuration(std::string name, std::string env, std::string help,
                           absl::Duration* out);
  // true/false, 1/0, yes/no; a bare `--name` means true.
  void AddBool(std::string name, std::string env, std::string help, bool* out);
  // A string that must be one of `choices`.
  void AddChoice(std::string name, std::string env, std::string help,
                 std::vector<std::string> choices, std::string* out);

  // Parses `args` (without the program name). Arguments that are not flags
  // are collected as positional unless `allow_positional` is false. `--`
  // ends flag parsing. On error nothing is guaranteed about the outputs.
  absl::Status Parse(const std::vector<std::string>& args, const EnvLookup& env,
                     bool allow_positional = false);

  // True when Parse saw -h or --help; the caller prints Usage() and exits 0.
  bool help_requested() const { return help_requested_; }
  const std::vector<std::string>& positional() const { return positional_; }

  // The --help text: summary, then every flag with its variable and default.
  std::string Usage() const;

 private:
  // A duration flag: not negative, and with `positive` not zero either.
  void AddBoundedDuration(std::string name, std::string env, std::string help,
                          absl::Duration* out, bool positive);
  struct Flag {
    std::string name;
    std::string env;
    std::string help;
    std::string default_text;
    bool is_bool = false;
    // Converts and stores a textual value; the error names no flag (the
    // caller adds the flag or variable name).
    std::function<absl::Status(absl::string_view)> set;
  };
  void Add(Flag flag);
  Flag* Find(absl::string_view name);

  std::string program_;
  std::string summary_;
  std::vector<Flag> flags_;
  std::vector<std::string> positional_;
  bool help_requested_ = false;
};

// argv[1..argc) as strings.
std::vector<std::string> Arguments(int argc, char** argv);

}  // namespace tiendo::config
