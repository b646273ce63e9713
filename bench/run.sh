#!/usr/bin/env bash
# Benchmark (`make bench`): starts a private stack from BUILD_DIR (one
# liteset-fcgi worker per CPU) in a temporary directory on free ports, loads it
# with wrk through nginx, and prints requests/s, p50 and p99 latency for
#   /health            a full trip through nginx and liteset-fcgi
#   chart list (100)   GET /api/v1/chart/?q=(page_size:100) as Admin (bearer), 150 charts in the DB
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

# Fixture for the chart list: one database, one dataset, 150 charts owned by admin.
. "$STACK_DIR/stack.env"
psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$PGDATABASE" >/dev/null <<'SQL'
WITH d AS (INSERT INTO dbs (database_name, sqlalchemy_uri, uuid) VALUES ('bench', 'postgresql://x/y', gen_random_uuid()) RETURNING id),
     t AS (INSERT INTO tables (table_name, schema, database_id, uuid, perm)
           SELECT 'bench_table', 'public', id, gen_random_uuid(), '[bench].[bench_table](id:1)' FROM d RETURNING id),
     s AS (INSERT INTO slices (slice_name, viz_type, datasource_type, datasource_id, params, uuid, created_by_fk,
                               changed_by_fk, created_on, changed_on)
           SELECT 'bench chart ' || g, 'table', 'table', t.id, '{}', gen_random_uuid(), 1, 1, now(), now()
           FROM t, generate_series(1, 150) g RETURNING id)
INSERT INTO slice_user (user_id, slice_id) SELECT 1, id FROM s;
SQL
TOKEN=$(curl -fsS -X POST -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"admin","provider":"db"}' "$URL/api/v1/security/login" |
    sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')

# run_wrk LABEL PATH [HEADER]: one wrk run, one table row.
run_wrk() {
    local label=$1 path=$2 header=${3:-X-Bench: 1} rps p50 p99 errs
    if ! curl -fsS -o /dev/null --max-time 5 -H "$header" "$URL$path"; then
        echo "bench: GET $path does not answer 200; skipped" >&2
        return 0
    fi
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "$header" "$URL$path" >"$OUT" 2>&1 || {
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
run_wrk "chart list (100)" "/api/v1/chart/?q=(page_size:100)" "Authorization: Bearer $TOKEN"

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
