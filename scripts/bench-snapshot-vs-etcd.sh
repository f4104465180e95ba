#!/usr/bin/env bash
# Benchmarks snapshots of the real etcd and of oxcd, one after the other, each on the same ports with a
# fresh data dir in /tmp. For each server:
#   1. fills the store with SIZE bytes of values (oxbench put: VAL_SIZE-byte values under distinct
#      16-byte keys, FILL_CLIENTS clients);
#   2. `etcdctl snapshot save` with nothing else running: wall time, file size, and the server's peak
#      RSS meanwhile (VmHWM of /proc/PID/status, reset to the current RSS just before through
#      /proc/PID/clear_refs; the RSS before is shown too);
#   3. a light put load (oxbench put, LOAD_CLIENTS clients, VAL_SIZE-byte values over 1000 8-byte keys)
#      alone, then the same load again while `etcdctl snapshot save` runs: p50 / p99 latency and req/s
#      of both runs. Each run has as many requests as the load completes, at its rate alone, in the
#      time the snapshot of step 2 took (at least LOAD_MIN_TOTAL), so the loaded run spans about the
#      snapshot; the snapshot's own time under load is shown too;
#   4. stops the server, removes its data dir, and restores the snapshot of step 3 into a new data dir:
#      `etcdctl snapshot restore` for etcd, `oxutl snapshot restore` for oxcd (wall time, and the
#      restoring process's peak RSS from /usr/bin/time).
# then prints a table: each metric for etcd and oxcd, and oxcd's ratio to etcd.
# The snapshot of step 2 is removed once measured, and the server's data dir before the restore, so
# that at most one data dir and one snapshot file are on disk at a time (besides oxcd's own export
# file, which it builds in its data dir before it sends it).
#
# Usage: scripts/bench-snapshot-vs-etcd.sh   (build first: cargo build --release -p oxcd -p oxutl -p oxbench)
#        SIZE=512MiB scripts/bench-snapshot-vs-etcd.sh
# Environment:
#   ETCD_BIN=/usr/bin/etcd  OXCD_BIN=target/release/oxcd   a server binary that does not exist is
#                           skipped (its column shows "-")
#   OXBENCH_BIN=target/release/oxbench  OXUTL_BIN=target/release/oxutl
#   ETCDCTL_BIN=/usr/bin/etcdctl   saves both servers' snapshots and restores etcd's (etcd 3.4's
#                           etcdctl: 3.5's moved restore to etcdutl)
#   SIZE=1GiB               bytes of values to fill each store with: a number with an optional suffix
#                           K M G (powers of 1000) or KiB MiB GiB (powers of 1024)
#   VAL_SIZE=4000           bytes per value. A little under 4 KiB on purpose: a 4096-byte value plus
#                           etcd's key-value header no longer fits two to a pair of bbolt pages, which
#                           would make etcd's file half as big again as the data
#   FILL_CLIENTS=64         clients of the fill (connections = min(clients, 16))
#   LOAD_CLIENTS=2          clients of the light put load
#   LOAD_MIN_TOTAL=500      the fewest requests per light-load run
#   QUOTA_BACKEND_BYTES=0   --quota-backend-bytes of both servers; 0 picks 4 x SIZE (at least 2 GiB,
#                           etcd's default), so that the fill does not raise NOSPACE
#   CLIENT_PORT=32379 PEER_PORT=32380   ports; the script refuses to start when one is taken. Keep
#                           them below the ephemeral range (32768+), where outgoing connections may
#                           hold them
#   MIN_FREE_FACTOR=5       refuse to start unless /tmp has MIN_FREE_FACTOR x SIZE free. At its peak
#                           (oxcd's snapshot) the disk holds the data dir (1.5 to 2.5 x SIZE with
#                           4000-byte values: backend plus the WAL or raft log not yet purged), oxcd's
#                           export file and the snapshot file being saved (SIZE each); a SIZE=384MiB run
#                           used at most 3.7 x SIZE
#   KEEP=1                  keep the work dir (server logs, raw JSON results; data dirs and snapshot
#                           files are removed as the run goes anyway)
#
# Every step is bounded: servers get STARTUP_SECS to answer, the fill FILL_TIMEOUT_SECS, each light
# load and each snapshot save or restore STEP_TIMEOUT_SECS.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ETCD_BIN=${ETCD_BIN:-/usr/bin/etcd}
OXCD_BIN=${OXCD_BIN:-$ROOT/target/release/oxcd}
OXBENCH_BIN=${OXBENCH_BIN:-$ROOT/target/release/oxbench}
OXUTL_BIN=${OXUTL_BIN:-$ROOT/target/release/oxutl}
ETCDCTL_BIN=${ETCDCTL_BIN:-/usr/bin/etcdctl}
SIZE=${SIZE:-1GiB}
VAL_SIZE=${VAL_SIZE:-4000}
FILL_CLIENTS=${FILL_CLIENTS:-64}
LOAD_CLIENTS=${LOAD_CLIENTS:-2}
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

