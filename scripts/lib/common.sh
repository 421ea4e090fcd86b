# shellcheck shell=bash
# Shared by scripts/run and scripts/test: paths, logging, timed stages and
# idempotent installs. Source it; do not run it.

SOUNDSTREAM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export SOUNDSTREAM_ROOT
# Build outputs live outside the clone so a fresh clone reuses a warm cache.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/soundstream/target}"
# CI builds each commit once: incremental caches would only pile up in the
# kept target dir (they had reached 19 GB).
if [ "${CI:-}" = "true" ]; then export CARGO_INCREMENTAL=0; fi
export SOUNDSTREAM_TOOLS_DIR="${SOUNDSTREAM_TOOLS_DIR:-$HOME/.cache/soundstream/tools}"
export PATH="$HOME/.cargo/bin:$PATH"

# The cargo features the suite builds with (scripts/test, scripts/test-scale):
# the same in every stage, so none rebuilds what another built. The offline
# face provider (dlib) is part of what the suite proves.
# shellcheck disable=SC2034 # used by the scripts that source this file
SUITE_FEATURES=(--features soundstream-api/face-local,soundstream-face/local)

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
warn() { printf '\033[33mwarning:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

STAGE_SUMMARY=()

# stage NAME COMMAND...: runs a command, timing it; stops the script on
# failure. The command runs in a subshell started outside any `if`/`||`, so
# `set -e` stays in force inside shell functions (bash ignores it in
# conditional contexts); variables it sets do not reach the caller.
stage() {
  local name="$1"; shift
  local started=$SECONDS status=0
  say "$name"
  ( set -euo pipefail; "$@" ) &
  wait $! || status=$?
  if [ "$status" -eq 0 ]; then
    STAGE_SUMMARY+=("$(printf '%-34s %5ds  ok' "$name" $((SECONDS - started)))")
  else
    STAGE_SUMMARY+=("$(printf '%-34s %5ds  FAILED' "$name" $((SECONDS - started)))")
    print_stage_summary
    die "stage '$name' failed (exit $status)"
  fi
}

print_stage_summary() {
  printf '\n%-34s %6s\n' "stage" "time"
  printf '%s\n' "${STAGE_SUMMARY[@]}"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
# ensure_apt_packages PACKAGE...: installs the ones that are missing.
ensure_apt_packages() {
  local missing=()
  local package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [ "$APT_UPDATED" -eq 0 ]; then
    as_root apt-get update -qq || as_root apt-get update -qq
    APT_UPDATED=1
  fi
  # A cache-cleaning hook can race the first attempt; a second one succeeds.
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# rustfmt and clippy for the pinned toolchain (rustup reads rust-toolchain.toml).
ensure_rust_components() {
  local installed
  installed="$(cd "$SOUNDSTREAM_ROOT" && rustup component list --installed)"
  local component
  for component in rustfmt clippy; do
    grep -q "^$component" <<<"$installed" \
      || (cd "$SOUNDSTREAM_ROOT" && rustup component add "$component")
  done
}

# A TCP port nothing listens on right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_for_http URL SECONDS: polls until the URL answers 2xx.
wait_for_http() {
  local url="$1" deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}
