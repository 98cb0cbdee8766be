#!/usr/bin/env bash
# Sets up whatever is missing (Debian packages, the Kafka jars), builds, and
# runs every test with ctest: unit and integration tests on the debug build
# (integration tests against a real Kafka broker that the run starts on free
# ports and always stops), then the unit tests again under AddressSanitizer
# and UndefinedBehaviorSanitizer (the asan preset).
#
#   tests/run.sh [CTEST_ARGS...]            e.g. tests/run.sh -L unit
#   TIENDO_TEST_PRESET=tsan tests/run.sh    one preset only (debug, release, asan, tsan;
#                                           asan and tsan run the unit tests)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/deploy/script_usage.sh"
case ${1:-} in
  -h|--help) print_script_help "${BASH_SOURCE[0]}"; exit 0 ;;
esac
presets=(${TIENDO_TEST_PRESET:-debug asan})

"$root/deploy/install-deps.sh"
"$root/deploy/kafka/fetch.sh" >/dev/null

# The tests make their temporary directories (the data of brokers they start themselves,
# services' files and logs) under $TMPDIR: here one directory of this run's, removed when the
# run passes and kept, and named, when it fails.
run_tmp=$(mktemp -d "${TMPDIR:-/tmp}/tiendo-tests.XXXXXX")
export TMPDIR="$run_tmp"
preset=""
finish() {
  local status=$?
  # ctest's fixture stops the broker it started; this also covers a run that
  # is interrupted before the fixture's cleanup gets its turn.
  if [[ -n $preset ]]; then
    "$root/tests/kafka_fixture.sh" stop "$root/build/$preset/tests/kafka-fixture" || true
  fi
  # Brokers tests start themselves (their data under $TMPDIR) run in sessions of their own:
  # an interrupted test leaves them to this.
  local pidfile
  while IFS= read -r pidfile; do
    "$root/deploy/kafka/stop.sh" --dir "$(dirname "$pidfile")" || true
  done < <(find "$run_tmp" -name kafka.pid 2>/dev/null)
  if [[ $status -eq 0 ]]; then
    rm -rf "$run_tmp"
  else
    echo "tests/run.sh: failed (exit $status); the tests' files are kept in $run_tmp" >&2
    local fixture_log="$root/build/${preset:-debug}/tests/kafka-fixture.log"
    if [[ -f $fixture_log ]]; then
      echo "tests/run.sh: the shared broker's log is $fixture_log" >&2
    fi
  fi
}
trap finish EXIT

# Each step (a build, a ctest run) runs in a session of its own, waited for, so that an
# interrupt or a CI job's cancel (SIGINT, SIGTERM to this script) stops it and everything it
# started (the test programs, and through them their services) before the cleanup above:
# the signal goes to the step's whole process group.
step=""
run_step() {
  setsid "$@" &
  step=$!
  local status=0
  wait "$step" || status=$?
  step=""
  return "$status"
}
interrupted() {
  if [[ -n $step ]]; then
    kill -TERM -- "-$step" 2>/dev/null || true
    wait "$step" 2>/dev/null || true
  fi
  exit "$1"
}
trap 'interrupted 129' HUP
trap 'interrupted 130' INT
trap 'interrupted 131' QUIT
trap 'interrupted 143' TERM

cd "$root"
for preset in "${presets[@]}"; do
  echo "== tests/run.sh: preset $preset"
  run_step cmake --preset "$preset" >/dev/null
  run_step cmake --build --preset "$preset"
  run_step ctest --preset "$preset" -j "$(nproc)" "$@"
done
