#!/usr/bin/env bash
# Stops what deploy/local/up.sh started: the three services (SIGTERM, so each
# drains and flushes), then Kafka. Leaves no process behind; the data stays
# for the next up.sh unless --purge is given.
#
#   deploy/local/down.sh [--purge]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/deploy/script_usage.sh"

purge=false
case ${1:-} in
  "") ;;
  --purge) purge=true ;;
  -h|--help) print_script_help "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "down: unknown argument '$1' (only --purge)" >&2; exit 2 ;;
esac
(($# <= 1)) || { echo "down: takes at most one argument (--purge), not '$*'" >&2; exit 2; }
source "$root/deploy/local/services.sh"

# Reverse start order: consumers of the pipeline stop before its sources.
for ((i = ${#service_names[@]} - 1; i >= 0; i--)); do
  name=${service_names[$i]}
  pidfile="$state/run/$name.pid"
  if pid=$(service_pid "$i"); then
    stop_pid "$pid" "$name"
    echo "down: stopped $name"
  fi
  rm -f "$pidfile"
done
if [[ -f $state/kafka/kafka.pid ]]; then
  "$root/deploy/kafka/stop.sh" --dir "$state/kafka"
  echo "down: stopped kafka"
fi
if $purge; then
  rm -rf "$state"
  echo "down: removed $state"
fi
