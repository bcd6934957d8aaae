#!/bin/sh
# Builds everything, then runs every guest in both byte orders under QEMU.
# Fails if a guest prints a FAIL line, does not reach its "done:" line,
# reports failures there, or QEMU does not exit 0 (RTAS power-off).
# Console logs are kept in build/logs/NAME-ENDIAN.txt.
set -u
here=$(cd "$(dirname "$0")" && pwd)
"$here/build.sh" || exit 1
mkdir -p "$here/build/logs"
guests="hello sieve sieve-mmu memstr insns interrupts radix smp cede mmio vty rtas hcalls sprs illegal"
bad=0
for g in $guests; do
  for e in le be; do
    log=$here/build/logs/$g-$e.txt
    case $g in smp*) smp=2 ;; *) smp=1 ;; esac
    SMP=$smp QEMU_LOG=$here/build/logs/$g-$e.qemu.txt "$here/run-qemu.sh" "$g" "$e" > "$log"
    rc=$?
    why=""
    if [ $rc -ne 0 ]; then why="QEMU exit status $rc"
    elif grep -q '^FAIL' "$log"; then why="$(grep -c '^FAIL' "$log") FAIL line(s)"
    elif ! tail -n 1 "$log" | grep -q '^done: [0-9]* passed, 0 failed'; then why="no clean final line"
    fi
    if [ -n "$why" ]; then
      printf '%-11s %s  BAD: %s (see %s)\n' "$g" "$e" "$why" "$log"
      bad=1
    else
      printf '%-11s %s  ok   %s\n' "$g" "$e" "$(tail -n 1 "$log")"
    fi
  done
done
[ $bad -eq 0 ] && echo "all guests passed under QEMU" || echo "some guests failed under QEMU"
exit $bad
