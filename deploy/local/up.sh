#!/usr/bin/env bash
# Runs the whole suite on this machine: installs what is missing, builds,
# starts Kafka on localhost:9092 and the three services on their default
# ports, waits until every one is SERVING, applies the seed plan
# (plans/brvt-63-kh-ubnd.yaml), imports the synthetic enterprises and public
# services (data/synthetic/), issues a token to each reporting unit of the
# synthetic submissions ($state/tokens/<unit>.token), waits until metrics-ingest
# takes each token, streams those submissions through metrics-ingest, prints
# the seed plan's progress once the evaluator has applied them, and where each
# service listens.
# Safe to run again: what runs is left running, a service whose binary was
# rebuilt since it started is restarted, the plan and the imports report
# every entity unchanged, existing tokens are kept and the submissions come
# back DUPLICATE. deploy/local/down.sh stops it all.
#
#   deploy/local/up.sh
#   TIENDO_LOCAL_DIR   state: Kafka data, the registry's database, logs, pid files
#                      (default: ${XDG_STATE_HOME:-~/.local/state}/tiendo/local)
#   TIENDO_PRESET      build preset (default: release)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/deploy/script_usage.sh"
case ${1:-} in
  "") ;;
  -h|--help) print_script_help "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "up: takes no arguments, not '$*' (see up.sh --help)" >&2; exit 2 ;;
esac
source "$root/deploy/local/services.sh"

"$root/deploy/install-deps.sh" --operator-tools
"$root/deploy/kafka/fetch.sh" >/dev/null

echo "up: building ($preset)"
(cd "$root" && cmake --preset "$preset" >/dev/null && cmake --build --preset "$preset" >/dev/null) || {
  echo "up: the build failed; run 'cmake --build --preset $preset' to see why" >&2
  exit 1
}

mkdir -p "$state/logs" "$state/run" "$state/data"
"$root/deploy/kafka/start.sh" --dir "$state/kafka" --port "$kafka_port" --controller-port "$kafka_controller_port"

for i in "${!service_names[@]}"; do
  name=${service_names[$i]} binary=${service_binaries[$i]}
  grpc_port=${grpc_ports[$i]} admin_port=${admin_ports[$i]}
  pidfile="$state/run/$name.pid"
  if pid=$(service_pid "$i"); then
    if [[ $binary -nt $pidfile ]]; then
      echo "up: $name was rebuilt; restarting it"
      stop_pid "$pid" "$name"
    else
      continue
    fi
  fi
  flags=()
  [[ $name == tiendo-registry ]] && flags+=(--database="$state/data/registry.db")
  # A stable instance id: an evaluator restarted after a crash takes its partitions back at
  # once rather than after its consumer group's session timeout (stopped with SIGTERM, it
  # leaves the group anyway).
  [[ $name == tiendo-target-evaluator ]] &&
    flags+=(--state-dir="$state/data/target-evaluator" --instance-id=local-evaluator)
  setsid "$binary" --listen-host=127.0.0.1 --grpc-port="$grpc_port" --admin-port="$admin_port" \
    --kafka-bootstrap-servers="localhost:$kafka_port" "${flags[@]}" \
    >>"$state/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
done

if ! "$tiendoctl" health --wait=90s \
    --registry="localhost:${grpc_ports[0]}" --ingest="localhost:${grpc_ports[1]}" \
    --evaluator="localhost:${grpc_ports[2]}"; then
  echo "up: not every service turned SERVING; logs are in $state/logs" >&2
  exit 1
fi

# The seed plan and the synthetic registry data. Each step's full report goes
# to its log; its summary line is shown (all of it, if the step fails).
registry_step() {
  local log=$1
  shift
  if "$tiendoctl" "$@" --registry="localhost:${grpc_ports[0]}" --actor=deploy/local/up.sh \
      >"$state/logs/$log" 2>&1; then
    echo "up: $(tail -n 1 "$state/logs/$log")"
  else
    cat "$state/logs/$log" >&2
    echo "up: 'tiendoctl $*' failed (report above, also in $state/logs/$log)" >&2
    exit 1
  fi
}
registry_step plan-apply.log plan apply "$root/plans/brvt-63-kh-ubnd.yaml"
registry_step enterprises-import.log enterprises import "$root/data/synthetic/enterprises.csv"
registry_step services-import.log services import "$root/data/synthetic/public_services.csv"

