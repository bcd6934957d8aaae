#!/bin/sh
# Boots Debian's ppc64el kernel (fetch.sh) with one of the initramfs images (mkinitramfs.sh)
# under jvisor or QEMU:
#   run.sh [jvisor|qemu] [shell|tiny] [extra kernel arguments]
# Default: jvisor, shell. SMP (default 1) and MEM (default 1G) set the machine.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
machine=${1:-jvisor}
image=${2:-shell}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] && shift
"$here/fetch.sh"
[ -f "$here/build/$image.cpio.gz" ] || "$here/mkinitramfs.sh" >/dev/null
args="console=hvc0 $*"
case $machine in
  jvisor)
    exec "$here/../../jvisor" run --smp "${SMP:-1}" --mem "${MEM:-1G}" --initrd "$here/build/$image.cpio.gz" \
      --append "$args" "$here/build/vmlinux" ;;
  qemu)
    exec qemu-system-ppc64 -M pseries,x-vof=on,ic-mode=xics,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off \
      -cpu POWER9 -accel tcg -m "${MEM:-1G}" -smp "${SMP:-1}" -nographic -nodefaults -serial stdio -monitor none \
      -kernel "$here/build/vmlinux" -initrd "$here/build/$image.cpio.gz" -append "$args" ;;
  *) echo "run.sh: machine must be jvisor or qemu" >&2; exit 2 ;;
esac
