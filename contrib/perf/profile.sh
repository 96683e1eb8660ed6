#!/usr/bin/env bash
# Where a call's time goes, both sides: docs/PERFORMANCE.md's "Where the time goes now" tables.
#
#   contrib/perf/profile.sh [BINDIR] [SCENARIO...]
#
# BINDIR holds a release customerd and customer-bench (default .build/release); SCENARIOs are
# names below (default: all). For each: the server's and the client's marginal instructions by
# layer (callgrind, N and 2N calls, both sides under valgrind in the same runs), and system calls
# per call on both sides (strace -f -c, 10N and 20N calls). Needs valgrind, strace,
# clang (the client's sigsuspend shim, see "Measuring") and swift-demangle on PATH. Instruction
# counts do not depend on the machine's load; system calls somewhat (spins).
set -euo pipefail
BIN=$(cd "${1:-.build/release}" && pwd); shift || true
HERE=$(cd "$(dirname "$0")" && pwd)
# name: N: customer-bench run arguments (2N calls are the second run)
ALL=("get:500:get" "get16:1000:get --connections 16" "inline16:1000:get-inline --connections 16"
     "sync16:1000:get-sync --connections 16" "get64:2000:get --in-flight 64" "card:300:card"
     "list:100:list" "create64:1000:create --connections 64")
WANT=("$@")
WORK=$(mktemp -d /tmp/perf-profile.XXXXXX)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -m 700 "$WORK/sock"

cat > "$WORK/shim.c" <<'C'
#define _GNU_SOURCE
#include <signal.h>
#include <unistd.h>
#include <sys/syscall.h>
int sigsuspend(const sigset_t *mask) { sigset_t copy = *mask; return (int)syscall(SYS_rt_sigsuspend, &copy, _NSIG / 8); }
C
clang -shared -fPIC -O2 -o "$WORK/shim.so" "$WORK/shim.c"

# A database of 1 000 customers: a short run whose --customerd wrapper keeps a copy of it.
cat > "$WORK/keep.sh" <<S
#!/bin/sh
prev=""; for a in "\$@"; do [ "\$prev" = "--database" ] && cp "\$a" "$WORK/seed.sqlite"; prev=\$a; done
exec "$BIN/customerd" "\$@"
S
chmod +x "$WORK/keep.sh"
"$BIN/customer-bench" run get --customers 1000 --calls 10 --warmup 0 --no-floor --customerd "$WORK/keep.sh" > /dev/null

# start_server [WRAPPER...]: customerd on a fresh copy of the seed, its socket in $SOCK
start_server() {
    cp "$WORK/seed.sqlite" "$WORK/db.sqlite"; rm -f "$WORK/db.sqlite-wal" "$WORK/db.sqlite.lock"
    SOCK=$WORK/sock/s; rm -f "$SOCK"
    "$@" "$BIN/customerd" --socket "$SOCK" --database "$WORK/db.sqlite" --log-level warning 2>/dev/null &
    SERVER=$!
    for _ in $(seq 600); do [ -S "$SOCK" ] && return 0; sleep 0.1; done
    echo "customerd did not start" >&2; exit 1
}
# stop_server: SIGTERM to customerd itself (under valgrind or strace, the tool's child)
stop_server() {
    local child; child=$(pgrep -P "$SERVER" || true)
    kill -TERM "${child:-$SERVER}" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""
}
bench() { "$@" --socket "$SOCK" --customers 1000 --warmup 0 --no-floor > /dev/null 2>&1; }

for entry in "${ALL[@]}"; do
    IFS=: read -r name n args <<< "$entry"
    if [ ${#WANT[@]} -gt 0 ] && [[ ! " ${WANT[*]} " =~ " $name " ]]; then continue; fi
    read -r -a run <<< "$args"
    for calls in "$n" $((2 * n)); do
        # Both sides under valgrind at once: with one side native the other, ~50 times slower,
        # queues its peer's calls and spins on contended locks (a get's server counted 94 800
        # instructions at 16 connections, 30 800 of them in locks, against 43 500 so).
        start_server valgrind --tool=callgrind --callgrind-out-file="$WORK/s-$calls"
        LD_PRELOAD=$WORK/shim.so bench valgrind --tool=callgrind --callgrind-out-file="$WORK/c-$calls" \
            "$BIN/customer-bench" run "${run[@]}" --calls "$calls"
        stop_server
        start_server strace -f -c -o "$WORK/ss-$calls"
        bench strace -f -c -o "$WORK/cs-$calls" "$BIN/customer-bench" run "${run[@]}" --calls "$((10 * calls))"; stop_server
    done
    echo "## $name ($args): server"
    python3 "$HERE/callgrind-layers.py" "$n" "$WORK/s-$n" $((2 * n)) "$WORK/s-$((2 * n))"
    echo; echo "## $name: client"
    python3 "$HERE/callgrind-layers.py" "$n" "$WORK/c-$n" $((2 * n)) "$WORK/c-$((2 * n))"
    echo; echo "## $name: system calls per call, server | client"
    echo "$(python3 "$HERE/counts-per-call.py" $((10 * n)) "$WORK/ss-$n" $((20 * n)) "$WORK/ss-$((2 * n))") | $(python3 "$HERE/counts-per-call.py" $((10 * n)) "$WORK/cs-$n" $((20 * n)) "$WORK/cs-$((2 * n))")"
    echo
done
