#include "services/common/config/flag_set.h"

#include <cstdlib>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tiendo::config {

EnvLookup ProcessEnv() {
  return [](absl::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::vector<std::string> Arguments(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return args;
}

FlagSet::FlagSet(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {}

void FlagSet::Add(Flag flag) { flags_.push_back(std::move(flag)); }

FlagSet::Flag* FlagSet::Find(absl::string_view name) {
  for (Flag& flag : flags_) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

void FlagSet::AddString(std::string name, std::string env, std::string help, std::string* out) {
  Add({std::move(name), std::move(env), std::move(help), *out, false,
       [out](absl::string_view text) {
         *out = std::string(text);
         return absl::OkStatus();
       }});
}

void FlagSet::AddInt(std::string name, std::string env, std::string help, int64_t min,
                     int64_t max, int64_t* out) {
  Add({std::move(name), std::move(env), std::move(help), absl::StrCat(*out), false,
       [out, min, max](absl::string_view text) {
         int64_t value = 0;
         if (!absl::SimpleAtoi(text, &value)) {
           return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is not an integer"));
         }
         if (value < min || value > max) {
           return absl::InvalidArgumentError(
               absl::StrCat("\"", text, "\" is out of range (must be ", min, "..", max, ")"));
         }
         *out = value;
         return absl::OkStatus();
       }});
}

void FlagSet::AddPort(std::string name, std::string env, std::string help, int* out) {
  Add({std::move(name), std::move(env), std::move(help), absl::StrCat(*out), false,
       [out](absl::string_view text) {
         int value = 0;
         if (!absl::SimpleAtoi(text, &value)) {
           return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is not a port number"));
         }
         if (value < 0 || value > 65535) {
           return absl::InvalidArgumentError(
               absl::StrCat("\"", text, "\" is out of range (must be 0..65535)"));
         }
         *out = value;
         return absl::OkStatus();
       }});
}

void FlagSet::AddDuration(std::string name, std::string env, std::string help,
                          absl::Duration* out) {
  AddBoundedDuration(std::move(name), std::move(env), std::move(help), out, false);
}

void FlagSet::AddPositiveDuration(std::string name, std::string env, std::string help,
                                  absl::Duration* out) {
  AddBoundedDuration(std::move(name), std::move(env), std::move(help), out, true);
}

void FlagSet::AddBoundedDuration(std::string name, std::string env, std::string help,
                                 absl::Duration* out, bool positive) {
  Add({std::move(name), std::move(env), std::move(help), absl::FormatDuration(*out), false,
       [out, positive](absl::string_view text) {
         absl::Duration value;
         if (!absl::ParseDuration(text, &value)) {
           return absl::InvalidArgumentError(absl::StrCat(
               "\"", text, "\" is not a duration (write it like 500ms, 10s or 1m30s)"));
         }
         if (value < absl::ZeroDuration()) {
           return absl::InvalidArgumentError(absl::StrCat(
               "\"", text, "\" is negative (must be ", positive ? "more than 0" : "0 or more",
               ")"));
         }
         if (positive && value == absl::ZeroDuration()) {
           return absl::InvalidArgumentError(
               absl::StrCat("\"", text, "\" is zero (must be more than 0)"));
         }
         *out = value;
         return absl::OkStatus();
       }});
}

void FlagSet::AddBool(std::string name, std::string env, std::string help, bool* out) {
  Add({std::move(name), std::move(env), std::move(help), *out ? "true" : "false", true,
       [out](absl::string_view text) {
         const std::string lower = absl::AsciiStrToLower(text);
         if (lower == "true" || lower == "1" || lower == "yes") {
           *out = true;
         } else if (lower == "false" || lower == "0" || lower == "no") {
           *out = false;
         } else {
           return absl::InvalidArgumentError(
               absl::StrCat("\"", text, "\" is not a boolean (use true or false)"));
         }
         return absl::OkStatus();
       }});
}

void FlagSet::AddChoice(std::string name, std::string env, std::string help,
                        std::vector<std::string> choices, std::string* out) {
  std::string described = absl::StrCat(help, " One of: ", absl::StrJoin(choices, ", "), ".");
  Add({std::move(name), std::move(env), std::move(described), *out, false,
       [out, choices = std::move(choices)](absl::string_view text) {
         for (const std::string& choice : choices) {
           if (choice == text) {
             *out = choice;
             return absl::OkStatus();
           }
         }
         return absl::InvalidArgumentError(absl::StrCat(
             "\"", text, "\" is not one of ", absl::StrJoin(choices, ", ")));
       }});
}

absl::Status FlagSet::Parse(const std::vector<std::string>& args, const EnvLookup& env,
                            bool allow_positional) {
  std::set<std::string> seen;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") {
      help_requested_ = true;
      continue;
    }
    if (arg == "--") {
      for (++i; i < args.size(); ++i) positional_.push_back(args[i]);
      break;
    }
    if (arg.size() < 3 || arg.rfind("--", 0) != 0) {
      if (!allow_positional) {
        return absl::InvalidArgumentError(absl::StrCat(
            "unexpected argument \"", arg, "\" (flags are written --name=value; see --help)"));
      }
      positional_.push_back(arg);
      continue;
    }
    absl::string_view body = absl::string_view(arg).substr(2);
    std::optional<std::string> value;
    if (size_t eq = body.find('='); eq != absl::string_view::npos) {
      value = std::string(body.substr(eq + 1));
      body = body.substr(0, eq);
    }
    Flag* flag = Find(body);
    if (flag == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag --", body, " (see ", program_, " --help)"));
    }
    if (!value.has_value()) {
      if (flag->is_bool) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return absl::InvalidArgumentError(absl::StrCat("--", flag->name, ": missing value"));
      }
    }
    if (absl::Status status = flag->set(*value); !status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--", flag->name, ": ", status.message()));
    }
    seen.insert(flag->name);
  }
  // Help is shown whatever the environment holds (a bad value there is what one may be
  // asking help about).
  if (help_requested_) return absl::OkStatus();
  for (Flag& flag : flags_) {
    if (seen.contains(flag.name) || flag.env.empty()) continue;
    std::optional<std::string> value = env(flag.env);
    if (!value.has_value()) continue;
    if (absl::Status status = flag.set(*value); !status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(flag.env, " (environment, for --", flag.name,
                                                     "): ", status.message()));
    }
  }
  return absl::OkStatus();
}

std::string FlagSet::Usage() const {
  std::string text = absl::StrCat("Usage: ", program_, " [flags]\n\n", summary_, "\n\nFlags:\n");
  for (const Flag& flag : flags_) {
    absl::StrAppend(&text, "  --", flag.name, flag.is_bool ? "" : "=VALUE", "\n      ",
                    flag.help, "\n      default: ",
                    flag.default_text.empty() ? "(empty)" : flag.default_text);
    if (!flag.env.empty()) absl::StrAppend(&text, "; environment: ", flag.env);
    absl::StrAppend(&text, "\n");
  }
  absl::StrAppend(&text, "  -h, --help\n      Show this help and exit.\n");
  return text;
}

}  // namespace tiendo::config
