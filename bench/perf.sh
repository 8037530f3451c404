#!/usr/bin/env bash
# Speed and memory of `settle --by payee` and `check` on 100k and 1M rows against a naive floor
# (serde into owned structs + chrono + sort + index by phone, no rules). Runs are interleaved;
# prints the median of RUNS (default 3) wall times, the ratios and the peak memory.
# Usage: bench/perf.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
out=target/bench; mkdir -p "$out"
cargo build --release --quiet --examples
cargo build --release --quiet
for n in 100000 1000000; do
  [ -d "$out/ledger-$n" ] || ./target/release/examples/gen-ledger --rows "$n" --out "$out/ledger-$n"
done
phone() { sed -n 2p "$1/bookings.csv" | cut -d, -f5; }
measure() { # name command… -> "seconds kb"
  /usr/bin/time -f "%e %M" -o "$out/.t" "$@" >/dev/null 2>&1
  cat "$out/.t"
}
declare -A T M
for ((r = 1; r <= runs; r++)); do
  for n in 100000 1000000; do
    l=$out/ledger-$n
    read -r t m < <(measure ./target/release/examples/naive-floor "$l"); T[floor-$n]+="$t "; M[floor-$n]=$m
    read -r t m < <(measure ./target/release/attrib -C "$l" --at "2027-06-01 00:00" settle --month 2026-06 --by payee); T[settle-$n]+="$t "; M[settle-$n]=$m
    read -r t m < <(measure ./target/release/attrib -C "$l" --at "2027-06-01 00:00" check "$(phone "$l")"); T[check-$n]+="$t "; M[check-$n]=$m
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-8s %9s %9s %9s %11s %10s\n' task rows median_s vs_floor peak_MB 1M/100k
for task in floor settle check; do
  for n in 100000 1000000; do
    med=$(echo "${T[$task-$n]}" | median); floor=$(echo "${T[floor-$n]}" | median)
    small=$(echo "${T[$task-100000]}" | median)
    printf '%-8s %9s %9s %9s %11s %10s\n' "$task" "$n" "$med" "$(awk -v a="$med" -v b="$floor" 'BEGIN{printf "%.2f", a/b}')" \
      "$(( ${M[$task-$n]} / 1024 ))" "$(awk -v a="$med" -v b="$small" 'BEGIN{printf "%.1f", a/b}')"
  done
done
