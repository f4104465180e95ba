#!/usr/bin/env bash
# Benchmarks Defragment on the real etcd and on oxcd, one after the other, each on the same ports
# with a fresh data dir in /tmp. For each server:
#   1. fills the store with SIZE bytes of values (oxbench put: VAL_SIZE-byte values under distinct
#      16-byte keys, FILL_CLIENTS clients), writes every key once more, and compacts physically at
#      the last revision, so that about half the file is free pages;
#   2. `etcdctl defrag` with nothing else running: wall time, the backend's size before and after
#      (`endpoint status`), and the server's peak RSS meanwhile (VmHWM, reset just before);
#   3. a put load (oxbench put, LOAD_CLIENTS clients, VAL_SIZE-byte values over 1000 8-byte
#      keys) alone, then the same load again while `etcdctl defrag` runs (it rewrites the whole
#      backend again): p50 / p99 / max latency, req/s and failed requests of both runs. Each run has
#      as many requests as the load completes, at its rate alone, in twice the time the defrag of
#      step 2 took plus a second (at least LOAD_MIN_TOTAL), so the loaded run outlasts the defrag,
#      which starts 0.2 s after it. etcd's defrag stops
#      every read and write while it runs; oxcd's copies the backend while they go on.
# then prints a table: each metric for etcd and oxcd, and oxcd's ratio to etcd.
#
# Usage: scripts/bench-defrag-vs-etcd.sh   (build first: cargo build --release -p oxcd -p oxbench)
#        SIZE=256MiB scripts/bench-defrag-vs-etcd.sh
# Environment:
#   ETCD_BIN=/usr/bin/etcd  OXCD_BIN=target/release/oxcd   a server binary that does not exist is
#                           skipped (its column shows "-")
#   OXBENCH_BIN=target/release/oxbench  ETCDCTL_BIN=/usr/bin/etcdctl
#   SIZE=1GiB  VAL_SIZE=4000  FILL_CLIENTS=64  LOAD_MIN_TOTAL=500
#                           as in scripts/bench-snapshot-vs-etcd.sh
#   LOAD_CLIENTS=64         clients of the put load (connections = min(clients, 16))
#   QUOTA_BACKEND_BYTES=0   0 picks 8 x SIZE (at least 2 GiB, etcd's default): the fills write 2 x SIZE,
#                           which takes up to 4 x SIZE of backend (oxcd's redb file holds 4000-byte
#                           values in 8 KiB pages)
#   CLIENT_PORT=32379 PEER_PORT=32380   ports; the script refuses to start when one is taken
#   MIN_FREE_FACTOR=5       refuse to start unless /tmp has MIN_FREE_FACTOR x SIZE free (the data dir
#                           holds about 2 x SIZE after the refill, plus the WAL, plus the defrag's copy)
#   KEEP=1                  keep the work dir (server logs, raw JSON results)
#
# Every step is bounded: servers get STARTUP_SECS to answer, each fill FILL_TIMEOUT_SECS, each
# load and each defrag STEP_TIMEOUT_SECS.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ETCD_BIN=${ETCD_BIN:-/usr/bin/etcd}
OXCD_BIN=${OXCD_BIN:-$ROOT/target/release/oxcd}
OXBENCH_BIN=${OXBENCH_BIN:-$ROOT/target/release/oxbench}
ETCDCTL_BIN=${ETCDCTL_BIN:-/usr/bin/etcdctl}
SIZE=${SIZE:-1GiB}
VAL_SIZE=${VAL_SIZE:-4000}
FILL_CLIENTS=${FILL_CLIENTS:-64}
LOAD_CLIENTS=${LOAD_CLIENTS:-64}
LOAD_MIN_TOTAL=${LOAD_MIN_TOTAL:-500}
QUOTA_BACKEND_BYTES=${QUOTA_BACKEND_BYTES:-0}
CLIENT_PORT=${CLIENT_PORT:-32379}
PEER_PORT=${PEER_PORT:-32380}
MIN_FREE_FACTOR=${MIN_FREE_FACTOR:-5}
STARTUP_SECS=${STARTUP_SECS:-30}
FILL_TIMEOUT_SECS=${FILL_TIMEOUT_SECS:-1800}
STEP_TIMEOUT_SECS=${STEP_TIMEOUT_SECS:-900}
RUN_TIMEOUT_SECS=$STEP_TIMEOUT_SECS # run_workload's bound; the fill overrides it
RANGE_KEY=foo
SCALE=1 # unused here: totals are computed, not scaled

# shellcheck source=scripts/bench-common.sh
source "$ROOT/scripts/bench-common.sh"

large_store_setup bench-defrag-vs-etcd 8

# The fills and the load, for run_workload.
workload_args() {
    case $1 in
    fill | refill) echo put --key-size 16 --val-size "$VAL_SIZE" --sequential-keys --key-space-size "$FILL_KEYS" ;;
    load-*) echo put --key-size 8 --val-size "$VAL_SIZE" --sequential-keys --key-space-size 1000 ;;
    esac
}

LOAD_TOTAL=$LOAD_MIN_TOTAL
total_for() {
    case $1 in
    fill | refill) echo "$FILL_KEYS" ;;
    *) echo "$LOAD_TOTAL" ;;
    esac
}

etcdctl() {
    timeout "$STEP_TIMEOUT_SECS" env ETCDCTL_API=3 "$ETCDCTL_BIN" --endpoints "$ENDPOINT" \
        --command-timeout "${STEP_TIMEOUT_SECS}s" "$@"
}

# db_size: the backend's size in bytes, as `endpoint status` reports it.
db_size() {
    etcdctl endpoint status -w json | json_field dbSize
}

