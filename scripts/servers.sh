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
#   DATAPIPE_TEST_GOAWS_PORT    goaws (SNS) port (47100); goaws listens on
#                               0.0.0.0 whatever its config says
#   DATAPIPE_TEST_SMTP_PORT     Mailpit SMTP port (47125)
#   DATAPIPE_TEST_MAILPIT_PORT  Mailpit HTTP API port (47180)
#   DATAPIPE_TEST_S3_PORT       versitygw (S3) port (47070)
#   DATAPIPE_TEST_MYSQL_PORT    MariaDB port (47306)
#   DATAPIPE_TEST_DYNAMODB_PORT, DATAPIPE_TEST_DYNAMODB_PORT2
#                               the two dynalite (DynamoDB) ports (47800, 47801)
#
# goaws and Mailpit are Go programs installed with `go install` at pinned
# versions into GOBIN (or GOPATH/bin) the first time they are needed; an
# installed binary is recognised by its build info, so a later start costs
# no network and no build. versitygw (S3) is installed the same way.
# MariaDB and Chromium are Debian packages, installed with apt-get when
# missing (as root only). dynalite is pinned by scripts/npm/package-lock.json
# and installed with `npm ci` into scripts/npm/node_modules. The chromium
# entry starts nothing: it installs the browser and exports its path.
#
# Adding a server: write <name>_start, <name>_stop and <name>_env functions
# (start must be idempotent and return 0 when it found the server already
# running, 10 when it started it) and add <name> to SERVERS.
#
# Progress goes to stderr; only export lines go to stdout.
set -euo pipefail

SERVERS=(postgres goaws mailpit versitygw mariadb dynalite chromium)

WORK_DIR="${DATAPIPE_TEST_DIR:-/tmp/datapipe-test}"
PG_PORT="${DATAPIPE_TEST_PG_PORT:-55432}"
PG_VERSION=15
PG_BIN="/usr/lib/postgresql/$PG_VERSION/bin"
PG_DIR="$WORK_DIR/pg"
GOAWS_PORT="${DATAPIPE_TEST_GOAWS_PORT:-47100}"
GOAWS_PKG=github.com/Admiral-Piett/goaws/app/cmd@v0.4.5
GOAWS_DIR="$WORK_DIR/goaws"
SMTP_PORT="${DATAPIPE_TEST_SMTP_PORT:-47125}"
MAILPIT_PORT="${DATAPIPE_TEST_MAILPIT_PORT:-47180}"
MAILPIT_PKG=github.com/axllent/mailpit@v1.33.1
MAILPIT_DIR="$WORK_DIR/mailpit"
S3_PORT="${DATAPIPE_TEST_S3_PORT:-47070}"
S3_ACCESS_KEY=datapipe-test
S3_SECRET_KEY=datapipe-test-secret
VERSITYGW_PKG=github.com/versity/versitygw/cmd/versitygw@v1.8.0
VERSITYGW_DIR="$WORK_DIR/versitygw"
MYSQL_PORT="${DATAPIPE_TEST_MYSQL_PORT:-47306}"
MYSQL_DIR="$WORK_DIR/mariadb"
DYNAMODB_PORTS=("${DATAPIPE_TEST_DYNAMODB_PORT:-47800}" "${DATAPIPE_TEST_DYNAMODB_PORT2:-47801}")
DYNALITE_DIR="$WORK_DIR/dynalite"
NPM_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/npm"
CHROMIUM_BIN=/usr/bin/chromium

