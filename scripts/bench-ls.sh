#!/usr/bin/env bash
# Benchmarks listing one level of a large Kubernetes-shaped key space: the real etcd and oxcd,
# one after the other, each on the same ports with a fresh data dir in /tmp. For each server:
#   1. fills the store with KEYS keys shaped like Kubernetes' (/registry/<type>/<namespace>/<name>,
#      TYPES types x NAMESPACES namespaces, VAL_SIZE-byte values; oxbench put --kubernetes-keys);
#   2. times, as whole processes (start, connect, list, print to /dev/null):
#      - `oxctl ls /registry`: on oxcd its Hierarchy RPC, the first call (which builds the server's
#        directory totals, the server's RSS before and after it shown) and RUNS warm calls; on etcd,
#        which has no such RPC, its fallback: keys-only ranges skipping each child's subtree;
#      - `oxctl ls -l /registry` warm through the RPC (oxcd only: on etcd it reads every value);
#      - `oxctl ls --scan /registry`: the keys-only fallback forced, on both;
#      - `etcdctl get /registry --prefix --keys-only`: every key below /registry, on both;
#      each warm figure the median of RUNS runs (SCAN_RUNS for the full-range `etcdctl get`);
#   3. checks that `oxctl ls /registry` printed the same on both servers.
# Then prints a table of milliseconds, etcd beside oxcd.
#
# Usage: scripts/bench-ls.sh   (build first: cargo build --release -p oxcd -p oxctl -p oxbench)
#        KEYS=100000 scripts/bench-ls.sh
# Environment:
#   ETCD_BIN=/usr/bin/etcd  OXCD_BIN=target/release/oxcd   a server binary that does not exist is
#                           skipped (its column shows "-")
#   OXCTL_BIN=target/release/oxctl  OXBENCH_BIN=target/release/oxbench  ETCDCTL_BIN=/usr/bin/etcdctl
#   KEYS=1000000 TYPES=20 NAMESPACES=50   the key space
#   VAL_SIZE=256            bytes per value (small, to keep the fill short)
#   FILL_CLIENTS=64         clients of the fill (connections = min(clients, 16))
#   RUNS=11                 runs of each warm `oxctl` measurement (the median is shown)
#   SCAN_RUNS=3             runs of each `etcdctl get --prefix --keys-only`
#   CLIENT_PORT=32379 PEER_PORT=32380   ports; the script refuses to start when one is taken
#   KEEP=1                  keep the work dir (server logs, raw results; data dirs are removed)
#
# Servers get STARTUP_SECS to answer, the fill FILL_TIMEOUT_SECS, each timed command
# STEP_TIMEOUT_SECS.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ETCD_BIN=${ETCD_BIN:-/usr/bin/etcd}
OXCD_BIN=${OXCD_BIN:-$ROOT/target/release/oxcd}
OXCTL_BIN=${OXCTL_BIN:-$ROOT/target/release/oxctl}
OXBENCH_BIN=${OXBENCH_BIN:-$ROOT/target/release/oxbench}
ETCDCTL_BIN=${ETCDCTL_BIN:-/usr/bin/etcdctl}
KEYS=${KEYS:-1000000}
TYPES=${TYPES:-20}
NAMESPACES=${NAMESPACES:-50}
VAL_SIZE=${VAL_SIZE:-256}
FILL_CLIENTS=${FILL_CLIENTS:-64}
RUNS=${RUNS:-11}
SCAN_RUNS=${SCAN_RUNS:-3}
CLIENT_PORT=${CLIENT_PORT:-32379}
PEER_PORT=${PEER_PORT:-32380}
STARTUP_SECS=${STARTUP_SECS:-60}
FILL_TIMEOUT_SECS=${FILL_TIMEOUT_SECS:-1800}
STEP_TIMEOUT_SECS=${STEP_TIMEOUT_SECS:-300}
RUN_TIMEOUT_SECS=$FILL_TIMEOUT_SECS # run_workload's bound: only the fill uses it
RANGE_KEY=/registry
SCALE=1 # unused here: the fill's total is KEYS

# shellcheck source=scripts/bench-common.sh
source "$ROOT/scripts/bench-common.sh"

for bin in "$OXBENCH_BIN" "$OXCTL_BIN" "$ETCDCTL_BIN"; do
    if [[ ! -x $bin ]]; then
        echo "no $bin: build oxctl and oxbench (cargo build --release -p oxctl -p oxbench) and install" \
            "etcd 3.4's etcdctl" >&2
        exit 1
    fi
done
single_server_work bench-ls
ENDPOINT=http://127.0.0.1:$CLIENT_PORT

workload_args() { # the fill, for run_workload
    echo put --kubernetes-keys "${TYPES}x$NAMESPACES" --sequential-keys --key-space-size "$KEYS" \
        --val-size "$VAL_SIZE"
}
total_for() { echo "$KEYS"; }

