#!/bin/sh
# Fetches Debian's ppc64el Linux kernel and static busybox and unpacks what jvisor boots:
#   build/vmlinux        the kernel ELF (linux-image-*-powerpc64le)
#   build/busybox        busybox-static for ppc64el
#   build/VERSION        the kernel package that was fetched
# Needs apt-get (Debian), root or sudo the first time (it adds the ppc64el architecture to apt's
# lists; nothing is installed). Does nothing when build/ already holds both.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$here/build
[ -f "$out/vmlinux" ] && [ -f "$out/busybox" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
# A mirror caught mid-sync fails one index (apt-get exits non-zero) while the rest are current:
# go on, and let the lookups below say whether the packages are known.
update() {
  $SUDO apt-get update -q || echo "fetch.sh: apt-get update reported errors; going on with the lists it got" >&2
}
if ! dpkg --print-foreign-architectures | grep -qx ppc64el; then
  $SUDO dpkg --add-architecture ppc64el
  update
fi
if ! apt-cache show linux-image-powerpc64le:ppc64el >/dev/null 2>&1; then
  update
fi
image=$(apt-cache depends linux-image-powerpc64le:ppc64el | sed -n 's/.*Depends: \(linux-image-[0-9][^ ]*\)/\1/p' | head -n 1)
[ -n "$image" ] || { echo "fetch.sh: no linux-image-*-powerpc64le package known to apt" >&2; exit 1; }
image=${image%:ppc64el}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && apt-get download -q "$image:ppc64el" busybox-static:ppc64el >/dev/null 2>&1 ) ||
  { echo "fetch.sh: apt-get download of $image and busybox-static failed" >&2; exit 1; }
mkdir -p "$tmp/k" "$tmp/b" "$out"
dpkg-deb -x "$tmp"/linux-image-*.deb "$tmp/k"
dpkg-deb -x "$tmp"/busybox-static*.deb "$tmp/b"
cp "$tmp"/k/boot/vmlinux-* "$out/vmlinux"
cp "$tmp/b/bin/busybox" "$out/busybox"
echo "$image $(dpkg-deb -f "$tmp"/linux-image-*.deb Version)" > "$out/VERSION"
echo "fetched $(cat "$out/VERSION") and busybox-static into $out"
