# Helpers shared by scripts/bench-vs-etcd.sh and scripts/bench-cluster-vs-etcd.sh; sourced, not run.
#
# The sourcing script sets OXBENCH_BIN, RANGE_KEY, SCALE, RUN_TIMEOUT_SECS, WORK (its work dir) and
# RESULTS (one line per oxbench run: "SYSTEM WORKLOAD CLIENTS JSON"), and defines
# `total_for WORKLOAD CLIENTS` (the requests of one run, usually through `scaled_total`).
# With TLS, it calls `tls_setup` once $WORK exists and builds its client URLs with $CLIENT_SCHEME.
# With auth, it sets ETCDCTL_BIN and calls `auth_setup` once the server answers.
# A single-server script also sets CLIENT_PORT, PEER_PORT, ENDPOINT, STARTUP_SECS and SERVER_PID= and
# uses `start_server` / `stop_server`; SERVER_EXTRA_ARGS adds flags to both servers' command lines.
# A script with workloads of its own for `run_workload` defines `workload_args WORKLOAD` (their
# oxbench arguments, one word each, printed on one line).

# TLS on the client URLs; `tls_setup` fills these, plaintext leaves them as they are.
CLIENT_SCHEME=http
SERVER_TLS_ARGS=() # etcd / oxcd flags
CLIENT_TLS_ARGS=() # oxbench, etcdctl and curl flags (all three spell them --cacert --cert --key)

# The user oxbench authenticates as once `auth_setup` has run; without it CLIENT_AUTH_ARGS stays empty.
BENCH_USER=bench
BENCH_PASSWORD=bench-pw
CLIENT_AUTH_ARGS=() # oxbench flags

SERVER_EXTRA_ARGS=() # flags given to both etcd and oxcd by `start_server`

# tls_cert DIR NAME EXTENSION...: a P-256 key DIR/NAME.key and a certificate DIR/NAME.crt for it,
# signed by DIR/ca, with the given X.509v3 extensions (openssl config lines).
tls_cert() {
    local dir=$1 name=$2
    shift 2
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$dir/$name.key" \
        -subj "/CN=oxcd-bench-$name" -out "$dir/$name.csr" &&
        openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -days 2 \
            -set_serial "0x$(openssl rand -hex 8)" -out "$dir/$name.crt" -extfile <(printf '%s\n' \
                basicConstraints=critical,CA:FALSE keyUsage=critical,digitalSignature "$@")
}

# tls_setup DIR: generates a throwaway CA (ECDSA P-256, valid 2 days), a server certificate for
# IP 127.0.0.1 and a client certificate (clientAuth) into DIR, and switches the variables above to
# TLS with client certificate authentication. The server certificate has clientAuth besides
# serverAuth because etcd's grpc-gateway dials its own gRPC port with it (without clientAuth etcd
# logs "rejected connection ... incompatible key usage" and its JSON gateway does not work).
tls_setup() {
    local dir=$1
    if ! command -v openssl >/dev/null; then
        echo "TLS=1 needs openssl to generate certificates" >&2
        return 1
    fi
    mkdir -p "$dir"
    if ! {
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
            -keyout "$dir/ca.key" -out "$dir/ca.crt" -subj /CN=oxcd-bench-ca \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign &&
            tls_cert "$dir" server subjectAltName=IP:127.0.0.1 extendedKeyUsage=serverAuth,clientAuth &&
            tls_cert "$dir" client extendedKeyUsage=clientAuth
    } >"$dir/openssl.log" 2>&1; then
        echo "could not generate TLS certificates; openssl said:" >&2
        tail -20 "$dir/openssl.log" >&2
        return 1
    fi
    CLIENT_SCHEME=https
    SERVER_TLS_ARGS=(--cert-file "$dir/server.crt" --key-file "$dir/server.key"
        --trusted-ca-file "$dir/ca.crt" --client-cert-auth=true)
    CLIENT_TLS_ARGS=(--cacert "$dir/ca.crt" --cert "$dir/client.crt" --key "$dir/client.key")
}

