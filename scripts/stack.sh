#!/usr/bin/env bash
# Runs a private local Liteset stack whose every file lives under one directory:
# PostgreSQL 15 (metadata database), Redis, the liteset-fcgi pool (spawn-fcgi)
# and nginx in front of it. Used by `make run` / `make stop`, the test harness
# (scripts/run-tests.sh) and the benchmark (bench/run.sh).
#
# Usage:
#   stack.sh start DIR        start whatever is not running yet (idempotent)
#   stack.sh stop DIR         stop what start started, by pid files (idempotent)
#   stack.sh status DIR       show each service; exit 0 only if all are running
#   stack.sh pg-restart DIR   restart PostgreSQL only (pg_ctl restart -m fast)
#   stack.sh free-ports N     print N free TCP ports on 127.0.0.1 (helper for the harness)
#
# Environment for start (a stack keeps the ports recorded in DIR/stack.env unless
# they are given again):
#   BIN          directory holding liteset and liteset-fcgi   (default: <repo>/build)
#   HTTP_PORT    nginx, on 127.0.0.1                          (default: 8088)
#   PG_PORT      PostgreSQL TCP port on 127.0.0.1             (default: 55432)
#   REDIS_PORT   Redis, on 127.0.0.1                          (default: 56379)
#   FCGI_PORT    spawn-fcgi pool, on 127.0.0.1                (default: 59000)
#   WORKERS      liteset-fcgi processes                       (default: nproc)
#   DEV_ROUTES   1 sets LITESET_DEV_ROUTES = True (test stacks only; default 0)
#   EXTRA_CONFIG lines of Python settings added to the generated part of
#                superset_config.py (e.g. "LITESET_PG_POOL_SIZE = 64"; default none)
#   STATIC_DIR   Superset's built frontend (superset/static), served at /static/
#                and set as LITESET_STATIC_DIR (default: DIR/static-empty, None)
#   FAB_STATIC_DIR Flask-AppBuilder's package static files
#                (flask_appbuilder/static/appbuilder), served at /static/appbuilder/
#                and set as LITESET_FAB_STATIC_DIR (default: none, None)
#   HEALTH_TIMEOUT seconds to wait for GET /health through nginx (default: 20)
#   PG_BIN       PostgreSQL server binaries (default: /usr/lib/postgresql/15/bin)
#
# Layout of DIR: pg/ (data), run/ (sockets, pid files), log/ (every log),
# redis/, nginx/ (nginx prefix and temp files), nginx.conf, superset_config.py,
# stack.env (shell-sourceable: ports, paths, URL), static-empty/.
#
# PostgreSQL refuses to run as root: when started as root, initdb/pg_ctl run as
# the postgres user, who gets DIR/pg, DIR/run and DIR/log and must be able to
# traverse DIR's parents (o+x is added where missing). The local cluster trusts
# every local connection (user postgres, no password) and listens on 127.0.0.1
# and a unix socket in DIR/run only.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)

die() { echo "stack.sh: error: $*" >&2; exit 1; }
say() { echo "stack.sh: $*"; }

usage() {
    sed -n '2,/^set -eu/p' "$0" | sed -e '/^set -eu/d' -e 's/^# \{0,1\}//'
    exit 2
}

# ---------------------------------------------------------------- helpers

# Is PID a live (non-zombie) process whose command line mentions NAME?
alive() {
    local pid=$1 name=$2 state
    case "$pid" in '' | *[!0-9]*) return 1 ;; esac
    [ -r "/proc/$pid/stat" ] || return 1
    state=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [ "$state" != Z ] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$name"
}

# Pids listed in FILE, one per line (spawn-fcgi omits the last newline).
pids_in() {
    [ -f "$1" ] || return 0
    tr -cs '0-9' '\n' <"$1" | grep -E '^[0-9]+$' || true
}

