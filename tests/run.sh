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
presets=(${TIENDO_TEST_PRESET:-debug asan})

"$root/deploy/install-deps.sh"
"$root/deploy/kafka/fetch.sh" >/dev/null

cd "$root"
for preset in "${presets[@]}"; do
  echo "== tests/run.sh: preset $preset"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  # ctest's fixture stops the broker it started; this also covers a run that
  # is interrupted before the fixture's cleanup gets its turn.
  trap '"$root/tests/kafka_fixture.sh" stop "$root/build/$preset/tests/kafka-fixture" || true' EXIT
  ctest --preset "$preset" -j "$(nproc)" "$@"
done