# auth_setup ENDPOINT LOG: as an anonymous client, adds user root with role root, a role that may
# read and write every key, user $BENCH_USER with that role, enables auth, and makes oxbench
# authenticate as $BENCH_USER. Not as root: root skips the permission checks whose cost is measured.
# etcdctl's output goes to LOG.
auth_setup() {
    local endpoint=$1 log=$2
    local ctl=(env ETCDCTL_API=3 "$ETCDCTL_BIN" --endpoints "$endpoint" "${CLIENT_TLS_ARGS[@]}" --command-timeout 10s)
    # etcdctl turns the empty key with --from-key into ["\0", "\0"): the whole key space.
    if ! {
        "${ctl[@]}" user add root:root-pw &&
            "${ctl[@]}" role add root &&
            "${ctl[@]}" user grant-role root root &&
            "${ctl[@]}" role add bench &&
            "${ctl[@]}" role grant-permission bench readwrite "" --from-key &&
            "${ctl[@]}" user add "$BENCH_USER:$BENCH_PASSWORD" &&
            "${ctl[@]}" user grant-role "$BENCH_USER" bench &&
            "${ctl[@]}" auth enable
    } >>"$log" 2>&1; then
        echo "could not enable auth; etcdctl said:" >&2
        tail -5 "$log" >&2
        return 1
    fi
    CLIENT_AUTH_ARGS=(--user "$BENCH_USER:$BENCH_PASSWORD")
}

# stop_pid PID: SIGTERM, then SIGKILL after 10 s; reaps the process.
stop_pid() {
    local pid=$1
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    stop_pid "$SERVER_PID"
    SERVER_PID=
}

# begin_server NAME BIN: the start of one server's round: says which server runs and starts it;
# fails, having said why, when BIN is missing or the server does not start (the round is skipped).
begin_server() {
    local name=$1 bin=$2
    if [[ ! -x $bin ]]; then
        echo "skipping $name: no binary at $bin" >&2
        return 1
    fi
    echo "== $name ($bin)" >&2
    if ! start_server "$name" "$bin"; then
        echo "skipping $name: it did not start" >&2
        return 1
    fi
}

# start_server NAME BIN: starts a single-member server (etcd or oxcd) named NAME from BIN with the data
# dir $WORK/NAME.data (fresh unless it exists) and the log $WORK/NAME.log, its pid in SERVER_PID;
# returns once it answers a Range, or fails (with the server stopped) when it exits or stays silent for
# STARTUP_SECS. Exits when CLIENT_PORT or PEER_PORT is taken.
start_server() {
    local name=$1 bin=$2 port
    for port in "$CLIENT_PORT" "$PEER_PORT"; do
        if port_in_use "$port"; then
            echo "port $port is already in use: stop what listens there or set CLIENT_PORT/PEER_PORT" >&2
            exit 1
        fi
    done
    "$bin" --name b --data-dir "$WORK/$name.data" "${SERVER_TLS_ARGS[@]}" "${SERVER_EXTRA_ARGS[@]}" \
        --listen-client-urls "$ENDPOINT" --advertise-client-urls "$ENDPOINT" \
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
        if answers_range "$ENDPOINT"; then
            return 0
        fi
        sleep 0.2
    done
    echo "$name did not answer within ${STARTUP_SECS}s; its log:" >&2
    tail -20 "$WORK/$name.log" >&2
    stop_server
    return 1
}

# Removes the work dir, or keeps it (and says where) with KEEP=1.
remove_work_dir() {
    if [[ ${KEEP:-0} == 1 ]]; then
        echo "kept $WORK" >&2
    else
        rm -rf "$WORK"
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# answers_range ENDPOINT: whether the server there answers one linearizable read (it has a leader).
answers_range() {
    "$OXBENCH_BIN" --endpoints "$1" "${CLIENT_TLS_ARGS[@]}" --dial-timeout 1 --request-timeout 2 --json \
        range "$RANGE_KEY" --total 1 >/dev/null 2>&1
}

# scaled_total BASE: BASE requests times SCALE, at least 1.
scaled_total() {
    awk -v b="$1" -v s="$SCALE" 'BEGIN { t = int(b * s); print (t < 1 ? 1 : t) }'
}

json_field() { # json_field FIELD < one JSON line
    sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p"
}

# run_workload SYSTEM WORKLOAD CLIENTS ENDPOINTS: one oxbench run, appended to $RESULTS as
# "SYSTEM WORKLOAD CLIENTS JSON".
run_workload() {
    local system=$1 workload=$2 clients=$3 endpoints=$4 total conns args out
    total=$(total_for "$workload" "$clients")
    conns=$((clients < 16 ? clients : 16))
    case $workload in
    put) args=(put --key-size 8 --val-size 256 --sequential-keys --key-space-size 100000) ;;
    range-l) args=(range "$RANGE_KEY" --consistency l) ;;
    range-s) args=(range "$RANGE_KEY" --consistency s) ;;
    lease-keepalive) args=(lease-keepalive) ;;
    *) read -ra args <<<"$(workload_args "$workload")" ;;
    esac
    if ! out=$(timeout "$RUN_TIMEOUT_SECS" "$OXBENCH_BIN" --endpoints "$endpoints" "${CLIENT_TLS_ARGS[@]}" \
        "${CLIENT_AUTH_ARGS[@]}" --conns "$conns" --clients "$clients" --json "${args[@]}" --total "$total" \
        2>"$WORK/oxbench.err"); then
        echo "  $system $workload clients=$clients: failed ($(tail -1 "$WORK/oxbench.err"))" >&2
        out='{"rps":null,"p99_ms":null,"errors":null}'
    fi
    echo "$system $workload $clients $out" >>"$RESULTS"
    echo "  $system $workload clients=$clients total=$total: $(json_field rps <<<"$out") req/s," \
        "p99 $(json_field p99_ms <<<"$out") ms, errors $(json_field errors <<<"$out")" \
        "$(sed -n 's/.*"error_kinds":\({..*}\)}$/\1/p' <<<"$out")" >&2
}

