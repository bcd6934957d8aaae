#!/bin/sh
# Runs one guest under QEMU (the reference machine) and prints exactly the
# guest's console output. Exit status: QEMU's (0 after RTAS power-off),
# 124 on timeout.
#   run-qemu.sh NAME [le|be]     (default le; NAME may also be a path to an ELF)
# Environment: TIMEOUT (seconds, default 120), QEMU (binary),
# QEMU_LOG (file for QEMU's own stderr; default discarded), SMP (number of
# CPUs, default 1).
set -u
here=$(cd "$(dirname "$0")" && pwd)
name=${1:?usage: run-qemu.sh NAME [le|be]}
endian=${2:-le}
case $endian in le|be) ;; *) echo "run-qemu.sh: byte order must be le or be" >&2; exit 2 ;; esac
case $name in
  */*|*.elf) elf=$name ;;
  *) elf=$here/build/$endian/$name.elf ;;
esac
rom=$here/build/rom.bin
# The firmware stand-in is made by the Makefile; a tree whose guests were built elsewhere
# (B=build/bench) may not have it yet.
[ -f "$rom" ] || make -s -C "$here" build/rom.bin >&2
for f in "$elf" "$rom"; do
  [ -f "$f" ] || { echo "run-qemu.sh: $f missing (run make -C $here)" >&2; exit 2; }
done
exec timeout "${TIMEOUT:-120}" "${QEMU:-qemu-system-ppc64}" \
  -M pseries,kernel-addr=0,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off \
  -cpu POWER9 -accel tcg -m 512M -smp "${SMP:-1}" \
  -nographic -nodefaults -serial stdio -monitor none \
  -bios "$rom" -kernel "$elf" \
  2>"${QEMU_LOG:-/dev/null}"
