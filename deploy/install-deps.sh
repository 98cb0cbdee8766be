#!/usr/bin/env bash
# Installs the Debian 12 packages tiendo builds and runs with. Idempotent: it
# asks apt only for what is missing, so a second run costs a dpkg query.
# Everything that needs dependencies calls this script (deploy/local/up.sh,
# tests/run.sh, container images).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  librdkafka-dev libabsl-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  openjdk-17-jre-headless maven
  kcat curl
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or install them with sudo apt-get install)" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