# Sends SIG to PID, waits up to T seconds for it to go, then SIGKILLs it.
kill_wait() {
    local pid=$1 name=$2 sig=$3 t=$4 i=0
    alive "$pid" "$name" || return 0
    kill "-$sig" "$pid" 2>/dev/null || true
    while alive "$pid" "$name"; do
        if [ "$i" -ge $((t * 10)) ]; then
            say "$name (pid $pid) still running after ${t}s: SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.2
            return 0
        fi
        sleep 0.1
        i=$((i + 1))
    done
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

check_port_free() { # PORT WHAT VAR
    if port_in_use "$1"; then
        die "port $1 (for $2) is already in use on 127.0.0.1; choose another with $3=..."
    fi
}

show_log() { # FILE [LINES]
    if [ -s "$1" ]; then
        echo "---- last lines of $1 ----" >&2
        tail -n "${2:-40}" "$1" >&2
        echo "----" >&2
    else
        echo "(no log at $1)" >&2
    fi
}

# Runs a command as the postgres user when we are root (PostgreSQL refuses root).
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# Single-quotes a value for a shell-sourceable file.
shq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# Escapes a value for the replacement side of sed s|...|...|.
sed_repl() { printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'; }

free_ports() { # N: N distinct free ports in 10000-32767 (below Linux's ephemeral range)
    local n=$1 found="" p tries=0
    p=$((10000 + (RANDOM * 7 + $$) % 22000))
    while [ "$(printf '%s' "$found" | wc -w)" -lt "$n" ]; do
        tries=$((tries + 1))
        [ "$tries" -lt 2000 ] || die "no free ports found"
        p=$((p + 1 + RANDOM % 13))
        [ "$p" -le 32767 ] || p=10000
        case " $found " in *" $p "*) continue ;; esac
        port_in_use "$p" && continue
        if command -v ss >/dev/null 2>&1 && [ -n "$(ss -Hltn "sport = :$p" 2>/dev/null)" ]; then
            continue
        fi
        found="$found $p"
    done
    # shellcheck disable=SC2086 # one port per word
    printf '%s\n' $found
}

# ---------------------------------------------------------------- setup

setup_dir() {
    [ -n "${1:-}" ] || usage
    mkdir -p "$1"
    DIR=$(cd "$1" && pwd -P)
    RUN=$DIR/run
    LOGD=$DIR/log
    PGDATA=$DIR/pg
    CONFIG=$DIR/superset_config.py
    STACK_ENV=$DIR/stack.env
    PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
    if [ ! -x "$PG_BIN/pg_ctl" ]; then
        PG_BIN=$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/pg_ctl)")
    fi
    IS_ROOT=0
    [ "$(id -u)" -ne 0 ] || IS_ROOT=1
}

# Value of VAR recorded in DIR/stack.env by an earlier start, if any.
previous() {
    [ -f "$STACK_ENV" ] || return 0
    (
        unset "$1"
        # shellcheck disable=SC1090
        . "$STACK_ENV" >/dev/null 2>&1 || true
        eval "printf '%s' \"\${$1:-}\""
    )
}