large_store_setup bench-snapshot-vs-etcd 4

# The fill and the light load, for run_workload.
workload_args() {
    case $1 in
    fill) echo put --key-size 16 --val-size "$VAL_SIZE" --sequential-keys --key-space-size "$FILL_KEYS" ;;
    load-*) echo put --key-size 8 --val-size "$VAL_SIZE" --sequential-keys --key-space-size 1000 ;;
    esac
}

# Requests per run: the fill writes each key once; the light load's total is set by bench_server.
LOAD_TOTAL=$LOAD_MIN_TOTAL
total_for() {
    case $1 in
    fill) echo "$FILL_KEYS" ;;
    *) echo "$LOAD_TOTAL" ;;
    esac
}

# snapshot_save SYSTEM WHAT FILE: `etcdctl snapshot save FILE`, its wall time recorded as WHAT seconds.
# etcdctl 3.4 puts no deadline on a save without --command-timeout; STEP_TIMEOUT_SECS bounds it.
snapshot_save() {
    local system=$1 what=$2 file=$3 start
    start=$(now)
    if ! timeout "$STEP_TIMEOUT_SECS" env ETCDCTL_API=3 "$ETCDCTL_BIN" --endpoints "$ENDPOINT" \
        snapshot save "$file" >>"$WORK/$system.etcdctl.log" 2>&1; then
        echo "  $system: snapshot save failed; etcdctl said:" >&2
        tail -5 "$WORK/$system.etcdctl.log" >&2
        rm -f "$file" "$file.part"
        return 1
    fi
    record "$system" "$what" seconds "$(since "$start")"
}

# bench_server NAME BIN RESTORE...: the four steps above on a fresh server; RESTORE is the restore
# command (the snapshot file and --data-dir DIR are appended).
bench_server() {
    local name=$1 bin=$2 snap hwm_reset=1 rss start bytes load_secs rps
    shift 2
    local restore=("$@")
    if ! command -v "${restore[0]}" >/dev/null; then
        echo "skipping $name: no restore tool at ${restore[0]}" >&2
        return 0
    fi
    begin_server "$name" "$bin" || return 0

    # 1. Fill.
    RUN_TIMEOUT_SECS=$FILL_TIMEOUT_SECS run_workload "$name" fill "$FILL_CLIENTS" "$ENDPOINT"
    record "$name" data-dir bytes "$(du -sb "$WORK/$name.data" | cut -f1)"
    echo "  $name data dir after the fill: $(mib "$(result "$name" data-dir 0 bytes)") MiB," \
        "$(($(free_bytes /tmp) / 1024 ** 2)) MiB free in /tmp" >&2

    # 2. Snapshot alone, with the server's peak RSS meanwhile.
    snap=$WORK/$name.snapshot.db
    rss=$(status_kib "$SERVER_PID" VmRSS)
    record "$name" rss-before kib "$rss"
    if ! echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null; then
        hwm_reset=0
        echo "  warning: could not reset $name's VmHWM; its peak covers the whole run, fill included" >&2
    fi
    if snapshot_save "$name" snapshot-idle "$snap"; then
        record "$name" rss-peak kib "$(status_kib "$SERVER_PID" VmHWM)"
        record "$name" snapshot-idle bytes "$(stat -c %s "$snap")"
        echo "  $name snapshot save: $(result "$name" snapshot-idle 0 seconds) s," \
            "$(mib "$(result "$name" snapshot-idle 0 bytes)") MiB; RSS $((rss / 1024)) MiB before," \
            "peak $(($(result "$name" rss-peak 0 kib) / 1024)) MiB during" >&2
        rm -f "$snap"
    fi
    ((hwm_reset)) || record "$name" rss-peak-is-lifetime kib 1

    # 3. The light load alone, then during a snapshot; each run about as long as the snapshot took.
    load_secs=$(result "$name" snapshot-idle 0 seconds)
    [[ $load_secs == - ]] && load_secs=5
    LOAD_TOTAL=$LOAD_MIN_TOTAL
    run_workload "$name" load-calibrate "$LOAD_CLIENTS" "$ENDPOINT"
    rps=$(result "$name" load-calibrate "$LOAD_CLIENTS" rps)
    if [[ $rps != - ]]; then
        LOAD_TOTAL=$(awk -v r="$rps" -v s="$load_secs" -v m="$LOAD_MIN_TOTAL" \
            'BEGIN { t = int(r * s); print (t < m ? m : t) }')
    fi
    run_workload "$name" load-alone "$LOAD_CLIENTS" "$ENDPOINT"
    run_workload "$name" load-snapshot "$LOAD_CLIENTS" "$ENDPOINT" &
    local load_pid=$!
    snapshot_save "$name" snapshot-loaded "$snap" || true
    wait "$load_pid" || true
    if [[ -f $snap ]]; then
        echo "  $name snapshot save under the load: $(result "$name" snapshot-loaded 0 seconds) s" >&2
    fi

    # 4. Restore the last snapshot into a new data dir, with the server stopped and its data dir gone.
    stop_server
    rm -rf "$WORK/$name.data"
    if [[ -f $snap ]]; then
        start=$(now)
        if timeout "$STEP_TIMEOUT_SECS" /usr/bin/time -f "%M" -o "$WORK/$name.restore.rss" \
            "${restore[@]}" "$snap" --data-dir "$WORK/$name.restored" \
            >"$WORK/$name.restore.log" 2>&1; then
            record "$name" restore seconds "$(since "$start")"
            record "$name" restore-rss kib "$(tail -1 "$WORK/$name.restore.rss")"
            record "$name" restored-dir bytes "$(du -sb "$WORK/$name.restored" | cut -f1)"
            echo "  $name restore: $(result "$name" restore 0 seconds) s" >&2
        else
            echo "  $name: restore failed; it said:" >&2
            tail -5 "$WORK/$name.restore.log" >&2
        fi
    fi
    rm -rf "$snap" "$WORK/$name.restored"
}

