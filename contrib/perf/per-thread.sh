#!/usr/bin/env bash
# How busy each thread of customerd and customer-bench is during a run, and what it waits for:
# which side's thread bounds a scenario's calls/s, whether it waits for input or for a CPU, and
# how much of the machine's CPU the two processes leave (docs/PERFORMANCE.md, "inflight23").
#
#   contrib/perf/per-thread.sh [BINDIR] [--rt] [RUN ARGUMENT...]
#
# BINDIR holds a release customerd and customer-bench (default .build/release). The server is
# started by hand on a copy of a database of 20 000 customers that a first short run seeds; the
# client runs `customer-bench run` with the RUN ARGUMENTs (default: get --in-flight 64) for 3 s.
# Over about the middle second (its length is printed), from each thread's /proc schedstat and
# status: ms on a CPU (the window's length is a whole core), ms runnable but waiting for a CPU
# (another thread had it), and context switches, voluntary (it waited: input, a lock, a futex)
# and not (it was preempted). With --rt both processes run under `chrt -r 1`, so the machine's
# other load does not decide who runs (the snapshots then wait for a CPU too when both are busy:
# the window printed says how long it was).
# A thread is named by its process and id (names are inherited, not set). The kernel's run times
# of a thread that never sleeps can exceed the window by a few % (they are not read at one instant).
set -euo pipefail
BIN=$(cd "${1:-.build/release}" && pwd); shift || true
PRIO=()
if [ "${1:-}" = "--rt" ]; then PRIO=(chrt -r 1); shift; fi
ARGS=("$@"); [ ${#ARGS[@]} -gt 0 ] || ARGS=(get --in-flight 64)
WORK=$(mktemp -d /tmp/perf-threads.XXXXXX)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -m 700 "$WORK/sock"

cat > "$WORK/keep.sh" <<S
#!/bin/sh
prev=""; for a in "\$@"; do [ "\$prev" = "--database" ] && cp "\$a" "$WORK/seed.sqlite"; prev=\$a; done
exec "$BIN/customerd" "\$@"
S
chmod +x "$WORK/keep.sh"
"$BIN/customer-bench" run ping --customers 20000 --calls 10 --warmup 0 --no-floor --customerd "$WORK/keep.sh" > /dev/null

cp "$WORK/seed.sqlite" "$WORK/db.sqlite"
SOCK=$WORK/sock/s
"${PRIO[@]}" "$BIN/customerd" --socket "$SOCK" --database "$WORK/db.sqlite" --log-level warning 2>/dev/null &
SERVER=$!
for _ in $(seq 600); do [ -S "$SOCK" ] && break; sleep 0.1; done
[ -S "$SOCK" ] || { echo "customerd did not start" >&2; exit 1; }

"${PRIO[@]}" "$BIN/customer-bench" run "${ARGS[@]}" --socket "$SOCK" --customers 20000 --duration 3 --warmup 0 \
    --no-floor > "$WORK/run.txt" 2>&1 &
CLIENT=$!
# snapshot: one line per thread of both processes: side tid run_ns wait_ns voluntary involuntary
snapshot() {
    local side pid task run wait key value voluntary involuntary
    echo "clock $(date +%s%N)"
    for side in server client; do
        [ "$side" = server ] && pid=$SERVER || pid=$CLIENT
        for task in /proc/"$pid"/task/*; do
            [ -r "$task/schedstat" ] || continue
            read -r run wait _ < "$task/schedstat" || continue
            # bash builtins only: a process per thread would spread the snapshot over the window
            while read -r key value; do
                case $key in
                    voluntary_ctxt_switches:) voluntary=$value ;;
                    nonvoluntary_ctxt_switches:) involuntary=$value ;;
                esac
            done < "$task/status"
            echo "$side ${task##*/} $run $wait $voluntary $involuntary"
        done
    done
}
sleep 1
snapshot > "$WORK/before"
sleep 1
snapshot > "$WORK/after"
wait "$CLIENT"
grep -E '^(scenario|[a-z-]+ +[0-9])' "$WORK/run.txt" || cat "$WORK/run.txt"
awk -v cpus="$(nproc)" '
    FNR == NR && $1 == "clock" { since = $2; next }
    $1 == "clock" { window = ($2 - since) / 1e6; next }
    FNR == NR { run[$1 " " $2] = $3; wait[$1 " " $2] = $4; vol[$1 " " $2] = $5; inv[$1 " " $2] = $6; next }
    {
        t = $1 " " $2
        r = ($3 - run[t]) / 1e6; w = ($4 - wait[t]) / 1e6
        total[$1] += r
        if (r >= 1) printf "%s: %7.1f ms on a CPU, %6.1f ms waiting for one, %6d voluntary and %5d involuntary switches\n",
            t, r, w, $5 - vol[t], $6 - inv[t]
    }
    END {
        printf "both, in %.0f ms: server %.1f ms, client %.1f ms on a CPU; left to others or idle %.1f ms of %d CPUs\n",
            window, total["server"], total["client"], cpus * window - total["server"] - total["client"], cpus
    }' "$WORK/before" "$WORK/after" | sort