# time_ms SYSTEM WHAT CMD...: runs CMD (output to $WORK/SYSTEM.WHAT.out) and records its wall time
# in milliseconds as WHAT; fails when CMD does.
time_ms() {
    local system=$1 what=$2 start end
    shift 2
    start=$(date +%s%N)
    if ! timeout "$STEP_TIMEOUT_SECS" "$@" >"$WORK/$system.$what.out" 2>"$WORK/$system.$what.err"; then
        echo "  $system $what failed: $(tail -1 "$WORK/$system.$what.err")" >&2
        return 1
    fi
    end=$(date +%s%N)
    record "$system" "$what" ms "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f\n", (b - a) / 1e6 }')"
}

# median_ms SYSTEM WHAT RUNS CMD...: RUNS timed runs of CMD; records their median as WHAT.
median_ms() {
    local system=$1 what=$2 runs=$3 i
    shift 3
    for ((i = 0; i < runs; i++)); do
        time_ms "$system" "$what-run" "$@" || return 1
    done
    record "$system" "$what" ms "$(awk -v s="$system" -v w="$what-run" '$1 == s && $2 == w' "$RESULTS" |
        json_field ms | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
    sed -i "/^$system $what-run /d" "$RESULTS"
    echo "  $system $what: median $(result "$system" "$what" 0 ms) ms of $runs" >&2
}

LS=("$OXCTL_BIN" --endpoints "$ENDPOINT" --command-timeout 60s ls)
GET_KEYS=(env ETCDCTL_API=3 "$ETCDCTL_BIN" --endpoints "$ENDPOINT" --command-timeout 60s
    get /registry --prefix --keys-only)

bench_server() {
    local name=$1 bin=$2
    begin_server "$name" "$bin" || return 0
    run_workload "$name" fill "$FILL_CLIENTS" "$ENDPOINT"

    record "$name" rss-before-ls kib "$(status_kib "$SERVER_PID" VmRSS)"
    if time_ms "$name" ls-first "${LS[@]}" /registry; then
        echo "  $name first ls /registry: $(result "$name" ls-first 0 ms) ms" >&2
        cp "$WORK/$name.ls-first.out" "$WORK/$name.ls.out"
    fi
    record "$name" rss-after-ls kib "$(status_kib "$SERVER_PID" VmRSS)"
    median_ms "$name" ls-warm "$RUNS" "${LS[@]}" /registry || true
    if [[ $name == oxcd ]]; then
        median_ms "$name" ls-long "$RUNS" "${LS[@]}" -l /registry || true
    fi
    median_ms "$name" ls-scan "$RUNS" "${LS[@]}" --scan /registry || true
    median_ms "$name" get-keys-only "$SCAN_RUNS" "${GET_KEYS[@]}" || true
    stop_server
    rm -rf "$WORK/$name.data"
}

bench_server etcd "$ETCD_BIN"
bench_server oxcd "$OXCD_BIN"

echo
echo "KEYS=$KEYS: /registry/<type>/<namespace>/<name>, $TYPES types x $NAMESPACES namespaces," \
    "$VAL_SIZE-byte values; times in ms of whole processes (median of $RUNS, of $SCAN_RUNS for etcdctl get)"
# shellcheck disable=SC2059
printf "$COMPARE_ROW" metric etcd oxcd ratio
compare_row "fill put req/s ($FILL_CLIENTS clients)" fill "$FILL_CLIENTS" rps
compare_row "oxctl ls /registry, first" ls-first 0 ms
compare_row "oxctl ls /registry, warm" ls-warm 0 ms
compare_row "oxctl ls -l /registry, warm" ls-long 0 ms
compare_row "oxctl ls --scan /registry" ls-scan 0 ms
compare_row "etcdctl get /registry --prefix -k" get-keys-only 0 ms
compare_row "server RSS before first ls MiB" rss-before-ls 0 kib 1024
compare_row "server RSS after first ls MiB" rss-after-ls 0 kib 1024
echo "(oxctl ls on etcd falls back to the --scan listing; on oxcd it asks the Hierarchy RPC, whose first"
echo " call builds the directory totals. ratio = oxcd / etcd, below 1 is better except for req/s.)"
if [[ -f $WORK/etcd.ls.out && -f $WORK/oxcd.ls.out ]]; then
    if cmp -s "$WORK/etcd.ls.out" "$WORK/oxcd.ls.out"; then
        echo "oxctl ls /registry printed the same $(wc -l <"$WORK/oxcd.ls.out") children on both"
    else
        echo "warning: oxctl ls /registry printed different children on etcd and oxcd:" >&2
        diff "$WORK/etcd.ls.out" "$WORK/oxcd.ls.out" | head -20 >&2
    fi
fi
warn_failed_runs
