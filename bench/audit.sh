#!/usr/bin/env bash
# Audit benchmark: 1,000 honest commits over a 100k-row ledger, the money diff on (issue 15:
# < 10 s, < 300 MB). CORRECTIONS (default 0) spreads that many corrections over the history (a
# void of an earlier contact in a commit), each reaching back, so the audit judges the ledger
# before and after it (verdicts and the money of every settled month): the stress case,
# `bench/audit.sh 100000 1000 50`.
# Usage: bench/audit.sh [ROWS] [COMMITS] [CORRECTIONS]   (the repository is reused when present)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}; commits=${2:-1000}; corrections=${3:-0}
out=target/bench; mkdir -p "$out"
cargo build --release --quiet --examples
cargo build --release --quiet
ledger=$out/ledger-$rows; repo=$out/history-$rows-$commits-$corrections
[ -d "$ledger" ] || ./target/release/examples/gen-ledger --rows "$rows" --out "$ledger"
if [ ! -d "$repo/.git" ]; then
  ./target/release/examples/gen-history --from "$ledger" --out "$repo" --commits "$commits" --corrections "$corrections"
  git -C "$repo" gc -q    # what git's auto-gc does to a long-lived repository
fi
for i in 1 2 3; do
  /usr/bin/time -f "run $i: %e s wall, %U s user, %S s sys, %M KB peak" \
    ./target/release/attrib -C "$repo" --at "2027-06-01 00:00" audit | tail -1 || true
done