load_settings() {
    local v
    for v in HTTP_PORT:8088 PG_PORT:55432 REDIS_PORT:56379 FCGI_PORT:59000; do
        local name=${v%%:*} def=${v#*:} prev
        if [ -z "${!name:-}" ]; then
            prev=$(previous "$name")
            printf -v "$name" '%s' "${prev:-$def}"
        fi
        case "${!name}" in '' | *[!0-9]*) die "$name must be a port number" ;; esac
    done
    BIN=${BIN:-$ROOT/build}
    case "$BIN" in /*) ;; *) BIN=$(cd "$BIN" 2>/dev/null && pwd -P) || die "BIN directory not found" ;; esac
    WORKERS=${WORKERS:-$(nproc 2>/dev/null || echo 2)}
    DEV_ROUTES=${DEV_ROUTES:-0}
    EXTRA_CONFIG=${EXTRA_CONFIG:-}
    HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-20}
    if [ -n "${STATIC_DIR:-}" ]; then
        STATIC_DIR=$(cd "$STATIC_DIR" 2>/dev/null && pwd -P) || die "STATIC_DIR not found"
        LITESET_STATIC=$STATIC_DIR
    else
        STATIC_DIR=$DIR/static-empty
        LITESET_STATIC=""
    fi
    if [ -n "${FAB_STATIC_DIR:-}" ]; then
        FAB_STATIC_DIR=$(cd "$FAB_STATIC_DIR" 2>/dev/null && pwd -P) || die "FAB_STATIC_DIR not found"
    else
        FAB_STATIC_DIR=""
    fi
    URL=http://127.0.0.1:$HTTP_PORT
}

make_dirs() {
    mkdir -p "$RUN" "$LOGD" "$DIR/redis" "$DIR/nginx/tmp" "$DIR/static-empty"
    if [ "$IS_ROOT" = 1 ]; then
        if ! runuser -u postgres -- test -x "$DIR" 2>/dev/null; then
            # The postgres user must reach DIR/run and DIR/log (e.g. inside a mktemp -d).
            # Walk down from / so each test runs with its parents already reachable.
            local d="" part
            local IFS=/
            for part in ${DIR#/}; do
                d="$d/$part"
                if ! runuser -u postgres -- test -x "$d" 2>/dev/null; then
                    chmod o+x "$d"
                    say "made $d traversable (o+x) for the postgres user"
                fi
            done
        fi
        chown postgres: "$RUN" "$LOGD"
    fi
    local sock=$RUN/.s.PGSQL.$PG_PORT
    [ "${#sock}" -le 107 ] || die "path too long for a unix socket: $sock (use a shorter DIR)"
}

write_stack_env() {
    {
        echo "# Written by scripts/stack.sh start: ports and paths of this stack."
        echo "STACK_DIR=$(shq "$DIR")"
        echo "BIN=$(shq "$BIN")"
        echo "URL=$(shq "$URL")"
        echo "HTTP_PORT=$HTTP_PORT"
        echo "PG_PORT=$PG_PORT"
        echo "REDIS_PORT=$REDIS_PORT"
        echo "FCGI_PORT=$FCGI_PORT"
        echo "WORKERS=$WORKERS"
        echo "DEV_ROUTES=$DEV_ROUTES"
        echo "PGHOST=$(shq "$RUN")"
        echo "PGPORT=$PG_PORT"
        echo "PGUSER=postgres"
        echo "PGDATABASE=superset"
        echo "SUPERSET_CONFIG_PATH=$(shq "$CONFIG")"
        echo "STATIC_DIR=$(shq "$STATIC_DIR")"
        echo "FAB_STATIC_DIR=$(shq "$FAB_STATIC_DIR")"
        echo "LOG_DIR=$(shq "$LOGD")"
        echo "FCGI_PIDFILE=$(shq "$RUN/fcgi.pid")"
    } >"$STACK_ENV.tmp"
    mv "$STACK_ENV.tmp" "$STACK_ENV"
}

# ---------------------------------------------------------------- superset_config.py

CONFIG_HEADER="# Liteset local stack settings, written by scripts/stack.sh."
CONFIG_KEEP_LINE="# ---- settings below this line are yours: kept across restarts ----"

# Writes DIR/superset_config.py. A file written by this script is refreshed at each
# start (ports and paths follow the stack) keeping its SECRET_KEY and the lines
# under CONFIG_KEEP_LINE; any other existing file is left alone.
write_config() {
    local secret="" kept=""
    if [ -f "$CONFIG" ]; then
        if [ "$(head -n 1 "$CONFIG")" != "$CONFIG_HEADER" ]; then
            say "using $CONFIG as it is (not written by stack.sh)"
            return 0
        fi
        secret=$(sed -n "s/^SECRET_KEY = '\([A-Za-z0-9+\/=]*\)'\$/\1/p" "$CONFIG" | head -n 1)
        kept=$(sed -n "/^$CONFIG_KEEP_LINE\$/,\$p" "$CONFIG" | tail -n +2)
    fi
    if [ -z "$secret" ]; then
        secret=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
    fi
    local dev=False static=None fab_static=None
    [ "$DEV_ROUTES" = 1 ] && dev=True
    [ -n "$LITESET_STATIC" ] && static="'$LITESET_STATIC'"
    [ -n "$FAB_STATIC_DIR" ] && fab_static="'$FAB_STATIC_DIR'"
    (
        umask 077
        cat >"$CONFIG.tmp" <<EOF
$CONFIG_HEADER
# Everything above the last comment line is rewritten at each start; SECRET_KEY
# (random, made on first start) and the lines below it are kept.
SECRET_KEY = '$secret'
SQLALCHEMY_DATABASE_URI = 'postgresql://postgres@/superset?host=$RUN&port=$PG_PORT'
CACHE_CONFIG = {'CACHE_TYPE': 'RedisCache', 'CACHE_REDIS_URL': 'redis://127.0.0.1:$REDIS_PORT/0'}
GLOBAL_ASYNC_QUERIES_REDIS_CONFIG = {'host': '127.0.0.1', 'port': $REDIS_PORT, 'db': 0, 'password': '', 'ssl': False}
LITESET_DEV_ROUTES = $dev
LITESET_STATIC_DIR = $static
LITESET_FAB_STATIC_DIR = $fab_static
EOF
        [ -z "$EXTRA_CONFIG" ] || printf '%s\n' "$EXTRA_CONFIG" >>"$CONFIG.tmp"
        echo "$CONFIG_KEEP_LINE" >>"$CONFIG.tmp"
        [ -z "$kept" ] || printf '%s\n' "$kept" >>"$CONFIG.tmp"
    )
    mv "$CONFIG.tmp" "$CONFIG"
}

# ---------------------------------------------------------------- PostgreSQL

pg_running() {
    [ -f "$PGDATA/postmaster.pid" ] || return 1
    as_pg "$PG_BIN/pg_ctl" status -D "$PGDATA" >/dev/null 2>&1
}

pg_wait_ready() {
    local i=0
    until pg_isready -q -h "$RUN" -p "$PG_PORT" -U postgres; do
        i=$((i + 1))
        if [ "$i" -ge 300 ]; then
            show_log "$LOGD/postgresql.log"
            die "PostgreSQL did not become ready on $RUN port $PG_PORT"
        fi
        sleep 0.1
    done
}

pg_start() {
    [ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL server binaries not found in $PG_BIN (set PG_BIN)"
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        say "initdb $PGDATA"
        rm -rf "$PGDATA"
        mkdir -p "$PGDATA"
        chmod 700 "$PGDATA"
        [ "$IS_ROOT" = 0 ] || chown postgres: "$PGDATA"
        if ! as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C \
            >"$LOGD/initdb.log" 2>&1; then
            show_log "$LOGD/initdb.log"
            die "initdb failed"
        fi
        echo "include_if_exists = 'liteset.conf'" >>"$PGDATA/postgresql.conf"
    fi
    if pg_running; then
        say "PostgreSQL already running"
    else
        check_port_free "$PG_PORT" PostgreSQL PG_PORT
        # Listening addresses follow the stack; rewritten while the server is down.
        cat >"$PGDATA/liteset.conf" <<EOF
# Written by scripts/stack.sh at each start.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$RUN'
max_connections = 200
EOF
        chmod 644 "$PGDATA/liteset.conf"
        rm -f "$PGDATA/postmaster.pid"
        say "starting PostgreSQL on 127.0.0.1:$PG_PORT and $RUN"
        if ! as_pg "$PG_BIN/pg_ctl" start -D "$PGDATA" -l "$LOGD/postgresql.log" -w -t 60 \
            </dev/null >>"$LOGD/pg_ctl.log" 2>&1; then
            show_log "$LOGD/pg_ctl.log" 10
            show_log "$LOGD/postgresql.log"
            die "PostgreSQL did not start"
        fi
    fi
    pg_wait_ready
    if ! psql -h "$RUN" -p "$PG_PORT" -U postgres -d postgres -tAqc \
        "SELECT 1 FROM pg_database WHERE datname = 'superset'" | grep -q 1; then
        createdb -h "$RUN" -p "$PG_PORT" -U postgres -E UTF8 -T template0 superset ||
            die "could not create database superset"
    fi
}

pg_stop() {
    if [ -f "$PGDATA/PG_VERSION" ] && pg_running; then
        say "stopping PostgreSQL"
        as_pg "$PG_BIN/pg_ctl" stop -D "$PGDATA" -m fast -w -t 60 </dev/null >>"$LOGD/pg_ctl.log" 2>&1 ||
            { show_log "$LOGD/pg_ctl.log" 10; say "pg_ctl stop failed"; }
    fi
}

pg_restart() {
    [ -f "$PGDATA/PG_VERSION" ] || die "no PostgreSQL cluster in $PGDATA (run start first)"
    PG_PORT=$(sed -n 's/^port = \([0-9]*\)$/\1/p' "$PGDATA/liteset.conf")
    say "restarting PostgreSQL"
    if ! as_pg "$PG_BIN/pg_ctl" restart -D "$PGDATA" -m fast -w -t 60 -l "$LOGD/postgresql.log" \
        </dev/null >>"$LOGD/pg_ctl.log" 2>&1; then
        show_log "$LOGD/pg_ctl.log" 10
        show_log "$LOGD/postgresql.log"
        die "PostgreSQL did not restart"
    fi
    pg_wait_ready
}

# ---------------------------------------------------------------- Redis

redis_pid() { pids_in "$RUN/redis.pid" | head -n 1; }

redis_start() {
    local pid i=0
    pid=$(redis_pid)
    if alive "$pid" redis-server; then
        say "Redis already running (pid $pid)"
        return 0
    fi
    check_port_free "$REDIS_PORT" Redis REDIS_PORT
    cat >"$DIR/redis/redis.conf" <<EOF
# Written by scripts/stack.sh at each start.
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize yes
pidfile $RUN/redis.pid
logfile $LOGD/redis.log
dir $DIR/redis
save ""
appendonly no
EOF
    say "starting Redis on 127.0.0.1:$REDIS_PORT"
    if ! redis-server "$DIR/redis/redis.conf" </dev/null >>"$LOGD/redis.log" 2>&1; then
        show_log "$LOGD/redis.log"
        die "redis-server failed"
    fi
    until [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; do
        i=$((i + 1))
        if [ "$i" -ge 100 ]; then
            show_log "$LOGD/redis.log"
            die "Redis did not answer PING on 127.0.0.1:$REDIS_PORT"
        fi
        sleep 0.1
    done
}

redis_stop() {
    local pid
    pid=$(redis_pid)
    if alive "$pid" redis-server; then
        say "stopping Redis (pid $pid)"
        kill_wait "$pid" redis-server TERM 15
    fi
    rm -f "$RUN/redis.pid"
}

# ---------------------------------------------------------------- liteset CLI

run_cli() { # args...: runs $BIN/liteset, output to log/cli.log, loud on failure
    echo "\$ liteset $*" >>"$LOGD/cli.log"
    if ! SUPERSET_CONFIG_PATH=$CONFIG "$BIN/liteset" "$@" </dev/null >>"$LOGD/cli.log" 2>&1; then
        show_log "$LOGD/cli.log"
        return 1
    fi
}

cli_setup() {
    [ -x "$BIN/liteset" ] || die "$BIN/liteset not found (build first: make)"
    say "liteset db upgrade"
    run_cli db upgrade || die "liteset db upgrade failed"
    local help
    help=$("$BIN/liteset" --help 2>&1 </dev/null || true)
    has_cmd() { printf '%s\n' "$help" | grep -Eq "^[[:space:]]+$1([[:space:]]|\$)"; }
    if has_cmd init; then
        say "liteset init"
        run_cli init || die "liteset init failed"
    fi
    has_cmd fab || ADMIN_NOTE=" (not created: this liteset has no 'fab create-admin' yet)"
    if has_cmd fab && [ ! -f "$DIR/.admin-created" ]; then
        say "liteset fab create-admin (admin / admin)"
        if run_cli fab create-admin --username admin --firstname Admin --lastname User \
            --email admin@localhost --password admin; then
            touch "$DIR/.admin-created"
        elif tail -n 5 "$LOGD/cli.log" | grep -qi 'already exist'; then
            touch "$DIR/.admin-created"
        else
            die "liteset fab create-admin failed"
        fi
    fi
}

# ---------------------------------------------------------------- FastCGI pool

fcgi_pids() { pids_in "$RUN/fcgi.pid"; }

fcgi_stop() {
    local pid any=0
    for pid in $(fcgi_pids); do
        if alive "$pid" liteset-fcgi; then
            [ "$any" = 1 ] || say "stopping liteset-fcgi workers"
            any=1
            kill -TERM "$pid" 2>/dev/null || true
        fi
    done
    # Workers drain their requests after SIGTERM; give them time, then insist.
    for pid in $(fcgi_pids); do
        kill_wait "$pid" liteset-fcgi TERM 20
    done
    rm -f "$RUN/fcgi.pid"
}

fcgi_start() {
    local pid n_alive=0 n=0
    for pid in $(fcgi_pids); do
        n=$((n + 1))
        alive "$pid" liteset-fcgi && n_alive=$((n_alive + 1))
    done
    if [ "$n" -gt 0 ] && [ "$n_alive" = "$n" ]; then
        say "liteset-fcgi already running ($n workers)"
        return 0
    fi
    [ "$n_alive" = 0 ] || { say "some liteset-fcgi workers died: restarting the pool"; fcgi_stop; }
    [ -x "$BIN/liteset-fcgi" ] || die "$BIN/liteset-fcgi not found (build first: make)"
    check_port_free "$FCGI_PORT" liteset-fcgi FCGI_PORT
    say "starting $WORKERS liteset-fcgi workers on 127.0.0.1:$FCGI_PORT"
    rm -f "$RUN/fcgi.pid"
    if ! LITESET_FCGI=$BIN/liteset-fcgi SUPERSET_CONFIG_PATH=$CONFIG FCGI_ADDR=127.0.0.1 \
        FCGI_PORT=$FCGI_PORT FCGI_SOCKET="" WORKERS=$WORKERS PIDFILE=$RUN/fcgi.pid \
        FCGI_LOG=$LOGD/fcgi.log FOREGROUND=0 \
        sh "$ROOT/deploy/spawn-fcgi.sh" </dev/null >>"$LOGD/spawn-fcgi.log" 2>&1; then
        show_log "$LOGD/spawn-fcgi.log" 10
        show_log "$LOGD/fcgi.log"
        fcgi_stop
        die "spawn-fcgi failed"
    fi
    sleep 0.3
    for pid in $(fcgi_pids); do
        if ! alive "$pid" liteset-fcgi; then
            show_log "$LOGD/fcgi.log"
            fcgi_stop
            die "liteset-fcgi worker $pid exited right after start"
        fi
    done
}

# ---------------------------------------------------------------- nginx

nginx_pid() { pids_in "$RUN/nginx.pid" | head -n 1; }

nginx_conf() {
    local user="" mime=/etc/nginx/mime.types fab_block=""
    [ "$IS_ROOT" = 0 ] || user="user root root;"
    [ -f "$mime" ] || die "$mime not found (is nginx installed?)"
    # Without FAB_STATIC_DIR the /static/appbuilder/ location is left out.
    [ -n "$FAB_STATIC_DIR" ] || fab_block="/@FAB_STATIC_BEGIN@/,/@FAB_STATIC_END@/d"
    sed -e "$fab_block" \
        -e "s|@USER_DIRECTIVE@|$(sed_repl "$user")|g" \
        -e "s|@PREFIX@|$(sed_repl "$DIR")|g" \
        -e "s|@HTTP_PORT@|$HTTP_PORT|g" \
        -e "s|@FCGI_ADDR@|127.0.0.1:$FCGI_PORT|g" \
        -e "s|@STATIC_DIR@|$(sed_repl "$STATIC_DIR")|g" \
        -e "s|@FAB_STATIC_DIR@|$(sed_repl "$FAB_STATIC_DIR")|g" \
        -e "s|@MIME_TYPES@|$(sed_repl "$mime")|g" \
        "$ROOT/deploy/nginx/liteset.conf.in" >"$DIR/nginx.conf"
}

nginx_start() {
    local pid
    pid=$(nginx_pid)
    if alive "$pid" nginx; then
        say "nginx already running (pid $pid)"
        return 0
    fi
    command -v nginx >/dev/null || die "nginx not installed"
    check_port_free "$HTTP_PORT" nginx HTTP_PORT
    nginx_conf
    say "starting nginx on 127.0.0.1:$HTTP_PORT"
    # shellcheck disable=SC2094 # nginx appends to its own error log; so do we
    if ! nginx -c "$DIR/nginx.conf" -p "$DIR/nginx/" -e "$LOGD/nginx-error.log" \
        </dev/null >>"$LOGD/nginx-error.log" 2>&1; then
        show_log "$LOGD/nginx-error.log"
        die "nginx did not start"
    fi
}

nginx_stop() {
    local pid
    pid=$(nginx_pid)
    if alive "$pid" nginx; then
        say "stopping nginx (pid $pid)"
        kill_wait "$pid" nginx QUIT 10
    fi
    rm -f "$RUN/nginx.pid"
}

wait_health() {
    local deadline=$((SECONDS + HEALTH_TIMEOUT))
    until curl -fsS -o /dev/null --max-time 2 "$URL/health" 2>/dev/null; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "GET $URL/health did not answer 200 within ${HEALTH_TIMEOUT}s:" >&2
            curl -sS -i --max-time 2 "$URL/health" >&2 || true
            show_log "$LOGD/fcgi.log"
            show_log "$LOGD/nginx-error.log" 20
            die "the stack is not healthy"
        fi
        sleep 0.2
    done
}

# ---------------------------------------------------------------- commands

cmd_start() {
    setup_dir "$1"
    load_settings
    make_dirs
    write_config
    write_stack_env
    pg_start
    redis_start
    cli_setup
    fcgi_start
    nginx_start
    wait_health
    say "ready"
    echo
    echo "  Liteset:  $URL/"
    echo "  login:    admin / admin${ADMIN_NOTE:-}"
    echo "  stop:     make stop, or scripts/stack.sh stop $DIR"
    echo
}

cmd_stop() {
    [ -n "${1:-}" ] || usage
    if [ ! -d "$1" ]; then
        say "nothing to stop in $1"
        return 0
    fi
    setup_dir "$1"
    nginx_stop
    fcgi_stop
    redis_stop
    pg_stop
    say "stopped"
}

cmd_status() {
    [ -n "${1:-}" ] || usage
    [ -d "$1" ] || { echo "no stack in $1"; return 1; }
    setup_dir "$1"
    local ok=0 pid n=0 n_alive=0
    if [ -f "$PGDATA/PG_VERSION" ] && pg_running; then
        echo "postgresql  running  (pid $(head -n 1 "$PGDATA/postmaster.pid"))"
    else
        echo "postgresql  stopped"; ok=1
    fi
    pid=$(redis_pid)
    if alive "$pid" redis-server; then echo "redis       running  (pid $pid)"; else echo "redis       stopped"; ok=1; fi
    for pid in $(fcgi_pids); do
        n=$((n + 1))
        alive "$pid" liteset-fcgi && n_alive=$((n_alive + 1))
    done
    if [ "$n" -gt 0 ] && [ "$n_alive" = "$n" ]; then
        echo "fcgi        running  ($n workers: $(fcgi_pids | tr '\n' ' '))"
    else
        echo "fcgi        stopped  ($n_alive of $n workers alive)"; ok=1
    fi
    pid=$(nginx_pid)
    if alive "$pid" nginx; then echo "nginx       running  (pid $pid)"; else echo "nginx       stopped"; ok=1; fi
    [ ! -f "$STACK_ENV" ] || echo "url         $(previous URL)/"
    return "$ok"
}

cmd_pg_restart() {
    setup_dir "$1"
    pg_restart
}

case "${1:-}" in
start) cmd_start "${2:-}" ;;
stop) cmd_stop "${2:-}" ;;
status) cmd_status "${2:-}" ;;
pg-restart) cmd_pg_restart "${2:-}" ;;
free-ports) free_ports "${2:-1}" ;;
*) usage ;;
esac
