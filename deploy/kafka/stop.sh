#!/usr/bin/env bash
# Stops the broker that deploy/kafka/start.sh started in DIR: SIGTERM for a
# controlled shutdown, SIGKILL after the timeout. Safe to run when nothing runs.
#
#   stop.sh --dir DIR [--timeout SECONDS]   (SECONDS before SIGKILL: 30)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../script_usage.sh"
source "$here/broker_process.sh"
dir="" timeout=30
while (($#)); do
  case $1 in
    --dir) require_value kafka-stop "$@"; dir=$2; shift 2 ;;
    --timeout) require_value kafka-stop "$@"; timeout=$2; shift 2 ;;
    -h|--help) print_script_help "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "kafka-stop: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ -n $dir ]] || { echo "kafka-stop: --dir is required" >&2; exit 2; }
[[ $timeout =~ ^[0-9]+$ ]] || { echo "kafka-stop: --timeout takes whole seconds, not '$timeout'" >&2; exit 2; }

dir=$(cd "$dir" 2>/dev/null && pwd -P) || exit 0  # no directory: nothing runs from it
pidfile="$dir/kafka.pid"
[[ -f $pidfile ]] || exit 0
# A pid file whose process is gone, or is another program now, only goes.
if pid=$(broker_pid "$dir"); then
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + timeout))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "kafka-stop: broker $pid did not stop within ${timeout}s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
fi
rm -f "$pidfile"
