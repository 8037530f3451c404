#!/usr/bin/env bash
# Inputs whose cost could grow faster than linear (issue 18), each timed at n and 4n: a chain of
# voids of voids (validate, replay), a chain of relations making one family of n phones (replay, check),
# the same family grown from its top with a visit between merges (merges: replay, check),
# the same family with a channel visit on a signed slip by each new member (visits: replay, check),
# and a reports.csv header of n unknown columns (validate). Prints the median of RUNS (default 3)
# wall times and the 4n/n ratio; linear is about 4, the bar is 6. A benchmark, not a test.
# Usage: bench/scaling.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
out=target/bench/scaling; mkdir -p "$out"
cargo build --release --quiet
bin=$PWD/target/release/attrib
config='[project]
name = "scaling"
developer = "甲方"
agency = "伟业"
timezone = "+08:00"

[fees]
developer_rate = "1.0%"
agency_rate = "1.8%"
discount_floor = "0.92"

[[channel]]
name = "链家"
commission = "1.0%"'
ledger() { # shape n -> folder
  local d=$out/$1-$2
  if [ ! -d "$d" ]; then
    mkdir -p "$d"; printf '%s\n' "$config" >"$d/attrib.toml"
    case $1 in
      voids)
        echo "id,at,channel,broker,client,phone" >"$d/reports.csv"
        echo "R-1,2026-03-01 09:00,链家,王五,张伟,13800138000" >>"$d/reports.csv"
        awk -v n="$2" 'BEGIN { print "id,at,ref,reason"
          for (i = 1; i <= n; i++) printf "X-%d,2026-03-02 09:00,%s,错录\n", i, (i == 1 ? "R-1" : "X-" (i - 1)) }' >"$d/voids.csv" ;;
      relations)
        awk -v n="$2" 'BEGIN { print "id,at,phone,relation,other_phone"
          for (i = 1; i <= n; i++) printf "F-%d,2026-03-02 09:00,139%08d,spouse,139%08d\n", i, i, i + 1 }' >"$d/relations.csv" ;;
      merges) # one family grown from its top: each new phone sorts below every member, and a
        # visit by it stands between each merge (families merging mid-way, visits in between)
        awk -v n="$2" 'BEGIN { print "id,at,kind,phone,client,consultant" >"'"$d"'/contacts.csv"
          print "id,at,phone,relation,other_phone"
          for (i = 1; i <= n; i++) {
            t = 2 * i; c = sprintf("2026-03-%02d %02d:%02d:%02d", 1 + int(t / 86400), int(t % 86400 / 3600), int(t % 3600 / 60), t % 60)
            t++; r = sprintf("2026-03-%02d %02d:%02d:%02d", 1 + int(t / 86400), int(t % 86400 / 3600), int(t % 3600 / 60), t % 60)
            printf "C-%d,%s,visit,139%08d,客户%d,王丽\n", i, c, n - i, i >>"'"$d"'/contacts.csv"
            printf "F-%d,%s,139%08d,spouse,139%08d\n", i, r, n - i, n - i + 1 } }' >"$d/relations.csv" ;;
      visits) # one family grown from its top, each new phone joining and then brought by 链家 on
        # a signed slip (a channel visit of a big family asks the family's visit holds)
        awk -v n="$2" -v d="$d" 'function ts(day, t) { return sprintf("2026-03-%02d %02d:%02d:%02d", day + int(t / 86400), int(t % 86400 / 3600), int(t % 3600 / 60), t % 60) }
          BEGIN { print "id,at,channel,broker,client,phone" > d"/reports.csv"
            print "id,at,kind,phone,client,consultant,channel,broker,slip" > d"/contacts.csv"
            print "slip,at,role,signer" > d"/slips.csv"; print "id,at,phone,relation,other_phone"
            for (i = 1; i <= n; i++) {
              printf "R-%d,%s,链家,王五,客户%d,139%08d\n", i, ts(1, i), i, n - i >> d"/reports.csv"
              r = ts(3, 3 * i); v = ts(3, 3 * i + 1)
              printf "C-%d,%s,visit,139%08d,客户%d,王丽,链家,王五,S-%d\n", i, v, n - i, i, i >> d"/contacts.csv"
              printf "S-%d,%s,reception,甲\nS-%d,%s,site_manager,乙\nS-%d,%s,developer,丙\nS-%d,%s,final,丁\n", i, v, i, v, i, v, i, v >> d"/slips.csv"
              printf "F-%d,%s,139%08d,spouse,139%08d\n", i, r, n - i, n - i + 1 } }' >"$d/relations.csv" ;;
      columns)
        awk -v n="$2" 'BEGIN { printf "id,at,channel,broker,client,phone"
          for (i = 1; i <= n; i++) printf ",extra%d", i; print "" }' >"$d/reports.csv" ;;
    esac
  fi
  echo "$d"
}
measure() { # command… -> seconds
  local t0=$EPOCHREALTIME
  "$@" >/dev/null 2>&1 || true
  local t1=$EPOCHREALTIME
  awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}'
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
cases=("voids 5000 validate" "voids 5000 replay" "relations 5000 replay" "relations 5000 check"
  "relations 20000 replay" "relations 20000 check" "merges 5000 replay" "merges 5000 check"
  "merges 20000 replay" "merges 20000 check" "visits 5000 replay" "visits 5000 check"
  "columns 100000 validate")
printf '%-10s %-9s %8s %9s %8s %9s %6s\n' input command n seconds 4n seconds ratio
for c in "${cases[@]}"; do
  read -r shape n cmd <<<"$c"
  declare -A T=()
  for m in 1 4; do
    d=$(ledger "$shape" $((n * m)))
    for ((r = 1; r <= runs; r++)); do
      args=("$cmd"); [ "$cmd" = check ] && args+=(13900000001)
      at="2026-03-03 09:00"; [ "$shape" = visits ] && at="2026-03-05 09:00"
      T[$m]+="$(measure "$bin" -C "$d" --at "$at" "${args[@]}") "
    done
  done
  a=$(echo "${T[1]}" | median); b=$(echo "${T[4]}" | median)
  printf '%-10s %-9s %8d %9s %8d %9s %6s\n' "$shape" "$cmd" "$n" "$a" $((n * 4)) "$b" \
    "$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.1f", (a > 0 ? b / a : 0)}')"
done
