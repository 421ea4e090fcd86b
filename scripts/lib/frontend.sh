# shellcheck shell=bash
# Frontend tooling for SoundStream: installs what building and browser-testing
# the web player needs, only when it is missing or at the wrong version, and
# builds the player into dist/. Sourced by scripts/run and scripts/test;
# safe under `set -euo pipefail`.
#
# Pins (see shared TOOLCHAIN notes): Trunk 0.21.14 (0.22 needs a newer rustc),
# wasm-bindgen-cli at the exact wasm-bindgen version in Cargo.lock, and
# wasm-opt from the npm package binaryen@132 (Debian's binaryen 108 emits a
# wasm that fails at run time). Trunk.toml builds offline and accepts a tool
# on PATH only when `<tool> --version` matches its pin.

FRONTEND_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FRONTEND_CACHE_DIR="${SOUNDSTREAM_CACHE_DIR:-$HOME/.cache/soundstream}"
# Tools built by `cargo install` get their own target dir so they never
# clobber (or wait on the lock of) the app's.
FRONTEND_INSTALL_TARGET_DIR="$FRONTEND_CACHE_DIR/install-target"
FRONTEND_TOOLS_DIR="$FRONTEND_CACHE_DIR/tools"
FRONTEND_TRUNK_VERSION="0.21.14"
FRONTEND_BINARYEN_VERSION="132"
FRONTEND_CHROMIUM="/usr/bin/chromium"

frontend_log() {
  printf 'frontend: %s\n' "$*"
}

frontend_die() {
  printf 'frontend: error: %s\n' "$*" >&2
  return 1
}

# `cargo install` puts binaries in $CARGO_HOME/bin; make sure we find them.
frontend_path_cargo_bin() {
  local bin="${CARGO_HOME:-$HOME/.cargo}/bin"
  case ":$PATH:" in
    *":$bin:"*) ;;
    *) export PATH="$bin:$PATH" ;;
  esac
}

# The wasm-bindgen version the app links against; the CLI must match it exactly.
frontend_wasm_bindgen_version() {
  local version
  version="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/^version = "|"$/, ""); print; exit }' \
    "$FRONTEND_REPO_ROOT/Cargo.lock")"
  [[ -n "$version" ]] || frontend_die "no wasm-bindgen package in $FRONTEND_REPO_ROOT/Cargo.lock"
  printf '%s\n' "$version"
}

frontend_as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  else
    sudo "$@"
  fi
}

ensure_wasm_target() {
  frontend_path_cargo_bin
  local installed
  # Run inside the repo so rustup answers for the toolchain rust-toolchain.toml pins.
  installed="$(cd "$FRONTEND_REPO_ROOT" && rustup target list --installed)"
  if grep -qx 'wasm32-unknown-unknown' <<<"$installed"; then
    frontend_log "wasm32-unknown-unknown target present"
    return 0
  fi
  frontend_log "adding the wasm32-unknown-unknown target"
  (cd "$FRONTEND_REPO_ROOT" && rustup target add wasm32-unknown-unknown)
}

ensure_trunk() {
  frontend_path_cargo_bin
  local found
  found="$(trunk --version 2>/dev/null || true)"
  if [[ "$found" == "trunk $FRONTEND_TRUNK_VERSION" ]]; then
    frontend_log "trunk $FRONTEND_TRUNK_VERSION present"
    return 0
  fi
  frontend_log "installing trunk $FRONTEND_TRUNK_VERSION (found: ${found:-none}; about 10 min cold)"
  CARGO_TARGET_DIR="$FRONTEND_INSTALL_TARGET_DIR" \
    cargo install "trunk@$FRONTEND_TRUNK_VERSION" --locked --quiet
}

ensure_wasm_bindgen() {
  frontend_path_cargo_bin
  local want found
  want="$(frontend_wasm_bindgen_version)"
  found="$(wasm-bindgen --version 2>/dev/null || true)"
  if [[ "$found" == "wasm-bindgen $want" ]]; then
    frontend_log "wasm-bindgen-cli $want present"
    return 0
  fi
  # No --locked: the CLI's lock file pins a webpki-roots release that is no
  # longer on crates.io.
  frontend_log "installing wasm-bindgen-cli $want (found: ${found:-none}; about 3 min cold)"
  CARGO_TARGET_DIR="$FRONTEND_INSTALL_TARGET_DIR" \
    cargo install "wasm-bindgen-cli@$want" --quiet
}