# defrag SYSTEM WHAT: `etcdctl defrag`, its wall time recorded as WHAT seconds.
defrag() {
    local system=$1 what=$2 start
    start=$(now)
    if ! etcdctl defrag >>"$WORK/$system.etcdctl.log" 2>&1; then
        echo "  $system: defrag failed; etcdctl said:" >&2
        tail -5 "$WORK/$system.etcdctl.log" >&2
        return 1
    fi
    record "$system" "$what" seconds "$(since "$start")"
}

# bench_server NAME BIN: the three steps above on a fresh server.
bench_server() {
    local name=$1 bin=$2 hwm_reset=1 rev load_secs rps
    begin_server "$name" "$bin" || return 0

    # 1. Fill, write everything again, compact: half the backend is free pages.
    RUN_TIMEOUT_SECS=$FILL_TIMEOUT_SECS run_workload "$name" fill "$FILL_CLIENTS" "$ENDPOINT"
    RUN_TIMEOUT_SECS=$FILL_TIMEOUT_SECS run_workload "$name" refill "$FILL_CLIENTS" "$ENDPOINT"
    rev=$(etcdctl get "$RANGE_KEY" -w json | json_field revision)
    etcdctl compaction --physical "$rev" >>"$WORK/$name.etcdctl.log" 2>&1

    # 2. Defrag alone, with the server's peak RSS meanwhile.
    record "$name" db-before bytes "$(db_size)"
    if ! echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null; then
        hwm_reset=0
        echo "  warning: could not reset $name's VmHWM; its peak covers the whole run" >&2
    fi
    if defrag "$name" defrag-idle; then
        record "$name" rss-peak kib "$(status_kib "$SERVER_PID" VmHWM)"
        record "$name" db-after bytes "$(db_size)"
        echo "  $name defrag: $(result "$name" defrag-idle 0 seconds) s," \
            "$(mib "$(result "$name" db-before 0 bytes)") -> $(mib "$(result "$name" db-after 0 bytes)") MiB" >&2
    fi
    ((hwm_reset)) || record "$name" rss-peak-is-lifetime kib 1

    # 3. The load alone, then during a defrag; each run about as long as the defrag took.
    load_secs=$(result "$name" defrag-idle 0 seconds)
    [[ $load_secs == - ]] && load_secs=5
    # Twice the defrag's time and a second more: the loaded run must outlast the defrag it spans.
    load_secs=$(awk -v s="$load_secs" 'BEGIN { print 2 * s + 1 }')
    LOAD_TOTAL=$LOAD_MIN_TOTAL
    run_workload "$name" load-calibrate "$LOAD_CLIENTS" "$ENDPOINT"
    rps=$(result "$name" load-calibrate "$LOAD_CLIENTS" rps)
    if [[ $rps != - ]]; then
        LOAD_TOTAL=$(awk -v r="$rps" -v s="$load_secs" -v m="$LOAD_MIN_TOTAL" \
            'BEGIN { t = int(r * s); print (t < m ? m : t) }')
    fi
    run_workload "$name" load-alone "$LOAD_CLIENTS" "$ENDPOINT"
    run_workload "$name" load-defrag "$LOAD_CLIENTS" "$ENDPOINT" &
    local load_pid=$!
    # The defrag starts once the load runs (its connections take a moment).
    sleep 0.2
    defrag "$name" defrag-loaded || true
    wait "$load_pid" || true
    echo "  $name defrag under the load: $(result "$name" defrag-loaded 0 seconds) s" >&2
    stop_server
    rm -rf "$WORK/$name.data"
}

bench_server etcd "$ETCD_BIN"
bench_server oxcd "$OXCD_BIN"


echo
echo "SIZE=$SIZE: $FILL_KEYS keys of 16 bytes with $VAL_SIZE-byte values, each written twice, then" \
    "compacted; load: $LOAD_CLIENTS clients putting $VAL_SIZE-byte values over 1000 keys"
# shellcheck disable=SC2059
printf "$COMPARE_ROW" metric etcd oxcd ratio
compare_row "backend before defrag MiB" db-before 0 bytes 1048576
compare_row "backend after defrag MiB" db-after 0 bytes 1048576
compare_row "defrag s (idle)" defrag-idle 0 seconds
compare_row "server peak RSS in defrag MiB" rss-peak 0 kib 1024
compare_row "put p50 ms, no defrag" load-alone "$LOAD_CLIENTS" p50_ms
compare_row "put p50 ms, during defrag" load-defrag "$LOAD_CLIENTS" p50_ms
compare_row "put p99 ms, no defrag" load-alone "$LOAD_CLIENTS" p99_ms
compare_row "put p99 ms, during defrag" load-defrag "$LOAD_CLIENTS" p99_ms
compare_row "put max ms, no defrag" load-alone "$LOAD_CLIENTS" max_ms
compare_row "put max ms, during defrag" load-defrag "$LOAD_CLIENTS" max_ms
compare_row "put req/s, no defrag" load-alone "$LOAD_CLIENTS" rps
compare_row "put req/s, during defrag" load-defrag "$LOAD_CLIENTS" rps
compare_row "failed puts, during defrag" load-defrag "$LOAD_CLIENTS" errors
compare_row "defrag s (under the load)" defrag-loaded 0 seconds
echo "(ratio = oxcd / etcd; below 1 is better except for req/s)"
for name in etcd oxcd; do
    if [[ $(result "$name" rss-peak-is-lifetime 0 kib) != - ]]; then
        echo "warning: $name's peak RSS could not be reset before the defrag: it covers the fills too" >&2
    fi
done
warn_failed_runs
