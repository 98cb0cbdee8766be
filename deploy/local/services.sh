# Shared by deploy/local/up.sh and down.sh: where the local suite lives and
# how its processes are stopped. Sourced, not run.

preset=${TIENDO_PRESET:-release}
state=${TIENDO_LOCAL_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/tiendo/local}
build="$root/build/$preset"
tiendoctl="$build/tools/tiendoctl/tiendoctl"
kafka_port=9092
kafka_controller_port=9093
grpc_ports=(7101 7102 7103)
admin_ports=(9101 9102 9103)
# name binary grpc-port admin-port, in start order.
services=(
  "tiendo-registry $build/services/registry/tiendo-registry ${grpc_ports[0]} ${admin_ports[0]}"
  "tiendo-metrics-ingest $build/services/metrics-ingest/tiendo-metrics-ingest ${grpc_ports[1]} ${admin_ports[1]}"
  "tiendo-target-evaluator $build/services/target-evaluator/tiendo-target-evaluator ${grpc_ports[2]} ${admin_ports[2]}"
)

# running PID: whether the process runs. Not `kill -0` alone: a process killed while no parent
# reaps it (its starter, up.sh, is gone) stays a zombie that kill -0 still finds.
running() {
  local proc_state
  proc_state=$(sed -E 's/.*\) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [[ -n $proc_state && $proc_state != Z ]]
}

# stop_pid PID NAME: SIGTERM, then SIGKILL if it is still running after 30 s
# (the services' own shutdown deadline is 20 s).
stop_pid() {
  local pid=$1 name=$2
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 300); do
    running "$pid" || return 0
    sleep 0.1
  done
  echo "$name ($pid) did not stop within 30s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
}