bench_server etcd "$ETCD_BIN" env ETCDCTL_API=3 "$ETCDCTL_BIN" snapshot restore
bench_server oxcd "$OXCD_BIN" "$OXUTL_BIN" snapshot restore


echo
echo "SIZE=$SIZE: $FILL_KEYS keys of 16 bytes with $VAL_SIZE-byte values; light load: $LOAD_CLIENTS clients" \
    "putting $VAL_SIZE-byte values over 1000 keys"
# shellcheck disable=SC2059
printf "$COMPARE_ROW" metric etcd oxcd ratio
compare_row "fill put req/s ($FILL_CLIENTS clients)" fill "$FILL_CLIENTS" rps
compare_row "data dir after fill MiB" data-dir 0 bytes 1048576
compare_row "snapshot save s (idle)" snapshot-idle 0 seconds
compare_row "snapshot file MiB" snapshot-idle 0 bytes 1048576
compare_row "server RSS before snapshot MiB" rss-before 0 kib 1024
compare_row "server peak RSS in snapshot MiB" rss-peak 0 kib 1024
compare_row "put p50 ms, no snapshot" load-alone "$LOAD_CLIENTS" p50_ms
compare_row "put p50 ms, during snapshot" load-snapshot "$LOAD_CLIENTS" p50_ms
compare_row "put p99 ms, no snapshot" load-alone "$LOAD_CLIENTS" p99_ms
compare_row "put p99 ms, during snapshot" load-snapshot "$LOAD_CLIENTS" p99_ms
compare_row "put req/s, no snapshot" load-alone "$LOAD_CLIENTS" rps
compare_row "put req/s, during snapshot" load-snapshot "$LOAD_CLIENTS" rps
compare_row "put run s, during snapshot" load-snapshot "$LOAD_CLIENTS" seconds
compare_row "snapshot save s (under the load)" snapshot-loaded 0 seconds
compare_row "restore s" restore 0 seconds
compare_row "restore peak RSS MiB" restore-rss 0 kib 1024
compare_row "restored data dir MiB" restored-dir 0 bytes 1048576
echo "(ratio = oxcd / etcd; below 1 is better except for req/s. Restore: etcdctl snapshot restore for"
echo " etcd, oxutl snapshot restore for oxcd, each of its own snapshot (the one taken under the load).)"
for name in etcd oxcd; do
    if [[ $(result "$name" rss-peak-is-lifetime 0 kib) != - ]]; then
        echo "warning: $name's peak RSS could not be reset before the snapshot: it covers the fill too" >&2
    fi
done
warn_failed_runs
