#!/usr/bin/env bash
# Benchmarks a 3-member real etcd cluster and a 3-member oxcd cluster on this machine, one after the
# other, each on the same ports with fresh data dirs in /tmp:
#   - oxbench put and range --consistency l at 1, 64 and 256 clients, --endpoints of all 3 members;
#   - the time to elect a new leader after kill -9 of the leader, polling `etcdctl endpoint status`
#     on the survivors every 50 ms (ELECTION_TRIALS times: the killed member is restarted between);
# then prints a table: throughput and p99 latency of each, oxcd's ratio to etcd, and election times.
#
# Usage: scripts/bench-cluster-vs-etcd.sh   (build first: cargo build --release -p oxcd -p oxbench)
# Environment:
#   ETCD_BIN=/usr/bin/etcd  OXCD_BIN=target/release/oxcd  OXBENCH_BIN=target/release/oxbench
#   ETCDCTL_BIN=/usr/bin/etcdctl   a server binary that does not exist is skipped (its columns show "-")
#   CLIENT_BASE=23790 PEER_BASE=23800   member i (1..3) listens on CLIENT_BASE+i and PEER_BASE+i; the
#                           script refuses to start when one is taken. Keep them below 32768
#   CLIENTS="1 64 256"      client counts; connections = min(clients, 16), spread over the members
#   SCALE=1                 multiplies every request total (the default run takes about 2 minutes per system)
#   LEADER_FIRST=1          move leadership to member 1 before the workloads, so that a single client
#                           (one connection, to the first endpoint) talks to the leader in both systems
#   ELECTION_TRIALS=3       kill -9 / re-election rounds per system
#   KEEP=1                  keep the work dir (data dirs, server logs, raw JSON results)
#
# Every step is bounded: members get STARTUP_SECS to answer, each oxbench run RUN_TIMEOUT_SECS, each
# election ELECTION_TIMEOUT_SECS.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ETCD_BIN=${ETCD_BIN:-/usr/bin/etcd}
ETCDCTL_BIN=${ETCDCTL_BIN:-/usr/bin/etcdctl}
OXCD_BIN=${OXCD_BIN:-$ROOT/target/release/oxcd}
OXBENCH_BIN=${OXBENCH_BIN:-$ROOT/target/release/oxbench}
CLIENT_BASE=${CLIENT_BASE:-23790}
PEER_BASE=${PEER_BASE:-23800}
CLIENTS=${CLIENTS:-"1 64 256"}
SCALE=${SCALE:-1}
LEADER_FIRST=${LEADER_FIRST:-1}
ELECTION_TRIALS=${ELECTION_TRIALS:-3}
STARTUP_SECS=${STARTUP_SECS:-30}
RUN_TIMEOUT_SECS=${RUN_TIMEOUT_SECS:-90}
ELECTION_TIMEOUT_SECS=${ELECTION_TIMEOUT_SECS:-20}
RANGE_KEY=foo
MEMBERS="1 2 3"
WORKLOADS="put range-l"

# shellcheck source=scripts/bench-common.sh
source "$ROOT/scripts/bench-common.sh"

for bin in "$OXBENCH_BIN" "$ETCDCTL_BIN"; do
    if [[ ! -x $bin ]]; then
        echo "no $bin: build oxbench (cargo build --release -p oxbench) and install etcdctl" >&2
        exit 1
    fi
done

WORK=$(mktemp -d /tmp/bench-cluster-vs-etcd.XXXXXX)
RESULTS=$WORK/results.jsonl
ELECTIONS=$WORK/elections.txt
: >"$RESULTS"
: >"$ELECTIONS"
declare -A PIDS=()

client_url() { echo "http://127.0.0.1:$((CLIENT_BASE + $1))"; }
peer_url() { echo "http://127.0.0.1:$((PEER_BASE + $1))"; }
endpoint() { echo "127.0.0.1:$((CLIENT_BASE + $1))"; }
ALL_ENDPOINTS=$(for i in $MEMBERS; do endpoint "$i"; done | paste -sd,)
INITIAL_CLUSTER=$(for i in $MEMBERS; do echo "n$i=$(peer_url "$i")"; done | paste -sd,)