log() { printf 'servers: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# apt_install installs the Debian packages $2… when the file $1 is
# missing: as root with apt-get (updating the package lists once per run
# of this script), else it dies saying what to run.
APT_UPDATED=
apt_install() {
  local want=$1
  shift
  [ -e "$want" ] && return 0
  is_root || die "$* not installed ($want is missing); run: sudo apt-get install -y $*"
  if [ -z "$APT_UPDATED" ]; then
    log "apt-get update"
    apt-get update -qq >&2 || die "apt-get update failed"
    APT_UPDATED=1
  fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 ||
    die "apt-get install $* failed"
  [ -e "$want" ] || die "$* installed but $want is missing"
}

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

# --- Go-installed servers ----------------------------------------------

# go_cmd prints the go command: go on PATH, else /usr/local/go/bin/go.
go_cmd() {
  if command -v go 2>/dev/null; then return 0; fi
  [ -x /usr/local/go/bin/go ] || die "go is not installed (want Go 1.26+ at /usr/local/go)"
  echo /usr/local/go/bin/go
}

# built_from reports whether the binary $1 was built from package $2 at
# module version $3, reading its Go build info (no network, no build).
built_from() {
  [ -x "$1" ] || return 1
  "$(go_cmd)" version -m "$1" 2>/dev/null | awk -v p="$2" -v v="$3" '
    $1 == "path" && $2 == p { path = 1 }
    $1 == "mod" && $3 == v { mod = 1 }
    END { exit !(path && mod) }'
}

# go_tool prints the path of the binary named $1 built from $2
# (package@version): the one on PATH or in GOBIN when its build info
# matches, else a fresh `go install` into GOBIN.
go_tool() {
  local name=$1 pkg=${2%@*} version=${2##*@} bin gobin
  bin=$(command -v "$name" 2>/dev/null || true)
  if [ -n "$bin" ] && built_from "$bin" "$pkg" "$version"; then
    echo "$bin"
    return 0
  fi
  gobin=$("$(go_cmd)" env GOBIN)
  [ -n "$gobin" ] || gobin="$("$(go_cmd)" env GOPATH)/bin"
  bin="$gobin/$name"
  if ! built_from "$bin" "$pkg" "$version"; then
    log "installing $2 into $gobin"
    GOFLAGS= "$(go_cmd)" install "$2" >&2 || die "go install $2 failed"
    built_from "$bin" "$pkg" "$version" || die "go install $2 did not produce $bin"
  fi
  echo "$bin"
}

# port_open reports whether something accepts connections on 127.0.0.1:$1.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pid_alive reports whether the pid file $1 names a live process whose
# executable is named $2.
pid_alive() {
  local pid exe
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  [ "$(basename "$exe")" = "$2" ]
}

# spawn starts "$@" in a session of its own, detached from the caller's
# stdout (so that `eval "$(… start)"` returns), logging to $2, and
# records its pid in $1.
spawn() {
  local pidfile=$1 logfile=$2
  shift 2
  setsid "$@" </dev/null >>"$logfile" 2>&1 &
  echo $! >"$pidfile"
}

# wait_ports waits until every port in $3… accepts connections, failing
# early when the process in pid file $1 (executable $2) has exited. Just
# after spawn the process may not have exec'd $2 yet (a loaded machine
# widens that window), so only its existence is checked here.
wait_ports() {
  local pidfile=$1 port ready
  shift 2
  for _ in $(seq 1 100); do
    ready=1
    for port in "$@"; do port_open "$port" || { ready=0; break; }; done
    [ "$ready" = 1 ] && return 0
    kill -0 "$(cat "$pidfile" 2>/dev/null)" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# stop_pid stops the process in pid file $1 if its executable is named $2:
# SIGTERM, then SIGKILL after 5 s. $3 names it in the progress log.
stop_pid() {
  local pid
  if ! pid_alive "$1" "$2"; then
    rm -f "$1"
    return 0
  fi
  pid=$(cat "$1")
  log "stopping $3 (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  rm -f "$1"
}

# --- goaws (SNS) --------------------------------------------------------
#
# goaws keeps topics and subscriptions in memory; tests create topics with
# unique names. It listens on 0.0.0.0:$GOAWS_PORT whatever its config says.

# goaws_config prints goaws's config: no queues, no topics.
goaws_config() {
  cat <<YAML
Local:
  Host: 127.0.0.1
  Port: $GOAWS_PORT
  Region: us-east-1
  AccountId: "100010001000"
  LogToFile: false
  Queues: []
  Topics: []
YAML
}

goaws_start() {
  local bin
  work_dir
  mkdir -p "$GOAWS_DIR"
  if pid_alive "$GOAWS_DIR/pid" cmd; then
    wait_ports "$GOAWS_DIR/pid" cmd "$GOAWS_PORT" ||
      die "goaws in $GOAWS_DIR does not answer on port $GOAWS_PORT; run: $0 stop goaws"
    log "goaws already running on 0.0.0.0:$GOAWS_PORT"
    return 0
  fi
  port_open "$GOAWS_PORT" && die "port $GOAWS_PORT is taken by another process; set DATAPIPE_TEST_GOAWS_PORT"
  bin=$(go_tool cmd "$GOAWS_PKG")
  goaws_config >"$GOAWS_DIR/goaws.yaml"
  log "starting goaws (SNS) on 0.0.0.0:$GOAWS_PORT"
  spawn "$GOAWS_DIR/pid" "$GOAWS_DIR/log" "$bin" -config "$GOAWS_DIR/goaws.yaml" Local
  wait_ports "$GOAWS_DIR/pid" cmd "$GOAWS_PORT" ||
    die "goaws did not become ready on port $GOAWS_PORT; see $GOAWS_DIR/log"
  return 10
}

goaws_stop() {
  stop_pid "$GOAWS_DIR/pid" cmd goaws
}

goaws_env() {
  echo "export DATAPIPE_TEST_SNS_ENDPOINT='http://127.0.0.1:$GOAWS_PORT'"
}

# --- Mailpit (SMTP) -----------------------------------------------------
#
# Mailpit accepts mail with or without authentication (any credentials,
# also over plain text) and offers STARTTLS with a self-signed certificate
# for localhost and 127.0.0.1, which tests trust through
# DATAPIPE_TEST_SMTP_CA.

# mailpit_cert creates the self-signed certificate once.
mailpit_cert() {
  [ -s "$MAILPIT_DIR/tls.crt" ] && [ -s "$MAILPIT_DIR/tls.key" ] && return 0
  command -v openssl >/dev/null || die "openssl is needed to create Mailpit's TLS certificate"
  log "creating Mailpit's TLS certificate"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$MAILPIT_DIR/tls.key" -out "$MAILPIT_DIR/tls.crt" >/dev/null 2>&1 ||
    die "openssl could not create $MAILPIT_DIR/tls.crt"
}

mailpit_start() {
  local bin
  work_dir
  mkdir -p "$MAILPIT_DIR"
  if pid_alive "$MAILPIT_DIR/pid" mailpit; then
    wait_ports "$MAILPIT_DIR/pid" mailpit "$SMTP_PORT" "$MAILPIT_PORT" ||
      die "Mailpit in $MAILPIT_DIR does not answer on ports $SMTP_PORT and $MAILPIT_PORT; run: $0 stop mailpit"
    log "mailpit already running (SMTP 127.0.0.1:$SMTP_PORT, API 127.0.0.1:$MAILPIT_PORT)"
    return 0
  fi
  port_open "$SMTP_PORT" && die "port $SMTP_PORT is taken by another process; set DATAPIPE_TEST_SMTP_PORT"
  port_open "$MAILPIT_PORT" && die "port $MAILPIT_PORT is taken by another process; set DATAPIPE_TEST_MAILPIT_PORT"
  bin=$(go_tool mailpit "$MAILPIT_PKG")
  mailpit_cert
  log "starting mailpit (SMTP 127.0.0.1:$SMTP_PORT, API 127.0.0.1:$MAILPIT_PORT)"
  spawn "$MAILPIT_DIR/pid" "$MAILPIT_DIR/log" "$bin" \
    --listen "127.0.0.1:$MAILPIT_PORT" --smtp "127.0.0.1:$SMTP_PORT" \
    --database "$MAILPIT_DIR/mail.db" --disable-version-check \
    --smtp-auth-accept-any --smtp-auth-allow-insecure \
    --smtp-tls-cert "$MAILPIT_DIR/tls.crt" --smtp-tls-key "$MAILPIT_DIR/tls.key"
  wait_ports "$MAILPIT_DIR/pid" mailpit "$SMTP_PORT" "$MAILPIT_PORT" ||
    die "mailpit did not become ready; see $MAILPIT_DIR/log"
  return 10
}

mailpit_stop() {
  stop_pid "$MAILPIT_DIR/pid" mailpit mailpit
}

mailpit_env() {
  echo "export DATAPIPE_TEST_SMTP_ADDR='127.0.0.1:$SMTP_PORT'"
  echo "export DATAPIPE_TEST_SMTP_CA='$MAILPIT_DIR/tls.crt'"
  echo "export DATAPIPE_TEST_MAILPIT_API='http://127.0.0.1:$MAILPIT_PORT'"
}

# --- versitygw (S3) -----------------------------------------------------
#
# versitygw serves S3 from a directory (its posix backend: a bucket is a
# directory under $VERSITYGW_DIR/data) and checks SigV4 signatures against
# one fixed test key. Clients use path-style addressing. Tests create
# buckets with unique names.

versitygw_start() {
  local bin
  work_dir
  mkdir -p "$VERSITYGW_DIR/data"
  if pid_alive "$VERSITYGW_DIR/pid" versitygw; then
    wait_ports "$VERSITYGW_DIR/pid" versitygw "$S3_PORT" ||
      die "versitygw in $VERSITYGW_DIR does not answer on port $S3_PORT; run: $0 stop versitygw"
    log "versitygw already running on 127.0.0.1:$S3_PORT"
    return 0
  fi
  port_open "$S3_PORT" && die "port $S3_PORT is taken by another process; set DATAPIPE_TEST_S3_PORT"
  bin=$(go_tool versitygw "$VERSITYGW_PKG")
  log "starting versitygw (S3) on 127.0.0.1:$S3_PORT"
  spawn "$VERSITYGW_DIR/pid" "$VERSITYGW_DIR/log" "$bin" --port "127.0.0.1:$S3_PORT" \
    --access "$S3_ACCESS_KEY" --secret "$S3_SECRET_KEY" --quiet posix "$VERSITYGW_DIR/data"
  wait_ports "$VERSITYGW_DIR/pid" versitygw "$S3_PORT" ||
    die "versitygw did not become ready on port $S3_PORT; see $VERSITYGW_DIR/log"
  return 10
}

versitygw_stop() {
  stop_pid "$VERSITYGW_DIR/pid" versitygw versitygw
}

versitygw_env() {
  echo "export DATAPIPE_TEST_S3_ENDPOINT='http://127.0.0.1:$S3_PORT'"
  echo "export DATAPIPE_TEST_S3_ACCESS_KEY='$S3_ACCESS_KEY'"
  echo "export DATAPIPE_TEST_S3_SECRET_KEY='$S3_SECRET_KEY'"
}

# --- MariaDB (MySQL) ----------------------------------------------------
#
# A private mariadbd on 127.0.0.1:$MYSQL_PORT with its own data dir and
# socket, reading no option files. User t (password t) owns database t and
# may create others (tests isolate themselves in databases of their own).
# As root, mariadbd runs as the mysql user.

MARIADBD=/usr/sbin/mariadbd

# mariadb_user prints --user=mysql when root.
mariadb_user() {
  if is_root; then echo --user=mysql; fi
}

# mariadb_init creates the data dir and its system tables once.
mariadb_init() {
  mkdir -p "$MYSQL_DIR"
  if is_root; then chown mysql:mysql "$MYSQL_DIR"; fi
  [ -d "$MYSQL_DIR/data/mysql" ] && return 0
  log "mariadb-install-db $MYSQL_DIR/data"
  rm -rf "$MYSQL_DIR/data"
  mariadb-install-db --no-defaults $(mariadb_user) --datadir="$MYSQL_DIR/data" \
    --auth-root-authentication-method=normal --skip-test-db >"$MYSQL_DIR/install.log" 2>&1 ||
    die "mariadb-install-db failed; see $MYSQL_DIR/install.log"
}

# mariadb_setup creates user t and database t (idempotent) and checks
# that t can log in over TCP.
mariadb_setup() {
  mariadb --no-defaults --socket="$MYSQL_DIR/sock" -uroot -e "
    CREATE DATABASE IF NOT EXISTS t;
    CREATE USER IF NOT EXISTS 't'@'%' IDENTIFIED BY 't';
    GRANT ALL PRIVILEGES ON *.* TO 't'@'%';" >&2 ||
    die "mariadb: could not create user t; see $MYSQL_DIR/err"
  mariadb --no-defaults -h 127.0.0.1 -P "$MYSQL_PORT" -ut -pt t -e 'SELECT 1' >/dev/null ||
    die "mariadb does not let user t in on 127.0.0.1:$MYSQL_PORT; see $MYSQL_DIR/err"
}

mariadb_start() {
  apt_install "$MARIADBD" mariadb-server mariadb-client
  work_dir
  mariadb_init
  if pid_alive "$MYSQL_DIR/pid" mariadbd; then
    wait_ports "$MYSQL_DIR/pid" mariadbd "$MYSQL_PORT" ||
      die "mariadb in $MYSQL_DIR does not answer on port $MYSQL_PORT; run: $0 stop mariadb"
    log "mariadb already running on 127.0.0.1:$MYSQL_PORT"
    return 0
  fi
  port_open "$MYSQL_PORT" && die "port $MYSQL_PORT is taken by another process; set DATAPIPE_TEST_MYSQL_PORT"
  log "starting mariadb on 127.0.0.1:$MYSQL_PORT"
  spawn "$MYSQL_DIR/pid" "$MYSQL_DIR/log" "$MARIADBD" --no-defaults $(mariadb_user) \
    --datadir="$MYSQL_DIR/data" --socket="$MYSQL_DIR/sock" --port="$MYSQL_PORT" \
    --bind-address=127.0.0.1 --skip-name-resolve --pid-file="$MYSQL_DIR/mariadbd.pid" \
    --log-error="$MYSQL_DIR/err" --innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=2 \
    --max-connections=200
  wait_ports "$MYSQL_DIR/pid" mariadbd "$MYSQL_PORT" ||
    die "mariadb did not become ready on port $MYSQL_PORT; see $MYSQL_DIR/err"
  mariadb_setup
  return 10
}

mariadb_stop() {
  stop_pid "$MYSQL_DIR/pid" mariadbd mariadb
}

mariadb_env() {
  echo "export DATAPIPE_TEST_MYSQL_DSN='t:t@tcp(127.0.0.1:$MYSQL_PORT)/t?parseTime=true'"
  echo "export DATAPIPE_TEST_MYSQL_URL='jdbc:mysql://127.0.0.1:$MYSQL_PORT/t'"
  echo "export DATAPIPE_TEST_MYSQL_USER='t'"
  echo "export DATAPIPE_TEST_MYSQL_PASSWORD='t'"
}

# --- dynalite (DynamoDB) ------------------------------------------------
#
# Two in-memory dynalite processes, on ${DYNAMODB_PORTS[0]} and
# ${DYNAMODB_PORTS[1]}, stand in for two AWS regions. Any credentials
# work. Tables live as long as the process; tests use unique names.

# node_exe prints the name of node's executable, as /proc shows it.
node_exe() {
  basename "$(readlink -f "$(command -v node)")"
}

# dynalite_install runs `npm ci` in scripts/npm unless node_modules holds
# what package-lock.json pins (a copy of the lock file marks an install).
dynalite_install() {
  local stamp="$NPM_DIR/node_modules/.datapipe-lock.json"
  [ -f "$stamp" ] && cmp -s "$NPM_DIR/package-lock.json" "$stamp" && return 0
  command -v npm >/dev/null || die "npm is not installed (dynalite needs Node.js 20 or later with npm)"
  log "installing dynalite into $NPM_DIR/node_modules (npm ci)"
  (cd "$NPM_DIR" && npm ci --no-audit --no-fund --loglevel=error) >&2 || die "npm ci in $NPM_DIR failed"
  cp "$NPM_DIR/package-lock.json" "$stamp"
}

# dynalite_one starts instance $1 (1 or 2) on port $2; it returns 0 when
# it was already running, 10 when it started it.
dynalite_one() {
  local dir="$DYNALITE_DIR/$1" port=$2 exe
  exe=$(node_exe)
  mkdir -p "$dir"
  if pid_alive "$dir/pid" "$exe"; then
    wait_ports "$dir/pid" "$exe" "$port" ||
      die "dynalite in $dir does not answer on port $port; run: $0 stop dynalite"
    log "dynalite $1 already running on 127.0.0.1:$port"
    return 0
  fi
  port_open "$port" && die "port $port is taken by another process; set DATAPIPE_TEST_DYNAMODB_PORT${1#1}"
  dynalite_install
  log "starting dynalite $1 (DynamoDB) on 127.0.0.1:$port"
  spawn "$dir/pid" "$dir/log" node "$NPM_DIR/node_modules/dynalite/cli.js" --host 127.0.0.1 \
    --port "$port" --createTableMs 50 --deleteTableMs 50 --updateTableMs 50
  wait_ports "$dir/pid" "$exe" "$port" || die "dynalite did not become ready on port $port; see $dir/log"
  return 10
}

dynalite_start() {
  local rc=0 one
  work_dir
  command -v node >/dev/null || die "node is not installed (dynalite needs Node.js 20 or later)"
  node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' ||
    die "dynalite needs Node.js 20 or later; node is $(node --version)"
  one=0; dynalite_one 1 "${DYNAMODB_PORTS[0]}" || one=$?
  [ "$one" = 0 ] || rc=$one
  one=0; dynalite_one 2 "${DYNAMODB_PORTS[1]}" || one=$?
  [ "$one" = 0 ] || rc=$one
  return "$rc"
}

dynalite_stop() {
  local exe
  exe=$(node_exe)
  stop_pid "$DYNALITE_DIR/2/pid" "$exe" "dynalite 2"
  stop_pid "$DYNALITE_DIR/1/pid" "$exe" "dynalite 1"
}

dynalite_env() {
  echo "export DATAPIPE_TEST_DYNAMODB_ENDPOINT='http://127.0.0.1:${DYNAMODB_PORTS[0]}'"
  echo "export DATAPIPE_TEST_DYNAMODB_ENDPOINT2='http://127.0.0.1:${DYNAMODB_PORTS[1]}'"
}

# --- Chromium (console tests) -------------------------------------------
#
# Not a server: the console tests start headless Chromium themselves. This
# entry installs the Debian package and exports the browser's path.

chromium_start() {
  apt_install "$CHROMIUM_BIN" chromium
  return 0
}

chromium_stop() { :; }

chromium_env() {
  echo "export DATAPIPE_TEST_CHROMIUM='$CHROMIUM_BIN'"
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
