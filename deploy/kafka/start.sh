#!/usr/bin/env bash
# Starts one Apache Kafka broker in KRaft combined mode (broker + controller)
# on loopback, and returns once a metadata request succeeds.
#
#   start.sh --dir DIR --port PORT --controller-port PORT [--heap SIZE] [--timeout SECONDS]
#
# DIR holds the configuration, the data (formatted on first start), the log
# (DIR/kafka.log) and the pid file (DIR/kafka.pid). --heap is the JVM's heap
# (512m); --timeout how long to wait for the broker to answer (120). Starting
# a broker that already runs from DIR is a no-op once it answers, so the
# script is idempotent.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../script_usage.sh"
source "$here/broker_process.sh"
dir="" port="" cport="" heap=512m timeout=120

usage_error() {
  echo "kafka-start: $1 (see start.sh --help)" >&2
  exit 2
}

while (($#)); do
  case $1 in
    --dir) require_value kafka-start "$@"; dir=$2; shift 2 ;;
    --port) require_value kafka-start "$@"; port=$2; shift 2 ;;
    --controller-port) require_value kafka-start "$@"; cport=$2; shift 2 ;;
    --heap) require_value kafka-start "$@"; heap=$2; shift 2 ;;
    --timeout) require_value kafka-start "$@"; timeout=$2; shift 2 ;;
    -h|--help) print_script_help "${BASH_SOURCE[0]}"; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done
[[ -n $dir && -n $port && -n $cport ]] || usage_error "--dir, --port and --controller-port are required"
[[ $timeout =~ ^[0-9]+$ ]] || usage_error "--timeout takes whole seconds, not '$timeout'"
for p in "$port" "$cport"; do
  [[ $p =~ ^[0-9]+$ ]] && ((p > 0 && p < 65536)) || { echo "kafka-start: '$p' is not a TCP port (1-65535)" >&2; exit 2; }
done

command -v java >/dev/null || { echo "kafka-start: java not found; run deploy/install-deps.sh" >&2; exit 1; }
command -v kcat >/dev/null || { echo "kafka-start: kcat not found; run deploy/install-deps.sh" >&2; exit 1; }

mkdir -p "$dir"
dir=$(cd "$dir" && pwd -P)
pidfile="$dir/kafka.pid"
bootstrap="127.0.0.1:$port"
listeners="listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport"

ready() { kcat -L -b "$bootstrap" -m 2 >/dev/null 2>&1; }

if running=$(broker_pid "$dir"); then
  grep -qxF "$listeners" "$dir/server.properties" || {
    echo "kafka-start: the broker of $dir (pid $running) listens elsewhere ($(grep -h '^listeners=' "$dir/server.properties")); stop it first (stop.sh --dir $dir)" >&2
    exit 1
  }
  # Perhaps still starting: wait for it rather than start a second one on its ports.
  deadline=$((SECONDS + timeout))
  until ready; do
    broker_pid "$dir" >/dev/null || break  # it exited: start it again below
    if ((SECONDS >= deadline)); then
      echo "kafka-start: broker $running runs from $dir but does not answer on $bootstrap after ${timeout}s; see $dir/kafka.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  if broker_pid "$dir" >/dev/null; then
    echo "kafka-start: already running (pid $running) on $bootstrap" >&2
    exit 0
  fi
fi
for p in "$port" "$cport"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "kafka-start: something other than the broker of $dir listens on 127.0.0.1:$p; choose other ports" >&2
    exit 1
  fi
done

libs=$("$here/fetch.sh")

cat >"$dir/server.properties" <<PROPS
# Written by deploy/kafka/start.sh: a single-node KRaft cluster on loopback.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
$listeners
advertised.listeners=PLAINTEXT://127.0.0.1:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.segment.bytes=16777216
log.cleaner.dedupe.buffer.size=8388608
PROPS

cat >"$dir/log4j2.properties" <<PROPS
status = warn
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.console.ref = console
logger.kafka.name = kafka
logger.kafka.level = WARN
logger.apache.name = org.apache.kafka
logger.apache.level = WARN
PROPS

# ZGC: its pauses stay under a millisecond. Under G1 a young collection after a large fetch or
# backfill stopped the broker for 60-190 ms, and every produce waiting on it answered that
# late (evaluator_bench's submission-to-watch p99). A fixed heap spares ZGC resizing it.
# The JIT stops at C1: this broker lives for a test run or a local session, and its C2
# compiler went on compiling for minutes after start-up, taking 20-50% of a CPU from the
# services and tests beside it on a small machine (0.1-0.5 CPU-s in each of evaluator_bench's
# rounds, a minute in). Under C1 the broker's own CPU per record read in evaluator_bench
# stayed as it was.
java_opts=("-Xms$heap" "-Xmx$heap" -XX:+UseZGC -XX:TieredStopAtLevel=1
  -Djava.awt.headless=true "-Dlog4j2.configurationFile=$dir/log4j2.properties")
classpath="$libs/*"

if [[ ! -f $dir/data/meta.properties ]]; then
  java "${java_opts[@]}" -cp "$classpath" kafka.tools.StorageTool format \
    --config "$dir/server.properties" --cluster-id "$(java -cp "$classpath" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)" \
    --ignore-formatted >>"$dir/kafka.log" 2>&1 \
    || { echo "kafka-start: formatting storage failed; see $dir/kafka.log" >&2; exit 1; }
fi

# setsid: the broker outlives this script and is stopped by stop.sh (its own
# process group, so a terminal's Ctrl-C on the caller does not reach it).
setsid java "${java_opts[@]}" -cp "$classpath" kafka.Kafka "$dir/server.properties" \
  >>"$dir/kafka.log" 2>&1 </dev/null &
echo $! >"$pidfile"

deadline=$((SECONDS + timeout))
until ready; do
  if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "kafka-start: broker exited during start-up; last lines of $dir/kafka.log:" >&2
    tail -n 20 "$dir/kafka.log" >&2
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    echo "kafka-start: broker not answering metadata requests on $bootstrap after ${timeout}s; see $dir/kafka.log" >&2
    "$here/stop.sh" --dir "$dir" >&2 || true
    exit 1
  fi
  sleep 0.5
done
echo "kafka-start: broker ready on $bootstrap (pid $(cat "$pidfile"), log $dir/kafka.log)" >&2