# result SYSTEM WORKLOAD CLIENTS FIELD: the field, or "-" when that run did not happen or failed.
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

# print_table WIDTH WORKLOADS [SUFFIX]: throughput and p99 of etcd and oxcd (the runs labelled etcdSUFFIX
# and oxcdSUFFIX) for each workload and client count in $CLIENTS, the workload column WIDTH characters
# wide.
print_table() {
    local width=$1 workloads=$2 suffix=${3:-} workload clients er or ep op
    local row="%-${width}s %7s %11s %11s %6s %12s %12s %6s\n"
    # shellcheck disable=SC2059 # the format is built above
    printf "$row" workload clients "etcd req/s" "oxcd req/s" ratio "etcd p99 ms" "oxcd p99 ms" ratio
    for workload in $workloads; do
        for clients in $CLIENTS; do
            er=$(result "etcd$suffix" "$workload" "$clients" rps)
            or=$(result "oxcd$suffix" "$workload" "$clients" rps)
            ep=$(result "etcd$suffix" "$workload" "$clients" p99_ms)
            op=$(result "oxcd$suffix" "$workload" "$clients" p99_ms)
            # shellcheck disable=SC2059
            printf "$row" "$workload" "$clients" \
                "${er%.*}" "${or%.*}" "$(ratio "$er" "$or")" "$ep" "$op" "$(ratio "$ep" "$op")"
        done
    done
    echo "(ratio = oxcd / etcd: above 1 is better for req/s, below 1 is better for p99)"
}

# print_auth_table WIDTH WORKLOADS FIELD UNIT: FIELD (rps or p99_ms) of etcd and oxcd without auth
# and with it (the runs labelled etcd-auth and oxcd-auth), the cost of auth on each, and oxcd's
# ratio to etcd without and with auth.
print_auth_table() {
    local width=$1 workloads=$2 field=$3 unit=$4 workload clients e ea o oa ratios
    local row="%-${width}s %7s %11s %11s %6s %11s %11s %6s %9s %9s\n"
    # shellcheck disable=SC2059 # the format is built above
    printf "$row" workload clients "etcd $unit" "+auth" on/off "oxcd $unit" "+auth" on/off \
        "ox/etcd" "ox/etcd+a"
    for workload in $workloads; do
        for clients in $CLIENTS; do
            e=$(result etcd "$workload" "$clients" "$field")
            ea=$(result etcd-auth "$workload" "$clients" "$field")
            o=$(result oxcd "$workload" "$clients" "$field")
            oa=$(result oxcd-auth "$workload" "$clients" "$field")
            ratios=("$(ratio "$e" "$ea")" "$(ratio "$o" "$oa")" "$(ratio "$e" "$o")" "$(ratio "$ea" "$oa")")
            if [[ $field == rps ]]; then
                e=${e%.*} ea=${ea%.*} o=${o%.*} oa=${oa%.*}
            fi
            # shellcheck disable=SC2059
            printf "$row" "$workload" "$clients" "$e" "$ea" "${ratios[0]}" "$o" "$oa" "${ratios[1]}" \
                "${ratios[2]}" "${ratios[3]}"
        done
    done
}

# Warns about each system whose runs had failed requests or did not finish.
warn_failed_runs() {
    local system failed
    for system in $(awk '{ print $1 }' "$RESULTS" | sort -u); do
        failed=$(awk -v s="$system" '$1 == s' "$RESULTS" | json_field errors | awk '$1 != 0' | wc -l)
        if ((failed > 0)); then
            echo "warning: $failed $system run(s) had failed requests or did not finish; see the progress lines" >&2
        fi
    done
}

# --- for the scripts that measure one large store (bench-snapshot-vs-etcd.sh,
# bench-defrag-vs-etcd.sh) ---

