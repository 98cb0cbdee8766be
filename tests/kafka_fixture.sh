#!/usr/bin/env bash
# The ctest fixture that gives the integration tests one real Kafka broker:
#   kafka_fixture.sh start STATE_DIR FREE_PORT_TOOL   (FIXTURES_SETUP)
#   kafka_fixture.sh stop STATE_DIR                   (FIXTURES_CLEANUP)
# The broker's data lives in a fresh temporary directory; STATE_DIR records
# where (datadir) and how to reach it (bootstrap), and is what tests read.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
action=${1:?usage: kafka_fixture.sh start|stop STATE_DIR [FREE_PORT_TOOL]}
state=${2:?usage: kafka_fixture.sh start|stop STATE_DIR [FREE_PORT_TOOL]}

# The broker's log outlives its data, beside STATE_DIR (STATE_DIR.log, replaced by the next
# run): when integration tests fail on Kafka it is the first thing to read.
stop() {
  if [[ -f $state/datadir ]]; then
    datadir=$(cat "$state/datadir")
    "$root/deploy/kafka/stop.sh" --dir "$datadir"
    if [[ -f $datadir/kafka.log ]]; then
      mv "$datadir/kafka.log" "$state.log"
      echo "kafka fixture: the broker's log is kept in $state.log"
    fi
    rm -rf "$datadir"
  fi
  rm -rf "$state"
}

case $action in
  start)
    free_port=${3:?usage: kafka_fixture.sh start STATE_DIR FREE_PORT_TOOL}
    stop  # a broker left by an interrupted run
    mkdir -p "$state"
    datadir=$(mktemp -d "${TMPDIR:-/tmp}/tiendo-test-kafka.XXXXXX")
    echo "$datadir" >"$state/datadir"
    mapfile -t ports < <("$free_port" 2)
    if ! "$root/deploy/kafka/start.sh" --dir "$datadir" --port "${ports[0]}" --controller-port "${ports[1]}"; then
      tail -n 50 "$datadir/kafka.log" >&2 || true
      exit 1
    fi
    echo "127.0.0.1:${ports[0]}" >"$state/bootstrap"
    echo "kafka fixture: broker on 127.0.0.1:${ports[0]}, data in $datadir"
    ;;
  stop)
    stop
    ;;
  *)
    echo "kafka_fixture.sh: unknown action '$action' (start or stop)" >&2
    exit 2
    ;;
esac
