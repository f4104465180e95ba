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
#   TLS=1                   serve the client URL over TLS with client certificate authentication
#                           (https://, --cert-file --key-file --trusted-ca-file --client-cert-auth) and
#                           connect with --cacert --cert --key; the script generates a throwaway CA, a
#                           server certificate for 127.0.0.1 and a client certificate into the work dir
#                           with openssl. Default TLS=0: plaintext
#   AUTH=1                  enable auth once the server answers (as an anonymous client, with etcdctl: user
#                           root with role root, role bench with readwrite on every key, user bench with
#                           it, `auth enable`) and run oxbench with --user bench:PASSWORD, so each
#                           connection authenticates once (at the default bcrypt cost) and every request
#                           carries a simple token through the permission checks (bench is no root: root
#                           skips them). AUTH=both runs each server twice, with a fresh data dir each
#                           time: without auth, then with it, and prints what auth costs each server and
#                           oxcd's ratio to etcd both ways. Default AUTH=0: no auth
#   ETCDCTL_BIN=etcdctl     seeds the key the range workloads read (curl to the JSON gateway if absent),
#                           and sets up auth (required for AUTH=1 and AUTH=both)
#   KEEP=1                  keep the work dir (data dirs, server logs, raw JSON results, certificates)
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
TLS=${TLS:-0}
AUTH=${AUTH:-0}
ETCDCTL_BIN=${ETCDCTL_BIN:-etcdctl}
RANGE_KEY=foo

# shellcheck source=scripts/bench-common.sh
source "$ROOT/scripts/bench-common.sh"

if [[ ! -x $OXBENCH_BIN ]]; then
    echo "no oxbench at $OXBENCH_BIN: run cargo build --release -p oxbench" >&2
    exit 1
fi
case $AUTH in
0) AUTH_MODES=off ;;
1) AUTH_MODES=on ;;
both) AUTH_MODES="off on" ;;
*)
    echo "AUTH must be 0, 1 or both, not '$AUTH'" >&2
    exit 1
    ;;
esac
if [[ $AUTH != 0 ]] && ! command -v "$ETCDCTL_BIN" >/dev/null; then
    echo "AUTH=$AUTH needs etcdctl to set up users and roles: set ETCDCTL_BIN" >&2
    exit 1
fi

single_server_work bench-vs-etcd

if [[ $TLS == 1 ]]; then
    tls_setup "$WORK/tls"
fi
ENDPOINT=$CLIENT_SCHEME://127.0.0.1:$CLIENT_PORT

# The key the range workloads read: one small value, written through the KV API.
seed_range_key() {
    local put='{"key":"Zm9v","value":"YmFy"}' # base64 of foo / bar
    if command -v "$ETCDCTL_BIN" >/dev/null && ETCDCTL_API=3 "$ETCDCTL_BIN" --endpoints "$ENDPOINT" \
        "${CLIENT_TLS_ARGS[@]}" --command-timeout 5s put "$RANGE_KEY" bar >/dev/null 2>&1; then
        return 0
    fi
    if curl -sf -m 5 "${CLIENT_TLS_ARGS[@]}" -X POST "$ENDPOINT/v3/kv/put" -d "$put" >/dev/null 2>&1; then
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
    scaled_total "$base"
}

# bench_server NAME BIN AUTH: runs every workload on a fresh server, with auth when AUTH is "on"; its
# results are labelled NAME, or NAME-auth with auth.
bench_server() {
    local name=$1 bin=$2 auth=$3 label=$1 workload clients
    [[ $auth == on ]] && label=$name-auth
    begin_server "$label" "$bin" || return 0
    # Before auth is enabled, so that seeding needs no user.
    seed_range_key
    if [[ $auth == on ]] && ! auth_setup "$ENDPOINT" "$WORK/$label.etcdctl.log"; then
        echo "skipping $label: auth could not be enabled" >&2
        stop_server
        return 0
    fi
    for workload in $WORKLOADS; do
        for clients in $CLIENTS; do
            run_workload "$label" "$workload" "$clients" "$ENDPOINT"
        done
    done
    CLIENT_AUTH_ARGS=()
    stop_server
}

# Without and with auth back to back on each server, so that a machine whose speed drifts over the run
# skews the cost of auth less than the comparison between the servers.
for name in etcd oxcd; do
    bin=$ETCD_BIN
    [[ $name == oxcd ]] && bin=$OXCD_BIN
    for auth in $AUTH_MODES; do
        bench_server "$name" "$bin" "$auth"
    done
done

echo
[[ $TLS == 1 ]] && echo "TLS on the client URL, with client certificate authentication"
case $AUTH in
0) print_table 15 "$WORKLOADS" ;;
1)
    echo "auth on: each connection authenticated as $BENCH_USER (readwrite on every key), simple tokens"
    print_table 15 "$WORKLOADS" -auth
    ;;
both)
    echo "req/s without auth and with it (each connection authenticated as $BENCH_USER, readwrite on every key)"
    print_auth_table 15 "$WORKLOADS" rps req/s
    echo
    echo "p99 latency in ms"
    print_auth_table 15 "$WORKLOADS" p99_ms "p99 ms"
    echo "(on/off = with auth / without; ox/etcd = oxcd / etcd without auth, ox/etcd+a = with auth;"
    echo " above 1 is better for req/s, below 1 is better for p99)"
    ;;
esac
warn_failed_runs
