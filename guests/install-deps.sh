#!/bin/sh
# Installs what the guests need on Debian bookworm: the powerpc64le cross
# compiler and binutils, dtc, make, cpio (Linux initramfs), gdb-multiarch (the gdb stub's
# test), and QEMU 10 (qemu-system-ppc) from bookworm-backports (bookworm's own QEMU 7.2 has
# POWER9 bugs).
# Does nothing when everything is already present.
set -eu

qemu_ok() {
  command -v qemu-system-ppc64 >/dev/null 2>&1 || return 1
  major=$(qemu-system-ppc64 --version | sed -n 's/^QEMU emulator version \([0-9]*\).*/\1/p')
  [ -n "$major" ] && [ "$major" -ge 8 ]
}

pkgs=""
command -v powerpc64le-linux-gnu-gcc >/dev/null 2>&1 || pkgs="$pkgs gcc-powerpc64le-linux-gnu"
command -v powerpc64le-linux-gnu-ld >/dev/null 2>&1 || pkgs="$pkgs binutils-powerpc64le-linux-gnu"
command -v dtc >/dev/null 2>&1 || pkgs="$pkgs device-tree-compiler"
command -v make >/dev/null 2>&1 || pkgs="$pkgs make"
command -v cpio >/dev/null 2>&1 || pkgs="$pkgs cpio"
command -v gdb-multiarch >/dev/null 2>&1 || pkgs="$pkgs gdb-multiarch"
need_qemu=0
qemu_ok || need_qemu=1

if [ -z "$pkgs" ] && [ $need_qemu -eq 0 ]; then
  echo "guest toolchain and QEMU already installed"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

if [ $need_qemu -eq 1 ]; then
  src=/etc/apt/sources.list.d/debian.sources
  if [ ! -f "$src" ]; then
    echo "install-deps.sh: $src not found; add bookworm-backports by hand" >&2
    exit 1
  fi
  if ! grep -q '^Suites:.*bookworm-backports' "$src"; then
    # Append the suite to the Suites line of the main (non-security) stanza.
    $SUDO sed -i '/^Suites:.*bookworm/{/security/!s/$/ bookworm-backports/}' "$src"
  fi
fi

# A mirror caught mid-sync fails one index (apt-get exits non-zero) while the rest are current:
# go on, and let the installs below say whether what they need is known.
$SUDO apt-get update || echo "install-deps.sh: apt-get update reported errors; going on with the lists it got" >&2
if [ -n "$pkgs" ]; then
  # shellcheck disable=SC2086
  $SUDO apt-get install -y --no-install-recommends $pkgs
fi
if [ $need_qemu -eq 1 ]; then
  $SUDO apt-get install -y --no-install-recommends -t bookworm-backports qemu-system-ppc
fi
qemu_ok || { echo "install-deps.sh: QEMU 8 or later still missing" >&2; exit 1; }
