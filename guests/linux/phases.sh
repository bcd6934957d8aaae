#!/bin/sh
# Where a Linux boot spends its time, under jvisor and under QEMU side by side: boots the tiny
# image (run.sh) once on each machine with initcall_debug, and prints
#   - the wall time of each whole run (the VMM's own start-up included),
#   - the kernel's own clock at power-off: what ran after timekeeping started,
#   - the part before it (wall less that clock: the VMM's start-up, the kernel's decompression-free
#     early boot, prom_init, the early MMU and ftrace set-up, which run before the clock does),
#   - the sum of all initcalls, and the initcalls whose times differ most between the machines.
# The kernel's clock runs at the host's rate under both machines, so its times compare directly.
#   phases.sh [N]   the N initcalls that differ most (default 12)
# One boot each: the host's noise shows in single runs, so run it twice before reading much
# into a row.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=${1:-12}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

boot() {
  start=$(date +%s.%N)
  "$here/run.sh" "$1" tiny initcall_debug ignore_loglevel > "$out/$1.log" 2>&1 </dev/null || true
  end=$(date +%s.%N)
  echo "$start $end" > "$out/$1.wall"
  if ! grep -q "reboot: Power down" "$out/$1.log"; then
    echo "phases.sh: $1 did not power off; the end of its output:" >&2
    tail -n 5 "$out/$1.log" >&2
    exit 1
  fi
}
boot qemu
boot jvisor

# One line per machine: wall, clock at power-off, initcalls' sum; then "name usecs" lines.
summary() {
  awk -v wall="$(awk '{print $2 - $1}' "$out/$1.wall")" '
    /initcall .* returned .* after [0-9]+ usecs/ {
      for (i = 1; i <= NF; i++) if ($i == "initcall") name = $(i + 1)
      sub(/\+.*/, "", name); us = $(NF - 1); sum += us; print name, us > "'"$out/$1.calls"'"
    }
    /reboot: Power down/ { gsub(/[][]/, " "); split($0, f, " "); clock = f[1] }
    END { printf "%.3f %.3f %.3f\n", wall, clock, sum / 1e6 }' "$out/$1.log"
}
q=$(summary qemu)
j=$(summary jvisor)

echo "$q" "$j" | awk '{
  printf "%-34s %10s %10s %7s\n", "", "QEMU s", "jvisor s", "ratio"
  printf "%-34s %10.3f %10.3f %7.2f\n", "whole run (wall)", $1, $4, $4 / $1
  printf "%-34s %10.3f %10.3f %7.2f\n", "before the kernel clock (wall less)", $1 - $2, $4 - $5, ($4 - $5) / ($1 - $2)
  printf "%-34s %10.3f %10.3f %7.2f\n", "kernel clock at power-off", $2, $5, $5 / $2
  printf "%-34s %10.3f %10.3f %7.2f\n", "all initcalls", $3, $6, $6 / $3
}'
echo
printf "%-40s %10s %10s %10s\n" "initcall (largest differences)" "QEMU ms" "jvisor ms" "more ms"
awk 'NR == FNR { q[$1] = $2; next } { print $1, q[$1] + 0, $2 }' "$out/qemu.calls" "$out/jvisor.calls" \
  | awk '{ printf "%-40s %10.1f %10.1f %10.1f\n", $1, $2 / 1000, $3 / 1000, ($3 - $2) / 1000 }' \
  | sort -k4 -rn | head -n "$top"
