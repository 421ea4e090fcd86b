# shellcheck shell=bash
# A throwaway PostgreSQL server for the test suite: installed with apt when
# missing, initialised in a temporary directory, stopped on exit.

ensure_postgres_installed() {
  if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    ensure_apt_packages postgresql
  fi
}

# Starts the server and exports SOUNDSTREAM_TEST_POSTGRES_URL.
start_throwaway_postgres() {
  local bin port dir
  bin="$(dirname "$(compgen -G "/usr/lib/postgresql/*/bin/initdb" | sort -V | tail -1)")"
  port="$(free_port)"
  dir="$(mktemp -d /tmp/soundstream-pg.XXXXXX)"
  PG_RUN_AS=()
  if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root.
    chown postgres: "$dir"
    PG_RUN_AS=(runuser -u postgres --)
  fi
  "${PG_RUN_AS[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log"; return 1; }
  "${PG_RUN_AS[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" \
    start >/dev/null || { cat "$dir/server.log"; return 1; }
  PG_DIR="$dir"
  PG_BIN="$bin"
  export SOUNDSTREAM_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') running on port $port"
}

stop_throwaway_postgres() {
  if [ -n "${PG_DIR:-}" ]; then
    "${PG_RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    PG_DIR=""
  fi
}
