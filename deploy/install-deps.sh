#!/usr/bin/env bash
# Installs the Debian 12 packages tiendo builds and runs with. Idempotent: it
# asks apt only for what is missing, so a second run costs a dpkg query.
# Everything that needs dependencies calls this script (deploy/local/up.sh,
# tests/run.sh).
#
#   install-deps.sh [--operator-tools]
#
# --operator-tools also installs grpcurl (not packaged by Debian 12), built
# from the Go module proxy into /usr/local/bin with the Go at hand, or with
# Debian's (golang-go) when there is none; deploy/local/up.sh asks for it so
# the commands the README shows work.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

source "$(dirname "${BASH_SOURCE[0]}")/script_usage.sh"
# The newest grpcurl whose go.mod asks for no newer Go than Debian 12's (1.19).
grpcurl_version=v1.9.1
operator_tools=false
case ${1:-} in
  "") ;;
  --operator-tools) operator_tools=true ;;
  -h|--help) print_script_help "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "install-deps: unknown argument '$1' (only --operator-tools)" >&2; exit 2 ;;
esac
(($# <= 1)) || { echo "install-deps: takes at most one argument (--operator-tools), not '$*'" >&2; exit 2; }

install_grpcurl() {
  command -v grpcurl >/dev/null && return 0
  if ! command -v go >/dev/null; then
    if [[ $(id -u) -ne 0 ]]; then
      echo "install-deps: grpcurl not installed: it needs Go (apt-get install golang-go as root); tiendoctl health does the same checks" >&2
      return 0
    fi
    echo "install-deps: installing golang-go, to build grpcurl" >&2
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends golang-go >/dev/null; }; then
      echo "install-deps: golang-go could not be installed, so neither could grpcurl; tiendoctl health does the same checks" >&2
      return 0
    fi
  fi
  echo "install-deps: installing grpcurl $grpcurl_version" >&2
  GOBIN=/usr/local/bin go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@$grpcurl_version" \
    || echo "install-deps: grpcurl could not be installed; tiendoctl health does the same checks" >&2
}

packages=(
  build-essential cmake ninja-build pkg-config ccache git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  librdkafka-dev libabsl-dev libsqlite3-dev libyaml-cpp-dev libssl-dev libgoogle-perftools-dev
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
  if $operator_tools; then install_grpcurl; fi
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or install them with sudo apt-get install)" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}" >&2
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if $operator_tools; then install_grpcurl; fi
