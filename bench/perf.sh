#!/usr/bin/env bash
# Speed and memory of `settle --month M --by payee`, `check PHONE` and `replay` (every verdict, in
# each format: csv, json, and the table at 80 columns; replay-eval: its evaluation alone) on 100k
# and 1M rows against a naive floor (serde into owned structs + chrono + sort + index by phone,
# no rules). Runs are interleaved; prints the median of RUNS (default 5) wall times, the ratios
# and the peak memory.
# Two months are settled: the ledger's last month (month-end settlement as finance runs it: every
# earlier record counts) and a month in the middle (re-settling an old month).
# With --part-two the ledgers also hold part-two rows (RULES-R10: viewings, deals, staff,
# handovers, cancellations, delistings, queries, grades; about 6 % of the rows, with the
# [resale], [consultants] rate and [deposit] tables): `gen-ledger --part-two`, in ledger-p2-N.
# Usage: bench/perf.sh [--part-two] [RUNS]; TASKS="floor replay-csv" bench/perf.sh 1 runs some of the
# tasks (the floor is always needed for the ratios).
set -euo pipefail
cd "$(dirname "$0")/.."
set_name=ledger; gen_flags=()
if [ "${1:-}" = --part-two ]; then set_name=ledger-p2; gen_flags=(--part-two); shift; fi
runs=${1:-5}
out=target/bench; mkdir -p "$out"
cargo build --release --quiet --examples
cargo build --release --quiet
for n in 100000 1000000; do
  [ -d "$out/$set_name-$n" ] || ./target/release/examples/gen-ledger --rows "$n" --out "$out/$set_name-$n" "${gen_flags[@]}"
done
phone() { sed -n 2p "$1/bookings.csv" | cut -d, -f5; }
last_month() { tail -n +2 "$1/bookings.csv" | cut -d, -f2 | sort | tail -1 | cut -c1-7; }
measure() { # command… -> "seconds kb" (wall time to the microsecond, peak resident memory)
  local t0=$EPOCHREALTIME
  /usr/bin/time -f "%M" -o "$out/.t" "$@" >/dev/null 2>&1
  local t1=$EPOCHREALTIME
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}') $(cat "$out/.t")"
}
at="2027-06-01 00:00"
read -r -a tasks <<<"${TASKS:-floor settle-last settle-mid check replay-eval replay-csv replay-json replay-table}"
declare -A T M
for ((r = 1; r <= runs; r++)); do
  for n in 100000 1000000; do
    l=$out/$set_name-$n
    for task in "${tasks[@]}"; do
      case $task in
        floor) cmd=(./target/release/examples/naive-floor "$l") ;;
        settle-last) cmd=(./target/release/attrib -C "$l" --at "$at" settle --month "$(last_month "$l")" --by payee) ;;
        settle-mid) cmd=(./target/release/attrib -C "$l" --at "$at" settle --month 2026-06 --by payee) ;;
        check) cmd=(./target/release/attrib -C "$l" --at "$at" check "$(phone "$l")") ;;
        # the evaluation alone: every record judged and kept, none after --from, nothing written
        replay-eval) cmd=(./target/release/attrib -C "$l" --at "$at" --format csv replay --from 2199-01) ;;
        replay-*) cmd=(env COLUMNS=80 ./target/release/attrib -C "$l" --at "$at" --format "${task#replay-}" replay) ;;
      esac
      read -r t m < <(measure "${cmd[@]}")
      T[$task-$n]+="$t "
      M[$task-$n]=$(( m > ${M[$task-$n]:-0} ? m : ${M[$task-$n]:-0} ))
    done
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; runs: $runs (interleaved); ledgers: $set_name-N; settle-last = --month $(last_month "$out/$set_name-1000000")"
printf '%-12s %9s %9s %9s %9s %9s\n' task rows median_s vs_floor peak_MB 1M/100k
for task in "${tasks[@]}"; do
  for n in 100000 1000000; do
    med=$(echo "${T[$task-$n]}" | median); floor=$(echo "${T[floor-$n]}" | median)
    small=$(echo "${T[$task-100000]}" | median)
    printf '%-12s %9s %9s %9s %9s %9s\n' "$task" "$n" "$med" \
      "$(awk -v a="$med" -v b="$floor" 'BEGIN{printf "%.2f", a/b}')" \
      "$(( ${M[$task-$n]} / 1024 ))" "$(awk -v a="$med" -v b="$small" 'BEGIN{printf "%.1f", a/b}')"
  done
done
