# Sourced by the project's shell scripts: their --help and their flag values.

# Prints a script's leading comment (the lines after the shebang up to the first that is
# not a comment) as its --help, so that the header is the one place its usage is written.
#   print_script_help "${BASH_SOURCE[0]}"
print_script_help() {
  sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$1"
}

# Exits 2 when the flag in $2 has no value after it; call it with the script's name and
# its remaining arguments before reading the value:
#   --dir) require_value kafka-stop "$@"; dir=$2; shift 2 ;;
require_value() {
  local program=$1
  shift
  (($# >= 2)) || { echo "$program: $1 needs a value" >&2; exit 2; }
}
