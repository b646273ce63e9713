#!/usr/bin/env bash
# Benchmark (`make bench`): starts a private stack from BUILD_DIR (one
# liteset-fcgi worker per CPU) in a temporary directory on free ports, loads it
# with wrk through nginx, and prints requests/s, p50 and p99 latency for
#   /health            a full trip through nginx and liteset-fcgi
#   /static/bench.txt  a small file nginx serves itself: the ceiling of this machine
# then the resident memory (VmRSS) of each liteset-fcgi worker. The stack is
# stopped and its directory removed on any exit.
#
# Usage: bench/run.sh BUILD_DIR              (e.g. build)
# Environment: DURATION (wrk -d, default 10s), CONNECTIONS (wrk -c, default 64),
#              THREADS (wrk -t, default 2), WORKERS (default: nproc).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
STACK_SH=$ROOT/scripts/stack.sh

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" 2>/dev/null && pwd -P) || { echo "bench: no such directory: $1" >&2; exit 2; }
command -v wrk >/dev/null || { echo "bench: wrk is not installed (make deps)" >&2; exit 1; }
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WORKERS=${WORKERS:-$(nproc 2>/dev/null || echo 2)}

STACK_DIR=""
OUT=$(mktemp)
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$STACK_DIR" ] && [ -d "$STACK_DIR" ]; then
        "$STACK_SH" stop "$STACK_DIR" >/dev/null 2>&1 || true
        rm -rf "$STACK_DIR"
    fi
    rm -f "$OUT"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

STACK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/liteset-bench.XXXXXX")
read -r HTTP_PORT PG_PORT REDIS_PORT FCGI_PORT <<<"$("$STACK_SH" free-ports 4 | tr '\n' ' ')"
BIN=$BUILD WORKERS=$WORKERS DEV_ROUTES=0 HTTP_PORT=$HTTP_PORT PG_PORT=$PG_PORT \
    REDIS_PORT=$REDIS_PORT FCGI_PORT=$FCGI_PORT "$STACK_SH" start "$STACK_DIR" >/dev/null
URL=http://127.0.0.1:$HTTP_PORT
printf 'liteset bench\n' >"$STACK_DIR/static-empty/bench.txt"

# run_wrk LABEL PATH: one wrk run, one table row.
run_wrk() {
    local label=$1 path=$2 rps p50 p99 errs
    if ! curl -fsS -o /dev/null --max-time 5 "$URL$path"; then
        echo "bench: GET $path does not answer 200; skipped" >&2
        return 0
    fi
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$URL$path" >"$OUT" 2>&1 || {
        cat "$OUT" >&2
        return 1
    }
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$OUT")
    p50=$(awk '$1 == "50%" {print $2}' "$OUT")
    p99=$(awk '$1 == "99%" {print $2}' "$OUT")
    errs=$(awk '/Non-2xx or 3xx responses:/ {printf "non-2xx: %s ", $5} /Socket errors:/ {sub(/^ *Socket errors: */, ""); printf "socket errors: %s", $0}' "$OUT")
    printf '%-20s %12s %10s %10s  %s\n' "$label" "${rps:-?}" "${p50:-?}" "${p99:-?}" "$errs"
}

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION through nginx, $WORKERS liteset-fcgi workers, $(nproc) CPUs"
echo
printf '%-20s %12s %10s %10s\n' "target" "requests/s" "p50" "p99"
run_wrk "/health" /health
run_wrk "/static (nginx)" /static/bench.txt

echo
echo "liteset-fcgi workers (VmRSS):"
total=0
for pid in $(tr -cs '0-9' ' ' <"$STACK_DIR/run/fcgi.pid"); do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    if [ -n "$rss" ]; then
        printf '  pid %-8s %8s kB\n' "$pid" "$rss"
        total=$((total + rss))
    else
        printf '  pid %-8s (gone)\n' "$pid"
    fi
done
printf '  total        %8s kB\n' "$total"
