#!/bin/sh
# Starts the liteset-fcgi worker pool with spawn-fcgi: the canonical invocation.
#
# spawn-fcgi binds one listening socket, forks WORKERS processes and hands the
# socket to each of them as fd 0; every liteset-fcgi process runs its own event
# loop on that shared socket. scripts/stack.sh uses this script too.
#
# Environment (all optional except where noted):
#   LITESET_FCGI          the liteset-fcgi binary        (default: /usr/local/bin/liteset-fcgi)
#   SUPERSET_CONFIG_PATH  superset_config.py read by the workers (exported as is)
#   FCGI_ADDR             TCP address to bind            (default: 127.0.0.1; spawn-fcgi -a)
#   FCGI_PORT             TCP port                       (default: 9000;      spawn-fcgi -p)
#   FCGI_SOCKET           unix socket path; replaces FCGI_ADDR/FCGI_PORT      (spawn-fcgi -s)
#   FCGI_SOCKET_MODE      octal mode of that socket      (default: 0660;      spawn-fcgi -M)
#   WORKERS               number of worker processes     (default: nproc;     spawn-fcgi -F)
#   PIDFILE               file receiving one worker pid per line (spawn-fcgi -P)
#   FCGI_USER/FCGI_GROUP  user/group the workers run as; only when started as root
#                         (spawn-fcgi -u/-g; spawn-fcgi refuses -u root)
#   FCGI_LOG              file the workers' stderr (JSON log lines) is appended to.
#                         spawn-fcgi points a forked child's stdout/stderr at /dev/null,
#                         so without FCGI_LOG the worker logs are lost.
#   FOREGROUND=1          spawn-fcgi -n: exec one worker in the foreground (daemontools,
#                         runit); spawn-fcgi ignores -F and -P in that mode.
#
# Reloading settings: kill -HUP each pid in PIDFILE. Stopping: kill -TERM each pid
# (workers drain their requests, then exit).
set -eu

LITESET_FCGI=${LITESET_FCGI:-/usr/local/bin/liteset-fcgi}
FCGI_ADDR=${FCGI_ADDR:-127.0.0.1}
FCGI_PORT=${FCGI_PORT:-9000}
FCGI_SOCKET=${FCGI_SOCKET:-}
FCGI_SOCKET_MODE=${FCGI_SOCKET_MODE:-0660}
WORKERS=${WORKERS:-$(nproc 2>/dev/null || echo 2)}
PIDFILE=${PIDFILE:-}
FCGI_USER=${FCGI_USER:-}
FCGI_GROUP=${FCGI_GROUP:-}
FCGI_LOG=${FCGI_LOG:-}
FOREGROUND=${FOREGROUND:-0}

if [ ! -x "$LITESET_FCGI" ]; then
    echo "spawn-fcgi.sh: $LITESET_FCGI is not an executable (set LITESET_FCGI)" >&2
    exit 1
fi

set --
if [ -n "$FCGI_SOCKET" ]; then
    set -- "$@" -s "$FCGI_SOCKET" -M "$FCGI_SOCKET_MODE"
else
    set -- "$@" -a "$FCGI_ADDR" -p "$FCGI_PORT"
fi
if [ "$FOREGROUND" = 1 ]; then
    set -- "$@" -n
else
    set -- "$@" -F "$WORKERS"
    [ -n "$PIDFILE" ] && set -- "$@" -P "$PIDFILE"
fi
if [ "$(id -u)" -eq 0 ]; then
    [ -n "$FCGI_USER" ] && set -- "$@" -u "$FCGI_USER"
    [ -n "$FCGI_GROUP" ] && set -- "$@" -g "$FCGI_GROUP"
    # The socket must stay reachable by the web server when it is a unix socket.
    [ -n "$FCGI_SOCKET" ] && [ -n "$FCGI_USER" ] && set -- "$@" -U "$FCGI_USER"
    [ -n "$FCGI_SOCKET" ] && [ -n "$FCGI_GROUP" ] && set -- "$@" -G "$FCGI_GROUP"
fi
[ -n "${SUPERSET_CONFIG_PATH:-}" ] && export SUPERSET_CONFIG_PATH

if [ -n "$FCGI_LOG" ] && [ "$FOREGROUND" != 1 ]; then
    # A tiny shell re-attaches stderr to the log file, then execs the worker, so
    # each pid spawn-fcgi records is the liteset-fcgi process itself.
    export FCGI_LOG
    # shellcheck disable=SC2016
    exec spawn-fcgi "$@" -- /bin/sh -c 'exec "$0" "$@" 2>>"$FCGI_LOG"' "$LITESET_FCGI"
fi
exec spawn-fcgi "$@" -- "$LITESET_FCGI"
