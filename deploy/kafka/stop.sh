#!/usr/bin/env bash
# Stops the broker that deploy/kafka/start.sh started in DIR: SIGTERM for a
# controlled shutdown, SIGKILL after the timeout. Safe to run when nothing runs.
#
#   stop.sh --dir DIR [--timeout SECONDS]   (SECONDS before SIGKILL: 30)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../script_usage.sh"
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

pidfile="$dir/kafka.pid"
[[ -f $pidfile ]] || exit 0
pid=$(cat "$pidfile")
if kill -0 "$pid" 2>/dev/null; then
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + timeout))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "kafka-stop: broker $pid did not stop within ${timeout}s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
fi
rm -f "$pidfile"
