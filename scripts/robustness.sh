#!/usr/bin/env bash
# The project's robustness suite in one command: the multi-process fault tests (kill -9 under
# load, partitions through a proxy, crashes inside a snapshot install, a full disk, corruption,
# linearizability under faults) round after round until MINUTES have passed (one round at
# least), then the deterministic simulation for SIM_MINUTES (default 5), then every fuzz target
# for FUZZ_SECONDS each. Prints one verdict line at the end and
# exits non-zero on the first failure, whose output it shows. See docs/ROBUSTNESS.md.
#
# Usage: scripts/robustness.sh [MINUTES]   (default 10)
#        FUZZ_SECONDS=60 scripts/robustness.sh 30
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
minutes=${1:-10}
fuzz_seconds=${FUZZ_SECONDS:-20}
suites=(cluster partition durability snapshot_install_crash linearizability five_members
    full_disk corruption defrag_snapshot quota_cluster)

started=$SECONDS
deadline=$((SECONDS + minutes * 60))
args=()
for suite in "${suites[@]}"; do
    args+=(--test "$suite")
done
cargo test -q -p oxcd "${args[@]}" --no-run 2>&1 | tail -1

rounds=0
tests=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
while :; do
    rounds=$((rounds + 1))
    for suite in "${suites[@]}"; do
        if ! cargo test -q -p oxcd --test "$suite" >"$log" 2>&1; then
            tail -60 "$log"
            echo "robustness: FAIL in round $rounds, suite $suite ($((SECONDS - started))s)"
            exit 1
        fi
        passed=$(sed -n 's/^test result: ok\. \([0-9]*\) passed.*/\1/p' "$log" | awk '{ s += $1 } END { print s + 0 }')
        tests=$((tests + ${passed:-0}))
        echo "round $rounds: $suite ok (${passed:-0} tests)"
    done
    ((SECONDS < deadline)) || break
done

# Runs a stage (its name, then the command), failing the whole run with its output's tail;
# prints the stage's last line.
stage() {
    local name=$1 out
    shift
    out=$(mktemp)
    if ! "$@" >"$out" 2>&1; then
        tail -40 "$out" >&2
        echo "robustness: FAIL in $name ($((SECONDS - started))s)" >&2
        rm -f "$out"
        exit 1
    fi
    tail -1 "$out"
    rm -f "$out"
}
sim_summary=$(stage "the simulation" scripts/simulate.sh "${SIM_MINUTES:-5}")
fuzz_summary=$(stage "fuzzing" scripts/fuzz.sh "$fuzz_seconds")
elapsed=$((SECONDS - started))
echo "robustness: PASS: $rounds round(s) of ${#suites[@]} fault suites ($tests tests passed)," \
    "simulation ${sim_summary#simulation: PASS: }, ${fuzz_summary#fuzz: }," \
    "in $((elapsed / 60))m$((elapsed % 60))s"
