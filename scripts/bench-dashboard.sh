#!/usr/bin/env bash
# Times the dashboard on a large store in headless Chromium: fills a release oxcd with KEYS keys
# shaped like Kubernetes' (/registry/<type>/<namespace>/<name>, as scripts/bench-ls.sh does), then
# runs the browser test `timings_on_a_filled_store` (bins/oxcd/tests/dashboard.rs) against its
# /ui/, which prints the milliseconds from the page's load to the first level shown (the first
# load builds the server's directory totals, reloads find them) and from a click on /registry to
# its children shown. The page's screenshots go to target/dashboard-screenshots/.
#
# Usage: scripts/bench-dashboard.sh   (build first: cargo build --release -p oxcd -p oxbench)
#        KEYS=100000 scripts/bench-dashboard.sh
# Environment:
#   OXCD_BIN=target/release/oxcd  OXBENCH_BIN=target/release/oxbench
#   KEYS=1000000 TYPES=20 NAMESPACES=50 VAL_SIZE=256 FILL_CLIENTS=64   the store, as bench-ls.sh
#   RUNS=7                  reloads and openings timed (the median is printed)
#   CLIENT_PORT=32379 PEER_PORT=32380 STARTUP_SECS=60 FILL_TIMEOUT_SECS=1800 KEEP=1

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OXCD_BIN=${OXCD_BIN:-$ROOT/target/release/oxcd}
OXBENCH_BIN=${OXBENCH_BIN:-$ROOT/target/release/oxbench}
KEYS=${KEYS:-1000000}
TYPES=${TYPES:-20}
NAMESPACES=${NAMESPACES:-50}
VAL_SIZE=${VAL_SIZE:-256}
FILL_CLIENTS=${FILL_CLIENTS:-64}
export RUNS=${RUNS:-7}
CLIENT_PORT=${CLIENT_PORT:-32379}
PEER_PORT=${PEER_PORT:-32380}
STARTUP_SECS=${STARTUP_SECS:-60}
FILL_TIMEOUT_SECS=${FILL_TIMEOUT_SECS:-1800}
RUN_TIMEOUT_SECS=$FILL_TIMEOUT_SECS
RANGE_KEY=/registry
SCALE=1

# shellcheck source=scripts/bench-common.sh
source "$ROOT/scripts/bench-common.sh"

for bin in "$OXCD_BIN" "$OXBENCH_BIN"; do
    if [[ ! -x $bin ]]; then
        echo "no $bin: cargo build --release -p oxcd -p oxbench" >&2
        exit 1
    fi
done
single_server_work bench-dashboard
ENDPOINT=http://127.0.0.1:$CLIENT_PORT

workload_args() {
    echo put --kubernetes-keys "${TYPES}x$NAMESPACES" --sequential-keys --key-space-size "$KEYS" \
        --val-size "$VAL_SIZE"
}
total_for() { echo "$KEYS"; }

begin_server oxcd "$OXCD_BIN" || exit 1
run_workload oxcd fill "$FILL_CLIENTS" "$ENDPOINT"
echo "== the page, KEYS=$KEYS ($TYPES types x $NAMESPACES namespaces), RUNS=$RUNS" >&2
cd "$ROOT"
OXCD_DASHBOARD_URL=$ENDPOINT/ui/ cargo test -q -p oxcd --test dashboard -- --ignored --exact \
    timings_on_a_filled_store --nocapture 2>&1 | grep -E "^(page load|items shown|test result|thread|  )"