# Prints the version number `wasm-opt --version` reports, the way Trunk reads
# it (third word of "wasm-opt version 132 (version_132)").
frontend_wasm_opt_version() {
  "$1" --version 2>/dev/null | awk '{ print $3; exit }'
}

ensure_wasm_opt() {
  local bin="$FRONTEND_TOOLS_DIR/node_modules/.bin"
  if [[ "$(frontend_wasm_opt_version "$bin/wasm-opt")" != "$FRONTEND_BINARYEN_VERSION" ]]; then
    frontend_log "installing wasm-opt $FRONTEND_BINARYEN_VERSION (npm binaryen) into $FRONTEND_TOOLS_DIR"
    mkdir -p "$FRONTEND_TOOLS_DIR"
    npm install --prefix "$FRONTEND_TOOLS_DIR" --no-audit --no-fund --loglevel=error \
      "binaryen@$FRONTEND_BINARYEN_VERSION"
  else
    frontend_log "wasm-opt $FRONTEND_BINARYEN_VERSION present"
  fi
  # Ahead of anything else on PATH: Trunk takes the first `wasm-opt` it finds.
  case ":$PATH:" in
    *":$bin:"*) ;;
    *) export PATH="$bin:$PATH" ;;
  esac
  local first
  first="$(command -v wasm-opt || true)"
  [[ -n "$first" && "$(frontend_wasm_opt_version "$first")" == "$FRONTEND_BINARYEN_VERSION" ]] ||
    frontend_die "wasm-opt on PATH ($first) is not version $FRONTEND_BINARYEN_VERSION"
}

# Python's brotli module, for the precompressed files of the build, in the
# python3 on PATH: PyPI's wheel for an interpreter pip may install into (a
# pyenv one, where Debian's package is not seen), else Debian's package for
# Debian's python3 (which refuses pip installs).
ensure_python_brotli() {
  if python3 -c 'import brotli' 2>/dev/null; then
    frontend_log "python3-brotli present"
    return 0
  fi
  frontend_log "installing brotli for $(command -v python3)"
  if ! python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore 'brotli==1.1.0'; then
    frontend_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    frontend_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-brotli ||
      frontend_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-brotli
  fi
  python3 -c 'import brotli' || frontend_die "$(command -v python3) cannot import brotli"
}

ensure_frontend_tools() {
  ensure_python_brotli
  ensure_wasm_target
  ensure_trunk
  ensure_wasm_bindgen
  ensure_wasm_opt
}

# Builds the release player into dist/ and sets FRONTEND_DIST_DIR: two
# bundles from the soundstream-web crate, the listener's (index.html) and the
# admin one (admin.html: the player plus the admin pages). The admin bundle's
# files are copied beside the listener's and named on index.html's boot tag
# (data-soundstream-admin-js/-wasm), where boot.js picks it for /admin paths;
# a listener's first load never fetches it.
build_frontend() {
  ensure_frontend_tools
  local target_dir="${CARGO_TARGET_DIR:-$FRONTEND_CACHE_DIR/target}"
  # Trunk.toml builds offline (cargo --offline), so crates are fetched first.
  frontend_log "fetching crates"
  (cd "$FRONTEND_REPO_ROOT" && cargo fetch --quiet)
  frontend_log "building the web player (trunk build --release, admin bundle then listener's)"
  local started=$SECONDS admin_dist="$target_dir/trunk-admin"
  # TRUNK_SKIP_VERSION_CHECK: Trunk would otherwise ask crates.io for a newer release.
  # Each build empties its dist dir, so the admin one goes to its own first.
  (cd "$FRONTEND_REPO_ROOT" &&
    CARGO_TARGET_DIR="$target_dir" TRUNK_SKIP_VERSION_CHECK=true \
      trunk build --release --dist "$admin_dist" frontend/admin.html &&
    CARGO_TARGET_DIR="$target_dir" TRUNK_SKIP_VERSION_CHECK=true trunk build --release)
  FRONTEND_DIST_DIR="$FRONTEND_REPO_ROOT/dist"
  export FRONTEND_DIST_DIR
  frontend_add_admin_bundle "$admin_dist/index.html" "$FRONTEND_DIST_DIR"
  frontend_precompress "$FRONTEND_DIST_DIR" || frontend_die "could not precompress $FRONTEND_DIST_DIR"
  local wasm
  wasm="$(find "$FRONTEND_DIST_DIR" -maxdepth 1 -name 'soundstream-web-*.wasm' -print -quit)"
  [[ -n "$wasm" ]] || frontend_die "trunk produced no .wasm in $FRONTEND_DIST_DIR"
  frontend_log "built $FRONTEND_DIST_DIR in $((SECONDS - started)) s (listener's wasm $(($(wc -c <"$wasm") / 1024)) KiB)"
}