ctl() { ETCDCTL_API=3 "$ETCDCTL_BIN" --dial-timeout 1s --command-timeout 2s "$@"; }

# Stops member $1: SIGTERM, then SIGKILL after 10 s.
stop_member() {
    local pid=${PIDS[$1]:-}
    [[ -n $pid ]] || return 0
    stop_pid "$pid"
    unset "PIDS[$1]"
}

stop_all() {
    local i
    for i in "${!PIDS[@]}"; do
        stop_member "$i"
    done
}

cleanup() {
    stop_all
    remove_work_dir
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# spawn_member SYSTEM BIN I: starts member I in the background (its data dir kept across restarts).
spawn_member() {
    local system=$1 bin=$2 i=$3
    "$bin" --name "n$i" --data-dir "$WORK/$system.n$i.data" \
        --listen-client-urls "$(client_url "$i")" --advertise-client-urls "$(client_url "$i")" \
        --listen-peer-urls "$(peer_url "$i")" --initial-advertise-peer-urls "$(peer_url "$i")" \
        --initial-cluster "$INITIAL_CLUSTER" --initial-cluster-token "bench-$system" \
        --initial-cluster-state new >>"$WORK/$system.n$i.log" 2>&1 &
    PIDS[$i]=$!
}

# wait_ready SYSTEM I...: until each member answers a linearizable read (which needs a leader).
wait_ready() {
    local system=$1 i
    shift
    local deadline=$((SECONDS + STARTUP_SECS))
    for i in "$@"; do
        while true; do
            if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
                echo "$system member n$i exited; its log:" >&2
                tail -20 "$WORK/$system.n$i.log" >&2
                return 1
            fi
            if answers_range "$(endpoint "$i")"; then
                break
            fi
            if ((SECONDS >= deadline)); then
                echo "$system member n$i did not answer within ${STARTUP_SECS}s; its log:" >&2
                tail -20 "$WORK/$system.n$i.log" >&2
                return 1
            fi
            sleep 0.2
        done
    done
}

start_cluster() {
    local system=$1 bin=$2 i port
    for i in $MEMBERS; do
        for port in $((CLIENT_BASE + i)) $((PEER_BASE + i)); do
            if port_in_use "$port"; then
                echo "port $port is already in use: stop what listens there or set CLIENT_BASE/PEER_BASE" >&2
                exit 1
            fi
        done
    done
    for i in $MEMBERS; do
        spawn_member "$system" "$bin" "$i"
    done
    # shellcheck disable=SC2086
    wait_ready "$system" $MEMBERS
}

# leader_of ENDPOINTS: the endpoint (host:port) whose member reports itself leader, or nothing.
leader_of() {
    ctl --endpoints "$1" endpoint status 2>/dev/null | awk -F', ' '$5 == "true" { print $1; exit }'
}

member_of_endpoint() { # member_of_endpoint 127.0.0.1:PORT -> I
    echo $((${1##*:} - CLIENT_BASE))
}

# Moves leadership to member 1 (bounded: a few attempts).
leader_to_first() {
    local id leader
    id=$(ctl --endpoints "$(endpoint 1)" endpoint status 2>/dev/null | awk -F', ' '{ print $2; exit }')
    for _ in 1 2 3 4 5; do
        leader=$(leader_of "$ALL_ENDPOINTS")
        [[ $leader == "$(endpoint 1)" ]] && return 0
        ctl --endpoints "$ALL_ENDPOINTS" move-leader "$id" >/dev/null 2>&1 || true
        sleep 0.5
    done
    echo "  warning: leadership did not move to n1 (leader: ${leader:-none})" >&2
}

seed_range_key() {
    if ! ctl --endpoints "$ALL_ENDPOINTS" put "$RANGE_KEY" bar >/dev/null 2>&1; then
        echo "warning: could not write '$RANGE_KEY'; range workloads read a missing key" >&2
    fi
}

# Requests per run for a workload and client count: a few seconds each on a small machine.
total_for() {
    local workload=$1 clients=$2 base
    case $workload in
    put) base=$((clients == 1 ? 2000 : clients <= 64 ? 20000 : 30000)) ;;
    *) base=$((clients == 1 ? 5000 : clients <= 64 ? 40000 : 50000)) ;;
    esac
    scaled_total "$base"
}

now_ms() { date +%s%3N; }

# One election: kill -9 the leader, poll the survivors every 50 ms until one reports itself leader,
# record the milliseconds, restart the killed member and wait until it answers again.
election_trial() {
    local system=$1 bin=$2 leader victim survivors start elapsed new
    leader=$(leader_of "$ALL_ENDPOINTS")
    if [[ -z $leader ]]; then
        echo "  $system: no leader to kill" >&2
        return 1
    fi
    victim=$(member_of_endpoint "$leader")
    survivors=$(for i in $MEMBERS; do [[ $i == "$victim" ]] || endpoint "$i"; done | paste -sd,)
    start=$(now_ms)
    kill -9 "${PIDS[$victim]}"
    wait "${PIDS[$victim]}" 2>/dev/null || true
    unset "PIDS[$victim]"
    new=
    while (($(now_ms) - start < ELECTION_TIMEOUT_SECS * 1000)); do
        new=$(ETCDCTL_API=3 "$ETCDCTL_BIN" --endpoints "$survivors" --dial-timeout 1s --command-timeout 1s \
            endpoint status 2>/dev/null | awk -F', ' '$5 == "true" { print $1; exit }')
        [[ -n $new ]] && break
        sleep 0.05
    done
    elapsed=$(($(now_ms) - start))
    if [[ -z $new ]]; then
        echo "  $system: no new leader within ${ELECTION_TIMEOUT_SECS}s of killing n$victim" >&2
        echo "$system -" >>"$ELECTIONS"
    else
        echo "  $system: killed leader n$victim, new leader $new after ${elapsed} ms" >&2
        echo "$system $elapsed" >>"$ELECTIONS"
    fi
    spawn_member "$system" "$bin" "$victim"
    wait_ready "$system" "$victim"
}

bench_system() {
    local system=$1 bin=$2 workload clients trial
    if [[ ! -x $bin ]]; then
        echo "skipping $system: no binary at $bin" >&2
        return 0
    fi
    echo "== $system ($bin), 3 members" >&2
    if ! start_cluster "$system" "$bin"; then
        echo "skipping $system: the cluster did not start" >&2
        stop_all
        return 0
    fi
    seed_range_key
    if [[ $LEADER_FIRST == 1 ]]; then
        leader_to_first
    fi
    echo "  leader: $(leader_of "$ALL_ENDPOINTS")" >&2
    for workload in $WORKLOADS; do
        for clients in $CLIENTS; do
            run_workload "$system" "$workload" "$clients" "$ALL_ENDPOINTS"
        done
    done
    for trial in $(seq "$ELECTION_TRIALS"); do
        election_trial "$system" "$bin" || break
    done
    stop_all
}

bench_system etcd "$ETCD_BIN"
bench_system oxcd "$OXCD_BIN"

# elections SYSTEM: "median (all values)" in ms, or "-".
elections() {
    local values median
    values=$(awk -v s="$1" '$1 == s && $2 != "-" { print $2 }' "$ELECTIONS" | sort -n)
    [[ -n $values ]] || { echo "-"; return; }
    median=$(awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }' <<<"$values")
    echo "$median ($(paste -sd' ' <<<"$values"))"
}

echo
echo "3-member clusters, --endpoints of all members"
print_table 8 "$WORKLOADS"
etcd_elect=$(elections etcd)
oxcd_elect=$(elections oxcd)
echo
echo "new leader after kill -9 of the leader, ms, median (all trials):"
echo "  etcd: $etcd_elect"
echo "  oxcd: $oxcd_elect"
echo "  ratio oxcd / etcd (median): $(ratio "${etcd_elect%% *}" "${oxcd_elect%% *}")"
warn_failed_runs
