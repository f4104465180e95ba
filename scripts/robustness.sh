#!/usr/bin/env bash
# The project's robustness suite in one command: the multi-process fault tests (kill -9 under
# load, partitions through a proxy, crashes inside a snapshot install, a full disk, corruption,
# linearizability under faults) round after round until MINUTES have passed (one round at
# least), then every fuzz target for FUZZ_SECONDS each. Prints one verdict line at the end and
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

fuzz_log=$(mktemp)
if ! scripts/fuzz.sh "$fuzz_seconds" >"$fuzz_log" 2>&1; then
    tail -40 "$fuzz_log"
    echo "robustness: FAIL in fuzzing ($((SECONDS - started))s)"
    exit 1
fi
fuzz_summary=$(tail -1 "$fuzz_log")
rm -f "$fuzz_log"
elapsed=$((SECONDS - started))
echo "robustness: PASS: $rounds round(s) of ${#suites[@]} fault suites ($tests tests passed)," \
    "${fuzz_summary#fuzz: }, in $((elapsed / 60))m$((elapsed % 60))s"
