#!/usr/bin/env bash
# Test harness (`make test`): runs the unit tests, then starts a private stack
# (PostgreSQL, Redis, liteset-fcgi, nginx) in a fresh temporary directory on free
# ports and runs the integration tests against it. The stack is stopped and its
# directory removed on any exit (success, failure, Ctrl-C).
#
# Usage: scripts/run-tests.sh BUILD_DIR       (e.g. build/asan)
#
# Environment in:
#   LITESET_KEEP_STACK=1   keep the stack directory (logs, database) after the run
#   TEST_TIMEOUT           seconds allowed to each test binary (default: 1800)
#   HEALTH_TIMEOUT         seconds to wait for the stack's /health (default: 60)
# Environment given to the integration tests:
#   LITESET_TEST_BIN LITESET_TEST_DIR LITESET_TEST_URL LITESET_TEST_PGHOST
#   LITESET_TEST_PGPORT LITESET_TEST_PGUSER LITESET_TEST_DB LITESET_TEST_REDIS_PORT
#   LITESET_TEST_FCGI_PORT LITESET_TEST_CONFIG LITESET_SHARED LITESET_STACK_SH
# Sanitizers: ASAN_OPTIONS / UBSAN_OPTIONS are set for everything started here,
# the stack's workers included; sanitizer reports in the workers' log fail the run.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
STACK_SH=$ROOT/scripts/stack.sh

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" 2>/dev/null && pwd -P) || { echo "run-tests.sh: no such directory: $1" >&2; exit 2; }
for b in test-unit test-integration liteset liteset-fcgi; do
    [ -x "$BUILD/$b" ] || { echo "run-tests.sh: $BUILD/$b is missing (build it first)" >&2; exit 2; }
done
TEST_TIMEOUT=${TEST_TIMEOUT:-1800}
export HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-60}

# ---------------------------------------------------------------- sanitizers

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
# LeakSanitizer cannot run under ptrace (some sandboxes and debuggers): probe once.
probe=$("$BUILD/liteset" version 2>&1 </dev/null || true)
if printf '%s' "$probe" | grep -q 'LeakSanitizer does not work under ptrace\|LeakSanitizer has encountered a fatal error'; then
    export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0
    echo "run-tests.sh: LeakSanitizer does not work here (ptrace): leak detection is OFF (detect_leaks=0)"
fi
echo "run-tests.sh: ASAN_OPTIONS=$ASAN_OPTIONS UBSAN_OPTIONS=$UBSAN_OPTIONS"

# ---------------------------------------------------------------- bookkeeping

STACK_DIR=""
FAILED=""
PASSED_N=0
FAILED_N=0
OUT=$(mktemp)

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$STACK_DIR" ] && [ -d "$STACK_DIR" ]; then
        "$STACK_SH" stop "$STACK_DIR" >/dev/null 2>&1 || echo "run-tests.sh: stack stop reported errors"
        if [ "${LITESET_KEEP_STACK:-0}" = 1 ]; then
            echo "run-tests.sh: stack directory kept: $STACK_DIR"
        else
            rm -rf "$STACK_DIR"
        fi
    fi
    rm -f "$OUT" "$OUT.rc" "$OUT.pid"
    exit "$rc"
}
on_signal() {
    echo "run-tests.sh: interrupted"
    [ ! -f "$OUT.pid" ] || kill -TERM "$(cat "$OUT.pid")" 2>/dev/null || true
    exit 130
}
trap cleanup EXIT
trap on_signal INT TERM

