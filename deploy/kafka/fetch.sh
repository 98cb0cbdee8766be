#!/usr/bin/env bash
# Resolves Apache Kafka and its runtime dependencies from Maven Central into a
# cache outside the work tree and prints the directory that holds the jars.
# Idempotent: a complete cache is reused without asking Maven.
#
#   fetch.sh
#   TIENDO_CACHE_DIR  cache root (default: $XDG_CACHE_HOME/tiendo or ~/.cache/tiendo)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../script_usage.sh"
case ${1:-} in
  "") ;;
  -h|--help) print_script_help "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "kafka-fetch: takes no arguments, not '$*'" >&2; exit 2 ;;
esac
cache_root=${TIENDO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tiendo}
# The cache key is the pom's content, so changing a version fetches anew.
key=$(sha256sum "$here/pom.xml" | cut -c1-16)
libs="$cache_root/kafka-$key/libs"

if [[ ! -f "$libs/.complete" ]]; then
  command -v mvn >/dev/null || { echo "kafka-fetch: mvn not found; run deploy/install-deps.sh" >&2; exit 1; }
  # One fetch at a time (two brokers starting together on a fresh machine): the second waits,
  # then finds the cache complete.
  mkdir -p "$cache_root"
  exec 9>"$cache_root/kafka-$key.lock"
  flock 9
  if [[ ! -f "$libs/.complete" ]]; then
    echo "kafka-fetch: resolving Kafka from Maven Central into $libs" >&2
    rm -rf "$libs"
    mkdir -p "$libs"
    mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$libs" >&2
    touch "$libs/.complete"
  fi
  exec 9>&-
fi
echo "$libs"
