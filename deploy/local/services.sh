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
# The services in start order: name, binary, ports (parallel arrays, so that a checkout path
# with spaces in it stays one word).
service_names=(tiendo-registry tiendo-metrics-ingest tiendo-target-evaluator)
service_binaries=(
  "$build/services/registry/tiendo-registry"
  "$build/services/metrics-ingest/tiendo-metrics-ingest"
  "$build/services/target-evaluator/tiendo-target-evaluator"
)

# running PID: whether the process runs. Not `kill -0` alone: a process killed while no parent
# reaps it (its starter, up.sh, is gone) stays a zombie that kill -0 still finds.
running() {
  local proc_state
  proc_state=$(sed -E 's/.*\) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [[ -n $proc_state && $proc_state != Z ]]
}

# service_pid I: prints the pid in service I's pid file if that process still runs the
# service (a program of its name, from whichever build or checkout path started it): after a
# reboot (or a crash) the pid may belong to another process, which must be neither taken
# for the service nor stopped.
service_pid() {
  local pid argv0
  pid=$(cat "$state/run/${service_names[$1]}.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && running "$pid" || return 1
  argv0=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | head -n 1)
  [[ ${argv0##*/} == "${service_names[$1]}" ]] || return 1
  echo "$pid"
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
