# Sourced by start.sh and stop.sh: which process is a directory's broker.

# Prints the pid of the broker started from directory $1 (absolute, as `pwd -P` gives it)
# if it still runs: its pid file names a live process whose command line holds that
# directory's configuration, not another process that took the same pid after a reboot.
broker_pid() {
  local pid
  pid=$(cat "$1/kafka.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && grep -qsF "$1/server.properties" "/proc/$pid/cmdline" || return 1
  echo "$pid"
}