# frontend_add_admin_bundle ADMIN_INDEX DIST: copies the admin bundle that
# ADMIN_INDEX's boot tag names into DIST and names it on DIST/index.html's.
frontend_add_admin_bundle() {
  local admin_index="$1" dist="$2" js wasm
  js="$(sed -n 's/.*data-soundstream-js="\([^"]*\)".*/\1/p' "$admin_index")"
  wasm="$(sed -n 's/.*data-soundstream-wasm="\([^"]*\)".*/\1/p' "$admin_index")"
  [[ -n "$js" && -n "$wasm" ]] || frontend_die "no boot tag with the admin bundle in $admin_index"
  cp "$(dirname "$admin_index")/${js##*/}" "$(dirname "$admin_index")/${wasm##*/}" "$dist/"
  grep -q 'data-soundstream-wasm=' "$dist/index.html" || frontend_die "no boot tag in $dist/index.html"
  sed -i "s|data-soundstream-wasm=\"\([^\"]*\)\"|data-soundstream-wasm=\"\1\" data-soundstream-admin-js=\"$js\" data-soundstream-admin-wasm=\"$wasm\"|" \
    "$dist/index.html"
  # Trunk preloads the listener's bundle from the page's head, so pages
  # that start the whole player (signed out, /admin) would fetch both;
  # boot.js starts the fetch of the one it picks instead.
  sed -i -e 's|<link rel="modulepreload"[^>]*>||g' -e 's|<link rel="preload"[^>]*>||g' "$dist/index.html"
  ! grep -q 'preload' "$dist/index.html" || frontend_die "a preload is left in $dist/index.html"
}

# frontend_precompress DIST: writes <file>.br beside every built text and
# wasm file, at brotli's best quality (the API sends these to browsers that
# accept brotli; on-the-fly compression uses a fast, much weaker level).
# Not config.json: operators edit it after the build.
frontend_precompress() {
  python3 - "$1" <<'PY'
import brotli, pathlib, sys
for path in pathlib.Path(sys.argv[1]).iterdir():
    if path.suffix in (".html", ".js", ".wasm", ".css", ".svg"):
        mode = brotli.MODE_TEXT if path.suffix != ".wasm" else brotli.MODE_GENERIC
        path.with_name(path.name + ".br").write_bytes(brotli.compress(path.read_bytes(), quality=11, mode=mode))
PY
}

# Installs what the Playwright tests in e2e/ need: Debian's Chromium and the
# npm packages (Playwright's own browser download is not reachable here).
ensure_e2e_deps() {
  if [[ -x "$FRONTEND_CHROMIUM" ]]; then
    frontend_log "chromium present"
  else
    frontend_log "installing chromium (apt)"
    frontend_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # A cache-cleaning hook can race the first run ("cannot access archive"): retry once.
    frontend_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium ||
      frontend_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  fi

  local e2e="$FRONTEND_REPO_ROOT/e2e"
  # npm writes node_modules/.package-lock.json on install: older than the
  # committed lock file means the dependencies changed since.
  if [[ -f "$e2e/node_modules/.package-lock.json" &&
    ! "$e2e/package-lock.json" -nt "$e2e/node_modules/.package-lock.json" ]]; then
    frontend_log "e2e npm packages up to date"
  else
    frontend_log "installing e2e npm packages (npm ci)"
    (cd "$e2e" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
}
