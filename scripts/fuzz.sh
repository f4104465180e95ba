#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for SECONDS each from its kept corpus, libFuzzer on
# stable Rust without a sanitizer, and fails on the first crash (its input is left in
# fuzz/artifacts/<target>/). What a run finds goes to a scratch directory, or with `keep` into
# the kept corpus (fuzz/corpus/<target>), minimized afterwards. See fuzz/README.md.
#
# Usage: scripts/fuzz.sh [SECONDS] [keep]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../fuzz"
seconds=${1:-20}
keep=${2:-}

if ! command -v cargo-fuzz >/dev/null; then
    cargo install cargo-fuzz --version 0.13.2 --locked
fi
cargo fuzz build -s none -O 2>&1 | tail -1

total_runs=0
for target in $(cargo fuzz list); do
    mkdir -p "corpus/$target"
    if [[ $keep == keep ]]; then
        found="corpus/$target"
        extra=()
    else
        found=$(mktemp -d)
        extra=("corpus/$target")
    fi
    log=$(mktemp)
    if ! cargo fuzz run -s none -O "$target" "$found" "${extra[@]}" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 >"$log" 2>&1; then
        tail -40 "$log"
        echo "fuzz: $target FAILED (input in fuzz/artifacts/$target/)"
        exit 1
    fi
    runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log")
    echo "fuzz: $target ok, ${runs:-?} inputs in ${seconds}s"
    total_runs=$((total_runs + ${runs:-0}))
    [[ $keep == keep ]] || rm -rf "$found"
    rm -f "$log"
    if [[ $keep == keep ]]; then
        cargo fuzz cmin -s none -O "$target" "corpus/$target" >/dev/null 2>&1
    fi
done
echo "fuzz: every target ok, $total_runs inputs in all"
