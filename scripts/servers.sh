#!/usr/bin/env bash
# Starts and stops the real servers that datapipe's tests use, as local
# processes on 127.0.0.1 (no Docker). Both subcommands are idempotent.
#
#   scripts/servers.sh start [server...]   start (all by default); prints
#                                          `export VAR=…` lines for eval
#   scripts/servers.sh stop [server...]    stop (all by default)
#   scripts/servers.sh env [server...]     print the export lines only
#
#   eval "$(scripts/servers.sh start)"
#
# start also prints DATAPIPE_TEST_SERVERS_STARTED: the servers this call
# started (not those already running), so that a caller can stop only what
# it started and leave a shared server alone.
#
# Environment:
#   DATAPIPE_TEST_DIR      work dir for data and logs (/tmp/datapipe-test)
#   DATAPIPE_TEST_PG_PORT  PostgreSQL port (55432)
#
# Adding a server: write <name>_start, <name>_stop and <name>_env functions
# (start must be idempotent and return 0 when it found the server already
# running, 10 when it started it) and add <name> to SERVERS.
#
# Progress goes to stderr; only export lines go to stdout.
set -euo pipefail

SERVERS=(postgres)

WORK_DIR="${DATAPIPE_TEST_DIR:-/tmp/datapipe-test}"
PG_PORT="${DATAPIPE_TEST_PG_PORT:-55432}"
PG_VERSION=15
PG_BIN="/usr/lib/postgresql/$PG_VERSION/bin"
PG_DIR="$WORK_DIR/pg"

log() { printf 'servers: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# work_dir creates the shared work dir, traversable by service users.
work_dir() {
  mkdir -p "$WORK_DIR"
  chmod 755 "$WORK_DIR"
}

# --- PostgreSQL ---------------------------------------------------------

# pg_run runs a PostgreSQL binary as the postgres user when root (initdb
# and postgres refuse to run as root), directly otherwise.
pg_run() {
  if is_root; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# postgres_install installs the distribution's PostgreSQL 15 when missing,
# without letting the package create and start its own cluster.
postgres_install() {
  [ -x "$PG_BIN/pg_ctl" ] && return 0
  is_root || die "PostgreSQL $PG_VERSION is not installed at $PG_BIN; run: sudo apt-get install -y postgresql-$PG_VERSION"
  log "installing postgresql-$PG_VERSION"
  mkdir -p /etc/postgresql-common
  [ -f /etc/postgresql-common/createcluster.conf ] ||
    echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "postgresql-$PG_VERSION" >&2
  [ -x "$PG_BIN/pg_ctl" ] || die "postgresql-$PG_VERSION installed but $PG_BIN/pg_ctl is missing"
}

# postgres_init creates the data dir and runs initdb once.
postgres_init() {
  mkdir -p "$PG_DIR"
  is_root && chown postgres:postgres "$PG_DIR"
  [ -f "$PG_DIR/data/PG_VERSION" ] && return 0
  log "initdb $PG_DIR/data"
  rm -rf "$PG_DIR/data"
  pg_run "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 ||
    die "initdb failed; see $PG_DIR/initdb.log"
}

postgres_running() {
  [ -f "$PG_DIR/data/PG_VERSION" ] && pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1
}

# postgres_wait waits until the server accepts connections on its port.
postgres_wait() {
  for _ in $(seq 1 100); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres && return 0
    sleep 0.1
  done
  die "PostgreSQL did not become ready on 127.0.0.1:$PG_PORT; see $PG_DIR/log"
}

postgres_start() {
  postgres_install
  work_dir
  postgres_init
  if postgres_running; then
    local port
    port=$(sed -n 4p "$PG_DIR/data/postmaster.pid" 2>/dev/null || true)
    [ "$port" = "$PG_PORT" ] ||
      die "postgres in $PG_DIR/data is running on port $port, not $PG_PORT; run: $0 stop postgres"
    postgres_wait
    log "postgres already running on 127.0.0.1:$PG_PORT"
    return 0
  fi
  log "starting postgres on 127.0.0.1:$PG_PORT"
  pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >&2 || die "pg_ctl start failed; see $PG_DIR/log"
  postgres_wait
  return 10
}

postgres_stop() {
  postgres_running || return 0
  log "stopping postgres"
  pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >&2
}

postgres_env() {
  echo "export DATAPIPE_TEST_POSTGRES='postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable'"
}

# --- dispatch -----------------------------------------------------------

# known checks that every named server is in SERVERS.
known() {
  local s k
  for s in "$@"; do
    for k in "${SERVERS[@]}"; do [ "$s" = "$k" ] && continue 2; done
    die "unknown server $s (known: ${SERVERS[*]})"
  done
}

start() {
  local s rc started=()
  for s in "$@"; do
    rc=0
    "${s}_start" || rc=$?
    case $rc in
      0) ;;
      10) started+=("$s") ;;
      *) exit "$rc" ;;
    esac
    "${s}_env"
  done
  echo "export DATAPIPE_TEST_SERVERS_STARTED='${started[*]}'"
}

stop() {
  local i
  for ((i = $# ; i > 0 ; i--)); do "${!i}_stop"; done
}

print_env() {
  local s
  for s in "$@"; do "${s}_env"; done
}

main() {
  local cmd="${1:-}"
  shift || true
  [ $# -gt 0 ] || set -- "${SERVERS[@]}"
  known "$@"
  case "$cmd" in
    start) start "$@" ;;
    stop) stop "$@" ;;
    env) print_env "$@" ;;
    *) die "usage: $0 start|stop|env [${SERVERS[*]}]" ;;
  esac
}

main "$@"
