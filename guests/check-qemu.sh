#!/bin/sh
# Builds everything, then runs every guest in both byte orders under QEMU.
# Fails if a guest prints a FAIL line, does not reach its "done:" line,
# reports failures there, or QEMU does not exit 0 (RTAS power-off).
# Console logs are kept in build/logs/NAME-ENDIAN.txt (NAME-ENDIAN-smpN.txt for
# the guests run with several CPU counts).
set -u
here=$(cd "$(dirname "$0")" && pwd)
"$here/build.sh" || exit 1
mkdir -p "$here/build/logs"
guests="hello sieve sieve-mmu memstr insns interrupts radix smp cede mmio vty rtas hcalls sprs illegal litmus vmx fpu fpcalc gdbtarget vsx vsxfp smp-migrate"
bad=0
for g in $guests; do
  case $g in smp*) counts=2 ;; litmus) counts="2 4" ;; *) counts=1 ;; esac
  for smp in $counts; do
    for e in le be; do
      case $g in litmus) tag=$g-$e-smp$smp; what="$e smp$smp" ;; *) tag=$g-$e; what=$e ;; esac
      log=$here/build/logs/$tag.txt
      SMP=$smp QEMU_LOG=$here/build/logs/$tag.qemu.txt "$here/run-qemu.sh" "$g" "$e" > "$log"
      rc=$?
      why=""
      if [ $rc -ne 0 ]; then why="QEMU exit status $rc"
      elif grep -q '^FAIL' "$log"; then why="$(grep -c '^FAIL' "$log") FAIL line(s)"
      elif ! tail -n 1 "$log" | grep -q '^done: [0-9]* passed, 0 failed'; then why="no clean final line"
      fi
      if [ -n "$why" ]; then
        printf '%-11s %s  BAD: %s (see %s)\n' "$g" "$what" "$why" "$log"
        bad=1
      else
        printf '%-11s %s  ok   %s\n' "$g" "$what" "$(tail -n 1 "$log")"
      fi
    done
  done
done
[ $bad -eq 0 ] && echo "all guests passed under QEMU" || echo "some guests failed under QEMU"
exit $bad