# A token per reporting unit of the synthetic submissions, written straight to
# a file (never shown); kept across runs. The registry refuses a token to a
# suspended unit: the rows of such a unit are reported "not sent" below.
submissions=$root/data/synthetic/submissions.csv
mkdir -p "$state/tokens"
chmod 700 "$state/tokens"
: >"$state/logs/tokens.log"
untokened=()
for unit in $(grep -v '^#' "$submissions" | tail -n +2 | cut -d, -f2 | sort -u); do
  [[ -f $state/tokens/$unit.token ]] && continue
  if ! "$tiendoctl" units issue-token "$unit" --description="deploy/local/up.sh submissions" \
      --token-file="$state/tokens/$unit.token" --registry="localhost:${grpc_ports[0]}" \
      --actor=deploy/local/up.sh >>"$state/logs/tokens.log" 2>&1; then
    untokened+=("$unit")
  fi
done
if ((${#untokened[@]})); then
  echo "up: no token for ${untokened[*]} (see $state/logs/tokens.log); their rows are not sent"
fi
# Metrics-ingest learns a token from tiendo.registry.v1 a moment after the registry issued it:
# wait until it takes each one, so that no row is refused for being early.
for token_file in "$state"/tokens/*.token; do
  [[ -e $token_file ]] || continue
  if ! "$tiendoctl" whoami --token-file="$token_file" --wait=60s       --ingest="localhost:${grpc_ports[1]}" >>"$state/logs/tokens.log" 2>&1; then
    echo "up: metrics-ingest does not take the token in $token_file (see $state/logs/tokens.log); its unit's rows will be refused"
  fi
done

# The synthetic submissions over gRPC. Rejected rows are expected (the file has
# deliberately invalid ones): only a failed call fails up.sh, and then the
# report ends with the error instead of the summary line.
"$tiendoctl" submit --file="$submissions" --token-dir="$state/tokens" \
  --ingest="localhost:${grpc_ports[1]}" >"$state/logs/submissions.log" 2>&1 || true
if summary=$(tail -n 1 "$state/logs/submissions.log") && [[ $summary =~ ^[0-9]+\ items: ]]; then
  echo "up: submissions: $summary (report: $state/logs/submissions.log)"
else
  cat "$state/logs/submissions.log" >&2
  echo "up: 'tiendoctl submit --file $submissions' failed (report above, also in $state/logs/submissions.log)" >&2
  exit 1
fi

# The evaluator has every partition of tiendo.submissions.v1 live once it has read them up
# to where they stood when it took them; what it publishes after that is the progress of
# every submission sent above. Its admin endpoint says so (read with bash alone).
evaluator_metric() {
  local name=$1 line
  exec 3<>"/dev/tcp/127.0.0.1/${admin_ports[2]}" || return 1
  printf 'GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
  while IFS= read -r line <&3; do
    [[ $line == "$name "* ]] && { echo "${line#"$name "}"; break; }
  done
  exec 3<&-
}
settled=false
for _ in $(seq 120); do
  if [[ $(evaluator_metric tiendo_evaluator_partitions_catching_up) == 0 &&
        $(evaluator_metric tiendo_evaluator_partitions_live) != 0 ]]; then
    settled=true
    break
  fi
  sleep 0.5
done
$settled || echo "up: the evaluator has not taken every partition live after 60 s; the table may be behind (see $state/logs/tiendo-target-evaluator.log)"
sleep 1  # the last batch's events on their way through tiendo.progress.v1
echo
echo "Progress of plan brvt-63-kh-ubnd:"
"$tiendoctl" progress --plan brvt-63-kh-ubnd --evaluator="localhost:${grpc_ports[2]}" || \
  echo "up: 'tiendoctl progress' failed (see above)"

cat <<TEXT

tiendo is up.
  kafka                     localhost:$kafka_port
  tiendo-registry           gRPC localhost:${grpc_ports[0]}   admin http://localhost:${admin_ports[0]}/metrics
  tiendo-metrics-ingest     gRPC localhost:${grpc_ports[1]}   admin http://localhost:${admin_ports[1]}/metrics
  tiendo-target-evaluator   gRPC localhost:${grpc_ports[2]}   admin http://localhost:${admin_ports[2]}/metrics
  tiendoctl                 $tiendoctl
  registry database         $state/data/registry.db
  reporting unit tokens     $state/tokens
  logs                      $state/logs
Try: $tiendoctl enterprises list --district 747
     $tiendoctl watch --plan brvt-63-kh-ubnd --evaluator=localhost:${grpc_ports[2]}
     $tiendoctl completeness --plan brvt-63-kh-ubnd --unit dept-st --evaluator=localhost:${grpc_ports[2]}
Stop everything with deploy/local/down.sh.
TEXT