# Adds the counts of Criterion's "Synthesis:" line in $OUT to the totals.
count_results() {
    local line p f c
    line=$(grep -a 'Synthesis: Tested:' "$OUT" | tail -n 1 | sed 's/\x1b\[[0-9;]*m//g') || true
    [ -n "$line" ] || return 0
    p=$(printf '%s' "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
    f=$(printf '%s' "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
    c=$(printf '%s' "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
    PASSED_N=$((PASSED_N + ${p:-0}))
    FAILED_N=$((FAILED_N + ${f:-0} + ${c:-0}))
}

# run_suite NAME BINARY ARGS...: runs one Criterion binary with a time limit,
# showing its output and keeping a copy in $OUT. It runs in the background so
# that Ctrl-C / SIGTERM reach on_signal at once (timeout puts the tests in their
# own process group, which the terminal's Ctrl-C does not reach).
run_suite() {
    local name=$1 rc
    shift
    echo
    echo "==== $name ===="
    rm -f "$OUT.rc" "$OUT.pid"
    {
        timeout -k 10 "$TEST_TIMEOUT" "$@" 2>&1 &
        echo $! >"$OUT.pid"
        rc=0
        wait $! || rc=$?
        echo "$rc" >"$OUT.rc"
    } | tee "$OUT" &
    wait $! || true
    rc=$(cat "$OUT.rc" 2>/dev/null || echo 1)
    rm -f "$OUT.pid"
    count_results
    if [ "$rc" -ne 0 ]; then
        [ "$rc" -ne 124 ] || echo "run-tests.sh: $name timed out after ${TEST_TIMEOUT}s"
        FAILED="$FAILED $name"
        if ! grep -aq 'Synthesis: Tested:' "$OUT"; then
            FAILED_N=$((FAILED_N + 1)) # crashed before reporting: count the suite itself
        fi
    fi
}

print_stack_logs() {
    local f
    for f in fcgi.log nginx-error.log postgresql.log redis.log cli.log; do
        [ -s "$STACK_DIR/log/$f" ] || continue
        echo "---- last lines of $f ----"
        tail -n 40 "$STACK_DIR/log/$f"
    done
}

# ---------------------------------------------------------------- unit tests

run_suite unit "$BUILD/test-unit" --jobs 1

# ---------------------------------------------------------------- stack

STACK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/liteset-test.XXXXXX")
read -r HTTP_PORT PG_PORT REDIS_PORT FCGI_PORT <<<"$("$STACK_SH" free-ports 4 | tr '\n' ' ')"
echo
echo "==== stack in $STACK_DIR ===="
# WORKERS=1 and a pool of 64 connections: the async proof has one process
# serve 50 concurrent queries that each wait in PostgreSQL. 2 MiB body limit:
# the body-limit tests rely on it. The reference server's SECRET_KEY: session
# cookies recorded from it (shared/reference/golden-http) are then real vectors.
TEST_SETTINGS="LITESET_PG_POOL_SIZE = 64
LITESET_MAX_REQUEST_BODY = 2097152
SECRET_KEY = 'reference-secret-key-change-me'"
if ! BIN=$BUILD WORKERS=1 DEV_ROUTES=1 EXTRA_CONFIG=$TEST_SETTINGS HTTP_PORT=$HTTP_PORT PG_PORT=$PG_PORT \
    REDIS_PORT=$REDIS_PORT FCGI_PORT=$FCGI_PORT "$STACK_SH" start "$STACK_DIR"; then
    echo "run-tests.sh: the test stack did not start"
    print_stack_logs
    echo
    echo "tests: $PASSED_N passed, $((FAILED_N + 1)) failed"
    exit 1
fi

export LITESET_TEST_BIN=$BUILD
export LITESET_TEST_DIR=$STACK_DIR
export LITESET_TEST_URL=http://127.0.0.1:$HTTP_PORT
export LITESET_TEST_PGHOST=$STACK_DIR/run
export LITESET_TEST_PGPORT=$PG_PORT
export LITESET_TEST_PGUSER=postgres
export LITESET_TEST_DB=superset
export LITESET_TEST_REDIS_PORT=$REDIS_PORT
export LITESET_TEST_FCGI_PORT=$FCGI_PORT
export LITESET_TEST_CONFIG=$STACK_DIR/superset_config.py
export LITESET_STACK_SH=$STACK_SH
if [ -d "$ROOT/../shared" ]; then
    LITESET_SHARED=$(cd "$ROOT/../shared" && pwd -P)
    export LITESET_SHARED
fi

# ---------------------------------------------------------------- integration tests

# One stack for all: the tests run one at a time (one of them restarts PostgreSQL).
run_suite integration "$BUILD/test-integration" --jobs 1

# Stop the workers now so that sanitizer reports written at exit land in the log.
"$STACK_SH" stop "$STACK_DIR" >/dev/null 2>&1 || true
if grep -aqE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$STACK_DIR/log/fcgi.log" 2>/dev/null; then
    echo
    echo "run-tests.sh: sanitizer reports in the liteset-fcgi log:"
    grep -aE -A 30 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$STACK_DIR/log/fcgi.log" | head -n 120
    FAILED="$FAILED fcgi-sanitizer"
    FAILED_N=$((FAILED_N + 1))
fi

echo
if [ -n "$FAILED" ]; then
    echo "run-tests.sh: FAILED:$FAILED"
    print_stack_logs
    echo
    echo "tests: $PASSED_N passed, $FAILED_N failed"
    exit 1
fi
echo "tests: $PASSED_N passed, $FAILED_N failed"
