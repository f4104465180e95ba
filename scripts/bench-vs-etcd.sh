#!/usr/bin/env bash
# Benchmarks the real etcd and oxcd one after the other, each on the same ports with a fresh data dir
# in /tmp, using oxbench (put, range --consistency l, range --consistency s, lease-keepalive at 1, 64
# and 256 clients),
# then prints a table: throughput and p99 latency of each, and oxcd's ratio to etcd.
#
# Usage: scripts/bench-vs-etcd.sh            (build first: cargo build --release -p oxbench -p oxcd)
# Environment:
#   ETCD_BIN=/usr/bin/etcd  OXCD_BIN=target/release/oxcd  OXBENCH_BIN=target/release/oxbench
#                           a server binary that does not exist is skipped (its columns show "-")
#   CLIENT_PORT=23790 PEER_PORT=23800   ports; the script refuses to start when one is taken. Keep them
#                           below the ephemeral range (32768+), where outgoing connections may hold them
#   CLIENTS="1 64 256"      client counts; connections = min(clients, 16)
#   WORKLOADS="put range-l range-s lease-keepalive"   the workloads to run, in order
#   SCALE=1                 multiplies every request total (the default run takes about 1-2 minutes per server)
#   KEEP=1                  keep the work dir (data dirs, server logs, raw JSON results)
#
# Every step is bounded: servers get STARTUP_SECS to answer, each oxbench run RUN_TIMEOUT_SECS.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ETCD_BIN=${ETCD_BIN:-/usr/bin/etcd}
OXCD_BIN=${OXCD_BIN:-$ROOT/target/release/oxcd}
OXBENCH_BIN=${OXBENCH_BIN:-$ROOT/target/release/oxbench}
CLIENT_PORT=${CLIENT_PORT:-23790}
PEER_PORT=${PEER_PORT:-23800}
CLIENTS=${CLIENTS:-"1 64 256"}
WORKLOADS=${WORKLOADS:-"put range-l range-s lease-keepalive"}
SCALE=${SCALE:-1}
STARTUP_SECS=${STARTUP_SECS:-20}
RUN_TIMEOUT_SECS=${RUN_TIMEOUT_SECS:-120}
ENDPOINT=127.0.0.1:$CLIENT_PORT
RANGE_KEY=foo

if [[ ! -x $OXBENCH_BIN ]]; then
    echo "no oxbench at $OXBENCH_BIN: run cargo build --release -p oxbench" >&2
    exit 1
fi

WORK=$(mktemp -d /tmp/bench-vs-etcd.XXXXXX)
RESULTS=$WORK/results.jsonl
: >"$RESULTS"
SERVER_PID=

stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.2
    done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}

cleanup() {
    stop_server
    if [[ ${KEEP:-0} == 1 ]]; then
        echo "kept $WORK" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Starts server $1 (etcd or oxcd) from binary $2 with a fresh data dir; returns once it answers a Range,
# or fails (with the server stopped) when it exits or stays silent for STARTUP_SECS.
start_server() {
    local name=$1 bin=$2 port
    for port in "$CLIENT_PORT" "$PEER_PORT"; do
        if port_in_use "$port"; then
            echo "port $port is already in use: stop what listens there or set CLIENT_PORT/PEER_PORT" >&2
            exit 1
        fi
    done
    "$bin" --name b --data-dir "$WORK/$name.data" \
        --listen-client-urls "http://$ENDPOINT" --advertise-client-urls "http://$ENDPOINT" \
        --listen-peer-urls "http://127.0.0.1:$PEER_PORT" \
        --initial-advertise-peer-urls "http://127.0.0.1:$PEER_PORT" \
        --initial-cluster "b=http://127.0.0.1:$PEER_PORT" >"$WORK/$name.log" 2>&1 &
    SERVER_PID=$!
    local deadline=$((SECONDS + STARTUP_SECS))
    while ((SECONDS < deadline)); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "$name exited during startup; its log:" >&2
            tail -20 "$WORK/$name.log" >&2
            SERVER_PID=
            return 1
        fi
        if "$OXBENCH_BIN" --endpoints "$ENDPOINT" --dial-timeout 1 --request-timeout 2 --json \
            range "$RANGE_KEY" --total 1 >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.2
    done
    echo "$name did not answer within ${STARTUP_SECS}s; its log:" >&2
    tail -20 "$WORK/$name.log" >&2
    stop_server
    return 1
}

# The key the range workloads read: one small value, written through the KV API.
seed_range_key() {
    local put='{"key":"Zm9v","value":"YmFy"}' # base64 of foo / bar
    if command -v etcdctl >/dev/null && ETCDCTL_API=3 etcdctl --endpoints "$ENDPOINT" \
        --command-timeout 5s put "$RANGE_KEY" bar >/dev/null 2>&1; then
        return 0
    fi
    if curl -sf -m 5 -X POST "http://$ENDPOINT/v3/kv/put" -d "$put" >/dev/null 2>&1; then
        return 0
    fi
    echo "warning: could not write '$RANGE_KEY'; range workloads read a missing key" >&2
}

# Requests per run for a workload and client count: enough for a few seconds on a small machine.
total_for() {
    local workload=$1 clients=$2 base
    case $workload in
    put) base=$((clients == 1 ? 5000 : clients <= 64 ? 40000 : 50000)) ;;
    *) base=$((clients == 1 ? 10000 : clients <= 64 ? 60000 : 80000)) ;;
    esac
    awk -v b="$base" -v s="$SCALE" 'BEGIN { t = int(b * s); print (t < 1 ? 1 : t) }'
}

