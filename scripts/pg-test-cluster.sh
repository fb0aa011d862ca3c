#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, CI and benchmarks: Debian's binaries, a data directory
# under /tmp, 127.0.0.1 only, trust auth (but for the role listen_password_test, which must give
# its password), fsync off, database listen_test.
#
#   scripts/pg-test-cluster.sh start [PORT]   start (or reuse) the cluster; prints its URL
#   scripts/pg-test-cluster.sh url            prints the URL of the running cluster (exit 1 if none)
#   scripts/pg-test-cluster.sh stop           stops the cluster and removes its directory
#
# LISTEN_PG_DIR overrides the directory (default: one per checkout, /tmp/listen-pg-<hash>).
# Trust auth: anyone on this machine can connect to the port. Never use this for real data.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${LISTEN_PG_DIR:-/tmp/listen-pg-$(printf '%s' "$ROOT" | sha1sum | cut -c1-10)}"
DB=listen_test
PASSWORD_ROLE=listen_password_test

die() { echo "pg-test-cluster: $*" >&2; exit 1; }

find_bin() {
  local initdb
  initdb="$(ls -1d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$initdb" ] && dirname "$initdb"
}

ensure_binaries() {
  BIN="$(find_bin || true)"
  if [ -z "$BIN" ]; then
    [ "$(id -u)" = 0 ] || die "no PostgreSQL under /usr/lib/postgresql; install it: sudo apt-get install -y postgresql"
    echo "pg-test-cluster: installing postgresql with apt-get" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    BIN="$(find_bin || true)"
    [ -n "$BIN" ] || die "apt-get installed postgresql but no initdb under /usr/lib/postgresql/*/bin"
  fi
}

# initdb refuses to run as root: as root the cluster belongs to the system user postgres (created
# as listen-ci when Debian's package did not create postgres); otherwise to the caller.
ensure_user() {
  if [ "$(id -u)" != 0 ]; then
    RUN_AS="$(id -un)"
    return
  fi
  if id -u postgres >/dev/null 2>&1; then
    RUN_AS=postgres
  else
    id -u listen-ci >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin listen-ci
    RUN_AS=listen-ci
  fi
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u "$RUN_AS" -- "$@")
  else
    (cd / && "$@")
  fi
}

free_port() {
  # Node is always there (the project needs it): ask the kernel for a free port on 127.0.0.1.
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })'
}

running() {
  [ -f "$DIR/port" ] && [ -d "$DIR/data" ] && as_owner "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1
}

url() {
  echo "postgres://$(cat "$DIR/user")@127.0.0.1:$(cat "$DIR/port")/$DB"
}

start() {
  local port="${1:-}"
  ensure_binaries
  ensure_user
  if running; then
    [ -z "$port" ] || [ "$port" = "$(cat "$DIR/port")" ] || die "already running on port $(cat "$DIR/port") (asked for $port); stop it first"
    url
    return
  fi
  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    rm -rf "$DIR"
    mkdir -p "$DIR"
    chmod 700 "$DIR"
    [ "$(id -u)" != 0 ] || chown "$RUN_AS" "$DIR"
    as_owner "$BIN/initdb" -D "$DIR/data" -U "$RUN_AS" --auth=trust --encoding=UTF8 --locale=C >"$DIR/initdb.log" 2>&1 ||
      { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    printf '%s\n' "$RUN_AS" >"$DIR/user"
  fi
  [ -n "$port" ] || port="$(free_port)"
  # Durability off (a test cluster is thrown away); the socket lives beside the data, not in /run.
  as_owner tee "$DIR/data/postgresql.auto.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
shared_buffers = 256MB
work_mem = 32MB
maintenance_work_mem = 256MB
max_wal_size = 4GB
EOF
  # One role must give its password (test/e2e/backends.test.ts: the password from the variable the
  # config names, on every command); everyone else is trusted. Rewritten on each start.
  as_owner tee "$DIR/data/pg_hba.conf" >/dev/null <<EOF
host  all  $PASSWORD_ROLE  127.0.0.1/32  scram-sha-256
host  all  all             127.0.0.1/32  trust
local all  all                           trust
EOF
  printf '%s\n' "$port" >"$DIR/port"
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start >/dev/null ||
    { tail -n 20 "$DIR/server.log" >&2 || true; die "the server did not start (log: $DIR/server.log)"; }
  if ! as_owner "$BIN/psql" -h 127.0.0.1 -p "$port" -U "$RUN_AS" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    as_owner "$BIN/createdb" -h 127.0.0.1 -p "$port" -U "$RUN_AS" "$DB"
  fi
  url
}

stop() {
  [ -d "$DIR" ] || return 0
  BIN="$(find_bin || true)"
  ensure_user
  if [ -n "$BIN" ] && [ -f "$DIR/data/PG_VERSION" ]; then
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop ;;
  url)
    BIN="$(find_bin || true)"
    [ -n "$BIN" ] || die "PostgreSQL is not installed"
    ensure_user
    running || die "no test cluster running in $DIR (scripts/pg-test-cluster.sh start)"
    url
    ;;
  *) echo "usage: $0 start [PORT] | stop | url" >&2; exit 2 ;;
esac
