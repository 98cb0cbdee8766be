#!/usr/bin/env bash
# Sets up whatever is missing (Debian packages, the Kafka jars), builds, and
# runs every test with ctest: unit tests, and integration tests against a
# real Kafka broker that the run starts on free ports and always stops.
#
#   tests/run.sh [CTEST_ARGS...]       e.g. tests/run.sh -L unit
#   TIENDO_TEST_PRESET=asan tests/run.sh   (default: debug; asan and tsan run the unit tests)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${TIENDO_TEST_PRESET:-debug}

"$root/deploy/install-deps.sh"
"$root/deploy/kafka/fetch.sh" >/dev/null

cd "$root"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"

# ctest's fixture stops the broker it started; this also covers a run that
# is interrupted before the fixture's cleanup gets its turn.
trap '"$root/tests/kafka_fixture.sh" stop "$root/build/$preset/tests/kafka-fixture" || true' EXIT
ctest --preset "$preset" -j "$(nproc)" "$@"
