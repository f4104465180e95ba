#!/usr/bin/env bash
# Deterministic simulation of whole clusters (crates/server/src/sim) for MINUTES of wall-clock
# time: seeds from FIRST (default 1000000) in batches over every core, in a release build.
# Prints one verdict line; a failing seed prints itself and how to replay it. See
# docs/ROBUSTNESS.md.
#
# Usage: scripts/simulate.sh [MINUTES] [FIRST]   (default 5 minutes)
#        scripts/simulate.sh replay SEED          (one seed again, with a trace every 250 ms)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ ${1:-} == replay ]]; then
    OXCD_SIM_DEBUG=1 OXCD_SIM_SEED="${2:?seed}" cargo test -q --release -p oxcd-server --lib \
        sim::tests::replay -- --ignored --nocapture
    exit
fi
minutes=${1:-5}
first=${2:-1000000}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if OXCD_SIM_MINUTES="$minutes" OXCD_SIM_FIRST="$first" cargo test -q --release -p oxcd-server \
    --lib sim::tests::soak -- --ignored --nocapture >"$log" 2>&1; then
    echo "simulation: PASS: $(sed -n 's/^soak: //p' "$log")"
else
    grep -A30 "simulation seed" "$log" | head -40 || tail -40 "$log"
    echo "simulation: FAIL (replay the seed above with: scripts/simulate.sh replay SEED)"
    exit 1
fi