# parse_size SIZE: SIZE in bytes (suffixes K M G T, KiB MiB GiB TiB; B optional).
parse_size() {
    local spec=$1 number unit
    if [[ ! $spec =~ ^([0-9]+)([KMGT]?)(i?)B?$ ]]; then
        echo "cannot read size '$spec': use e.g. 1GiB, 512MiB, 2G or 1048576" >&2
        return 1
    fi
    number=${BASH_REMATCH[1]} unit=${BASH_REMATCH[2]}
    local base=1000
    [[ -n ${BASH_REMATCH[3]} ]] && base=1024
    case $unit in
    K) echo $((number * base)) ;;
    M) echo $((number * base ** 2)) ;;
    G) echo $((number * base ** 3)) ;;
    T) echo $((number * base ** 4)) ;;
    *) echo "$number" ;;
    esac
}

free_bytes() { # free_bytes DIR
    df -B1 --output=avail "$1" | tail -1 | tr -d ' '
}

# record SYSTEM WHAT FIELD VALUE: one measurement, in $RESULTS beside oxbench's (clients 0).
record() {
    echo "$1 $2 0 {\"$3\":$4}" >>"$RESULTS"
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f\n", b - a }'; }

status_kib() { # status_kib PID FIELD: FIELD (VmRSS, VmHWM) of /proc/PID/status in KiB
    awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

mib() { awk -v b="$1" 'BEGIN { printf "%.1f\n", b / 1048576 }'; }


# large_store_setup NAME QUOTA_FACTOR: what both large-store scripts do once their settings are
# read: checks oxbench and etcdctl, sizes the fill (SIZE_BYTES, FILL_KEYS), picks the quota
# (QUOTA_FACTOR x SIZE, at least etcd's 2 GiB default, unless QUOTA_BACKEND_BYTES is set),
# refuses to start without MIN_FREE_FACTOR x SIZE free in /tmp, and makes the work dir
# /tmp/NAME.XXXXXX with its results file.
large_store_setup() {
    local name=$1 factor=$2 bin need free
    for bin in "$OXBENCH_BIN" "$ETCDCTL_BIN"; do
        if [[ ! -x $bin ]]; then
            echo "no $bin: build oxbench (cargo build --release -p oxbench) and install etcd 3.4's etcdctl" >&2
            exit 1
        fi
    done
    SIZE_BYTES=$(parse_size "$SIZE")
    FILL_KEYS=$(((SIZE_BYTES + VAL_SIZE - 1) / VAL_SIZE))
    if ((QUOTA_BACKEND_BYTES == 0)); then
        QUOTA_BACKEND_BYTES=$((factor * SIZE_BYTES))
        ((QUOTA_BACKEND_BYTES >= 2 * 1024 ** 3)) || QUOTA_BACKEND_BYTES=$((2 * 1024 ** 3))
    fi
    SERVER_EXTRA_ARGS=(--quota-backend-bytes "$QUOTA_BACKEND_BYTES")
    need=$((MIN_FREE_FACTOR * SIZE_BYTES))
    free=$(free_bytes /tmp)
    if ((free < need)); then
        echo "/tmp has $((free / 1024 ** 2)) MiB free; SIZE=$SIZE needs about $((need / 1024 ** 2)) MiB" \
            "(MIN_FREE_FACTOR=$MIN_FREE_FACTOR x SIZE): free some space or use a smaller SIZE" >&2
        exit 1
    fi
    single_server_work "$name"
    ENDPOINT=http://127.0.0.1:$CLIENT_PORT
}

# single_server_work NAME: the work dir /tmp/NAME.XXXXXX with an empty results file, and, when the
# script exits, the server stopped and the work dir removed (kept with KEEP=1).
single_server_work() {
    WORK=$(mktemp -d "/tmp/$1.XXXXXX")
    RESULTS=$WORK/results.jsonl
    : >"$RESULTS"
    SERVER_PID=
    trap 'stop_server; remove_work_dir' EXIT
    trap 'exit 130' INT TERM
}

# compare_row LABEL WHAT CLIENTS FIELD [SCALE]: one metric of etcd and oxcd (divided by SCALE)
# and oxcd's ratio, in the format COMPARE_ROW.
COMPARE_ROW="%-34s %12s %12s %7s\n"
compare_row() {
    local label=$1 what=$2 clients=$3 field=$4 scale=${5:-1} e o
    e=$(result etcd "$what" "$clients" "$field")
    o=$(result oxcd "$what" "$clients" "$field")
    [[ $e != - ]] && e=$(awk -v v="$e" -v s="$scale" 'BEGIN { printf "%.2f\n", v / s }')
    [[ $o != - ]] && o=$(awk -v v="$o" -v s="$scale" 'BEGIN { printf "%.2f\n", v / s }')
    # shellcheck disable=SC2059 # the format is COMPARE_ROW
    printf "$COMPARE_ROW" "$label" "$e" "$o" "$(ratio "$e" "$o")"
}