json_field() { # json_field FIELD < one JSON line
    sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p"
}

# run_workload SERVER WORKLOAD CLIENTS: one oxbench run, appended to $RESULTS as "SERVER WORKLOAD CLIENTS JSON".
run_workload() {
    local server=$1 workload=$2 clients=$3 total conns args out
    total=$(total_for "$workload" "$clients")
    conns=$((clients < 16 ? clients : 16))
    case $workload in
    put) args=(put --key-size 8 --val-size 256 --sequential-keys --key-space-size 100000) ;;
    range-l) args=(range "$RANGE_KEY" --consistency l) ;;
    range-s) args=(range "$RANGE_KEY" --consistency s) ;;
    lease-keepalive) args=(lease-keepalive) ;;
    esac
    if ! out=$(timeout "$RUN_TIMEOUT_SECS" "$OXBENCH_BIN" --endpoints "$ENDPOINT" --conns "$conns" \
        --clients "$clients" --json "${args[@]}" --total "$total" 2>"$WORK/oxbench.err"); then
        echo "  $server $workload clients=$clients: failed ($(tail -1 "$WORK/oxbench.err"))" >&2
        out='{"rps":null,"p99_ms":null,"errors":null}'
    fi
    echo "$server $workload $clients $out" >>"$RESULTS"
    echo "  $server $workload clients=$clients total=$total: $(json_field rps <<<"$out") req/s," \
        "p99 $(json_field p99_ms <<<"$out") ms, errors $(json_field errors <<<"$out")" >&2
}

bench_server() {
    local name=$1 bin=$2 workload clients
    if [[ ! -x $bin ]]; then
        echo "skipping $name: no binary at $bin" >&2
        return 0
    fi
    echo "== $name ($bin)" >&2
    if ! start_server "$name" "$bin"; then
        echo "skipping $name: it did not start" >&2
        return 0
    fi
    seed_range_key
    for workload in $WORKLOADS; do
        for clients in $CLIENTS; do
            run_workload "$name" "$workload" "$clients"
        done
    done
    stop_server
}

bench_server etcd "$ETCD_BIN"
bench_server oxcd "$OXCD_BIN"

# result SERVER WORKLOAD CLIENTS FIELD: the field, or "-" when that run did not happen or failed.
result() {
    local value
    value=$(awk -v s="$1" -v w="$2" -v c="$3" '$1 == s && $2 == w && $3 == c { $1 = $2 = $3 = ""; print }' \
        "$RESULTS" | json_field "$4")
    [[ -n $value && $value != null ]] && echo "$value" || echo "-"
}

ratio() {
    [[ $1 == - || $2 == - ]] && { echo "-"; return; }
    awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 == 0) print "-"; else printf "%.2f\n", b / a }'
}

echo
printf '%-15s %7s %11s %11s %6s %12s %12s %6s\n' \
    workload clients "etcd req/s" "oxcd req/s" ratio "etcd p99 ms" "oxcd p99 ms" ratio
for workload in $WORKLOADS; do
    for clients in $CLIENTS; do
        er=$(result etcd "$workload" "$clients" rps)
        or=$(result oxcd "$workload" "$clients" rps)
        ep=$(result etcd "$workload" "$clients" p99_ms)
        op=$(result oxcd "$workload" "$clients" p99_ms)
        printf '%-15s %7s %11s %11s %6s %12s %12s %6s\n' "$workload" "$clients" \
            "${er%.*}" "${or%.*}" "$(ratio "$er" "$or")" "$ep" "$op" "$(ratio "$ep" "$op")"
    done
done
echo "(ratio = oxcd / etcd: above 1 is better for req/s, below 1 is better for p99)"
for server in etcd oxcd; do
    failed=$(awk -v s="$server" '$1 == s' "$RESULTS" | json_field errors | awk '$1 != 0' | wc -l)
    if ((failed > 0)); then
        echo "warning: $failed $server run(s) had failed requests or did not finish; see the progress lines" >&2
    fi
done
